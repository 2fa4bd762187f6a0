"""Reading JSON fast, and finding where each value came from only when someone asks.

GitHub publishes its description as 13 MB of JSON: ``json.loads`` reads it in a tenth of a
second, where a YAML parser takes seconds. Lines are only needed to report an error, so they
are computed then, by a small tokenizer, and never on the way to a successful generation.
JSON parsers silently keep the last of two equal keys; the fast path notices that cheaply and
the tokenizer then says which key, and where.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.errors import SpecError
from generator.reading import pointer as jp

# A string, a punctuation mark, a bare word (number, true, false, null) or a line break.
# JSON strings cannot hold a raw line break, so counting the breaks between tokens counts lines.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\n')


class _DuplicateKey(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def read_json(path: Path) -> tuple[Any, Mapping[str, int]]:
    """The document in ``path`` and the 1-based line of each JSON pointer (found lazily)."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        document = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise SpecError(
            "", f"not valid JSON: {exc.msg} (column {exc.colno})", source=str(path), line=exc.lineno
        ) from None
    except _DuplicateKey:
        where, line = first_duplicate(text)
        raise SpecError(
            where,
            "duplicate key (JSON parsers would silently keep only the last one)",
            source=str(path),
            line=line,
        ) from None
    return document, LazyLines(text)


class LazyLines(Mapping[str, int]):
    """JSON pointer -> line, scanned from the text on first use."""

    def __init__(self, text: str):
        self._text = text
        self._table: dict[str, int] | None = None

    def _lines(self) -> dict[str, int]:
        if self._table is None:
            self._table = scan(self._text)[0]
        return self._table

    def __getitem__(self, pointer: str) -> int:
        return self._lines()[pointer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())


def first_duplicate(text: str) -> tuple[str, int | None]:
    """The pointer and line of the first key that repeats one before it in its object."""
    duplicate = scan(text)[1]
    return duplicate if duplicate is not None else ("", None)


class _Container:
    __slots__ = ("index", "is_object", "key", "keys", "pointer", "wants_key")

    def __init__(self, pointer: str, is_object: bool):
        self.pointer = pointer
        self.is_object = is_object
        self.wants_key = is_object
        self.key = ""
        self.index = 0
        self.keys: set[str] = set()


def scan(text: str) -> tuple[dict[str, int], tuple[str, int] | None]:
    """The line of every value by JSON pointer, and the first duplicate key (pointer, line).

    ``text`` is valid JSON (``json.loads`` read it), so the tokens need no checking here.
    """
    lines: dict[str, int] = {}
    duplicate: tuple[str, int] | None = None
    stack: list[_Container] = []
    line = 1
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n":
            line += 1
            continue
        if first == ":":
            continue
        if first == ",":
            if stack[-1].is_object:
                stack[-1].wants_key = True
            else:
                stack[-1].index += 1
            continue
        if first in "}]":
            stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is not None and top.wants_key:
            key = json.loads(token)
            if key in top.keys and duplicate is None:
                duplicate = (jp.join(top.pointer, key), line)
            top.keys.add(key)
            top.key, top.wants_key = key, False
            continue
        if top is None:
            where = ""
        elif top.is_object:
            where = jp.join(top.pointer, top.key)
        else:
            where = jp.join(top.pointer, top.index)
        lines[where] = line
        if first in "{[":
            stack.append(_Container(where, first == "{"))
    return lines, duplicate
