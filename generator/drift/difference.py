"""One finding of ``make drift``, and how a place in a description is named for a reader."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from generator.model.resolve import HTTP_METHODS
from generator.reading import pointer as jp

BREAKING = "breaking"  # the generated client may fail, or call the API wrongly
ADDITIVE = "additive"  # the API says more or differently, without breaking the client
PATCHED = "patched"  # a deliberate departure of spec/ (spec/patches.yaml), not drift
ANNOUNCED = "announced"  # a change upstream announces for a later API version, not drift
CATEGORIES = (BREAKING, ADDITIVE, PATCHED, ANNOUNCED)
DRIFT = frozenset({BREAKING, ADDITIVE})

REQUEST = "request"
RESPONSE = "response"


@dataclass(frozen=True)
class Difference:
    """``old`` is what spec/ says, ``new`` what upstream says (None where one says nothing).

    ``tolerated`` says, for an addition, whether the client generated today already copes with
    it (True), needs regenerating first (False), or whether the question does not arise (None).
    """

    kind: str
    category: str
    pointer: str  # into spec/openapi.yaml (upstream's own place when the spec has none)
    message: str
    old: Any = None
    new: Any = None
    tolerated: bool | None = None
    reason: str | None = None  # why a patch exists; the changeset of an announcement
    api_version: str | None = None  # the API version an announcement is for

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_SINGULAR = {
    "responses": "response",
    "parameters": "parameter",
    "requestBodies": "request body",
    "headers": "header",
}


def label(pointer: str) -> str:
    """A short name for a place: ``pet.owner``, ``POST /user 201 response (...)``."""
    tokens = jp.split(pointer)
    if len(tokens) >= 3 and tokens[0] == "components":
        section, name, rest = tokens[1], tokens[2], tokens[3:]
        text = name if section == "schemas" else f"{_SINGULAR.get(section, section)} {name}"
    elif len(tokens) >= 3 and tokens[0] == "paths" and tokens[2] in HTTP_METHODS:
        text, rest = f"{tokens[2].upper()} {tokens[1]}", tokens[3:]
    elif len(tokens) >= 2 and tokens[0] == "paths":
        text, rest = tokens[1], tokens[2:]
    else:
        return pointer or "/"
    pairs = {"properties": ".{}", "responses": " {} response", "content": " ({})"}
    index = 0
    while index < len(rest):
        token = rest[index]
        if token in pairs and index + 1 < len(rest):
            text += pairs[token].format(rest[index + 1])
            index += 2
            continue
        text += {"items": "[]", "schema": "", "requestBody": " request body"}.get(
            token, f" {token}"
        )
        index += 1
    return text
