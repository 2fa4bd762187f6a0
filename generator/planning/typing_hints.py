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


def annotation(type_: ir.TypeExpr, *, open_enums: bool = True) -> str:
    """``list[PetStatus | str]`` and the like.

    An enum is *open* in a model (``PetStatus | str``): a value the spec does not list
    yet is kept as its string rather than rejected.
    """
    if isinstance(type_, ir.Primitive):
        return _PRIMITIVES[type_.kind]
    if isinstance(type_, ir.ModelRef):
        return type_.name
    if isinstance(type_, ir.EnumRef):
        return f"{type_.name} | str" if open_enums else type_.name
    if isinstance(type_, ir.ArrayOf):
        item = annotation(type_.items, open_enums=open_enums)
        return f"list[{item} | None]" if type_.items_nullable else f"list[{item}]"
    value = annotation(type_.values, open_enums=open_enums)
    if type_.values_nullable and value != "Any":
        value += " | None"
    return f"dict[str, {value}]"


def field_annotation(field: ir.Field) -> str:
    """A model attribute's annotation: optional adds ``Unset``, nullable adds ``None``."""
    hint = annotation(field.type)
    if not field.required:
        hint += " | Unset"
    if field.nullable and hint != "Any":
        hint += " | None"
    return hint
