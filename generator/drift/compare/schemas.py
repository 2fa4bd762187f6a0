"""Comparing schemas: types, nullability, properties, enums, composition and constraints.

The verdict depends on the directions a schema is used in: a value that may now be null
breaks a reader, a property that is now required breaks a sender.
"""

from __future__ import annotations

from typing import Any

from generator.drift.compare.base import RESPONSE_ONLY, Directions, Rules, pair_of
from generator.drift.difference import REQUEST, RESPONSE, label
from generator.reading import pointer as jp

# Validation keywords, and which way a value makes them stricter: a stricter request
# constraint rejects values the client used to send.
_LOWER_BOUNDS = ("minimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "maxLength", "maxItems", "maxProperties")
_FLAGS = ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems")
_OTHER_CONSTRAINTS = ("pattern", "multipleOf")
_CONSTRAINTS = (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_FLAGS, *_OTHER_CONSTRAINTS)
# Keywords that change what a reader is told, not what goes over the wire.
_INFORMATIVE = ("title", "default", "readOnly", "writeOnly", "xml", "externalDocs")
_SCHEMA_HANDLED = frozenset(
    {
        "type",
        "format",
        "nullable",
        "properties",
        "required",
        "enum",
        "items",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "deprecated",
        *_CONSTRAINTS,
        *_INFORMATIVE,
    }
)


class SchemaRules(Rules):
    """Schemas, compared keyword by keyword in the directions they are used in."""

    def schema(self, where: str, a: Any, b: Any, used: Directions) -> None:
        if a == b:
            return
        if not (isinstance(a, dict) and isinstance(b, dict)):
            self.add("type-changed", True, where, f"{label(where)} changed", a, b)
        elif "$ref" in a or "$ref" in b:
            self.pair(where, a, b, self.schema_body, used)
        else:
            self.schema_body(where, a, b, used)

    def schema_body(
        self, where: str, a: dict[str, Any], b: dict[str, Any], used: Directions
    ) -> None:
        name = label(where)
        request, response = REQUEST in used, RESPONSE in used
        skip = self.skip.get(where, frozenset())
        for key in ("type", "format"):
            if key not in skip and a.get(key) != b.get(key):
                self.add(
                    f"{key}-changed",
                    True,
                    where,
                    f"{name}: {key} {a.get(key)} is now {b.get(key)}",
                    *pair_of(a, b, key),
                )
        nullable_a, nullable_b = bool(a.get("nullable")), bool(b.get("nullable"))
        if nullable_b and not nullable_a:
            self.add("made-nullable", response, where, f"{name} may now be null", False, True)
        elif nullable_a and not nullable_b:
            self.add(
                "made-non-nullable", request, where, f"{name} may no longer be null", True, False
            )
        self.properties(where, a, b, used)
        self.enum(where, a.get("enum"), b.get("enum"), used)
        for key in ("items", "not"):
            if key in a and key in b:
                self.schema(jp.join(where, key), a[key], b[key], used)
            elif a.get(key) != b.get(key):
                self.add(
                    f"{key}-changed",
                    True,
                    jp.join(where, key),
                    f"{name}: {key} changed",
                    *pair_of(a, b, key),
                )
        extra_a, extra_b = a.get("additionalProperties", True), b.get("additionalProperties", True)
        if isinstance(extra_a, dict) and isinstance(extra_b, dict):
            self.schema(jp.join(where, "additionalProperties"), extra_a, extra_b, used)
        elif extra_a != extra_b:
            # Forbidding extra properties rejects what a client may send; a reader ignores them.
            narrower = extra_b is False
            self.add(
                "additional-properties-changed",
                narrower and request,
                jp.join(where, "additionalProperties"),
                f"{name}: additionalProperties {extra_a} is now {extra_b}",
                *pair_of(a, b, "additionalProperties"),
            )
        for key in ("allOf", "oneOf", "anyOf"):
            list_a, list_b = a.get(key, []), b.get(key, [])
            if len(list_a) == len(list_b):
                for index, (item_a, item_b) in enumerate(zip(list_a, list_b, strict=True)):
                    self.schema(jp.join(where, key, index), item_a, item_b, used)
            else:
                self.add(
                    "composition-changed",
                    True,
                    jp.join(where, key),
                    f"{name}: {key} changed",
                    *pair_of(a, b, key),
                )
        for key in _CONSTRAINTS:
            if key not in skip and a.get(key) != b.get(key):
                stricter = _stricter(key, a.get(key), b.get(key))
                self.add(
                    "constraint-tightened" if stricter else "constraint-loosened",
                    stricter and request,
                    where,
                    f"{name}: {key} {a.get(key)} is now {b.get(key)}",
                    *pair_of(a, b, key),
                )
        self.deprecated(where, a, b)
        for key in _INFORMATIVE:
            if key not in skip and a.get(key) != b.get(key):
                self.add(
                    f"{key}-changed", False, where, f"{name}: {key} changed", *pair_of(a, b, key)
                )
        self.rest(where, a, b, _SCHEMA_HANDLED | skip)

    def properties(
        self, where: str, a: dict[str, Any], b: dict[str, Any], used: Directions
    ) -> None:
        request, response = REQUEST in used, RESPONSE in used
        props_a, props_b = a.get("properties", {}), b.get("properties", {})
        required_a, required_b = set(a.get("required", [])), set(b.get("required", []))
        for name, schema in props_a.items():
            at = jp.join(where, "properties", name)
            if name in props_b:
                self.schema(at, schema, props_b[name], used)
            else:
                self.add("property-removed", True, at, f"{label(at)} removed", schema)
        for name, schema in props_b.items():
            if name not in props_a:
                at = jp.join(where, "properties", name)
                required = name in required_b
                self.add(
                    "property-added",
                    required and request,
                    at,
                    f"new {'required' if required else 'optional'} property {label(at)}",
                    None,
                    schema,
                    # The generated models ignore properties they do not know.
                    tolerated=True if used == RESPONSE_ONLY else None,
                )
        for name in sorted(required_a - required_b):
            if name in props_b or name not in props_a:  # a removed property is reported above
                at = jp.join(where, "properties", name)
                self.add(
                    "made-optional", response, at, f"{label(at)} is no longer required", True, False
                )
        for name in sorted(required_b - required_a):
            if name in props_a or name not in props_b:  # a new property is reported above
                at = jp.join(where, "properties", name)
                self.add("made-required", request, at, f"{label(at)} is now required", False, True)

    def enum(self, where: str, a: list[Any] | None, b: list[Any] | None, used: Directions) -> None:
        at, name = jp.join(where, "enum"), label(where)
        # The generated client keeps an unknown response enum value as a string, but checks
        # request arguments against the values it was generated with.
        tolerated = used == RESPONSE_ONLY
        if a is not None and b is not None:
            for value in a:
                if value not in b:
                    self.add(
                        "enum-value-removed", True, at, f"{name}: value {value!r} removed", value
                    )
            for value in b:
                if value not in a:
                    self.add(
                        "enum-value-added",
                        False,
                        at,
                        f"{name}: new value {value!r}",
                        None,
                        value,
                        tolerated,
                    )
        elif b is not None:
            self.add(
                "enum-introduced",
                REQUEST in used,
                at,
                f"{name} now lists its values",
                None,
                b,
                tolerated,
            )
        elif a is not None:
            self.add("enum-dropped", False, at, f"{name} no longer lists its values", a, None)


def _stricter(key: str, old: Any, new: Any) -> bool:
    """Whether changing ``key`` from ``old`` to ``new`` rejects values that passed before."""
    if new is None:
        return False  # the constraint is gone
    if old is None:
        return new is not False  # a new constraint (``uniqueItems: false`` constrains nothing)
    if key in _LOWER_BOUNDS:
        return bool(new > old)
    if key in _UPPER_BOUNDS:
        return bool(new < old)
    if key in _FLAGS:
        return bool(new) and not old
    return True  # another pattern or multipleOf may reject what the old one allowed
