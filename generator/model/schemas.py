"""Schemas into types: every schema of the spec becomes a model, an enum or a type expression.

Object schemas become models and enumerations become enums, named mechanically: a component
after its key, an inline schema after the class and property that hold it. A schema reached
twice (a component used by many operations) is resolved once, by its JSON pointer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.naming import class_name, constant, identifier, pascal
from generator.reading import pointer as jp
from generator.reading.loader import Spec

# Attributes every model has: a property with one of these names gets a trailing underscore.
MODEL_RESERVED = frozenset({"from_dict", "to_dict"})

_UNSUPPORTED = ("oneOf", "anyOf", "not")


class SchemaResolver:
    """Resolves schemas into types, keeping every model and enum it made, and who owns a name."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.doc: Mapping[str, Any] = spec.document
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.owners: dict[str, str] = {}  # class name -> pointer of the schema that owns it
        # schema pointer -> (type, nullable)
        self.resolved: dict[str, tuple[ir.TypeExpr, bool]] = {}
        self.component_names = set(self.doc.get("components", {}).get("schemas", {}))

    def schema(self, node: Any, where: str, hint: str) -> tuple[ir.TypeExpr, bool]:
        """The type a schema describes and whether ``null`` is allowed in its place."""
        if not isinstance(node, dict):
            raise self.spec.error(where, "a schema must be an object")
        if "$ref" in node:
            target, _ = self.follow(node, where, "/components/schemas/")
            key = jp.unescape(target.rsplit("/", 1)[1])
            alias = self.nullable_alias(key)
            if alias is not None:
                type_, _ = self.schema(
                    self.doc["components"]["schemas"][alias],
                    jp.join("/components/schemas", alias),
                    self.component_class(alias),
                )
                return type_, True
            return self.schema(
                self.doc["components"]["schemas"][key], target, self.component_class(key)
            )
        if where in self.resolved:
            return self.resolved[where]
        for keyword in _UNSUPPORTED:
            if keyword in node:
                raise self.spec.error(
                    jp.join(where, keyword), f"'{keyword}' schemas are not supported yet"
                )
        nullable = bool(node.get("nullable", False))
        if "allOf" in node:
            parts = node["allOf"]
            if len(parts) != 1:
                raise self.spec.error(
                    jp.join(where, "allOf"),
                    "only a single-element allOf (a wrapped reference) is supported",
                )
            type_, inner_nullable = self.schema(parts[0], jp.join(where, "allOf", 0), hint)
            result: tuple[ir.TypeExpr, bool] = (type_, nullable or inner_nullable)
        elif "enum" in node:
            result = (self.enum(node, where, hint), nullable or None in node["enum"])
        else:
            result = (self.plain_schema(node, where, hint), nullable)
        self.resolved[where] = result
        return result

    def plain_schema(self, node: Mapping[str, Any], where: str, hint: str) -> ir.TypeExpr:
        kind = node.get("type")
        if kind == "object" or (kind is None and "properties" in node):
            extra = node.get("additionalProperties", False)
            if "properties" not in node and extra is not False:
                if extra is True or extra == {}:
                    return ir.MapOf(values=ir.Primitive("any"))
                values, values_nullable = self.schema(
                    extra, jp.join(where, "additionalProperties"), hint + "Value"
                )
                return ir.MapOf(values=values, values_nullable=values_nullable)
            return self.model(node, where, hint)
        if kind == "array":
            if "items" not in node:
                raise self.spec.error(where, "an array schema needs 'items'")
            items, items_nullable = self.schema(
                node["items"], jp.join(where, "items"), hint + "Item"
            )
            return ir.ArrayOf(items=items, items_nullable=items_nullable)
        if kind == "string":
            fmt = node.get("format")
            kinds: dict[str | None, ir.PrimitiveKind] = {"date-time": "datetime", "date": "date"}
            return ir.Primitive(
                kinds.get(fmt, "str"),
                format=fmt,
                min_length=node.get("minLength"),
                max_length=node.get("maxLength"),
            )
        if kind in ("integer", "number"):
            return ir.Primitive(
                "int" if kind == "integer" else "float",
                format=node.get("format"),
                minimum=node.get("minimum"),
                maximum=node.get("maximum"),
            )
        if kind == "boolean":
            return ir.Primitive("bool")
        if kind is None:
            return ir.Primitive("any")
        raise self.spec.error(jp.join(where, "type"), f"unsupported type {kind!r}")

    def model(self, node: Mapping[str, Any], where: str, name: str) -> ir.ModelRef:
        self.claim(name, where)
        ref = ir.ModelRef(name)
        # Registered before its fields are resolved, so that a recursive schema terminates.
        self.resolved[where] = (ref, bool(node.get("nullable", False)))
        required = node.get("required", [])
        properties = node.get("properties", {})
        for index, key in enumerate(required):
            if key not in properties:
                raise self.spec.error(
                    jp.join(where, "required", index), f"{key!r} is required but not a property"
                )
        fields: list[ir.Field] = []
        attrs: dict[str, str] = {}
        for key, prop in properties.items():
            prop_where = jp.join(where, "properties", key)
            attr = identifier(key, reserved=MODEL_RESERVED)
            if attr in attrs:
                raise self.spec.error(
                    prop_where, f"{key!r} and {attrs[attr]!r} would both be the attribute {attr}"
                )
            attrs[attr] = key
            type_, nullable = self.schema(prop, prop_where, name + pascal(key))
            fields.append(
                ir.Field(
                    wire_name=key,
                    attr=attr,
                    type=type_,
                    required=key in required,
                    nullable=nullable,
                    description=text(prop.get("description")) if isinstance(prop, dict) else None,
                    pointer=prop_where,
                    default=prop.get("default") if isinstance(prop, dict) else None,
                )
            )
        schema_name = (
            where.rsplit("/", 1)[1]
            if where.startswith("/components/schemas/") and where.count("/") == 3
            else None
        )
        self.models[name] = ir.Model(
            name=name,
            description=text(node.get("description")) or text(node.get("title")),
            fields=tuple(fields),
            pointer=where,
            schema_name=jp.unescape(schema_name) if schema_name else None,
        )
        return ref

    def enum(self, node: Mapping[str, Any], where: str, name: str) -> ir.EnumRef:
        values = tuple(v for v in node["enum"] if v is not None)
        kind = node.get("type", "string")
        expected = str if kind == "string" else int
        for index, value in enumerate(node["enum"]):
            if value is not None and (type(value) is not expected):
                raise self.spec.error(jp.join(where, "enum", index), f"{value!r} is not a {kind}")
        if kind not in ("string", "integer"):
            raise self.spec.error(
                jp.join(where, "type"), "only string and integer enums are supported"
            )
        members = tuple(
            constant(str(v)) if kind == "string" else f"VALUE_{v}".replace("-", "MINUS_")
            for v in values
        )
        for index, member in enumerate(members):
            if members.index(member) != index:
                raise self.spec.error(
                    jp.join(where, "enum", index),
                    f"{values[index]!r} and another value would both be {name}.{member}",
                )
        self.claim(name, where)
        self.enums[name] = ir.Enum(
            name=name,
            values=values,
            members=members,
            description=text(node.get("description")),
            pointer=where,
        )
        return ir.EnumRef(name)

    # -- names and references ----------------------------------------------------------------

    def nullable_alias(self, key: str) -> str | None:
        """``x`` when component ``nullable-x`` is component ``x`` with ``nullable: true`` added.

        Descriptions often carry such a copy for the fields that may be null; both are one
        class, and the copy's nullability goes to the fields that use it.
        """
        if not key.startswith("nullable-"):
            return None
        base = key.removeprefix("nullable-")
        schemas = self.doc["components"]["schemas"]
        if base not in schemas or not isinstance(schemas[key], dict):
            return None
        rest = {k: v for k, v in schemas[key].items() if k != "nullable"}
        return base if schemas[key].get("nullable") is True and rest == schemas[base] else None

    def component_class(self, key: str) -> str:
        """The class of a component schema: its key in PascalCase.

        Descriptions often name a nullable copy of schema ``x`` ``nullable-x``; the
        nullability belongs to the fields that use it, so the class drops the prefix unless
        ``x`` exists as well.
        """
        if (
            key.startswith("nullable-")
            and key.removeprefix("nullable-") not in self.component_names
        ):
            key = key.removeprefix("nullable-")
        return class_name(key)

    def claim(self, name: str, where: str) -> None:
        if name in self.owners and self.owners[name] != where:
            raise self.spec.error(
                where,
                f"would be the class {name}, which {self.owners[name]} already is; "
                "rename one of them",
            )
        self.owners[name] = where

    def follow(self, node: Any, where: str, prefix: str) -> tuple[str, Mapping[str, Any]]:
        """Follow ``$ref``s from ``node`` to the object they name: (its pointer, the object)."""
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            ref_where = jp.join(where, "$ref")
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise self.spec.error(
                    ref_where, f"only local references (#/...) are supported, not {ref!r}"
                )
            target = ref[1:]
            if not target.startswith(prefix):
                raise self.spec.error(ref_where, f"{ref} must point into #{prefix}")
            if target in seen:
                raise self.spec.error(ref_where, f"{ref} is part of a reference cycle")
            seen.add(target)
            try:
                node = jp.resolve(self.doc, target)
            except KeyError:
                raise self.spec.error(ref_where, f"{ref} points at nothing") from None
            where = target
        if not isinstance(node, dict):
            raise self.spec.error(where, "expected an object here")
        return where, node


def text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
