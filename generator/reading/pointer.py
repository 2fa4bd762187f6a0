"""JSON pointers (RFC 6901): how every error names a place in the spec."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """``join("/a", "b/c", 0)`` -> ``"/a/b~1c/0"``."""
    return pointer + "".join("/" + escape(t) for t in tokens)


def from_path(tokens: Iterable[str | int]) -> str:
    return join("", *tokens)


def split(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def resolve(document: Any, pointer: str) -> Any:
    """The value ``pointer`` names in ``document``; ``KeyError`` when there is none."""
    node = document
    for token in split(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def ref_pointer(ref: str) -> str:
    """The JSON pointer of a local ``$ref`` (``#/components/...``)."""
    if not ref.startswith("#"):
        raise ValueError(f"only local references are supported, not {ref!r}")
    return ref[1:]
