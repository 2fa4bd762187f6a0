"""Lists that span pages: every item, one request per page, following the server's links.

A list operation's method returns a :class:`SyncPaginator` (or :class:`AsyncPaginator`).
Nothing is sent until it is iterated; iterating it yields every item of every page, fetching
the next page only when the items of the last one are used up. The next page is the one the
answer's link header (``PAGINATION_LINK_HEADER``, RFC 8288) names ``rel="next"``, requested
exactly as linked, never built by hand; there is none after the last. Each page is a call of
its own, so retries and rate limits apply to each. A link to another origin than the client's
is refused, as a redirect there would be: the token goes nowhere else.

``pages()`` yields the :class:`Page`\\ s themselves, each with its :class:`APIResponse`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._calls import APIResponse, Call
from ._exceptions import ResponseValidationError
from ._settings import PAGINATION_LINK_HEADER
from ._types import UNSET, Unset

if TYPE_CHECKING:
    from ._base_client import AsyncTransport, SyncTransport, TimeoutTypes

ItemT = TypeVar("ItemT")
BodyT = TypeVar("BodyT")


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` where it is outside ``<...>`` and quoted strings."""
    parts: list[str] = []
    current: list[str] = []
    in_target = in_quotes = escaped = False
    for character in text:
        if escaped:
            escaped = False
        elif in_quotes:
            escaped = character == "\\"
            in_quotes = character != '"'
        elif in_target:
            in_target = character != ">"
        elif character == "<":
            in_target = True
        elif character == '"':
            in_quotes = True
        elif character == separator:
            parts.append("".join(current))
            current = []
            continue
        current.append(character)
    parts.append("".join(current))
    return parts


def links(header: str) -> dict[str, str]:
    """The targets of a Link header by relation type: ``{"next": "https://...", ...}``.

    A link may have several relation types (``rel="next last"``); they are case-insensitive;
    the first link of a relation type wins, and only a link's first ``rel`` counts (RFC 8288).
    """
    found: dict[str, str] = {}
    for value in _split(header, ","):
        value = value.strip()
        if not value.startswith("<") or ">" not in value:
            continue  # not a link-value: ignored rather than guessed at
        target, _, rest = value[1:].partition(">")
        for parameter in _split(rest, ";")[1:]:
            name, _, raw = parameter.partition("=")
            if name.strip().lower() != "rel":
                continue
            raw = raw.strip()
            if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            for relation in raw.lower().split():
                found.setdefault(relation, target.strip())
            break
    return found


@dataclass(frozen=True)
class Page(Generic[ItemT, BodyT]):
    """One page of a list: its items and the whole answer that brought them."""

    items: list[ItemT]
    response: APIResponse[BodyT]
    """The page's answer: ``parsed`` (the decoded body), headers, status code, retries."""
    total_count: int | None
    """How many items the whole list has, when the answer says."""
    next_url: str | None
    """The URL of the next page, as the answer linked it; None on the last page."""


def next_url(response: APIResponse[Any]) -> str | None:
    """The next page's absolute URL from an answer's link header, or None on the last page."""
    name = PAGINATION_LINK_HEADER
    if name is None:
        return None
    header = ", ".join(response.headers.get_list(name))
    target = links(header).get("next") if header else None
    if target is None:
        return None
    # A relative link is relative to the URL that was requested (RFC 8288, 3.1).
    return str(response.http_response.request.url.join(target))


def _page(
    response: APIResponse[BodyT],
    items: Callable[[BodyT], list[ItemT]],
    total: Callable[[BodyT], int | None] | None,
) -> Page[ItemT, BodyT]:
    body = response.parsed
    return Page(
        items=items(body),
        response=response,
        total_count=total(body) if total is not None else None,
        next_url=next_url(response),
    )


def _next_call(
    transport: SyncTransport | AsyncTransport,
    call: Call[BodyT],
    page: Page[ItemT, BodyT],
    seen: set[str],
) -> Call[BodyT]:
    """The call of the page after ``page``; refuses links elsewhere and links in circles."""
    assert page.next_url is not None
    url = httpx.URL(page.next_url)
    response = page.response.http_response
    seen.add(str(response.request.url))
    if not transport.same_origin(url):
        raise ResponseValidationError(
            f"the link to the next page, {page.next_url}, leaves the origin of "
            f"{transport.base_url}; it was not followed (the token is sent to that origin only)",
            response=response,
        )
    if page.next_url in seen:
        raise ResponseValidationError(
            f"the link to the next page, {page.next_url}, names a page already fetched",
            response=response,
        )
    # Exactly as linked: its query holds the page (and every other parameter) already.
    return replace(call, url=page.next_url, params=None)


@dataclass(frozen=True)
class _Options:
    timeout: TimeoutTypes | Unset = UNSET
    max_retries: int | Unset = UNSET
    retry_non_idempotent: bool | Unset = UNSET


class SyncPaginator(Generic[ItemT, BodyT]):
    """Every item of a list, fetched a page at a time as iteration reaches it.

    Iterate it (``for item in client.<namespace>.list_...(...)``) for the items, or call
    :meth:`pages` for the pages. Each iteration starts again from the first page.
    """

    def __init__(
        self,
        transport: SyncTransport,
        call: Call[BodyT],
        items: Callable[[BodyT], list[ItemT]],
        total: Callable[[BodyT], int | None] | None = None,
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        retry_non_idempotent: bool | Unset = UNSET,
    ) -> None:
        self._transport = transport
        self._call = call
        self._items = items
        self._total = total
        self._options = _Options(timeout, max_retries, retry_non_idempotent)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._call.method} {self._call.path})"

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.pages():
            yield from page.items

    def pages(self) -> Iterator[Page[ItemT, BodyT]]:
        """Every page, the first one first; the next is fetched when this one is used up."""
        call, seen = self._call, set[str]()
        options = self._options
        while True:
            response = self._transport.send(
                call,
                timeout=options.timeout,
                max_retries=options.max_retries,
                retry_non_idempotent=options.retry_non_idempotent,
            )
            page = _page(response, self._items, self._total)
            yield page
            if page.next_url is None:
                return
            call = _next_call(self._transport, call, page, seen)


class AsyncPaginator(Generic[ItemT, BodyT]):
    """The asynchronous :class:`SyncPaginator`: ``async for`` the items, or the :meth:`pages`."""

    def __init__(
        self,
        transport: AsyncTransport,
        call: Call[BodyT],
        items: Callable[[BodyT], list[ItemT]],
        total: Callable[[BodyT], int | None] | None = None,
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        retry_non_idempotent: bool | Unset = UNSET,
    ) -> None:
        self._transport = transport
        self._call = call
        self._items = items
        self._total = total
        self._options = _Options(timeout, max_retries, retry_non_idempotent)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._call.method} {self._call.path})"

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def pages(self) -> AsyncIterator[Page[ItemT, BodyT]]:
        """Every page, the first one first; the next is fetched when this one is used up."""
        call, seen = self._call, set[str]()
        options = self._options
        while True:
            response = await self._transport.send(
                call,
                timeout=options.timeout,
                max_retries=options.max_retries,
                retry_non_idempotent=options.retry_non_idempotent,
            )
            page = _page(response, self._items, self._total)
            yield page
            if page.next_url is None:
                return
            call = _next_call(self._transport, call, page, seen)
