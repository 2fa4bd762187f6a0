"""``make upstream``, ``make drift-latest`` and ``make upstream-bump``: the pin and the registry.

- fetch: the pinned copy of a description into ``.upstream/``, checked against the pin.
- latest: the drift report against the newest release on the registry, which is what GitHub
  changed since the pin; the pin stays where it is.
- bump: moves the pin to a release (the newest by default), recording the sha256 of every
  pinned file and the provenance digests, after printing the drift report of spec/ against
  the new release (so a maintainer reviews the report and the diff of spec/provenance.yaml).

Each takes the registry as an argument (generator/drift/registry.py); the command line passes
the real one. Exit statuses as ``make drift``: 0 no drift (or done), 1 drift, 2 unusable input
or an unreachable registry, said in one line.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from generator.drift.command import as_dict, text
from generator.drift.pin import (
    fetch_pinned,
    local_copy,
    package_file,
    read_pin,
    read_release,
    sha256_of,
    write,
)
from generator.drift.provenance import PROVENANCE_FILE, read_provenance
from generator.drift.registry import Registry, RegistryError, Release
from generator.drift.report import drift, record_provenance
from generator.errors import GeneratorError


def run_fetch(spec_dir: Path, description: str, into: Path, registry: Registry) -> int:
    try:
        pin = read_pin(spec_dir)
        target, fetched = fetch_pinned(spec_dir, description, into, registry)
    except GeneratorError as exc:
        return _failed(exc)
    file = package_file(description)
    if fetched:
        print(f"fetched {pin.spec} {file} into {target} (sha256 matches the pin)")
    else:
        print(f"{target} is {pin.spec} {file} (sha256 matches the pin)")
    return 0


def run_latest(
    spec_dir: Path, description: str, into: Path, registry: Registry, *, as_json: bool = False
) -> int:
    """The drift report against the newest release of the pinned package."""
    try:
        pin = read_pin(spec_dir)
        file = package_file(description)
        release = registry.release(pin.package)
        data = read_release(registry, release, [file], into)[file]
        expected = pin.sha256.get(file) if release.version == pin.version else None
        if expected is not None and sha256_of(data) != expected:
            raise RegistryError(
                f"{release.spec} {file} has sha256 {sha256_of(data)}, not the pinned "
                f"{pin.sha256[file]}: the registry serves other bytes for the pinned version"
            )
        target = local_copy(into, file)
        write(target, data)
        report = drift(spec_dir, str(target))
    except GeneratorError as exc:
        return _failed(exc)
    if as_json:
        document = as_dict(report)
        document["release"] = {
            "package": release.package,
            "version": release.version,
            "published": release.published,
            "integrity": release.integrity,
            "file": file,
            "pinned_version": pin.version,
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        pinned = "the pinned version" if release.version == pin.version else f"pin: {pin.version}"
        print(f"Newest {pin.package} on the npm registry: {_released(release)} ({pinned})")
        print(text(report))
    return 1 if report.drifted else 0


def run_bump(spec_dir: Path, version: str | None, into: Path, registry: Registry) -> int:
    """Move the pin to ``version`` (the newest when None) after printing what it changes."""
    staged: Path | None = None
    try:
        pin = read_pin(spec_dir)
        provenance = read_provenance(spec_dir, metadata_only=True)
        release = registry.release(pin.package, version)
        files = sorted(pin.sha256)
        contents = read_release(registry, release, files, into)
        sha256 = {file: sha256_of(data) for file, data in contents.items()}
        # The new files wait beside the pinned copies until the pin has moved.
        staged = into / release.version
        for file, data in contents.items():
            write(local_copy(staged, file), data)
        transcribed_from = local_copy(staged, pin.file)
        report = drift(spec_dir, str(transcribed_from))  # against the old provenance
        if release.version == pin.version:
            print(f"{pin.package} stays pinned at {_released(release)}; recording it again")
        else:
            print(f"Moving the pin of {pin.package} from {pin.version} to {_released(release)}")
        for file in files:
            old, new = pin.sha256[file], sha256[file]
            change = "unchanged" if old == new else f"{old[:12]} -> {new[:12]}"
            print(f"  {file}: sha256 {change}")
        print()
        print(text(report))
        source = {**provenance.source, "version": release.version}
        recorded = record_provenance(spec_dir, str(transcribed_from), None, pin=(source, sha256))
        for file in files:
            os.replace(local_copy(staged, file), local_copy(into, file))
    except GeneratorError as exc:
        return _failed(exc)
    finally:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
    print()
    print(
        f"Pinned {release.spec} in {spec_dir}/{PROVENANCE_FILE}: sha256 of {len(files)} files, "
        f"{len(recorded.descriptions)} description digests, subset sha256 "
        f"{recorded.subset_sha256[:12]}."
    )
    if report.drifted:
        print(
            f"spec/ differs from {release.version} as reported above: transcribe what matters "
            "into spec/, then `make generate`; `make drift` fails until then."
        )
    return 0


def _released(release: Release) -> str:
    when = f"published {release.published}" if release.published else "publication time unknown"
    return f"{release.version}, {when}"


def _failed(exc: GeneratorError) -> int:
    print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
    return 2
