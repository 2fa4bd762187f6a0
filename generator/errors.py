"""Errors the generator reports to the person running it."""

from __future__ import annotations

from dataclasses import dataclass


class GeneratorError(Exception):
    """Generation cannot go on; the message says why and where."""


class SpecError(GeneratorError):
    """The spec is invalid or uses something the generator does not support.

    ``pointer`` is a JSON pointer into the spec document; ``line`` is the line of the spec
    file it points at, when known.
    """

    def __init__(
        self, pointer: str, message: str, *, source: str | None = None, line: int | None = None
    ):
        self.pointer = pointer
        self.message = message
        self.source = source
        self.line = line
        super().__init__(str(self))

    def located(self, source: str, line: int | None) -> SpecError:
        """The same error, placed in a file (and line) for the reader."""
        return SpecError(self.pointer, self.message, source=source, line=line)

    def __str__(self) -> str:
        where = self.source or "spec"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.pointer or '/'}: {self.message}"


@dataclass(frozen=True)
class SpecWarning:
    """Something the spec gets wrong that the generator can still make sense of.

    Published descriptions carry the same few mistakes again and again (an enum value of the
    wrong type, ``required: true`` inside a schema, ...): each is accepted, and said, with the
    pointer where it is and what was made of it. ``--strict`` turns every warning into an error.
    """

    pointer: str
    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.source or "spec"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.pointer or '/'}: warning: {self.message}"

    def as_error(self) -> SpecError:
        """The same finding as an error (``--strict``)."""
        return SpecError(self.pointer, self.message, source=self.source, line=self.line)
