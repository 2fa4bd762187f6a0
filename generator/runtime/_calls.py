"""One prepared call, how each documented answer to it is decoded, and a successful answer."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from ._exceptions import ResponseValidationError
from ._settings import REQUEST_ID_HEADER

T = TypeVar("T")


@dataclass(frozen=True)
class ResponseMap(Generic[T]):
    """How to decode each documented answer of an operation: status -> content type -> decoder.

    Keys are status codes as the spec writes them: ``"201"``, ``"4XX"``, ``"default"``. A status
    with no decoders (a 304, a 202 whose body the spec gives no shape) has no body to read: its
    body is ``None``, and whatever came is not decoded.
    """

    success: Mapping[str, Mapping[str, Callable[[bytes], T]]]
    errors: Mapping[str, Mapping[str, Callable[[bytes], object]]]


@dataclass(frozen=True)
class Call(Generic[T]):
    """One prepared API call, its arguments already checked and encoded."""

    method: str
    path: str
    """Already percent-encoded; appended to the client's base URL."""
    responses: ResponseMap[T]
    params: Mapping[str, str | list[str]] | None = None
    """A list is the parameter repeated, once per item."""
    headers: Mapping[str, str] | None = None
    content: bytes | None = None
    content_type: str | None = None
    url: str | None = None
    """An absolute URL to request instead of the base URL and ``path``: the next page of a list,
    exactly as the server linked it. The client sends it only to its own origin."""


@dataclass(frozen=True)
class APIResponse(Generic[T]):
    """A successful answer: the decoded body with the status code and headers it came with.

    Returned by the methods of a client's ``with_response`` namespaces, for callers that need
    more than the body: whether something was created (201) or only accepted for creation
    in the background (202), say.
    """

    parsed: T
    """The body, decoded into its model."""
    status_code: int
    headers: httpx.Headers
    http_response: httpx.Response = field(repr=False)
    retries_taken: int = 0
    """How many times the call was retried before this answer."""

    @property
    def request_id(self) -> str | None:
        value: str | None = self.headers.get(REQUEST_ID_HEADER)
        return value


def media_type(response: httpx.Response) -> str:
    value: str = response.headers.get("content-type", "")
    return value.split(";")[0].strip().lower()


def lookup(table: Mapping[str, T], status: int, *, default: bool) -> T | None:
    found = table.get(str(status))
    if found is None:
        found = table.get(f"{status // 100}XX")
    if found is None and default:
        found = table.get("default")
    return found


def choose(
    decoders: Mapping[str, Callable[[bytes], T]], response: httpx.Response
) -> Callable[[bytes], T]:
    """The decoder for the answer's content type; the only one documented if that does not match."""
    if len(decoders) == 1:  # the usual case, without looking the content type up
        return next(iter(decoders.values()))
    decoder = decoders.get(media_type(response))
    if decoder is not None:
        return decoder
    documented = ", ".join(decoders)
    raise ResponseValidationError(
        f"the content type {media_type(response)!r} is not one of {documented}"
    )


def encode_json(value: Any) -> bytes:
    """The JSON text of a request body, as UTF-8."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )
