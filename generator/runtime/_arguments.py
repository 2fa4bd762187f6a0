"""Checks of call arguments against the spec, done before anything is sent.

A value of the wrong type raises ``TypeError``; a value of the right type that the spec does
not allow (outside an enum or a bound, an empty path segment) raises ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, cast
from urllib.parse import quote, unquote

from ._types import UNSET

E = TypeVar("E", bound=Enum)
V = TypeVar("V")


def path_segment(name: str, value: object) -> str:
    """``value`` percent-encoded as exactly one path segment.

    Every character but the unreserved ones is encoded, so a ``/``, ``?`` or ``#`` in a value
    cannot change which URL is requested; a segment that would mean "this" or "the parent"
    directory (``.``, ``..``, also percent-encoded) is refused.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.isprintable() and any("\ud800" <= char <= "\udfff" for char in value):
        raise ValueError(f"{name} must be valid Unicode text (it holds a lone surrogate)")
    if unquote(value) in ("", ".", ".."):
        raise ValueError(f"{name} must not be empty, '.' or '..' (got {value!r})")
    return quote(value, safe="")


def query_value(value: object) -> str | list[str]:
    """A checked query or header argument as text: as JSON writes a boolean (``true``), an enum
    member as its value, a date-time in ISO 8601, anything else as ``str`` does.

    A list becomes a list of texts, which httpx sends as the parameter repeated
    (``?id=1&id=2``): the OpenAPI ``form`` style that explodes, a query parameter's default.
    """
    if isinstance(value, list):
        return [str(query_value(item)) for item in cast("list[object]", value)]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def header_value(value: object) -> str:
    """A checked header argument as text: as ``query_value``, with a list's items joined by
    commas (the ``simple`` style, a header's only one)."""
    text = query_value(value)
    return ",".join(text) if isinstance(text, list) else text


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, not {type(value).__name__}")


def check_str(
    name: str,
    value: Any,
    *,
    nullable: bool = False,
    min_length: int | None = None,
    max_length: int | None = None,
) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, str):
        raise _type_error(name, "a str", value)
    if min_length is not None and len(value) < min_length:
        raise ValueError(f"{name} must be at least {min_length} characters long")
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters long")
    return value


def check_int(
    name: str,
    value: Any,
    *,
    nullable: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if isinstance(value, bool) or not isinstance(
        value, int
    ):  # True is an int to Python, not to JSON
        raise _type_error(name, "an int", value)
    return _check_bounds(name, value, minimum, maximum)


def check_number(
    name: str,
    value: Any,
    *,
    nullable: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(name, "a number", value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number (JSON has no NaN or infinity)")
    return _check_bounds(name, value, minimum, maximum)


def _check_bounds(name: str, value: float, minimum: float | None, maximum: float | None) -> float:
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, not {value}")
    return value


def check_bool(name: str, value: Any, *, nullable: bool = False) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, bool):
        raise _type_error(name, "a bool", value)
    return value


def check_datetime(name: str, value: Any, *, nullable: bool = False) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, datetime):
        raise _type_error(name, "a datetime", value)
    return value


def check_date(name: str, value: Any, *, nullable: bool = False) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, date) or isinstance(value, datetime):
        raise _type_error(name, "a date", value)
    return value


def check_enum(name: str, value: Any, enum: type[E], *, nullable: bool = False) -> Any:
    """The member of ``enum`` that ``value`` is or names."""
    if value is UNSET or (value is None and nullable):
        return value
    if isinstance(value, enum):
        return value
    kinds: tuple[type, ...] = tuple({type(cast("object", member.value)) for member in enum})
    if isinstance(value, (Enum, bool)) or not isinstance(value, kinds):
        raise _type_error(name, f"a {enum.__name__} or one of its values", value)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum)
        raise ValueError(f"{name} must be one of {allowed}, not {value!r}") from None


def check_list(
    name: str, value: Any, item: Callable[[str, Any], V], *, nullable: bool = False
) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, (list, tuple)):
        raise _type_error(name, "a list", value)
    elements = cast("Sequence[Any]", value)
    return [item(f"{name}[{index}]", element) for index, element in enumerate(elements)]


def check_any(name: str, value: Any, *, nullable: bool = False) -> Any:
    return value


def check_model(name: str, value: Any, model: type, *, nullable: bool = False) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, model):
        raise _type_error(name, f"a {model.__name__}", value)
    return value


def check_map(
    name: str, value: Any, item: Callable[[str, Any], V], *, nullable: bool = False
) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, dict):
        raise _type_error(name, "a dict with str keys", value)
    entries = cast("dict[object, object]", value)
    if not all(isinstance(key, str) for key in entries):
        raise _type_error(name, "a dict with str keys", entries)
    return {key: item(f"{name}[{key!r}]", element) for key, element in entries.items()}


def check_bytes(name: str, value: Any, *, nullable: bool = False) -> Any:
    if value is UNSET or (value is None and nullable):
        return value
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise _type_error(name, "bytes", value)
    return bytes(cast("bytes", value))


def check_union(
    name: str,
    value: Any,
    alternatives: tuple[Callable[[str, Any], Any], ...],
    *,
    nullable: bool = False,
) -> Any:
    """``value`` as the first alternative of a union that allows it.

    A ``TypeError`` when it has the type of none of them, a ``ValueError`` when it has the type
    of one but a value that one does not allow; either names every alternative's objection.
    """
    if value is UNSET or (value is None and nullable):
        return value
    problems: list[Exception] = []
    for check in alternatives:
        try:
            return check(name, value)
        except (TypeError, ValueError) as exc:
            problems.append(exc)
    reasons = "; ".join(str(problem) for problem in problems)
    if all(isinstance(problem, TypeError) for problem in problems):
        raise TypeError(f"{name} matches none of its alternatives: {reasons}")
    raise ValueError(f"{name} matches none of its alternatives: {reasons}")


def comma_joined(value: Any) -> Any:
    """A checked list argument of a query parameter that does not explode (``explode: false``):
    one comma-separated value."""
    if value is UNSET or value is None:
        return value
    return ",".join(str(query_value(item)) for item in cast("list[object]", value))
