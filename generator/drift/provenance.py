"""spec/provenance.yaml: where spec/ was transcribed from, and what upstream said then.

spec/ condenses GitHub's descriptions, so comparing their text always differs. Instead, a
digest of every upstream description is recorded when spec/ is transcribed; a later upstream
whose digest differs has reworded it. The hash of the whole upstream subset (canonical JSON,
no extensions, no examples) tells at a glance whether anything changed at all.

The ``source`` block is also the pin of the npm package upstream is read from: its package
and version, and under ``sha256`` the digest of each of the package's files the project reads
(generator/drift/pin.py). It is the one place the pin is written; ``make upstream-bump``
moves it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.drift import contract
from generator.errors import SpecError
from generator.reading import pointer as jp
from generator.reading.yaml_source import read_yaml

PROVENANCE_FILE = "provenance.yaml"
DIGEST_LENGTH = 12  # hex digits: plenty to notice a rewording among a few hundred texts
_METADATA = ("source", "api-version", "transcribed")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEADER = """\
# Where spec/openapi.yaml was transcribed from, and what upstream said at the time.
# `make drift` compares upstream with spec/ and reads this file to tell reworded descriptions
# (spec/ condenses them, so only upstream's digests can be compared) and an untouched upstream.
# source is the pin of the npm package (its version and the sha256 of each file read from it),
# moved by `make upstream-bump`; api-version and transcribed are written by hand; the rest is
# computed by
#   python -m generator drift --upstream <full description> --write-provenance
"""


@dataclass(frozen=True)
class Provenance:
    source: Mapping[str, str]  # registry, package, version, file, origin ...
    sha256: Mapping[str, str]  # a file of the package (source.file among them) -> its sha256
    api_version: str
    transcribed: str
    subset_sha256: str  # canonical JSON of the upstream subset, extensions and examples removed
    descriptions: Mapping[str, str]  # JSON pointer of a description -> digest of its text


def digest(text: str) -> str:
    """Short sha256 of ``text`` with its whitespace normalised (a reflow is no rewording)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def description_digests(subset: Mapping[str, Any]) -> dict[str, str]:
    """The digest of every description and summary in ``subset``, by JSON pointer."""
    found = {}
    for where, _, node in contract.objects(subset, "subset"):
        for key in sorted(contract.PROSE):
            if isinstance(node.get(key), str):
                found[jp.join(where, key)] = digest(node[key])
    return dict(sorted(found.items()))


def read_provenance(spec_dir: Path, *, metadata_only: bool = False) -> Provenance:
    """The recorded provenance; with ``metadata_only``, the hand-written part is enough."""
    path = spec_dir / PROVENANCE_FILE
    if not path.is_file():
        raise SpecError(
            "", "missing: record the transcription (see --write-provenance)", source=str(path)
        )
    document, lines = read_yaml(path)

    def fail(where: str, message: str) -> SpecError:
        return SpecError(where, message, source=str(path), line=lines.get(where))

    if not isinstance(document, dict):
        raise fail("", "expected a mapping")
    required = _METADATA if metadata_only else (*_METADATA, "subset-sha256", "descriptions")
    for key in required:
        if key not in document:
            raise fail("", f"missing key {key!r}")
    source = document["source"]
    if not isinstance(source, dict):
        raise fail("/source", "'source' maps names (package, version, file ...) to strings")
    files = source.get("sha256", {})
    if not isinstance(files, dict) or not all(
        isinstance(v, str) and _SHA256.fullmatch(v) for v in files.values()
    ):
        raise fail("/source/sha256", "expected a mapping of the package's files to sha256s in hex")
    source = {key: value for key, value in source.items() if key != "sha256"}
    for key, value in source.items():
        if not isinstance(value, str):
            raise fail(jp.join("/source", key), "'source' maps names to strings")
    subset_sha256 = document.get("subset-sha256", "")
    if not metadata_only and not (isinstance(subset_sha256, str) and len(subset_sha256) == 64):
        raise fail("/subset-sha256", "expected a sha256 in hex")
    descriptions = document.get("descriptions", {})
    if not isinstance(descriptions, dict) or not all(
        isinstance(v, str) for v in descriptions.values()
    ):
        raise fail("/descriptions", "expected a mapping of JSON pointers to digests")
    return Provenance(
        source=source,
        sha256=files,
        api_version=str(document["api-version"]),
        transcribed=str(document["transcribed"]),  # YAML may read an unquoted date as a date
        subset_sha256=str(subset_sha256),
        descriptions=descriptions,
    )


def write_provenance(spec_dir: Path, provenance: Provenance) -> Path:
    path = spec_dir / PROVENANCE_FILE
    lines = [_HEADER.rstrip("\n"), "source:"]
    lines += [f"  {key}: {_quoted(value)}" for key, value in provenance.source.items()]
    if provenance.sha256:
        lines.append("  sha256:")
        lines += [f"    {_quoted(file)}: {_quoted(d)}" for file, d in provenance.sha256.items()]
    lines += [
        f"api-version: {_quoted(provenance.api_version)}",
        f"transcribed: {_quoted(provenance.transcribed)}",
        f"subset-sha256: {_quoted(provenance.subset_sha256)}",
        "descriptions:",
    ]
    # Written by hand rather than by yaml.dump, which turns keys over 128 characters into
    # "? key" entries; a JSON string is a valid YAML scalar and keeps digests from reading
    # as numbers.
    lines += [f"  {_quoted(where)}: {_quoted(d)}" for where, d in provenance.descriptions.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
