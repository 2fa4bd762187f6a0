"""The drift report as a person reads it, and as a machine does (``--json``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from generator.drift.difference import (
    ADDITIVE,
    ANNOUNCED,
    BREAKING,
    CATEGORIES,
    PATCHED,
    Difference,
)
from generator.drift.report import DriftReport, drift, record_provenance
from generator.errors import GeneratorError

JSON_FORMAT = 1  # bumped whenever a key changes meaning or goes away
_HEADINGS = {
    BREAKING: "the generated client may fail, or call the API wrongly",
    ADDITIVE: "upstream says more, or otherwise, without breaking what the client relies on",
    PATCHED: "deliberate departures of spec/ (spec/patches.yaml), not drift",
    ANNOUNCED: "changes upstream announces for a later API version, not drift",
}


def run(spec_dir: Path, source: str, *, as_json: bool, write: bool, transcribed: str | None) -> int:
    """``python -m generator drift``: 0 no drift, 1 drift, 2 unusable input."""
    try:
        if write:
            provenance = record_provenance(spec_dir, source, transcribed)
            print(
                f"wrote {spec_dir}/provenance.yaml: {len(provenance.descriptions)} description "
                f"digests, subset sha256 {provenance.subset_sha256[:12]}"
            )
            return 0
        report = drift(spec_dir, source)
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(as_dict(report), indent=2, ensure_ascii=False) if as_json else text(report))
    return 1 if report.drifted else 0


def as_dict(report: DriftReport) -> dict[str, Any]:
    upstream = report.upstream
    return {
        "format": JSON_FORMAT,
        "drift": report.drifted,
        "exit_status": 1 if report.drifted else 0,
        "spec": str(report.spec_dir),
        "upstream": {
            "source": upstream.source,
            "format": upstream.format,
            "bytes": upstream.size,
            "parse_seconds": round(upstream.seconds, 3),
            "info_version": upstream.document.get("info", {}).get("version"),
            "subset_sha256": report.subset_sha256,
            "unchanged_since_transcription": report.unchanged,
        },
        "provenance": {
            "source": dict(report.provenance.source),
            "sha256": dict(report.provenance.sha256),
            "api_version": report.provenance.api_version,
            "transcribed": report.provenance.transcribed,
            "subset_sha256": report.provenance.subset_sha256,
        },
        "operations": [
            {
                "operation_id": place.operation_id,
                "method": place.spec.method,
                "path": place.spec.path,
                "upstream_method": place.upstream.method,
                "upstream_path": place.upstream.path,
            }
            for place in report.operations
        ],
        "counts": {category: report.count(category) for category in CATEGORIES},
        "differences": [d.as_json() for d in report.differences],
    }


def text(report: DriftReport) -> str:
    upstream, recorded = report.upstream, report.provenance
    source = " ".join(recorded.source.get(key, "") for key in ("package", "version")).strip()
    lines = [
        f"Drift of {report.spec_dir}/ against {upstream.source}",
        f"  read {_size(upstream.size)} of {upstream.format.upper()} in {upstream.seconds:.2f} s",
    ]
    lines += [
        f"  {p.spec.method.upper()} {p.spec.path} ({p.operation_id})" for p in report.operations
    ]
    if report.unchanged:
        lines.append(
            f"  upstream unchanged since transcription ({source}, {recorded.transcribed}; "
            f"subset sha256 {report.subset_sha256[:12]})"
        )
    else:
        lines.append(
            f"  upstream changed since transcription ({source}, {recorded.transcribed}): "
            f"subset sha256 {recorded.subset_sha256[:12]} is now {report.subset_sha256[:12]}"
        )
    for category in CATEGORIES:
        found = [d for d in report.differences if d.category == category]
        if found:
            lines += ["", f"{category.capitalize()} ({len(found)}): {_HEADINGS[category]}"]
            lines += [line for d in found for line in _entry(d)]
    counts = ", ".join(f"{report.count(c)} {c}" for c in CATEGORIES if report.count(c))
    lines.append("")
    if report.drifted:
        lines.append(f"DRIFT: spec/ differs from upstream ({counts}).")
    elif report.unchanged:
        lines.append(f"No drift ({counts or 'nothing to report'}).")
    else:
        lines.append(
            f"No drift ({counts or 'nothing to report'}): upstream changed only in ways that do "
            "not matter to a client (such as order); `--write-provenance` records it."
        )
    return "\n".join(lines)


def _entry(d: Difference) -> list[str]:
    lines = [f"  - [{d.kind}] {d.message}"]
    if d.tolerated is not None:
        lines.append(
            "      the client generated today already copes with it"
            if d.tolerated
            else "      the client must be regenerated to accept it"
        )
    if d.category == PATCHED and d.reason:
        lines.append(f"      why: {d.reason}")
    lines.append(f"      at {d.pointer}")
    return lines


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"
