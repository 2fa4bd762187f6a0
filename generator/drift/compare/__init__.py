"""The semantic comparison of two subsets (spec/ and upstream), for a client of the API.

What a difference means depends on the direction data flows: a property that becomes
nullable breaks a client that reads it, but not one that sends it; a property that becomes
required breaks a client that sends it, but not one that reads it. Every schema is compared
with the directions it is used in (a component used both ways gets the stricter verdict), and
each component is compared once, at its own pointer, however often it is referenced.

Both subsets are expected without prose (descriptions are compared by digest elsewhere) and
with upstream's operations moved to where the spec has them (a moved operation is reported by
the caller).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generator.drift.compare.base import BOTH, Directions, directions
from generator.drift.compare.operations import OperationRules
from generator.drift.difference import Difference
from generator.model.resolve import HTTP_METHODS
from generator.reading import pointer as jp

__all__ = ["BOTH", "Directions", "compare", "directions"]


def compare(
    ours: Mapping[str, Any], theirs: Mapping[str, Any], skip: Mapping[str, frozenset[str]]
) -> list[Difference]:
    """Every difference between two aligned, prose-free subsets.

    ``skip`` names keywords not to compare (pointer -> keys): those spec/patches.yaml sets.
    """
    return _Comparison(ours, theirs, skip).run()


class _Comparison(OperationRules):
    """One comparison: the operations of the spec, then every component both sides have."""

    def run(self) -> list[Difference]:
        self.servers(self.ours.get("servers", []), self.theirs.get("servers", []))
        for path, item in self.ours.get("paths", {}).items():
            other = self.theirs["paths"][path]
            where = jp.join("/paths", path)
            if "parameters" in item or "parameters" in other:
                self.parameters(
                    jp.join(where, "parameters"), item.get("parameters"), other.get("parameters")
                )
            for method in HTTP_METHODS:
                if method in item:
                    self.operation(jp.join(where, method), item[method], other[method])
        compare_component: dict[str, Callable[[str, Any, Any], None]] = {
            "schemas": lambda where, a, b: self.schema(where, a, b, self.uses.get(where, BOTH)),
            "responses": lambda where, a, b: self.pair(where, a, b, self.response),
            "parameters": lambda where, a, b: self.pair(where, a, b, self.parameter),
            "requestBodies": lambda where, a, b: self.pair(where, a, b, self.request_body),
            "headers": lambda where, a, b: self.pair(where, a, b, self.header),
        }
        theirs_components = self.theirs.get("components", {})
        for section, entries in self.ours.get("components", {}).items():
            for name, node in entries.items():
                if name not in theirs_components.get(section, {}):
                    continue  # no longer referenced upstream: the reference's change is reported
                where = jp.join("/components", section, name)
                other = theirs_components[section][name]
                if section in compare_component:
                    compare_component[section](where, node, other)
                elif node != other:
                    self.unclassified(where, node, other)
        return self.found
