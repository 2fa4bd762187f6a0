"""Deliberate, documented departures from the upstream description.

``spec/openapi.yaml`` says what GitHub publishes; ``spec/patches.yaml`` says where this project
knowingly says more (a bound GitHub states only in prose, say), and why. Keeping the two apart
lets the drift report show a patch as "patched" rather than as drift.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import SpecError
from generator.reading import pointer as jp
from generator.reading.yaml_source import read_yaml


@dataclass(frozen=True)
class Patch:
    """Set ``values`` on the object at ``target`` (a JSON pointer into openapi.yaml)."""

    target: str
    values: Mapping[str, Any]
    reason: str


def read_patches(path: Path) -> tuple[Patch, ...]:
    document, lines = read_yaml(path)

    def fail(where: str, message: str) -> SpecError:
        return SpecError(where, message, source=str(path), line=lines.get(where))

    if not isinstance(document, dict) or not isinstance(document.get("patches"), list):
        raise fail("", "expected a mapping with a 'patches' list")
    patches = []
    for index, entry in enumerate(document["patches"]):
        where = jp.join("/patches", index)
        if not isinstance(entry, dict) or set(entry) != {"target", "set", "reason"}:
            raise fail(where, "each patch has exactly the keys 'target', 'set' and 'reason'")
        target, values, reason = entry["target"], entry["set"], entry["reason"]
        if not isinstance(target, str) or not target.startswith("/"):
            raise fail(
                jp.join(where, "target"), "'target' must be a JSON pointer such as /components/..."
            )
        if not isinstance(values, dict) or not values:
            raise fail(jp.join(where, "set"), "'set' must be a non-empty mapping")
        if not isinstance(reason, str) or not reason.strip():
            raise fail(jp.join(where, "reason"), "every patch states its reason")
        patches.append(Patch(target=target, values=values, reason=reason.strip()))
    return tuple(patches)


def apply_patches(
    document: Mapping[str, Any], patches: tuple[Patch, ...], source: Path
) -> dict[str, Any]:
    """A patched copy of ``document``; the original is left untouched."""
    patched = copy.deepcopy(dict(document))
    for index, patch in enumerate(patches):
        where = jp.join("/patches", index, "target")
        try:
            node = jp.resolve(patched, patch.target)
        except (KeyError, ValueError):
            raise SpecError(
                where, f"the patch target {patch.target} is not in the spec", source=str(source)
            ) from None
        if not isinstance(node, dict):
            raise SpecError(
                where, f"the patch target {patch.target} is not an object", source=str(source)
            )
        for key, value in patch.values.items():
            if key in node:
                raise SpecError(
                    where,
                    f"{patch.target} already has {key!r}; a patch only adds what the spec lacks",
                    source=str(source),
                )
            node[key] = copy.deepcopy(value)
    return patched
