"""What every comparison rule shares: the findings, references, and direction of data.

A ``$ref`` on both sides to the same component is not followed: the component is compared once,
at its own pointer, with the directions (request, response) data flows through it anywhere in
the subset, as :func:`directions` finds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generator.drift.difference import ADDITIVE, BREAKING, REQUEST, RESPONSE, Difference, label
from generator.drift.extract import references
from generator.model.resolve import HTTP_METHODS
from generator.reading import pointer as jp

Directions = frozenset[str]
BOTH: Directions = frozenset({REQUEST, RESPONSE})
REQUEST_ONLY: Directions = frozenset({REQUEST})
RESPONSE_ONLY: Directions = frozenset({RESPONSE})


def directions(subset: Mapping[str, Any]) -> dict[str, Directions]:
    """Component pointer -> the directions (request, response) data through it flows."""
    found: dict[str, set[str]] = {}

    def visit(node: Any, direction: str) -> None:
        for ref in references(node):
            where = ref.removeprefix("#")
            if direction in found.setdefault(where, set()):
                continue
            found[where].add(direction)
            try:
                visit(jp.resolve(subset, where), direction)
            except KeyError:
                continue  # a dangling reference is the extractor's to report

    for item in subset.get("paths", {}).values():
        visit(item.get("parameters"), REQUEST)
        for method in HTTP_METHODS:
            operation = item.get(method, {})
            visit([operation.get("parameters"), operation.get("requestBody")], REQUEST)
            visit(operation.get("responses"), RESPONSE)
    return {where: frozenset(used) for where, used in found.items()}


def deref(document: Mapping[str, Any], node: Any, where: str) -> tuple[Any, str]:
    """Follow ``$ref``s to the object they name, and its pointer."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and where not in seen:
        seen.add(where)
        where = node["$ref"].removeprefix("#")
        try:
            node = jp.resolve(document, where)
        except KeyError:
            return {}, where
    return node, where


class Rules:
    """The comparison's state, and the rules every kind of object uses."""

    def __init__(
        self, ours: Mapping[str, Any], theirs: Mapping[str, Any], skip: Mapping[str, frozenset[str]]
    ):
        self.ours = ours
        self.theirs = theirs
        self.skip = skip
        self.found: list[Difference] = []
        self.compared: set[tuple[str, str]] = set()
        self.uses: dict[str, Directions] = directions(ours)
        for where, used in directions(theirs).items():
            self.uses[where] = self.uses.get(where, frozenset()) | used

    def add(
        self,
        kind: str,
        breaking: bool,
        where: str,
        message: str,
        old: Any = None,
        new: Any = None,
        tolerated: bool | None = None,
    ) -> None:
        category = BREAKING if breaking else ADDITIVE
        self.found.append(Difference(kind, category, where, message, old, new, tolerated))

    # -- references -------------------------------------------------------------------------

    def pair(self, where: str, a: Any, b: Any, compare: Callable[..., None], *args: Any) -> None:
        """Compare two objects either of which may be a ``$ref``."""
        ref_a, ref_b = a.get("$ref"), b.get("$ref")
        if ref_a is not None and ref_a == ref_b:
            return  # the component is compared once, at its own pointer
        if ref_a != ref_b:
            target = f"now refers to {ref_b}" if ref_b else "is now written inline"
            self.add(
                "reference-changed",
                False,
                where,
                f"{label(where)} {target} (a generated class may be renamed on regeneration)",
                ref_a,
                ref_b,
            )
        node_a, where_a = deref(self.ours, a, where)
        node_b, where_b = deref(self.theirs, b, where)
        if (where_a, where_b) in self.compared:
            return  # a recursive schema, or two references to the same pair
        self.compared.add((where_a, where_b))
        compare(where_a, node_a, node_b, *args)

    # -- shared ------------------------------------------------------------------------------

    def required_flag(
        self, where: str, a: dict[str, Any], b: dict[str, Any], used: Directions
    ) -> None:
        was, now = bool(a.get("required")), bool(b.get("required"))
        if now and not was:
            self.add(
                "made-required",
                REQUEST in used,
                where,
                f"{label(where)} is now required",
                False,
                True,
            )
        elif was and not now:
            self.add(
                "made-optional",
                RESPONSE in used,
                where,
                f"{label(where)} is no longer required",
                True,
                False,
            )

    def deprecated(self, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        was, now = bool(a.get("deprecated")), bool(b.get("deprecated"))
        if was != now:
            text = "is now deprecated" if now else "is no longer deprecated"
            self.add(
                "deprecated" if now else "undeprecated",
                False,
                where,
                f"{label(where)} {text}",
                was,
                now,
            )

    def rest(
        self, where: str, a: dict[str, Any], b: dict[str, Any], handled: set[str] | frozenset[str]
    ) -> None:
        for key in sorted((set(a) | set(b)) - handled):
            if a.get(key) != b.get(key):
                self.unclassified(jp.join(where, key), a.get(key), b.get(key))

    def unclassified(self, where: str, a: Any, b: Any) -> None:
        # Conservatively breaking: a change this tool does not understand deserves a look.
        self.add("unclassified-change", True, where, f"{label(where)} changed", a, b)


def pair_of(a: Mapping[str, Any], b: Mapping[str, Any], key: str) -> tuple[Any, Any]:
    return a.get(key), b.get(key)
