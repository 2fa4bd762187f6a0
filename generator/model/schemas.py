"""Schemas into types: every schema of the spec becomes a model, an enum, a union or a type.

Object schemas become models, enumerations enums, ``oneOf`` / ``anyOf`` unions; ``allOf`` is
merged into one schema first (``merging``). A schema is known by its JSON pointer: one reached
twice (a component many operations use) is resolved once, and every model, enum and union is
named after where it stands only once all are known (``naming.unique_names``), so that the
order in which they were reached never decides a name. Until then, a reference names its
target by pointer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.graphs import cycles
from generator.model.merging import (
    UNIONS,
    child,
    flatten,
    has_object_keywords,
    merge,
    shapeless,
)
from generator.model.naming import ANNOTATION_NAMES, constant, identifier
from generator.reading import pointer as jp
from generator.reading.loader import Spec

# Attributes every model has, and the names of types its annotations use: a property with one
# of these names gets a trailing underscore, so that the annotations still mean the types.
MODEL_RESERVED = frozenset({"from_dict", "to_dict", "from_json", "dataclass", "field"}) | (
    ANNOTATION_NAMES
)

# Deeper than this, a schema is reported rather than left to exhaust Python's stack.
MAX_DEPTH = 150


class SchemaResolver:
    """Resolves schemas into types, keeping every model, enum and union it made (by pointer)."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.doc: Mapping[str, Any] = spec.document
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.unions: dict[str, ir.Union] = {}
        # schema pointer -> (type, nullable)
        self.resolved: dict[str, tuple[ir.TypeExpr, bool]] = {}
        self._resolving: set[str] = set()
        self._recursive: set[str] = set()

    def fail(self, where: str, message: str) -> Exception:
        return self.spec.error(where, message)

    def schema(self, node: Any, where: str) -> tuple[ir.TypeExpr, bool]:
        """The type a schema describes and whether ``null`` is allowed in its place."""
        if not isinstance(node, dict):
            raise self.spec.error(where, "a schema must be an object")
        if "$ref" in node:
            target, found = self.follow(node, where, "/components/schemas/")
            alias = self.nullable_alias(target)
            if alias is not None:
                type_, _ = self.schema(self.doc["components"]["schemas"][alias], alias_where(alias))
                return type_, True
            return self.schema(found, target)
        if where in self.resolved:
            return self.resolved[where]
        if len(self._resolving) > MAX_DEPTH:
            raise self.spec.error(where, f"schemas nested more than {MAX_DEPTH} deep")
        if where in self._resolving:
            # A schema that holds itself other than through a model or union (an array of
            # itself, say): it becomes a named type alias, which may refer to itself.
            self._recursive.add(where)
            return ir.UnionRef(where), node.get("nullable") is True
        self._resolving.add(where)
        try:
            type_, nullable = self._resolve(node, where)
        finally:
            self._resolving.discard(where)
        if where in self._recursive:
            # (A schema that is only itself, through references, allows anything.)
            variant = ir.Primitive("any") if type_ == ir.UnionRef(where) else type_
            self.unions[where] = ir.Union(
                name=where,
                variants=(variant,),
                description=text(node.get("description")),
                pointer=where,
                alias=True,
            )
            type_ = ir.UnionRef(where)
        self.resolved[where] = (type_, nullable)
        return type_, nullable

    def _resolve(self, node: Mapping[str, Any], where: str) -> tuple[ir.TypeExpr, bool]:
        nullable = node.get("nullable") is True
        if "allOf" in node:
            parts = flatten(node, where, self.follow_schema, self.fail, frozenset({where}))
            outer = {k: v for k, v in node.items() if k != "allOf"}
            distinct = {w: n for n, w in parts if n}  # (an empty part says nothing)
            if len(distinct) == 1 and shapeless(outer):
                # One schema wrapped (often to add nullable or a description): a reference,
                # which may be recursive like any other.
                ((part_where, part),) = distinct.items()
                type_, part_nullable = self.schema(part, part_where)
                return type_, nullable or part_nullable
            for part_where in distinct:
                component = part_where.startswith("/components/schemas/")
                if component and part_where.count("/") == 3 and part_where in self._resolving:
                    # Merging it here would copy it into itself, without end.
                    raise self.spec.error(
                        where, f"this allOf merges {part_where}, which holds the allOf itself"
                    )
            return self._resolve(merge([(outer, where), *parts], where, self.fail), where)
        for keyword in UNIONS:
            if keyword in node:
                return self.union(node, where, keyword)
        if "enum" in node:
            return self.enum(node, where)
        return self.plain_schema(node, where), nullable

    # -- shapes ------------------------------------------------------------------------------

    def plain_schema(self, node: Mapping[str, Any], where: str) -> ir.TypeExpr:
        kind = node.get("type")
        if kind == "object" or (kind is None and has_object_keywords(node)):
            extra = node.get("additionalProperties")
            if not node.get("properties"):
                if extra is False:
                    return self.model(node, where)  # the empty object, and nothing else
                if extra is None or extra is True or extra == {}:
                    return ir.MapOf(values=ir.Primitive("any"))
                values, values_nullable = self.schema(
                    extra, child(node, where, "additionalProperties")
                )
                return ir.MapOf(values=values, values_nullable=values_nullable)
            return self.model(node, where)
        if kind == "array" or (kind is None and "items" in node):
            if "items" not in node:
                return ir.ArrayOf(items=ir.Primitive("any"))
            items, items_nullable = self.schema(node["items"], child(node, where, "items"))
            return ir.ArrayOf(items=items, items_nullable=items_nullable)
        if kind == "string":
            fmt = node.get("format")
            kinds: dict[str | None, ir.PrimitiveKind] = {"date-time": "datetime", "date": "date"}
            return ir.Primitive(
                kinds.get(fmt, "str"),
                format=fmt,
                min_length=node.get("minLength"),
                max_length=node.get("maxLength"),
                pattern=node["pattern"] if isinstance(node.get("pattern"), str) else None,
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

    def model(self, node: Mapping[str, Any], where: str) -> ir.ModelRef:
        ref = ir.ModelRef(where)
        # Registered before its fields are resolved, so that a recursive schema terminates.
        self.resolved[where] = (ref, node.get("nullable") is True)
        required = node.get("required", [])
        properties = dict(node.get("properties", {}))
        for key in required:
            # Required without a schema of its own: any value, but it must be there.
            properties.setdefault(key, {})
        fields: list[ir.Field] = []
        attrs: set[str] = set()
        for key, prop in properties.items():
            prop_where = child(node, where, "properties", key)
            attr = _free(identifier(key, reserved=MODEL_RESERVED), attrs)
            type_, nullable = self.schema(prop, prop_where)
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
        extra_type: ir.TypeExpr | None = None
        extra_nullable = False
        extra = node.get("additionalProperties")
        if extra is True or extra == {}:
            extra_type, extra_nullable = ir.Primitive("any"), True
        elif isinstance(extra, dict):
            extra_type, extra_nullable = self.schema(
                extra, child(node, where, "additionalProperties")
            )
        schema_name = (
            where.rsplit("/", 1)[1]
            if where.startswith("/components/schemas/") and where.count("/") == 3
            else None
        )
        self.models[where] = ir.Model(
            name=where,
            description=text(node.get("description")) or text(node.get("title")),
            fields=tuple(fields),
            pointer=where,
            schema_name=jp.unescape(schema_name) if schema_name else None,
            extra=extra_type,
            extra_nullable=extra_nullable,
            extra_attr=_free("additional_properties", attrs),
        )
        return ref

    def enum(self, node: Mapping[str, Any], where: str) -> tuple[ir.TypeExpr, bool]:
        listed = node["enum"]
        nullable = node.get("nullable") is True or None in listed
        values = [v for v in listed if v is not None]
        kind = node.get("type")
        if not values:
            return ir.Primitive("any"), True  # only null
        if all(isinstance(v, bool) for v in values) or any(
            not isinstance(v, (str, int)) or isinstance(v, bool) for v in values
        ):
            # true/false, numbers, objects: the type itself says all a client can act on.
            return self.plain_schema({k: v for k, v in node.items() if k != "enum"}, where), (
                nullable
            )
        expected = {"string": (str,), "integer": (int,), None: (str, int)}.get(kind)
        if expected is None:
            return self.plain_schema({k: v for k, v in node.items() if k != "enum"}, where), (
                nullable
            )
        for index, value in enumerate(listed):
            if value is not None and not isinstance(value, expected):
                raise self.spec.error(jp.join(where, "enum", index), f"{value!r} is not a {kind}")
        unique = tuple(dict.fromkeys((type(v), v) for v in values))
        members: list[str] = []
        for _, value in unique:
            name = constant(value) if isinstance(value, str) else f"VALUE_{value}"
            members.append(_free(name.replace("-", "MINUS_"), set(members)))
        self.enums[where] = ir.Enum(
            name=where,
            values=tuple(v for _, v in unique),
            members=tuple(members),
            description=text(node.get("description")),
            pointer=where,
        )
        return ir.EnumRef(where), nullable

    def union(self, node: Mapping[str, Any], where: str, keyword: str) -> tuple[ir.TypeExpr, bool]:
        raw = node[keyword]
        if not isinstance(raw, list) or not raw:
            raise self.spec.error(jp.join(where, keyword), f"{keyword} lists the alternatives")
        nullable = node.get("nullable") is True
        base = {
            k: v
            for k, v in node.items()
            if k not in (keyword, "discriminator", "description", "title", "nullable")
        }
        members = [self.follow_schema(m, child(node, where, keyword, i)) for i, m in enumerate(raw)]
        if all(shapeless(m) for _, m in members):
            # Alternatives that only require properties constrain the object; it is one model,
            # whose properties are required only where every alternative requires them.
            common = [
                k
                for k in members[0][1].get("required", [])
                if all(k in m.get("required", []) for _, m in members)
            ]
            merged = dict(base)
            merged["required"] = list(dict.fromkeys([*base.get("required", []), *common]))
            if node.get("nullable") is True:
                merged["nullable"] = True
            merged.setdefault("description", node.get("description"))
            return self._resolve(merged, where)
        own_shape = has_object_keywords(base)
        if len(raw) == 1:
            if own_shape:
                merged = merge([(base, where), (members[0][1], members[0][0])], where, self.fail)
                type_, member_nullable = self._resolve(merged, where)
            else:
                type_, member_nullable = self.schema(raw[0], child(node, where, keyword, 0))
            return type_, nullable or member_nullable
        ref = ir.UnionRef(where)
        self.resolved[where] = (ref, nullable)  # before the variants: they may hold the union
        variants: list[ir.TypeExpr] = []
        position: dict[int, int] = {}  # member index -> variant index
        for index, (member_where, member) in enumerate(members):
            place = child(node, where, keyword, index)
            if own_shape or shapeless(member):
                # The object's own keywords belong to each alternative.
                merged = merge([(base, where), (member, member_where)], place, self.fail)
                type_, member_nullable = self.schema(merged, place)
            else:
                type_, member_nullable = self.schema(raw[index], place)
            nullable = nullable or member_nullable
            if type_ == ref:
                continue  # the union itself, as one of its variants, adds nothing
            if type_ not in variants:
                variants.append(type_)
            position[index] = variants.index(type_)
        discriminator, mapping = self.discriminator(node, where, raw, position)
        self.unions[where] = ir.Union(
            name=where,
            variants=tuple(variants) or (ir.Primitive("any"),),
            description=text(node.get("description")) or text(node.get("title")),
            pointer=where,
            discriminator=discriminator,
            mapping=mapping,
            alias=where.startswith("/components/schemas/") and where.count("/") == 3,
        )
        self.resolved[where] = (ref, nullable)
        return ref, nullable

    def close_union_cycles(self) -> None:
        """Unions that are variants of each other, round in a cycle, become one set of types.

        ``pet: {allOf: [{oneOf: [a, b, pet]}]}``, or two unions listing each other: Python can
        name no type alias that is a variant of itself, and such a variant allows nothing the
        others do not. Each union of the cycle takes the variants of them all (its own first)
        that are not unions of the cycle; a discriminator value that led to one gives way to
        the other ways of telling the variants apart.
        """
        for cycle in cycles(
            {
                where: [v.name for v in union.variants if isinstance(v, ir.UnionRef)]
                for where, union in self.unions.items()
            }
        ):
            outside = {
                where: [
                    v
                    for v in self.unions[where].variants
                    if not (isinstance(v, ir.UnionRef) and v.name in cycle)
                ]
                for where in cycle
            }
            for where in cycle:
                union = self.unions[where]
                variants = list(dict.fromkeys(outside[where]))
                for other in sorted(cycle):
                    variants += [v for v in outside[other] if v not in variants]
                kept = {i: variants.index(v) for i, v in enumerate(union.variants) if v in variants}
                self.unions[where] = dataclasses.replace(
                    union,
                    variants=tuple(variants) or (ir.Primitive("any"),),
                    mapping=tuple((value, kept[i]) for value, i in union.mapping if i in kept),
                )

    def discriminator(
        self, node: Mapping[str, Any], where: str, raw: list[Any], position: dict[int, int]
    ) -> tuple[str | None, tuple[tuple[str, int], ...]]:
        found = node.get("discriminator")
        if not isinstance(found, dict):
            return None, ()
        union_where, where = where, jp.join(where, "discriminator")
        targets = {
            m["$ref"][1:]: position[i]
            for i, m in enumerate(raw)
            if isinstance(m, dict) and isinstance(m.get("$ref"), str) and i in position
        }
        mapping: dict[str, int] = {}
        for value, ref in (found.get("mapping") or {}).items():
            target = ref[1:] if ref.startswith("#") else jp.join("/components/schemas", ref)
            if target == union_where:
                continue  # the union itself: its other variants are what the value can be
            if target not in targets:
                raise self.spec.error(
                    jp.join(where, "mapping", value), f"{ref} is not one of the alternatives"
                )
            mapping[value] = targets[target]
        for target, index in targets.items():
            # Without a mapping entry, a variant's value is its schema's name.
            if target.count("/") == 3 and target.startswith("/components/schemas/"):
                mapping.setdefault(jp.unescape(target.rsplit("/", 1)[1]), index)
        return str(found["propertyName"]), tuple(mapping.items())

    def nullable_alias(self, pointer: str) -> str | None:
        """``x`` when component ``nullable-x`` at ``pointer`` is ``x`` with ``nullable: true``.

        Descriptions often carry such a copy for the fields that may be null; both are one
        class, and the copy's nullability goes to the fields that use it.
        """
        prefix = "/components/schemas/nullable-"
        if not pointer.startswith(prefix) or pointer.count("/") != 3:
            return None
        key = jp.unescape(pointer.rsplit("/", 1)[1])
        base = key.removeprefix("nullable-")
        schemas = self.doc.get("components", {}).get("schemas", {})
        copy = schemas.get(key)
        if base not in schemas or not isinstance(copy, dict) or copy.get("nullable") is not True:
            return None
        rest = {k: v for k, v in copy.items() if k != "nullable"}
        return base if rest == schemas[base] else None

    # -- references --------------------------------------------------------------------------

    def follow_schema(self, node: Any, where: str) -> tuple[str, Mapping[str, Any]]:
        return self.follow(node, where, "/components/schemas/")

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


def _free(name: str, taken: set[str]) -> str:
    """``name``, or ``name_1``, ``name_2``, ... : the first not in ``taken`` (which gains it)."""
    candidate, number = name, 0
    while candidate in taken:
        number += 1
        candidate = f"{name}_{number}"
    taken.add(candidate)
    return candidate


def text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def alias_where(key: str) -> str:
    return jp.join("/components/schemas", key)
