"""The last step of the model: every model, enum and union gets its class name.

While the spec is resolved, a type refers to a model, enum or union by the JSON pointer of its
schema. Once all of them are known, each gets the name its place earns
(``naming.schema_class_name``), made distinct from the others and from the names the generated
modules use themselves (``naming.unique_names``), and every reference is rewritten to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from generator.model import ir
from generator.model.naming import schema_class_name, status_error_name, unique_names

# Names the generated modules define or import beside the model classes.
PACKAGE_NAMES = frozenset(
    {
        "Any",
        "Mapping",
        "Enum",
        "TypeAlias",
        "Literal",
        "Final",
        "UNSET",
        "Unset",
        "APIError",
        "APIStatusError",
        "APIConnectionError",
        "APITimeoutError",
        "RateLimitError",
        "ResponseValidationError",
        "Client",
        "AsyncClient",
        "APIResponse",
        "Call",
        "ResponseMap",
        "SyncAPIClient",
        "AsyncAPIClient",
        "TimeoutTypes",
        "RetryPolicy",
        "RetryEvent",
        "DEFAULT_TIMEOUT",
        "STATUS_ERRORS",
        "RATE_LIMIT_ERRORS",
    }
)


def _reserved_names() -> frozenset[str]:
    """The names a model class may not take: the package's own, and its exception classes.

    The exception classes of every status are reserved, not only of those the spec uses: an
    operation added later that answers 404 then renames no model already called
    ``NotFoundError``. (The client's namespace classes give way to the models instead: see
    ``operations``.)
    """
    names = set(PACKAGE_NAMES)
    for status in range(100, 600):
        error = status_error_name(status)
        names |= {error, error.removesuffix("Error") + "RateLimitError"}
    return frozenset(names)


RESERVED_NAMES = _reserved_names()


def name_types(api: ir.Api, document: Mapping[str, Any]) -> ir.Api:
    """``api`` with every model, enum and union named, and every reference to one renamed."""
    pointers = [m.name for m in api.models] + [e.name for e in api.enums]
    pointers += [u.name for u in api.unions]
    wanted = {pointer: schema_class_name(dict(document), pointer) for pointer in pointers}
    result: ir.Api = _renamed(api, unique_names(wanted, RESERVED_NAMES))
    return result


_NAMED = (ir.ModelRef, ir.EnumRef, ir.UnionRef, ir.Model, ir.Enum, ir.Union)


def _renamed(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, tuple):
        return tuple(_renamed(item, names) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for field in dataclasses.fields(value):
        old = getattr(value, field.name)
        new = (
            names[old]
            if field.name == "name" and isinstance(value, _NAMED)
            else _renamed(old, names)
        )
        if new is not old:
            changes[field.name] = new
    return dataclasses.replace(value, **changes) if changes else value
