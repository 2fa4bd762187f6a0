"""The contract part of an OpenAPI 3.0 description, told apart from everything around it.

Whether a key is a vendor extension, an example or prose depends on where it stands: ``x-foo``
is an extension on an Operation but a property name inside ``properties``, and
``description`` is prose on a Schema but may also be the name of a property. A small grammar
of the OpenAPI objects says which fields hold which objects, so that every key is judged in
its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.model.resolve import HTTP_METHODS
from generator.reading import pointer as jp

EXAMPLES = frozenset({"example", "examples"})
PROSE = frozenset({"description", "summary"})

# kind -> field -> (shape, kind of the value). Shapes: "one" (an object), "map" (names -> objects),
# "list" (objects). Fields not listed hold plain values (strings, enum members, defaults ...).
_OPERATION = {
    "parameters": ("list", "parameter"),
    "requestBody": ("one", "requestBody"),
    "responses": ("map", "response"),
    "callbacks": ("map", "callback"),
    "externalDocs": ("one", "externalDocs"),
    "servers": ("list", "server"),
}
GRAMMAR: dict[str, dict[str, tuple[str, str]]] = {
    "subset": {
        "servers": ("list", "server"),
        "paths": ("map", "pathItem"),
        "components": ("one", "components"),
    },
    "pathItem": {
        "parameters": ("list", "parameter"),
        "servers": ("list", "server"),
        **dict.fromkeys(HTTP_METHODS, ("one", "operation")),
    },
    "callback": {},  # runtime expressions -> path items; see _children
    "operation": _OPERATION,
    "parameter": {"schema": ("one", "schema"), "content": ("map", "mediaType")},
    "header": {"schema": ("one", "schema"), "content": ("map", "mediaType")},
    "requestBody": {"content": ("map", "mediaType")},
    "response": {
        "headers": ("map", "header"),
        "content": ("map", "mediaType"),
        "links": ("map", "link"),
    },
    "mediaType": {"schema": ("one", "schema"), "encoding": ("map", "encoding")},
    "encoding": {"headers": ("map", "header")},
    "schema": {
        "properties": ("map", "schema"),
        "items": ("one", "schema"),
        "additionalProperties": ("one", "schema"),
        "not": ("one", "schema"),
        "allOf": ("list", "schema"),
        "oneOf": ("list", "schema"),
        "anyOf": ("list", "schema"),
        "externalDocs": ("one", "externalDocs"),
        "discriminator": ("one", "discriminator"),
        "xml": ("one", "xml"),
    },
    "components": {
        "schemas": ("map", "schema"),
        "responses": ("map", "response"),
        "parameters": ("map", "parameter"),
        "requestBodies": ("map", "requestBody"),
        "headers": ("map", "header"),
        "securitySchemes": ("map", "securityScheme"),
        "links": ("map", "link"),
        "callbacks": ("map", "callback"),
    },
    "server": {"variables": ("map", "serverVariable")},
    "serverVariable": {},
    "externalDocs": {},
    "discriminator": {},
    "xml": {},
    "link": {"server": ("one", "server")},
    "securityScheme": {},
}

# The kind of object each component section holds.
COMPONENT_KINDS = {section: kind for section, (_, kind) in GRAMMAR["components"].items()}


def _children(kind: str, node: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any, str]]:
    """(tokens from ``node``, child, child kind) of every object directly inside ``node``."""
    if kind == "callback":  # runtime expression -> path item
        for expression, item in node.items():
            if isinstance(item, dict) and not expression.startswith("x-"):
                yield (expression,), item, "pathItem"
        return
    for field, (shape, child_kind) in GRAMMAR[kind].items():
        value = node.get(field)
        if shape == "one" and isinstance(value, dict):
            yield (field,), value, child_kind
        elif shape == "map" and isinstance(value, dict):
            for name, child in value.items():
                if isinstance(child, dict):
                    yield (field, name), child, child_kind
        elif shape == "list" and isinstance(value, list):
            for index, child in enumerate(value):
                if isinstance(child, dict):
                    yield (field, index), child, child_kind


def objects(node: Any, kind: str, where: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(pointer, kind, object) of ``node`` and every OpenAPI object inside it, depth first.

    A Reference Object (``{"$ref": ...}``) is yielded but not followed.
    """
    if not isinstance(node, dict):
        return
    yield where, kind, node
    if "$ref" in node:
        return
    for tokens, child, child_kind in _children(kind, node):
        yield from objects(child, child_kind, jp.join(where, *tokens))


def strip(node: Any, kind: str, drop: frozenset[str] = EXAMPLES) -> Any:
    """A copy of ``node`` without vendor extensions and without the fields named in ``drop``.

    Names (of properties, status codes, content types ...) are kept, whatever they look like.
    """
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return {"$ref": node["$ref"]}  # OpenAPI 3.0 ignores the siblings of a $ref
    grammar = GRAMMAR[kind]
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-") or key in drop:
            continue
        shape, child_kind = (
            ("one", "pathItem") if kind == "callback" else grammar.get(key, ("", ""))
        )
        if shape == "one" and isinstance(value, dict):
            result[key] = strip(value, child_kind, drop)
        elif shape == "map" and isinstance(value, dict):
            # str(): YAML reads an unquoted status code such as 201 as a number
            result[key] = {str(name): strip(item, child_kind, drop) for name, item in value.items()}
        elif shape == "list" and isinstance(value, list):
            result[key] = [strip(item, child_kind, drop) for item in value]
        else:
            result[key] = value
    return result
