"""How each model field is decoded from JSON and encoded back: the plan the codec template lays out.

The decoders are straight-line code, one statement group per field, because a response holds
hundreds of fields and interpreting a table of field descriptors costs several times more per
field. Measured choices, each worth several microseconds on a large response:

* a required property is read with ``data[key]``, and a single ``except KeyError`` around the
  whole body reports the one that is missing;
* a scalar is checked inline with ``type(value) is str`` (so ``True`` is never taken for an
  integer); anything that needs converting goes through a function that raises
  ``ResponseValidationError`` relative to the value, and the caller adds the property name;
* the object is made with ``__new__`` and filled attribute by attribute: the dataclass's
  keyword-only ``__init__`` costs more in keyword matching than the decoding itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.model import ir
from generator.model.naming import constant, snake
from generator.planning.typing_hints import annotation, enum_value_types

# JSON type checks that are done inline: the expression is true when the value is *wrong*.
_INLINE_CHECKS = {
    "str": ("type(value) is not str", "a string"),
    "int": ("type(value) is not int", "an integer"),
    "float": ("type(value) is not float and type(value) is not int", "a number"),
    "bool": ("type(value) is not bool", "a boolean"),
}

# Item decoders for arrays and maps of scalars, from the runtime's _codec module.
_SCALAR_DECODERS = {
    "str": "expect_str",
    "int": "expect_int",
    "float": "expect_number",
    "bool": "expect_bool",
    "any": "expect_any",
    "datetime": "parse_datetime",
    "date": "parse_date",
}


@dataclass(frozen=True)
class FieldCodec:
    """One field of a model, as the codec template renders it (the value read is ``value``)."""

    attr: str
    wire: str
    required: bool
    read: str  # how the decoder reads the property from ``data`` (or its ``get``)
    guard: str | None  # true when the value read is present and not null, so must be checked
    check: str | None  # inline check of ``value``, true when its JSON type is wrong
    expected: str | None  # what the check wants, for the error message
    decode: str | None  # converts ``value``
    decode_raises: bool  # whether ``decode`` may raise ResponseValidationError
    encode: str  # the wire value of ``obj.<attr>``


@dataclass(frozen=True)
class ExtraCodec:
    """The properties beyond a model's fields, kept in one dict attribute."""

    attr: str
    known: tuple[str, ...]  # the wire names of the fields, which are not extra
    decode: str  # a one-argument decoder of each value
    encode: str  # the wire form of ``obj.<attr>``


@dataclass(frozen=True)
class ModelCodec:
    name: str
    decoder: str
    encoder: str
    fields: tuple[FieldCodec, ...]
    extra: ExtraCodec | None = None

    @property
    def reads_optional(self) -> bool:
        """Whether the decoder reads a property with ``get`` (it may be absent)."""
        return any(f.read.startswith("get(") for f in self.fields)

    @property
    def reads_required(self) -> bool:
        """Whether the decoder reads a property with ``data[key]`` (and so may miss one)."""
        return any(f.read.startswith("data[") for f in self.fields)


def decoder_name(model: str) -> str:
    return f"_decode_{snake(model)}"


def union_decoder_name(union: str) -> str:
    """A union's decoder is public: the client and the accelerator call it too (no runtime
    helper of ``models.py`` starts with ``decode_as_``, so none can clash with it)."""
    return f"decode_as_{snake(union)}"


def encoder_name(model: str) -> str:
    return f"_encode_{snake(model)}"


Local = frozenset[str] | None
"""The models whose private decoder and encoder a module can call: those it defines (None:
every model, in one module). Any other model is reached through ``from_dict``/``to_dict``."""


def _private(name: str, local: Local) -> bool:
    return local is None or name in local


def plan(model: ir.Model, api: ir.Api, local: Local = None) -> ModelCodec:
    extra = None
    if model.extra is not None:
        values = ir.MapOf(model.extra, model.extra_nullable)
        extra = ExtraCodec(
            attr=model.extra_attr,
            known=tuple(f.wire_name for f in model.fields),
            decode=item_decoder(model.extra, nullable=model.extra_nullable, local=local),
            encode=encode_expression(values, f"obj.{model.extra_attr}", local),
        )
    return ModelCodec(
        name=model.name,
        decoder=decoder_name(model.name),
        encoder=encoder_name(model.name),
        fields=tuple(_field(f, api, local) for f in model.fields),
        extra=extra,
    )


def _field(field: ir.Field, api: ir.Api, local: Local) -> FieldCodec:
    type_ = field.type
    check = expected = decode = None
    if isinstance(type_, ir.Primitive) and type_.kind in _INLINE_CHECKS:
        check, expected = _INLINE_CHECKS[type_.kind]
    elif isinstance(type_, ir.EnumRef):
        # A value the spec does not list is kept as it is.
        kinds = enum_value_types(api.enum(type_.name))
        if kinds == ["str"]:
            check, expected = _INLINE_CHECKS["str"]
            decode = f"enum_or_str({type_.name}, value)"
        else:
            check = " and ".join(f"type(value) is not {kind}" for kind in kinds)
            expected = " or ".join(_INLINE_CHECKS[kind][1] for kind in kinds)
            decode = f"enum_or_value({type_.name}, value)"
    elif isinstance(type_, ir.ArrayOf):
        items = item_decoder(type_.items, nullable=type_.items_nullable, local=local)
        decode = f"decode_list(value, {items})"
    elif isinstance(type_, ir.MapOf):
        values = item_decoder(type_.values, nullable=type_.values_nullable, local=local)
        decode = f"decode_map(value, {values})"
    elif not (isinstance(type_, ir.Primitive) and type_.kind == "any"):
        decode = f"{item_decoder(type_, local=local)}(value)"

    wire = repr(field.wire_name)
    if field.required and not field.nullable:
        read, guard = f"data[{wire}]", None
    elif field.required:
        # A required property that may be null reads as None when absent: liberal, and what
        # a client can act on.
        read, guard = f"get({wire})", "value is not None"
    else:
        read = f"get({wire}, UNSET)"
        guard = "value is not UNSET" + (" and value is not None" if field.nullable else "")

    value = f"obj.{field.attr}"
    encode = encode_expression(type_, value, local)
    if field.nullable and encode != value:
        encode = f"None if {value} is None else {encode}"
    return FieldCodec(
        attr=field.attr,
        wire=field.wire_name,
        required=field.required,
        read=read,
        guard=guard,
        check=check,
        expected=expected,
        decode=decode,
        decode_raises=decode is not None and not isinstance(type_, ir.EnumRef),
        encode=encode,
    )


def item_decoder(
    type_: ir.TypeExpr, *, nullable: bool = False, outside: bool = False, local: Local = None
) -> str:
    """An expression naming a one-argument decoder for values of ``type_``.

    ``outside``: for a module that defines no model, which reaches a model's decoder through
    its public ``from_dict`` rather than the private function behind it; ``local``: for a
    module that defines some.
    """
    if isinstance(type_, ir.Primitive):
        decoder = _SCALAR_DECODERS[type_.kind]
    elif isinstance(type_, ir.ModelRef):
        private = not outside and _private(type_.name, local)
        decoder = decoder_name(type_.name) if private else f"{type_.name}.from_dict"
    elif isinstance(type_, ir.EnumRef):
        decoder = f"enum_decoder({type_.name})"
    elif isinstance(type_, ir.UnionRef):
        decoder = union_decoder_name(type_.name)
    elif isinstance(type_, ir.ArrayOf):
        items = item_decoder(
            type_.items, nullable=type_.items_nullable, outside=outside, local=local
        )
        decoder = f"list_decoder({items})"
    else:
        values = item_decoder(
            type_.values, nullable=type_.values_nullable, outside=outside, local=local
        )
        decoder = f"map_decoder({values})"
    return f"nullable({decoder})" if nullable else decoder


def each_element(
    type_: ir.ArrayOf | ir.MapOf, value: str, element: Callable[[ir.TypeExpr, str], str], copy: bool
) -> str:
    """An expression applying ``element`` to every item of an array or value of a map.

    When ``element`` leaves the items as they are, the container itself is kept (``copy``:
    copied, so that the result does not share it).
    """
    if isinstance(type_, ir.ArrayOf):
        inner, nullable = type_.items, type_.items_nullable
    else:
        inner, nullable = type_.values, type_.values_nullable
    item = element(inner, "item")
    if item == "item":
        if not copy:
            return value
        return f"list({value})" if isinstance(type_, ir.ArrayOf) else f"dict({value})"
    if nullable:
        item = f"None if item is None else {item}"
    if isinstance(type_, ir.ArrayOf):
        return f"[{item} for item in {value}]"
    return f"{{key: {item} for key, item in {value}.items()}}"


def encode_expression(type_: ir.TypeExpr, value: str, local: Local = None) -> str:
    """An expression giving the JSON form of ``value`` (of ``type_``)."""
    if isinstance(type_, ir.Primitive):
        if type_.kind == "datetime":
            return f"format_datetime({value})"
        if type_.kind == "date":
            return f"{value}.isoformat()"
        return value
    if isinstance(type_, ir.ModelRef):
        if _private(type_.name, local):
            return f"{encoder_name(type_.name)}({value})"
        return f"{value}.to_dict()"
    if isinstance(type_, ir.EnumRef):
        return f"enum_value({value})"
    if isinstance(type_, ir.UnionRef):
        return f"encode_value({value})"
    return each_element(
        type_, value, lambda inner, item: encode_expression(inner, item, local), copy=True
    )


# -- unions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantCodec:
    """One alternative of a union, as ``_codec.Variant`` takes it (each a Python expression)."""

    label: str
    kinds: str
    decode: str
    required: tuple[str, ...]
    known: tuple[str, ...]
    listed: str | None


@dataclass(frozen=True)
class UnionCodec:
    name: str
    decoder: str
    annotation: str
    table: str  # the module constant holding the variants
    variants: tuple[VariantCodec, ...]
    discriminator: str | None
    mapping: tuple[tuple[str, int], ...]


def plan_union(union: ir.Union, api: ir.Api, local: Local = None) -> UnionCodec:
    variants = []
    for variant in union.variants:
        required: tuple[str, ...] = ()
        known: tuple[str, ...] = ()
        if isinstance(variant, ir.ModelRef):
            fields = api.model(variant.name).fields
            required = tuple(f.wire_name for f in fields if f.required)
            known = tuple(f.wire_name for f in fields)
        kinds = json_kinds(variant, api)
        variants.append(
            VariantCodec(
                label=annotation(variant, api, open_enums=False),
                kinds="None" if kinds is None else "(" + "".join(k + ", " for k in kinds) + ")",
                decode=item_decoder(variant, local=local),
                required=required,
                known=known,
                listed=(
                    f"lambda value: isinstance(value, {variant.name})"
                    if isinstance(variant, ir.EnumRef)
                    else None
                ),
            )
        )
    return UnionCodec(
        name=union.name,
        decoder=union_decoder_name(union.name),
        annotation=annotation(ir.UnionRef(union.name), api),
        table=f"_{constant(union.name)}_VARIANTS",
        variants=tuple(variants),
        discriminator=union.discriminator,
        mapping=union.mapping,
    )


def json_kinds(
    type_: ir.TypeExpr, api: ir.Api, seen: frozenset[str] = frozenset()
) -> tuple[str, ...] | None:
    """The Python types of the JSON values ``type_`` decodes from; None: every value."""
    if isinstance(type_, ir.Primitive):
        return {
            "str": ("str",),
            "datetime": ("str",),
            "date": ("str",),
            "int": ("int",),
            "float": ("int", "float"),
            "bool": ("bool",),
        }.get(type_.kind)
    if isinstance(type_, (ir.ModelRef, ir.MapOf)):
        return ("dict",)
    if isinstance(type_, ir.ArrayOf):
        return ("list",)
    if isinstance(type_, ir.EnumRef):
        return tuple(enum_value_types(api.enum(type_.name)))
    found: list[str] = []
    for variant in api.union(type_.name).variants:
        if variant in (type_, *map(ir.UnionRef, seen)):
            continue  # a union that holds itself: its other variants say what it is
        kinds = json_kinds(variant, api, seen | {type_.name})
        if kinds is None:
            return None
        found += kinds
    return tuple(dict.fromkeys(found))
