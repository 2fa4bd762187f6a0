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
from generator.model.naming import snake

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
class ModelCodec:
    name: str
    decoder: str
    encoder: str
    fields: tuple[FieldCodec, ...]

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


def encoder_name(model: str) -> str:
    return f"_encode_{snake(model)}"


def plan(model: ir.Model) -> ModelCodec:
    return ModelCodec(
        name=model.name,
        decoder=decoder_name(model.name),
        encoder=encoder_name(model.name),
        fields=tuple(_field(f) for f in model.fields),
    )


def _field(field: ir.Field) -> FieldCodec:
    type_ = field.type
    check = expected = decode = None
    if isinstance(type_, ir.Primitive) and type_.kind in _INLINE_CHECKS:
        check, expected = _INLINE_CHECKS[type_.kind]
    elif isinstance(type_, ir.EnumRef):
        # Enum values are strings on the wire; one the spec does not list is kept as a string.
        check, expected = _INLINE_CHECKS["str"]
        decode = f"enum_or_str({type_.name}, value)"
    elif isinstance(type_, ir.ArrayOf):
        decode = f"decode_list(value, {item_decoder(type_.items, nullable=type_.items_nullable)})"
    elif isinstance(type_, ir.MapOf):
        decode = f"decode_map(value, {item_decoder(type_.values, nullable=type_.values_nullable)})"
    elif not (isinstance(type_, ir.Primitive) and type_.kind == "any"):
        decode = f"{item_decoder(type_)}(value)"

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
    encode = encode_expression(type_, value)
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


def item_decoder(type_: ir.TypeExpr, *, nullable: bool = False) -> str:
    """An expression naming a one-argument decoder for values of ``type_``."""
    if isinstance(type_, ir.Primitive):
        decoder = _SCALAR_DECODERS[type_.kind]
    elif isinstance(type_, ir.ModelRef):
        decoder = decoder_name(type_.name)
    elif isinstance(type_, ir.EnumRef):
        decoder = f"enum_decoder({type_.name})"
    elif isinstance(type_, ir.ArrayOf):
        decoder = f"list_decoder({item_decoder(type_.items, nullable=type_.items_nullable)})"
    else:
        decoder = f"map_decoder({item_decoder(type_.values, nullable=type_.values_nullable)})"
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


def encode_expression(type_: ir.TypeExpr, value: str) -> str:
    """An expression giving the JSON form of ``value`` (of ``type_``)."""
    if isinstance(type_, ir.Primitive):
        if type_.kind == "datetime":
            return f"format_datetime({value})"
        if type_.kind == "date":
            return f"{value}.isoformat()"
        return value
    if isinstance(type_, ir.ModelRef):
        return f"{encoder_name(type_.name)}({value})"
    if isinstance(type_, ir.EnumRef):
        return f"enum_value({value})"
    return each_element(type_, value, encode_expression, copy=True)
