"""``make drift``: how GitHub's published description differs from spec/, for a client.

The operations spec/ holds are cut out of upstream's full description with every component
they reach (generator/drift/extract.py), moved to where spec/ has them, and compared with spec/
semantically (generator/drift/compare/). Descriptions are compared by digest against
spec/provenance.yaml, patches (spec/patches.yaml) are shown as patched, and upstream's
``x-github-breaking-changes`` annotations as what they announce.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.drift import contract
from generator.drift.announcements import announced
from generator.drift.compare import compare
from generator.drift.difference import (
    ADDITIVE,
    BREAKING,
    CATEGORIES,
    DRIFT,
    PATCHED,
    Difference,
    label,
)
from generator.drift.extract import Location, Subset, extract, operation_ids
from generator.drift.provenance import (
    Provenance,
    description_digests,
    read_provenance,
    write_provenance,
)
from generator.drift.upstream import Description, read_description
from generator.errors import SpecError
from generator.reading import pointer as jp
from generator.reading.loader import Spec, canonical_sha256, load_spec, validate_structure
from generator.reading.patches import Patch


@dataclass(frozen=True)
class Placement:
    """Where an operation is in spec/ and upstream."""

    operation_id: str
    spec: Location
    upstream: Location


@dataclass(frozen=True)
class DriftReport:
    spec_dir: Path
    upstream: Description
    operations: tuple[Placement, ...]
    provenance: Provenance
    subset_sha256: str  # of upstream's subset now
    differences: tuple[Difference, ...]

    @property
    def unchanged(self) -> bool:
        """Whether upstream's subset is exactly what spec/ was transcribed from."""
        return self.subset_sha256 == self.provenance.subset_sha256

    @property
    def drifted(self) -> bool:
        return any(d.category in DRIFT for d in self.differences)

    def count(self, category: str) -> int:
        return sum(d.category == category for d in self.differences)


@dataclass(frozen=True)
class _Sides:
    spec: Spec
    upstream: Description
    ours: Subset
    theirs: Subset
    aligned: dict[str, Any]  # upstream's subset, its operations moved to where spec/ has them
    relocate: Callable[[str], str]  # a pointer into upstream's subset -> into ``aligned``


def drift(spec_dir: Path, source: str) -> DriftReport:
    provenance = read_provenance(spec_dir)
    sides = _read_sides(spec_dir, source)
    subset_sha256 = canonical_sha256(sides.theirs.document)
    found = list(_moves(sides))
    skip: dict[str, frozenset[str]] = {}
    for patch in sides.spec.patches:
        skip[patch.target] = skip.get(patch.target, frozenset()) | frozenset(patch.values)
    found += compare(
        contract.strip(sides.ours.document, "subset", contract.PROSE),
        contract.strip(sides.aligned, "subset", contract.PROSE),
        skip,
    )
    found += _patch_findings(sides.spec.patches, sides.aligned)
    if subset_sha256 != provenance.subset_sha256:  # otherwise no description can differ
        found += _description_changes(provenance.descriptions, sides)
    found += announced(sides.theirs.announcements, sides.aligned, sides.relocate)
    order = {category: index for index, category in enumerate(CATEGORIES)}
    found.sort(key=lambda d: (order[d.category], d.pointer, d.kind, repr(d.new)))
    return DriftReport(
        spec_dir=spec_dir,
        upstream=sides.upstream,
        operations=tuple(
            Placement(op_id, where, sides.theirs.locations[op_id])
            for op_id, where in sides.ours.locations.items()
        ),
        provenance=provenance,
        subset_sha256=subset_sha256,
        differences=tuple(found),
    )


def record_provenance(
    spec_dir: Path,
    source: str,
    transcribed: str | None,
    *,
    pin: tuple[Mapping[str, str], Mapping[str, str]] | None = None,
) -> Provenance:
    """Recompute spec/provenance.yaml from upstream ``source``, keeping its hand-written part
    (and its pin, unless ``pin`` gives another: the ``source`` block and the files' sha256)."""
    recorded = read_provenance(spec_dir, metadata_only=True)
    pinned_source, pinned_sha256 = pin or (recorded.source, recorded.sha256)
    if transcribed is not None:
        try:
            date.fromisoformat(transcribed)
        except ValueError:
            raise SpecError(
                "/transcribed", f"{transcribed!r} is not a date (YYYY-MM-DD)", source=str(spec_dir)
            ) from None
    sides = _read_sides(spec_dir, source)
    provenance = Provenance(
        source=pinned_source,
        sha256=pinned_sha256,
        api_version=recorded.api_version,
        transcribed=transcribed or recorded.transcribed,
        subset_sha256=canonical_sha256(sides.theirs.document),
        descriptions=description_digests(sides.aligned),
    )
    write_provenance(spec_dir, provenance)
    return provenance


def _read_sides(spec_dir: Path, source: str) -> _Sides:
    spec = load_spec(spec_dir)
    ids = operation_ids(spec.document)
    ours = extract(spec.document, ids, str(spec.path))
    upstream = read_description(source)
    theirs = extract(upstream.document, ids, source)
    _validate(theirs.document, source)
    aligned, relocate = _align(theirs, ours)
    return _Sides(spec, upstream, ours, theirs, aligned, relocate)


def _validate(subset: Mapping[str, Any], source: str) -> None:
    """Check upstream's subset against the OpenAPI 3.0 schema, as spec/ is checked."""
    document = {"openapi": "3.0.3", "info": {"title": "subset", "version": "0"}, **subset}
    try:
        validate_structure(Spec(path=Path(source), document=document, patches=(), lines={}))
    except SpecError as exc:
        raise SpecError(exc.pointer, exc.message, source=source) from None


def _align(theirs: Subset, ours: Subset) -> tuple[dict[str, Any], Callable[[str], str]]:
    """Upstream's subset with each operation where spec/ has it, and the pointer mapping."""
    moves: dict[str, str] = {}
    paths: dict[str, dict[str, Any]] = {}
    for op_id, mine in ours.locations.items():
        there = theirs.locations[op_id]
        item = theirs.document["paths"][there.path]
        target = paths.setdefault(mine.path, {})
        target[mine.method] = item[there.method]
        moves[there.pointer] = mine.pointer
        if "parameters" in item:
            target["parameters"] = item["parameters"]
            moves[jp.join("/paths", there.path, "parameters")] = jp.join(
                "/paths", mine.path, "parameters"
            )

    def relocate(where: str) -> str:
        for old, new in moves.items():
            if where == old or where.startswith(old + "/"):
                return new + where[len(old) :]
        return where

    return {**theirs.document, "paths": paths}, relocate


def _moves(sides: _Sides) -> Iterator[Difference]:
    for op_id, mine in sides.ours.locations.items():
        there = sides.theirs.locations[op_id]
        if there.path != mine.path:
            yield Difference(
                "path-changed",
                BREAKING,
                mine.pointer,
                f"{op_id}: path {mine.path} is now {there.path}",
                mine.path,
                there.path,
            )
        if there.method != mine.method:
            yield Difference(
                "method-changed",
                BREAKING,
                mine.pointer,
                f"{op_id}: method {mine.method.upper()} is now {there.method.upper()}",
                mine.method,
                there.method,
            )


def _patch_findings(patches: tuple[Patch, ...], aligned: Mapping[str, Any]) -> Iterator[Difference]:
    """A patch is "patched" while upstream still lacks what it adds."""
    for patch in patches:
        try:
            node = jp.resolve(aligned, patch.target)
        except KeyError:
            node = {}
        stated = {key: node[key] for key in patch.values if isinstance(node, dict) and key in node}
        values = ", ".join(f"{key}: {value!r}" for key, value in patch.values.items())
        name = label(patch.target)
        contradicted = {key for key, value in stated.items() if value != patch.values[key]}
        if contradicted:
            kind, category = "patch-contradicted", BREAKING
            message = f"{name}: upstream states {stated!r} where spec/patches.yaml sets {values}"
        elif stated:
            kind, category = "patch-upstreamed", ADDITIVE
            message = f"{name}: upstream now states {values} itself; the patch can go"
        else:
            kind, category = "patched", PATCHED
            message = f"{name}: spec/patches.yaml sets {values}"
        yield Difference(
            kind,
            category,
            patch.target,
            message,
            dict(patch.values),
            stated or None,
            reason=patch.reason,
        )


def _description_changes(recorded: Mapping[str, str], sides: _Sides) -> Iterator[Difference]:
    """Upstream's descriptions whose digest differs from the one recorded at transcription.

    A description of an object that spec/ or upstream does not have is left out: the object's
    removal or addition is the finding; so is one of an object that was, or becomes, a ``$ref``
    (which has no description of its own): the reference's change is the finding.
    """
    current = description_digests(sides.aligned)
    for where in sorted(set(recorded) | set(current)):
        old, new = recorded.get(where), current.get(where)
        parent, key = where.rsplit("/", 1)
        if old == new or not (
            _described(sides.ours.document, parent) and _described(sides.aligned, parent)
        ):
            continue
        text = jp.resolve(sides.aligned, where) if new is not None else None
        if old is None:
            kind, verb = "description-added", "adds"
        elif new is None:
            kind, verb = "description-removed", "removes"
        else:
            kind, verb = "description-changed", "rewords"
        yield Difference(
            kind, ADDITIVE, where, f"upstream {verb} the {key} of {label(parent)}", old, text
        )


def _described(document: Mapping[str, Any], where: str) -> bool:
    """Whether ``document`` has an object at ``where`` that may have a description."""
    try:
        node = jp.resolve(document, where)
    except KeyError:
        return False
    return isinstance(node, dict) and "$ref" not in node
