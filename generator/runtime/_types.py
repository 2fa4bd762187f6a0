"""Values shared by the models and the client."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias


class _UnsetType(enum.Enum):
    # A one-member enum: type checkers narrow ``x is not UNSET`` as they do ``x is not None``.
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


Unset: TypeAlias = Literal[_UnsetType.UNSET]
"""The type of :data:`UNSET`."""

UNSET: Final = _UnsetType.UNSET
"""Marks a property or argument that was not given: absent on the wire, which is not ``null``."""
