"""Errors the generator reports to the person running it."""

from __future__ import annotations


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
