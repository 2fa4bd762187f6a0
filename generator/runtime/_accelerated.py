"""A stand-in for the generated ``_accelerated`` module, so the runtime type-checks where it stands.

Each generated package writes its own from the spec (msgspec structs that mirror its
models); ``_codec`` imports it only when msgspec is installed, and needs only these two names
of it. Never copied; a test holds the two to the same names and types.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

# Present whenever this module is imported. Any: msgspec is optional, and a type checker
# without it installed would see only Unknown.
msgspec: Any = importlib.import_module("msgspec")

DECODERS: Mapping[type[Any], Callable[[bytes | str], Any]] = {}
"""Model class -> a function decoding JSON text into it, through msgspec."""

FALLBACK_ERRORS: tuple[type[Exception], ...] = (msgspec.MsgspecError,)
"""What msgspec raises for a body it refuses; the standard decoder then takes over."""
