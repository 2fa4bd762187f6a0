"""Python type annotations for intermediate-model types.

The models' annotations are written by datamodel-code-generator; the same rules are stated
here so that the generator can check that it wrote what the codec expects, and so that the
client's keyword arguments are annotated alike.
"""

from __future__ import annotations

from generator.model import ir

_PRIMITIVES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "datetime": "datetime",
    "date": "date",
    "any": "Any",
}


def annotation(type_: ir.TypeExpr, api: ir.Api | None = None, *, open_enums: bool = True) -> str:
    """``list[PetStatus | str]`` and the like.

    An enum is *open* in a model (``PetStatus | str``): a value the spec does not list
    yet is kept as it is rather than rejected. A union of a component schema is named
    (``RepositoryRule``); any other is spelled out (``str | int``), which needs ``api``.
    """
    return " | ".join(alternatives(type_, api, open_enums=open_enums))


def alternatives(type_: ir.TypeExpr, api: ir.Api | None, *, open_enums: bool = True) -> list[str]:
    """The top-level alternatives of ``type_``'s annotation, each once."""
    if isinstance(type_, ir.Primitive):
        return [_PRIMITIVES[type_.kind]]
    if isinstance(type_, ir.ModelRef):
        return [type_.name]
    if isinstance(type_, ir.EnumRef):
        if not open_enums:
            return [type_.name]
        if api is None:
            return [type_.name, "str"]
        return [type_.name, *enum_value_types(api.enum(type_.name))]
    if isinstance(type_, ir.UnionRef):
        if api is None:
            return [type_.name]
        union = api.union(type_.name)
        if union.alias:
            return [type_.name]
        found: list[str] = []
        for variant in union.variants:
            found += alternatives(variant, api, open_enums=open_enums)
        return list(dict.fromkeys(found))
    if isinstance(type_, ir.ArrayOf):
        item = annotation(type_.items, api, open_enums=open_enums)
        return [f"list[{item} | None]" if type_.items_nullable else f"list[{item}]"]
    value = annotation(type_.values, api, open_enums=open_enums)
    if type_.values_nullable and value != "Any":
        value += " | None"
    return [f"dict[str, {value}]"]


def enum_value_types(enum: ir.Enum) -> list[str]:
    """The types of an enum's values, in the order they first appear: ``["str", "int"]``."""
    return list(dict.fromkeys(type(value).__name__ for value in enum.values))


def field_annotation(field: ir.Field, api: ir.Api | None = None) -> str:
    """A model attribute's annotation: optional adds ``Unset``, nullable adds ``None``."""
    hint = annotation(field.type, api)
    if not field.required:
        hint += " | Unset"
    if field.nullable and hint != "Any":
        hint += " | None"
    return hint
