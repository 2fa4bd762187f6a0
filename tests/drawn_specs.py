"""Hypothesis strategies of whole OpenAPI 3.0 documents, for the property tests of the generator.

They draw what real descriptions hold and what they should not: every schema construct
(objects, maps, arrays, enums of strings, integers and both, ``oneOf`` / ``anyOf`` with and
without a discriminator, ``allOf``, ``nullable``), references between components in any
direction (so recursion, and reference cycles the generator must refuse), deep nesting,
empty objects, and names that are reserved words, unicode, signs, or that differ only in
their spelling (``fooBar``, ``foo_bar``, ``foo-bar``).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

PROPERTY_NAMES = [
    "id", "name", "kind", "class", "from", "self", "type", "list", "date", "str", "field",
    "from_dict", "to_dict", "additional_properties", "None", "True", "__init__", "", "1st",
    "+1", "-1", "@type", "$ref", "fooBar", "foo_bar", "foo-bar", "FooBar", "naïve", "汉字",
    "ключ", "a b", "x.y", "UNSET", "Unset", "Any", "value", "ﬁeld",
]  # fmt: skip
# Component keys must match ^[a-zA-Z0-9.\-_]+$; these clash once made class names.
COMPONENT_NAMES = [
    "pet", "Pet", "pet-x", "pet_x", "PetX", "nullable-pet", "any", "Any", "enum", "Enum",
    "list", "Client", "NotFoundError", "a1", "1a", "x.y", "Unset", "Mapping", "pet-item",
]  # fmt: skip
STRING_VALUES = ["a", "A", "a-b", "a_b", "", "1", "+1", "-1", "with space", "naïve", "None", "_"]
INTEGER_VALUES = [-1, 0, 1, 2, 10**12]
OPERATION_IDS = [
    "pets/get", "pets/get-one", "pets/getOne", "get-one", "default/list", "Ω/ω", "a/b/c",
    "pets/class", "pets/from", "pets/list-all",
]  # fmt: skip
FORMATS = [None, "date-time", "date", "uri", "int64", "binary", "email"]


def _ref(key: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{key}"}


def _maybe_nullable(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    if draw(st.booleans()) and draw(st.booleans()):
        return {**schema, "nullable": True}
    return schema


@st.composite
def _leaf(draw: st.DrawFn, refs: list[str]) -> dict[str, Any]:
    choices = ["string", "integer", "number", "boolean", "any", "enum"]
    if refs:
        choices += ["ref", "ref"]
    choice = draw(st.sampled_from(choices))
    if choice == "ref":
        return _ref(draw(st.sampled_from(refs)))
    if choice == "any":
        return {}
    if choice == "enum":
        values = draw(
            st.one_of(
                st.lists(st.sampled_from(STRING_VALUES), min_size=1, max_size=4),
                st.lists(st.sampled_from(INTEGER_VALUES), min_size=1, max_size=3),
                st.lists(st.sampled_from([*STRING_VALUES, *INTEGER_VALUES, None]), min_size=1),
            )
        )
        kinds = {type(v) for v in values if v is not None}
        schema: dict[str, Any] = {"enum": values}
        if kinds == {str}:
            schema["type"] = "string"
        elif kinds == {int} and draw(st.booleans()):
            schema["type"] = "integer"
        return schema
    schema = {"type": choice}
    if choice == "string":
        fmt = draw(st.sampled_from(FORMATS))
        if fmt is not None:
            schema["format"] = fmt
        if draw(st.booleans()):
            schema["maxLength"] = draw(st.integers(0, 5))
    elif choice in ("integer", "number") and draw(st.booleans()):
        schema["minimum"] = draw(st.integers(-3, 3))
    return _maybe_nullable(draw, schema)


@st.composite
def schemas(draw: st.DrawFn, refs: list[str], depth: int) -> dict[str, Any]:
    """One schema, nested at most ``depth`` deep, that may refer to the components ``refs``."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(_leaf(refs))
    child = schemas(refs, depth - 1)
    kind = draw(st.sampled_from(["object", "object", "array", "map", "union", "allOf", "deep"]))
    if kind == "deep":  # a long chain of single-property objects
        schema = draw(_leaf(refs))
        for level in range(draw(st.integers(5, 30))):
            schema = {"type": "object", "properties": {f"level{level}": schema}}
        return schema
    if kind == "object":
        keys: list[str] = draw(st.lists(st.sampled_from(PROPERTY_NAMES), max_size=5, unique=True))
        schema = {"type": "object", "properties": {k: draw(child) for k in keys}}
        if draw(st.booleans()) and keys:
            schema["required"] = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
        extra = draw(st.sampled_from([None, None, True, False, "schema"]))
        if extra == "schema":
            schema["additionalProperties"] = draw(child)
        elif extra is not None:
            schema["additionalProperties"] = extra
        if not keys and draw(st.booleans()):
            del schema["properties"]  # the empty object, or a free-form one
        return _maybe_nullable(draw, schema)
    if kind == "array":
        return _maybe_nullable(draw, {"type": "array", "items": draw(child)})
    if kind == "map":
        return {"type": "object", "additionalProperties": draw(child)}
    if kind == "allOf":
        parts = draw(st.lists(st.one_of(_leaf(refs), child), min_size=1, max_size=3))
        return _maybe_nullable(draw, {"allOf": parts})
    keyword = draw(st.sampled_from(["oneOf", "anyOf"]))
    if draw(st.booleans()) and refs:
        targets: list[str] = draw(
            st.lists(st.sampled_from(refs), min_size=1, max_size=3, unique=True)
        )
        schema = {keyword: [_ref(k) for k in targets]}
        if draw(st.booleans()):
            mapping = {
                draw(st.sampled_from(STRING_VALUES)) or "x": _ref(k)["$ref"] for k in targets
            }
            schema["discriminator"] = {"propertyName": "kind", "mapping": mapping}
        return schema
    alternatives: list[dict[str, Any]] = draw(st.lists(child, min_size=1, max_size=3))
    if draw(st.booleans()):  # alternatives that only require properties of their object
        required: list[str] = draw(
            st.lists(st.sampled_from(PROPERTY_NAMES), min_size=1, max_size=3, unique=True)
        )
        return {
            "type": "object",
            "properties": {k: draw(_leaf(refs)) for k in required},
            keyword: [{"required": [k]} for k in required],
        }
    return _maybe_nullable(draw, {keyword: alternatives})


@st.composite
def _operation(draw: st.DrawFn, refs: list[str], operation_id: str) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "responses": {}}
    if draw(st.booleans()):
        operation["tags"] = [draw(st.sampled_from(["pets", "Pets", "class", "misc"]))]
    names = draw(st.lists(st.sampled_from(PROPERTY_NAMES[:12]), max_size=2, unique=True))
    operation["parameters"] = [
        {"name": name, "in": "query", "schema": draw(_leaf(refs))} for name in names if name
    ]
    if draw(st.booleans()):
        content_type = draw(st.sampled_from(["application/json", "text/plain"]))
        body = draw(schemas(refs, 2)) if content_type.endswith("json") else {"type": "string"}
        operation["requestBody"] = {"content": {content_type: {"schema": body}}}
    for status in draw(st.lists(st.sampled_from(["200", "201", "404", "422"]), max_size=2)):
        response: dict[str, Any] = {"description": f"status {status}"}
        if draw(st.booleans()) or status == "200":
            response["content"] = {"application/json": {"schema": draw(schemas(refs, 2))}}
        operation["responses"][status] = response
    if not any(s.startswith("2") for s in operation["responses"]):
        operation["responses"]["200"] = {
            "description": "ok",
            "content": {"application/json": {"schema": draw(_leaf(refs))}},
        }
    return operation


@st.composite
def documents(draw: st.DrawFn, package: str = "drawn") -> dict[str, Any]:
    """A whole OpenAPI 3.0 document, valid as far as the OpenAPI schema goes."""
    keys = draw(st.lists(st.sampled_from(COMPONENT_NAMES), max_size=5, unique=True))
    components = {key: draw(schemas(keys, 3)) for key in keys}
    ids = draw(st.lists(st.sampled_from(OPERATION_IDS), min_size=1, max_size=3, unique=True))
    paths = {}
    for index, operation_id in enumerate(ids):
        method = draw(st.sampled_from(["get", "post", "put"]))
        paths[f"/r{index}"] = {method: draw(_operation(keys, operation_id))}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Drawn", "version": "1", "x-client": {"package": package}},
        "servers": [{"url": "https://api.example.test"}],
        "paths": paths,
        "components": {"schemas": components},
    }


def operations(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """One more operation, for a document whose components are ``refs``."""
    return _operation(refs, "extra/added-later")
