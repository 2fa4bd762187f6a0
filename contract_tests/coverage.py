"""Which parts of the spec the contract suite exercised, measured rather than assumed.

Tests record each (operation, status, content type), each enum value and each variant of
each union once they have
checked it; at the end of the session the report lists every one the spec has, exercised or
not. With ``CONTRACT_COVERAGE=enforce`` (as ``make test`` runs it) a missing one fails the run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from contract_tests.support import Contract, StatusPath

_expected_paths: tuple[StatusPath, ...] = ()
_expected_enums: tuple[tuple[str, str | int], ...] = ()
_expected_variants: tuple[tuple[str, str], ...] = ()
_seen_paths: set[StatusPath] = set()
_seen_enums: set[tuple[str, str | int]] = set()
_seen_variants: set[tuple[str, str]] = set()
_started = False


def start(contract: Contract) -> None:
    global _expected_paths, _expected_enums, _expected_variants, _started
    _expected_paths = contract.status_paths()
    _expected_enums = tuple((e.name, v) for e in contract.api.enums for v in e.values)
    _expected_variants = tuple(
        (u.name, contract.variant_label(v)) for u in contract.api.unions for v in u.variants
    )
    _seen_paths.clear()
    _seen_enums.clear()
    _seen_variants.clear()
    _started = True


def status_path(path: StatusPath) -> None:
    _seen_paths.add(path)


def enum_value(enum: str, value: str | int) -> None:
    _seen_enums.add((enum, value))


def union_variant(union: str, label: str) -> None:
    _seen_variants.add((union, label))


@dataclass(frozen=True)
class Report:
    text: str
    json: str
    missing: tuple[str, ...]


def report() -> Report | None:
    if not _started:
        return None
    lines: list[str] = []
    missing: list[str] = []
    rows: dict[str, list[dict[str, object]]] = {
        "status_paths": [],
        "enum_values": [],
        "union_variants": [],
    }
    paths_seen = sum(p in _seen_paths for p in _expected_paths)
    lines.append(f"status paths: {paths_seen}/{len(_expected_paths)} exercised")
    for path in _expected_paths:
        seen = path in _seen_paths
        lines.append(
            f"  [{'x' if seen else ' '}] {path.operation} {path.status} {path.content_type}"
        )
        rows["status_paths"].append({**path.as_dict(), "exercised": seen})
        if not seen:
            missing.append(f"{path.operation} {path.status} {path.content_type}")
    enums_seen = sum(e in _seen_enums for e in _expected_enums)
    lines.append(f"enum values: {enums_seen}/{len(_expected_enums)} exercised")
    by_enum: dict[str, list[str]] = {}
    for name, value in _expected_enums:
        seen = (name, value) in _seen_enums
        by_enum.setdefault(name, []).append(f"{value}{'' if seen else ' (MISSING)'}")
        rows["enum_values"].append({"enum": name, "value": value, "exercised": seen})
        if not seen:
            missing.append(f"{name}.{value}")
    lines += [f"  {name}: {', '.join(values)}" for name, values in by_enum.items()]
    variants_seen = sum(v in _seen_variants for v in _expected_variants)
    lines.append(f"union variants: {variants_seen}/{len(_expected_variants)} exercised")
    by_union: dict[str, list[str]] = {}
    for name, label in _expected_variants:
        seen = (name, label) in _seen_variants
        by_union.setdefault(name, []).append(f"{label}{'' if seen else ' (MISSING)'}")
        rows["union_variants"].append({"union": name, "variant": label, "exercised": seen})
        if not seen:
            missing.append(f"{name} as {label}")
    lines += [f"  {name}: {', '.join(labels)}" for name, labels in by_union.items()]
    if missing:
        more = f", ... ({len(missing) - 10} more)" if len(missing) > 10 else ""
        shown = ", ".join(missing[:10]) + more
        lines.append(f"NOT EXERCISED ({len(missing)}): {shown}")
    return Report("\n".join(lines), json.dumps(rows, indent=2), tuple(missing))
