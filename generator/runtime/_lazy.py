"""Names a module offers but loads only when first used (PEP 562's module ``__getattr__``).

A large API's operations live in one module per tag, and its models in a module per component
schema: importing the package, or a client, loads none of them, and using one namespace or one
model loads that one (with what it refers to) alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any


def lazy_attributes(module: str, offered: Mapping[str, Iterable[str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for the names ``offered`` by each module (relative to the
    package of ``module``): the first use of a name imports its module; any other name is an
    AttributeError."""
    package = module.rpartition(".")[0]
    where = {name: source for source, names in offered.items() for name in names}

    def __getattr__(name: str) -> Any:
        found = where.get(name)
        if found is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{found}"), name)

    return __getattr__
