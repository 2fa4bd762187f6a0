"""Helpers of the generated decoders and encoders in ``models``.

Decoding is liberal where the spec allows it (unknown properties are ignored, unknown enum
values are kept as strings) and strict where it matters: a value of the wrong JSON type, or a
missing required property, raises ``ResponseValidationError`` with its JSON path.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, TypeVar, cast

from ._exceptions import ResponseValidationError

# The fraction of a second of an RFC 3339 time: after the seconds, before the offset.
_FRACTION: Final = re.compile(r"(?<=:\d\d)\.(\d+)")

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


_JSON_TYPES: Final[dict[type[object], str]] = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    dict: "an object",
    type(None): "null",
}


class _Accelerator:
    """What msgspec (when installed) offers: a faster parser and typed decoders of the models.

    Looked for on the first decode, not at import; the package works the same without it.
    """

    def __init__(self) -> None:
        self.loaded = False
        self.loads: Callable[[bytes | str], Any] | None = None
        self.decoders: Mapping[type[Any], Callable[[bytes | str], Any]] = {}
        self.errors: tuple[type[Exception], ...] = ()

    def load(self) -> None:
        self.loaded = True
        try:
            # Any: msgspec is optional, and a type checker without it would see only Unknown.
            msgspec: Any = importlib.import_module("msgspec")
        except ImportError:
            return
        from . import _accelerated

        self.loads = msgspec.json.Decoder().decode
        self.decoders = _accelerated.DECODERS
        self.errors = (*_accelerated.FALLBACK_ERRORS, ResponseValidationError)


_accelerator = _Accelerator()


def load_json(text: bytes | str) -> Any:
    """Parse JSON text, with msgspec's parser when it is installed (twice as fast).

    What msgspec refuses (a lone surrogate escape, ``NaN``, a byte order mark, a number beyond
    a double) goes through ``json.loads``, so the result is the same with or without it.
    """
    if not _accelerator.loaded:
        _accelerator.load()
    if _accelerator.loads is not None:
        try:
            return _accelerator.loads(text)
        except _accelerator.errors:
            pass
    if not text:
        raise ResponseValidationError("the body is empty, expected JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResponseValidationError(
            f"the body is not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from None
    except UnicodeDecodeError:
        raise ResponseValidationError("the body is not valid JSON (not UTF-8 text)") from None


def decode_json(text: bytes | str, model: type[T], decode: Callable[[Any], T]) -> T:
    """Decode JSON text into ``model`` with its standard ``decode``r, or faster with msgspec.

    With msgspec installed, its typed decoder runs first; whatever it refuses is decoded again
    the standard way, which then names the problem (and accepts what the spec tolerates but
    msgspec does not). Both give equal models for what both accept.
    """
    if not _accelerator.loaded:
        _accelerator.load()
    fast = _accelerator.decoders.get(model)
    if fast is not None:
        try:
            return cast("T", fast(text))
        except _accelerator.errors:
            pass
    return decode(load_json(text))


def json_decoder(decode: Callable[[Any], T]) -> Callable[[bytes | str], T]:
    """A decoder of JSON text, from a decoder of the parsed value."""

    def decode_text(text: bytes | str) -> T:
        return decode(load_json(text))

    return decode_text


def text_body(content: bytes) -> str:
    """A body that is text (``text/plain``, a diff, ...), read as UTF-8."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise ResponseValidationError("the body is not UTF-8 text") from None


def binary_body(content: bytes) -> bytes:
    """A body that is bytes (``application/octet-stream``, ...), as it came."""
    return content


def mismatch(expected: str, value: object) -> ResponseValidationError:
    """The error for ``value`` where ``expected`` belongs; never quotes the value itself."""
    if value is None:
        return ResponseValidationError(f"null is not allowed here, expected {expected}")
    return ResponseValidationError(
        f"expected {expected}, got {_JSON_TYPES.get(type(value), type(value).__name__)}"
    )


def invalid(key: str, expected: str, value: object) -> ResponseValidationError:
    """The error for property ``key`` of the object being decoded."""
    return mismatch(expected, value).within(key)


def missing(key: str) -> ResponseValidationError:
    """The error for required property ``key``, absent from the object being decoded."""
    return ResponseValidationError("required property is missing").within(key)


def expect_str(value: Any) -> str:
    if type(value) is not str:
        raise mismatch("a string", value)
    return value


def expect_int(value: Any) -> int:
    if type(value) is not int:
        raise mismatch("an integer", value)
    return value


def expect_number(value: Any) -> float:
    if type(value) is not float and type(value) is not int:
        raise mismatch("a number", value)
    return value


def expect_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise mismatch("a boolean", value)
    return value


def expect_any(value: Any) -> Any:
    return value


def parse_datetime(value: Any) -> datetime:
    """An RFC 3339 date-time, such as ``2011-01-26T19:01:12Z``."""
    if type(value) is not str:
        raise mismatch("a date-time string", value)
    # datetime.fromisoformat reads a trailing "Z" only from Python 3.11 on.
    text = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    # Python 3.10 reads a fraction of a second only as 3 or 6 digits; RFC 3339 allows any.
    six_digits = _six_digit_fraction(text)
    if six_digits != text:
        try:
            return datetime.fromisoformat(six_digits)
        except ValueError:
            pass
    raise ResponseValidationError("expected an RFC 3339 date-time string")


def _six_digit_fraction(text: str) -> str:
    """``text`` with its fraction of a second padded or cut to microseconds."""
    match = _FRACTION.search(text)
    if match is None:
        return text
    digits = (match.group(1) + "000000")[:6]
    return f"{text[: match.start()]}.{digits}{text[match.end() :]}"


def format_datetime(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_date(value: Any) -> date:
    if type(value) is not str:
        raise mismatch("a date string", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ResponseValidationError("expected an RFC 3339 full-date string") from None


def enum_or_str(enum: type[E], value: str) -> E | str:
    """The member of ``enum`` with this value; a value the spec does not list is kept as it is."""
    # The lookup Enum.__call__ does, without its several layers of calls.
    return cast("E | str", enum._value2member_map_.get(value, value))


def enum_or_value(enum: type[E], value: T) -> E | T:
    """``enum_or_str`` for enums of integers, or of strings and integers."""
    return cast("E | T", enum._value2member_map_.get(value, value))


def enum_value(value: Enum | str | int) -> Any:
    return value.value if isinstance(value, Enum) else value


def enum_decoder(enum: type[E]) -> Callable[[Any], Any]:
    """A decoder of the values of ``enum`` (strings, integers or both), open to unlisted ones."""
    kinds: tuple[type, ...] = tuple(
        dict.fromkeys(type(cast("object", member.value)) for member in enum)
    )
    expected = " or ".join(_JSON_TYPES[kind] for kind in kinds)
    members = enum._value2member_map_

    def decode(value: Any) -> Any:
        if type(value) not in kinds:
            raise mismatch(expected, value)
        return members.get(value, value)

    return decode


def encode_value(value: Any) -> Any:
    """The JSON form of any value of a model's attribute (a union's, whatever its variant)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [encode_value(item) for item in cast("list[object]", value)]
    if isinstance(value, dict):
        return {key: encode_value(item) for key, item in cast("dict[str, Any]", value).items()}
    to_dict = getattr(value, "to_dict", None)  # a model
    return to_dict() if to_dict is not None else value


@dataclass(frozen=True)
class Variant:
    """One alternative of a union, as its decoder tells it apart."""

    label: str  # how messages name it: ``Pet``, ``list[str]``
    kinds: tuple[type, ...] | None  # the Python types of the JSON values it may be; None: any
    decode: Callable[[Any], Any]
    required: frozenset[str] = frozenset()  # an object's required properties
    known: frozenset[str] = frozenset()  # an object's properties
    listed: Callable[[Any], bool] | None = None  # an enum's: whether it lists the decoded value


def decode_union(
    value: Any,
    variants: tuple[Variant, ...],
    discriminator: str | None = None,
    mapping: Mapping[str, int] | None = None,
) -> Any:
    """Decode ``value`` as the first variant of a union that accepts it.

    The discriminator, when the spec names one and the value carries a known one, decides
    alone. Otherwise only the variants of the value's JSON type are tried: objects first by
    those whose required properties are all there, then by how many of its properties each
    knows. An enum variant that does not list the value is taken only if none accepts it
    better. When none accepts it, the error says why each refused.
    """
    kind: type = type(cast("object", value))
    candidates = [v for v in variants if v.kinds is None or kind in v.kinds]
    if not candidates:
        wanted = " or ".join(dict.fromkeys(_describe(v) for v in variants))
        raise mismatch(wanted, value)
    if kind is dict:
        if discriminator is not None and mapping:
            tag = value.get(discriminator)
            if type(tag) is str and tag in mapping:
                return variants[mapping[tag]].decode(value)
        if len(candidates) > 1:
            keys = value.keys()
            candidates.sort(
                key=lambda v: (not v.required <= keys, -len(v.known & keys)),
            )
    if len(candidates) == 1 and candidates[0].listed is None:
        return candidates[0].decode(value)
    refusals: list[tuple[str, ResponseValidationError]] = []
    unlisted: list[Any] = []
    for variant in candidates:
        try:
            decoded = variant.decode(value)
        except ResponseValidationError as exc:
            refusals.append((variant.label, exc))
            continue
        if variant.listed is not None and not variant.listed(decoded):
            unlisted.append(decoded)
            continue
        return decoded
    if unlisted:
        return unlisted[0]  # open enums: a value the spec does not list is kept
    reasons = "; ".join(
        f"as {label}" + (f", at {exc.json_path[1:]}" if exc.path else "") + f": {exc.reason}"
        for label, exc in refusals
    )
    raise ResponseValidationError(
        f"no alternative accepts the value ({reasons})", alternatives=tuple(refusals)
    )


def _describe(variant: Variant) -> str:
    if variant.kinds is None:
        return variant.label
    if set(variant.kinds) == {int, float}:
        return "a number"
    return " or ".join(_JSON_TYPES[kind] for kind in variant.kinds)


def decode_list(value: Any, item: Callable[[Any], T]) -> list[T]:
    if type(value) is not list:
        raise mismatch("an array", value)
    result: list[T] = []
    for index, element in enumerate(cast("list[object]", value)):
        try:
            result.append(item(element))
        except ResponseValidationError as exc:
            raise exc.within(index) from None
    return result


def list_decoder(item: Callable[[Any], T]) -> Callable[[Any], list[T]]:
    def decode(value: Any) -> list[T]:
        return decode_list(value, item)

    return decode


def decode_map(value: Any, item: Callable[[Any], T]) -> dict[str, T]:
    if type(value) is not dict:
        raise mismatch("an object", value)
    result: dict[str, T] = {}
    for key, element in cast("dict[str, Any]", value).items():
        try:
            result[key] = item(element)
        except ResponseValidationError as exc:
            raise exc.within(key) from None
    return result


def decode_extra(
    data: dict[str, Any], known: tuple[str, ...], item: Callable[[Any], T]
) -> dict[str, T]:
    """The properties of ``data`` beyond the ``known`` ones, each decoded by ``item``."""
    result: dict[str, T] = {}
    for key, element in data.items():
        if key in known:
            continue
        try:
            result[key] = item(element)
        except ResponseValidationError as exc:
            raise exc.within(key) from None
    return result


def map_decoder(item: Callable[[Any], T]) -> Callable[[Any], dict[str, T]]:
    def decode(value: Any) -> dict[str, T]:
        return decode_map(value, item)

    return decode


def nullable(item: Callable[[Any], T]) -> Callable[[Any], T | None]:
    def decode(value: Any) -> T | None:
        return None if value is None else item(value)

    return decode
