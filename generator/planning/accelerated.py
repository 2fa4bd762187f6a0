"""The plan of the optional msgspec accelerator: a struct per model, and a copy into the model.

msgspec parses and type-checks a whole body in C into structs that mirror the models, then a
straight-line function copies each struct into its model. Values whose decoding the models
define themselves (date-times, open enums) are read as strings by msgspec and converted with
the models' own functions, so that what both paths accept decodes to equal models; whatever
msgspec refuses goes through the models' standard decoder, which names the problem.

What msgspec cannot mirror (unions, whose variants are told apart the models' way, and models
that keep properties beyond their fields) is parsed as plain JSON values by msgspec and
decoded by the models' own decoders, so results and errors are the same either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import ir
from generator.model.naming import snake
from generator.planning.codec import each_element, union_decoder_name
from generator.planning.typing_hints import enum_value_types

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
    decoders: tuple[str, ...] = ()  # the models' decoders its conversion uses


def converter_name(model: str) -> str:
    return f"_to_{snake(model)}"


class _Plain:
    """What decides how a type is mirrored: the models that have structs, and the enums."""

    def __init__(self, api: ir.Api):
        self.api = api
        self.structs = {m.name for m in api.models if m.extra is None}


def plan_structs(api: ir.Api) -> tuple[StructPlan, ...]:
    """One plan per model, dependencies first (a struct's field types are the structs it holds).

    A model that holds itself (through others, maybe) gets no struct: where it is held, msgspec
    parses plain JSON and the model's own decoder takes it from there.
    """
    plain = _Plain(api)
    while True:
        order, cyclic = _dependency_order(api, plain.structs)
        if cyclic is None:
            return tuple(_plan(api.model(name), plain) for name in order)
        plain.structs.discard(cyclic)


def _plan(model: ir.Model, plain: _Plain) -> StructPlan:
    fields = []
    decoders: set[str] = set()
    for field in model.fields:
        annotation = struct_annotation(field.type, plain)
        if field.nullable and annotation != "Any":
            annotation += " | None"
        value = f"s.{field.attr}"
        convert = convert_expression(field.type, value, plain)
        decoders |= {
            union_decoder_name(leaf.name) if isinstance(leaf, ir.UnionRef) else leaf.name
            for leaf in ir.leaves(field.type)
            if isinstance(leaf, ir.UnionRef)
            or (isinstance(leaf, ir.ModelRef) and leaf.name not in plain.structs)
        }
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
    return StructPlan(
        model.name,
        converter_name(model.name),
        tuple(fields),
        tuple(sorted(enums)),
        tuple(sorted(decoders)),
    )


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


def struct_annotation(type_: ir.TypeExpr, plain: _Plain) -> str:
    if isinstance(type_, ir.Primitive):
        return _STRUCT_TYPES[type_.kind]
    if isinstance(type_, ir.ModelRef):
        return f"of({type_.name})" if type_.name in plain.structs else "Any"
    if isinstance(type_, ir.EnumRef):
        return " | ".join(enum_value_types(plain.api.enum(type_.name)))
    if isinstance(type_, ir.UnionRef):
        return "Any"
    # ``list[of(...)]`` is fine at run time but not a type to a type checker: a struct built
    # at run time goes through array() and mapping() instead.
    if isinstance(type_, ir.ArrayOf):
        item = struct_annotation(type_.items, plain)
        if type_.items_nullable and item != "Any":
            item += " | None"
        return f"array({item})" if "of(" in item else f"list[{item}]"
    value = struct_annotation(type_.values, plain)
    if type_.values_nullable and value != "Any":
        value += " | None"
    return f"mapping({value})" if "of(" in value else f"dict[str, {value}]"


def convert_expression(type_: ir.TypeExpr, value: str, plain: _Plain) -> str:
    """The model's value of a struct's ``value`` (of ``type_``)."""
    if isinstance(type_, ir.Primitive):
        if type_.kind == "datetime":
            return f"parse_datetime({value})"
        if type_.kind == "date":
            return f"parse_date({value})"
        return value
    if isinstance(type_, ir.ModelRef):
        if type_.name in plain.structs:
            return f"{value}.to_model()"
        return f"{type_.name}.from_dict({value})"
    if isinstance(type_, ir.UnionRef):
        return f"{union_decoder_name(type_.name)}({value})"
    if isinstance(type_, ir.EnumRef):
        if enum_value_types(plain.api.enum(type_.name)) == ["str"]:
            return f"enum_or_str({type_.name}, {value})"
        return f"enum_or_value({type_.name}, {value})"
    # Arrays and maps: msgspec makes them fresh, so one whose items stay as they are is kept.
    return each_element(
        type_, value, lambda inner, item: convert_expression(inner, item, plain), copy=False
    )


def _dependency_order(api: ir.Api, structs: set[str]) -> tuple[list[str], str | None]:
    """The models of ``structs``, each after those it holds; or a model of a cycle among them."""
    order: list[str] = []
    state: dict[str, str] = {}
    cycle: list[str] = []

    def refs(type_: ir.TypeExpr) -> list[str]:
        return [
            leaf.name
            for leaf in ir.leaves(type_)
            if isinstance(leaf, ir.ModelRef) and leaf.name in structs
        ]

    def visit(name: str) -> bool:
        if state.get(name) == "done":
            return True
        if state.get(name) == "visiting":
            cycle.append(name)
            return False
        state[name] = "visiting"
        for field in api.model(name).fields:
            if not all(visit(ref) for ref in refs(field.type)):
                return False
        state[name] = "done"
        order.append(name)
        return True

    for model in api.models:
        if model.name in structs and not visit(model.name):
            return order, cycle[0]
    return order, None
