"""``allOf`` as one schema: the parts merged, keyword by keyword, into a single object.

datamodel-code-generator renders ``allOf: [A, {extra}]`` as a class that inherits from ``A``;
the models here are flat dataclasses with their own decoders, so the parts are merged into one
schema instead (what every part requires, every part's properties), which then becomes one
model. The same merge puts an object's own keywords into each alternative of its ``oneOf``
(``base and (x or y)`` is ``(base and x) or (base and y)``).

A merged schema is a new node that is not in the document; where each of its parts came from
is kept under ``ORIGIN``, so that a property keeps the JSON pointer (and so the name, the
line in errors, and the identity) of the place that defines it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generator.reading import pointer as jp

# Key of a merged node: (keyword, property) -> the pointer of that child in the document.
ORIGIN = "\x00origin"

# Keywords that give a schema a shape; a oneOf alternative with none of them only constrains
# its parent (``oneOf: [{required: [a]}, {required: [b]}]``).
SHAPE_KEYWORDS = frozenset(
    {"type", "properties", "items", "additionalProperties", "enum", "oneOf", "anyOf", "allOf"}
)
UNIONS = ("oneOf", "anyOf")

Follow = Callable[[Any, str], tuple[str, Mapping[str, Any]]]
Fail = Callable[[str, str], Exception]


def child(node: Mapping[str, Any], where: str, *tokens: str | int) -> str:
    """The pointer of ``node``'s child at ``tokens``, wherever a merge took it from."""
    origin = node.get(ORIGIN)
    if origin is not None and tokens[:2] in origin:
        return jp.join(origin[tokens[:2]], *tokens[2:])
    if origin is not None and tokens[:1] in origin:
        return jp.join(origin[tokens[:1]], *tokens[1:])
    return jp.join(where, *tokens)


def shapeless(node: Mapping[str, Any]) -> bool:
    """Whether ``node`` only constrains (required, descriptions) and describes no shape."""
    return not any(key in node for key in SHAPE_KEYWORDS) and "$ref" not in node


def has_object_keywords(node: Mapping[str, Any]) -> bool:
    return any(key in node for key in ("properties", "required", "additionalProperties"))


def flatten(
    node: Mapping[str, Any], where: str, follow: Follow, fail: Fail, seen: frozenset[str]
) -> list[tuple[Mapping[str, Any], str]]:
    """The parts of an ``allOf`` (references followed, nested ``allOf`` flattened), in order."""
    parts: list[tuple[Mapping[str, Any], str]] = []
    for index, part in enumerate(node["allOf"]):
        part_where, part_node = follow(part, child(node, where, "allOf", index))
        referred = isinstance(part, dict) and "$ref" in part
        if referred and part_where in seen:
            raise fail(part_where, "this allOf includes itself")
        if "allOf" in part_node:
            parts.append(({k: v for k, v in part_node.items() if k != "allOf"}, part_where))
            parts.extend(flatten(part_node, part_where, follow, fail, seen | {part_where}))
        else:
            parts.append((part_node, part_where))
    return parts


def merge(parts: list[tuple[Mapping[str, Any], str]], where: str, fail: Fail) -> dict[str, Any]:
    """One schema holding what every part says; ``where`` names it in errors."""
    merged: dict[str, Any] = {}
    origin: dict[tuple[str | int, ...], str] = {}
    definitions: dict[str, list[tuple[Any, str]]] = {}
    required: list[str] = []
    unions = [(n, w) for n, w in parts if any(k in n for k in UNIONS)]
    if len(unions) > 1:
        raise fail(where, "only one part of an allOf may be a oneOf or anyOf")
    for node, node_where in parts:
        kind = node.get("type")
        if kind is not None:
            known = merged.get("type")
            if known is None or (known, kind) == ("number", "integer"):
                merged["type"] = kind
            elif known != kind and (known, kind) != ("integer", "number"):
                raise fail(where, f"the parts of this allOf disagree: {known!r} and {kind!r}")
        for key, value in node.get("properties", {}).items():
            definitions.setdefault(key, []).append(
                (value, child(node, node_where, "properties", key))
            )
        for key in node.get("required", []):
            if key not in required:
                required.append(key)
        extra = node.get("additionalProperties")
        if (
            extra is not None
            and extra is not False
            and merged.get("additionalProperties")
            in (
                None,
                False,
                True,
            )
        ):
            merged["additionalProperties"] = extra
            origin[("additionalProperties",)] = child(node, node_where, "additionalProperties")
        elif extra is False and "additionalProperties" not in merged:
            merged["additionalProperties"] = False
        if node.get("nullable") is True:
            merged["nullable"] = True
        if "enum" in node:
            known_values = merged.get("enum", node["enum"])
            merged["enum"] = [v for v in known_values if v in node["enum"]]
        if "items" in node:
            items_where = child(node, node_where, "items")
            if "items" in merged:
                merged["items"] = {"allOf": [merged["items"], node["items"]]}
                merged["items"][ORIGIN] = {
                    ("allOf", 0): origin[("items",)],
                    ("allOf", 1): items_where,
                }
                origin[("items",)] = child(node, where, "items")
            else:
                merged["items"] = node["items"]
                origin[("items",)] = items_where
        for key in ("format", "minimum", "maximum", "minLength", "maxLength", "default"):
            if key in node and key not in merged:
                merged[key] = node[key]
        for key in ("description", "title", "discriminator"):
            if key in node and key not in merged:
                merged[key] = node[key]
    if unions:
        node, node_where = unions[0]
        keyword = next(k for k in UNIONS if k in node)
        merged[keyword] = node[keyword]
        for index in range(len(node[keyword])):
            origin[(keyword, index)] = child(node, node_where, keyword, index)
    properties: dict[str, Any] = {}
    for key, found in definitions.items():
        if len(found) == 1:
            properties[key], origin[("properties", key)] = found[0]
        else:
            # Several parts define it: the property is what all of them say at once.
            properties[key] = {
                "allOf": [value for value, _ in found],
                ORIGIN: {("allOf", i): w for i, (_, w) in enumerate(found)},
            }
            origin[("properties", key)] = jp.join(where, "properties", key)
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    merged[ORIGIN] = origin
    return merged
