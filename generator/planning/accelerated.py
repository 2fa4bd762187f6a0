"""The plan of the optional msgspec accelerator: a struct per model, and a copy into the model.

msgspec parses and type-checks a whole body in C into structs that mirror the models, then a
straight-line function copies each struct into its model. Values whose decoding the models
define themselves (date-times, open enums) are read as strings by msgspec and converted with
the models' own functions, so that what both paths accept decodes to equal models; whatever
msgspec refuses goes through the models' standard decoder, which names the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import ir
from generator.model.naming import snake
from generator.planning.codec import each_element

_STRUCT_TYPES = {
    "str": "str",
    "int": "int",
    "float": "int | float",  # msgspec would turn an integer into a float; the models keep it
    "bool": "bool",
    "datetime": "str",
    "date": "str",
    "any": "Any",
}


@dataclass(frozen=True)
class StructField:
    attr: str
    wire: str
    annotation: str
    default: str | None  # None: required
    convert: str  # the model's value, from ``s.<attr>``


@dataclass(frozen=True)
class StructPlan:
    model: str
    converter: str
    fields: tuple[StructField, ...]
    enums: tuple[str, ...]  # the enum classes its conversion uses


def converter_name(model: str) -> str:
    return f"_to_{snake(model)}"


def plan_structs(api: ir.Api) -> tuple[StructPlan, ...] | None:
    """One plan per model, dependencies first (a struct's field types are the structs it holds);
    None when schemas refer to themselves, and the models' own decoder is then the only one."""
    order = _dependency_order(api)
    if order is None:
        return None
    return tuple(_plan(api.model(name)) for name in order)


def _plan(model: ir.Model) -> StructPlan:
    fields = []
    for field in model.fields:
        annotation = struct_annotation(field.type)
        if field.nullable:
            annotation += " | None"
        value = f"s.{field.attr}"
        convert = convert_expression(field.type, value)
        if field.nullable and convert != value:
            convert = f"None if {value} is None else {convert}"
        if field.required and field.nullable:
            default: str | None = "None"  # absent reads as None, as the models' decoder does
        elif field.required:
            default = None
        else:
            annotation += " | Absent"
            default = "ABSENT"
            convert = f"UNSET if {value} is ABSENT else {convert}"
        fields.append(StructField(field.attr, field.wire_name, annotation, default, convert))
    enums = {
        leaf.name
        for f in model.fields
        for leaf in ir.leaves(f.type)
        if isinstance(leaf, ir.EnumRef)
    }
    return StructPlan(model.name, converter_name(model.name), tuple(fields), tuple(sorted(enums)))


def struct_helpers(plans: tuple[StructPlan, ...]) -> frozenset[str]:
    """The helpers of the struct annotations (``of``, ``array``, ``mapping``) that ``plans``
    call, so that the module defines no function it does not use."""
    called = {
        name
        for plan in plans
        for f in plan.fields
        for name in re.findall(r"\b(of|array|mapping)\(", f.annotation)
    }
    return frozenset(called)


def struct_annotation(type_: ir.TypeExpr) -> str:
    if isinstance(type_, ir.Primitive):
        return _STRUCT_TYPES[type_.kind]
    if isinstance(type_, ir.ModelRef):
        return f"of({type_.name})"
    if isinstance(type_, ir.EnumRef):
        return "str"
    # ``list[of(...)]`` is fine at run time but not a type to a type checker: a struct built
    # at run time goes through array() and mapping() instead.
    if isinstance(type_, ir.ArrayOf):
        item = struct_annotation(type_.items)
        if type_.items_nullable:
            item += " | None"
        return f"array({item})" if "of(" in item else f"list[{item}]"
    value = struct_annotation(type_.values)
    if type_.values_nullable and value != "Any":
        value += " | None"
    return f"mapping({value})" if "of(" in value else f"dict[str, {value}]"


def convert_expression(type_: ir.TypeExpr, value: str) -> str:
    """The model's value of a struct's ``value`` (of ``type_``)."""
    if isinstance(type_, ir.Primitive):
        if type_.kind == "datetime":
            return f"parse_datetime({value})"
        if type_.kind == "date":
            return f"parse_date({value})"
        return value
    if isinstance(type_, ir.ModelRef):
        return f"{value}.to_model()"
    if isinstance(type_, ir.EnumRef):
        return f"enum_or_str({type_.name}, {value})"
    # Arrays and maps: msgspec makes them fresh, so one whose items stay as they are is kept.
    return each_element(type_, value, convert_expression, copy=False)


def _dependency_order(api: ir.Api) -> list[str] | None:
    order: list[str] = []
    state: dict[str, str] = {}

    def refs(type_: ir.TypeExpr) -> list[str]:
        return [leaf.name for leaf in ir.leaves(type_) if isinstance(leaf, ir.ModelRef)]

    def visit(name: str) -> bool:
        if state.get(name) == "done":
            return True
        if state.get(name) == "visiting":
            return False
        state[name] = "visiting"
        for field in api.model(name).fields:
            if not all(visit(ref) for ref in refs(field.type)):
                return False
        state[name] = "done"
        order.append(name)
        return True

    for model in api.models:
        if not visit(model.name):
            return None
    return order
