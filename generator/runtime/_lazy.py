"""Names a module offers but loads only when first used (PEP 562's module ``__getattr__``).

A large API's operations live in one module per tag; importing the package, or a client,
loads none of them, and using one namespace loads that one alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_attributes(module: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``where[name]`` (a module, relative to the package
    of ``module``) and returns its ``name``; any other name is an AttributeError."""
    package = module.rpartition(".")[0]

    def __getattr__(name: str) -> Any:
        found = where.get(name)
        if found is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{found}"), name)

    return __getattr__
