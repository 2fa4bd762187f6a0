"""``x-github-breaking-changes``: what GitHub announces for a later API version, in words.

Each annotation lists changesets, each with the API ``version`` it takes effect in and a
``patch`` to the annotated object, written either as a JSON Merge Patch (RFC 7386: ``null``
removes) or as a JSON Patch (RFC 6902: a list of operations). Both are turned into one
finding per effect, such as "API version 2026-03-10 removes pet.nickname".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from generator.drift.difference import ANNOUNCED, Difference, label
from generator.reading import pointer as jp

_VERBS = {"remove": "removes", "add": "adds", "replace": "replaces"}


def announced(
    annotations: tuple[tuple[str, Any], ...],
    subset: Mapping[str, Any],
    relocate: Callable[[str], str],
) -> list[Difference]:
    """One finding per announced effect; ``subset`` gives today's value of what changes."""
    found = []
    for where, annotation in annotations:
        for entry in annotation if isinstance(annotation, list) else [annotation]:
            if not isinstance(entry, dict):
                continue
            version = str(entry.get("version", "(unstated)"))
            changeset = entry.get("changeset")
            for verb, relative, value in _effects(entry.get("patch")):
                target = relocate(where + relative)
                try:
                    current = jp.resolve(subset, target)
                except KeyError:
                    current = None
                if verb == "sets":
                    verb = "adds" if current is None else "changes"
                text = f"API version {version} {verb} {label(target)}"
                if verb != "removes":
                    text += f" (to {value!r})" if verb == "changes" else f" ({value!r})"
                if changeset:
                    text += f" (changeset {changeset})"
                found.append(
                    Difference(
                        kind=f"announced-{verb.rstrip('s')}",
                        category=ANNOUNCED,
                        pointer=target,
                        message=text,
                        old=current,
                        new=value,
                        reason=str(changeset) if changeset else None,
                        api_version=version,
                    )
                )
    return found


def _effects(patch: Any) -> Iterator[tuple[str, str, Any]]:
    """(verb, pointer relative to the annotated object, new value) of each change."""
    if isinstance(patch, list):  # JSON Patch
        for operation in patch:
            if isinstance(operation, dict) and isinstance(operation.get("path"), str):
                verb = _VERBS.get(str(operation.get("op")), str(operation.get("op")))
                yield verb, operation["path"], operation.get("value")
    elif isinstance(patch, dict):  # JSON Merge Patch
        yield from _merge_effects(patch, "")


def _merge_effects(patch: dict[str, Any], where: str) -> Iterator[tuple[str, str, Any]]:
    for key, value in patch.items():
        at = jp.join(where, str(key))
        if value is None:
            yield "removes", at, None
        elif isinstance(value, dict) and value:
            yield from _merge_effects(value, at)
        else:
            yield "sets", at, value
