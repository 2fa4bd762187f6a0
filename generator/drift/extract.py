"""Cutting the operations a spec holds, and every component they reach, out of a description.

The result (a "subset") is itself a small OpenAPI fragment, ``{servers, paths, components}``,
holding only the contract: vendor extensions and examples are gone, so that the subset of the
full 13 MB description and of the spec can be compared, and hashed, like for like.
``x-github-breaking-changes`` annotations are the one extension worth keeping: they announce
changes, and are returned beside the subset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.drift import contract
from generator.errors import SpecError
from generator.model.resolve import HTTP_METHODS
from generator.reading import pointer as jp

ANNOUNCEMENTS = "x-github-breaking-changes"


@dataclass(frozen=True)
class Location:
    path: str
    method: str

    @property
    def pointer(self) -> str:
        return jp.join("/paths", self.path, self.method)


@dataclass(frozen=True)
class Subset:
    document: dict[str, Any]  # {"servers": [...], "paths": {...}, "components": {...}}
    locations: Mapping[str, Location]  # operationId -> where it is
    announcements: tuple[tuple[str, Any], ...]  # (pointer of the annotated object, annotation)


def operation_ids(document: Mapping[str, Any]) -> list[str]:
    """The operationIds of ``document``, in document order."""
    return [op["operationId"] for _, op in _operations(document) if "operationId" in op]


def extract(document: Mapping[str, Any], ids: Iterable[str], source: str) -> Subset:
    """The operations ``ids`` of ``document`` with the closure of their ``$ref``s."""
    wanted = list(ids)
    found = {op.get("operationId"): loc for loc, op in _operations(document)}
    missing = [op_id for op_id in wanted if op_id not in found]
    if missing:
        raise SpecError("/paths", f"no operation {missing[0]!r} in the description", source=source)
    paths: dict[str, dict[str, Any]] = {}
    raw: dict[str, tuple[Any, str]] = {}  # pointer -> (node as read, kind): for announcements
    for op_id in wanted:
        loc = found[op_id]
        item = document["paths"][loc.path]
        # Only this operation of the path item, with the parameters all its operations share.
        shared = {"parameters": item["parameters"]} if "parameters" in item else {}
        raw[jp.join("/paths", loc.path)] = (shared, "pathItem")
        raw[loc.pointer] = (item[loc.method], "operation")
        stripped = contract.strip({**shared, loc.method: item[loc.method]}, "pathItem")
        paths.setdefault(loc.path, {}).update(stripped)
    subset: dict[str, Any] = {"paths": paths}
    if isinstance(document.get("servers"), list):
        subset["servers"] = contract.strip({"servers": document["servers"]}, "subset")["servers"]
    components: dict[str, dict[str, Any]] = {}
    pending = list(references(paths))
    while pending:
        ref = pending.pop()
        where = _component_pointer(ref, source)
        section, name = jp.split(where)[1:]
        if name in components.get(section, {}):
            continue
        try:
            node = jp.resolve(document, where)
        except KeyError:
            raise SpecError(where, f"{ref} points at nothing", source=source) from None
        kind = contract.COMPONENT_KINDS[section]
        components.setdefault(section, {})[name] = stripped = contract.strip(node, kind)
        raw[where] = (node, kind)
        pending.extend(references(stripped))
    if components:
        subset["components"] = {
            section: dict(sorted(entries.items()))
            for section, entries in sorted(components.items())
        }
    return Subset(
        document=subset,
        locations={op_id: found[op_id] for op_id in wanted},
        announcements=tuple(_announcements(raw)),
    )


def references(node: Any) -> Iterator[str]:
    """Every ``$ref`` inside ``node`` (a stripped node: no examples, so only contract refs)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def _component_pointer(ref: str, source: str) -> str:
    try:
        where = jp.ref_pointer(ref)
    except ValueError as exc:
        raise SpecError("", str(exc), source=source) from None
    tokens = jp.split(where)
    if len(tokens) != 3 or tokens[0] != "components" or tokens[1] not in contract.COMPONENT_KINDS:
        raise SpecError(where, f"{ref} is not a reference to a component", source=source)
    return where


def _operations(document: Mapping[str, Any]) -> Iterator[tuple[Location, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield Location(path, method), item[method]


def _announcements(raw: Mapping[str, tuple[Any, str]]) -> Iterator[tuple[str, Any]]:
    for where, (node, kind) in raw.items():
        for inner, _, obj in contract.objects(node, kind, where):
            if ANNOUNCEMENTS in obj:
                yield inner, obj[ANNOUNCEMENTS]
