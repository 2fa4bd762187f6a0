"""How a call is sent and its answer read: headers, retries, rate limits, redirects, errors.

The sync and async clients share every decision here; they differ only in how they wait and
do I/O.

Retry policy, per method:

* Always retried (up to ``max_retries``): failures where the request provably never reached
  the server (connection refused, DNS failure, connect or pool timeout), and rate-limit
  answers, which the server did not act on, when the wait they ask for is no longer than
  ``RetryPolicy.max_wait``. A rate limit asking for a longer wait raises
  :class:`RateLimitError` at once, carrying it (``retry_after``, ``reset_at``).
* Retried for idempotent methods (GET, PUT, DELETE, ...) but, for a non-idempotent one
  (POST, PATCH), only when the client or the call opts in with ``retry_non_idempotent=True``:
  read and write timeouts, connections dropped after the request was sent, and
  500/502/503/504. A ``POST`` that creates something may have succeeded before any of these,
  and retrying it could create it twice; the error raised says so.
* Never retried: other statuses, answers that do not match the spec, and requests that no
  attempt could send (an unsupported URL scheme, a header the HTTP stack refuses).

Waits grow exponentially from ``RetryPolicy.initial_backoff`` with jitter, capped at
``RetryPolicy.max_backoff``; a server's ``Retry-After`` (seconds or HTTP date) or rate-limit
reset time is honoured instead. Every retry is logged (logger ``LOGGER_NAME``, the package's name;
INFO) and reported to the ``on_retry`` hook; ``retries_taken`` on the response or the error counts
them.

Redirects: 307 and 308 are followed with method, body and ``Authorization`` kept when they stay
on the origin (scheme, host, port) of ``base_url``. To another origin only GET and HEAD are
followed, without ``Authorization`` or cookies; a request with a body is not sent to an origin
the client was not configured for, and the redirect answer raises :class:`APIStatusError`
naming its ``Location``. 301, 302 and 303 are followed for GET and HEAD only; at most
``MAX_REDIRECTS`` are followed.

Connections: a client that makes its own pool holds at most ``DEFAULT_LIMITS.max_connections``
connections, all kept alive for reuse; more calls at once wait in the client for a free one (up
to the pool timeout, then :class:`APITimeoutError`, retried as never sent).

Credentials are a token (sent as ``Authorization``) or any ``httpx.Auth`` (an auth flow, such as
one that refreshes an expiring token). Either is sent only over https, or plain http to a
loopback host, only to the origin of ``base_url`` (a redirect elsewhere is followed without any
credentials, those of a passed-in ``http_client`` included), and never appears in a ``repr``,
a log record or an exception message.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Final, Generic, Protocol, TypeVar

import httpx

from ._calls import APIResponse, Call, choose, lookup
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    ResponseValidationError,
)
from ._rate_limits import rate_limit_of, retry_after_of
from ._retries import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY_POLICY,
    HOPELESS,
    IDEMPOTENT_METHODS,
    NEVER_SENT,
    RETRY_STATUSES,
    RetryEvent,
    RetryPolicy,
)
from ._settings import (
    AUTH_SCHEME,
    DEFAULT_BASE_URL,
    DEFAULT_HEADERS,
    LOGGER_NAME,
    REQUEST_ID_HEADER,
    TOKEN_ENV,
    USER_AGENT,
)
from ._types import UNSET, Unset

T = TypeVar("T")
S = TypeVar("S")
Self = TypeVar("Self", bound="BaseClient")

logger = logging.getLogger(LOGGER_NAME)

TimeoutTypes = float | httpx.Timeout | None

DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=5.0, pool=60.0)
"""Five seconds to connect, a minute for each of the rest: finite, so a call never hangs."""

DEFAULT_LIMITS: Final = httpx.Limits(max_connections=20, max_keepalive_connections=20)
"""The pool of a client that makes its own: at most 20 connections, all kept alive for reuse.

Calls beyond 20 at once wait for a free connection (up to the pool timeout) before they are
sent. Keeping every connection alive matters: with fewer kept alive than may be open, httpcore
closes connections under load instead of reusing them.
"""

MAX_REDIRECTS: Final = 5

SAFE_METHODS: Final = frozenset({"GET", "HEAD"})
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})


class _Secret(Generic[S]):
    """Holds a credential so that no ``repr``, ``vars()`` dump or log line can show it."""

    __slots__ = ("_value",)

    def __init__(self, value: S) -> None:
        self._value = value

    def reveal(self) -> S:
        return self._value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, url.port or default_port)


def _status_message(response: httpx.Response, body: object | None) -> str:
    request = response.request
    text = f"{response.status_code} {response.reason_phrase or 'status'}"
    detail = getattr(body, "message", None)
    if isinstance(detail, str) and detail:
        text += f": {detail}"
    text += f" ({request.method} {request.url})"
    request_id = response.headers.get(REQUEST_ID_HEADER)
    if request_id:
        text += f" [request id {request_id}]"
    location = response.headers.get("location")
    if response.status_code in REDIRECT_STATUSES and location:
        text += f"; the redirect to {location} was not followed (see the client's redirect policy)"
    return text


def _check_token(token: object) -> None:
    """Refuse a token that cannot go into a header, before the HTTP stack quotes it in an error."""
    if not isinstance(token, str):
        raise TypeError(f"token must be a str, not {type(token).__name__}")
    if not all("!" <= character <= "~" for character in token):
        raise ValueError(
            "the API token contains whitespace, a control character or non-ASCII text, which "
            "cannot be sent in an HTTP header (was it read with a trailing newline?); the token "
            "is not shown here"
        )


def _pool_timeout(request: httpx.Request) -> float | None:
    """Seconds a request may wait for a free connection (None: no limit)."""
    timeouts: Mapping[str, float | None] = request.extensions.get("timeout") or {}
    return timeouts.get("pool")


def _no_free_connection(request: httpx.Request) -> httpx.PoolTimeout:
    return httpx.PoolTimeout("no connection of the pool became free in time", request=request)


class Send(Protocol):
    """How the namespaces of a :class:`SyncAPIClient` send their calls: its ``_send``.

    A client hands its namespaces this function rather than itself, so that no class outside
    the client's reaches into its protected members.
    """

    def __call__(
        self,
        call: Call[T],
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        retry_non_idempotent: bool | Unset = UNSET,
    ) -> APIResponse[T]: ...


class AsyncSend(Protocol):
    """How the namespaces of an :class:`AsyncAPIClient` send their calls: its ``_send``."""

    async def __call__(
        self,
        call: Call[T],
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        retry_non_idempotent: bool | Unset = UNSET,
    ) -> APIResponse[T]: ...


@dataclass(frozen=True)
class SyncTransport:
    """What a :class:`SyncAPIClient` hands its namespaces, paginators and waiters.

    How to send a call (the client's ``_send``), and where the client may send: a link an
    answer gives (the next page) is followed only on the client's own origin. Handing this
    rather than the client keeps every class outside the client out of its protected members.
    """

    send: Send
    base_url: str
    same_origin: Callable[[httpx.URL], bool]


@dataclass(frozen=True)
class AsyncTransport:
    """What an :class:`AsyncAPIClient` hands its namespaces, paginators and waiters."""

    send: AsyncSend
    base_url: str
    same_origin: Callable[[httpx.URL], bool]


class BaseClient:
    """Configuration and decisions shared by :class:`Client` and :class:`AsyncClient`."""

    # The exception of each documented status: the spec decides them, so the generated
    # clients fill these in (errors.STATUS_ERRORS); any other status raises the base class.
    status_errors: ClassVar[Mapping[int, type[APIStatusError]]] = {}
    rate_limit_errors: ClassVar[Mapping[int, type[RateLimitError]]] = {}

    def __init__(
        self,
        token: object,  # str | httpx.Auth | None, checked here: callers may not be type-checked
        *,
        base_url: str,
        timeout: TimeoutTypes,
        max_retries: int,
        retry_non_idempotent: bool,
        retry_policy: RetryPolicy,
        on_retry: Callable[[RetryEvent], None] | None,
    ) -> None:
        token_env = TOKEN_ENV
        if token is None and token_env is not None:
            token = os.environ.get(token_env) or None
        auth: httpx.Auth | None = None
        if isinstance(token, httpx.Auth):
            auth, token = token, None
        elif token is not None and not isinstance(token, str):
            raise TypeError(f"token must be a str or an httpx.Auth, not {type(token).__name__}")
        if token:
            _check_token(token)
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
        if (token or auth is not None) and url.scheme == "http" and not _is_loopback(url.host):
            what = "API token" if token else "credentials of the httpx.Auth"
            raise ValueError(
                f"refusing to send the {what} over plain http to {url.host}; use https "
                "(plain http is allowed only to loopback addresses, for local testing)"
            )
        _check_retry_policy(retry_policy)
        self.base_url = str(url).rstrip("/")
        self.timeout = timeout
        self.max_retries = _check_max_retries(max_retries)
        self.retry_non_idempotent = retry_non_idempotent
        self.retry_policy = retry_policy
        self.on_retry = on_retry
        self._token = _Secret(token) if token else None
        self._auth = _Secret(auth) if auth is not None else None
        self._origin = _origin(url)
        self._headers = {**DEFAULT_HEADERS, "User-Agent": USER_AGENT}
        # Whether each request carries the headers above (and the token) itself. A client that
        # makes its own httpx client gives them to it once instead: httpx merging them into
        # every request costs ~10 us a call. (No attribute holds the token in plain text.)
        self._headers_per_request = True

    def _default_headers(self) -> httpx.Headers:
        """The headers an httpx client made by this client sends with every request."""
        headers = httpx.Headers(self._headers)
        if self._token is not None:
            headers["Authorization"] = f"{AUTH_SCHEME} {self._token.reveal()}"
        return headers

    def __repr__(self) -> str:
        authenticated = self._token is not None or self._auth is not None
        return f"{type(self).__name__}(base_url={self.base_url!r}, authenticated={authenticated})"

    # -- building requests -----------------------------------------------------------------

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, call: Call[Any], timeout: TimeoutTypes | Unset
    ) -> httpx.Request:
        headers: dict[str, str] = {}
        if self._headers_per_request:
            headers.update(self._headers)
            if self._token is not None:
                headers["Authorization"] = f"{AUTH_SCHEME} {self._token.reveal()}"
        if call.headers:
            headers.update(call.headers)
        if call.content_type is not None:
            headers["Content-Type"] = call.content_type
        return http.build_request(
            call.method,
            self.base_url + call.path if call.url is None else call.url,
            params=call.params,
            content=call.content,
            headers=headers,
            timeout=self.timeout if timeout is UNSET else timeout,
        )

    def _request_auth(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Auth | None:
        """The auth flow of a call's requests to the origin of ``base_url``.

        The client's own ``httpx.Auth``, else that of the http client it sends with. It is passed
        to httpx explicitly, so that a redirect to another origin can be sent with none at all.
        """
        return self._auth.reveal() if self._auth is not None else http.auth

    def _options(
        self, max_retries: int | Unset, retry_non_idempotent: bool | Unset
    ) -> tuple[int, bool]:
        """A call's ``max_retries`` and ``retry_non_idempotent``: its own, else the client's."""
        limit = self.max_retries if max_retries is UNSET else _check_max_retries(max_retries)
        repeat = (
            self.retry_non_idempotent if retry_non_idempotent is UNSET else retry_non_idempotent
        )
        return limit, repeat

    def _same_origin(self, url: httpx.URL) -> bool:
        """Whether ``url`` is on the origin (scheme, host, port) of ``base_url``."""
        return _origin(url) == self._origin

    def _redirect(self, request: httpx.Request, response: httpx.Response) -> httpx.Request | None:
        """The request to send next when ``response`` redirects ``request``, else None.

        307 and 308 keep the method and body (an API may answer them for a renamed resource);
        301, 302 and 303 are followed for GET and HEAD only. A redirect away from the origin of
        ``base_url`` is followed for GET and HEAD only, without the Authorization header or
        cookies: a request body goes to no origin the client was not configured for.
        """
        status = response.status_code
        if status not in REDIRECT_STATUSES:  # before any header lookup: each costs microseconds
            return None
        location = response.headers.get("location")
        if location is None:
            return None
        if status not in (307, 308) and request.method not in SAFE_METHODS:
            return None
        try:
            url = request.url.join(location)
        except httpx.InvalidURL:
            return None
        if url.scheme not in ("http", "https") or not url.host:
            return None
        headers = httpx.Headers(request.headers)
        headers.pop("Host", None)
        if _origin(url) != self._origin:
            if request.method not in SAFE_METHODS:
                return None
            headers.pop("Authorization", None)
            headers.pop("Cookie", None)
        return httpx.Request(
            request.method,
            url,
            headers=headers,
            content=request.content,
            extensions=request.extensions,
        )

    # -- deciding about retries --------------------------------------------------------------

    def _retry_wait(
        self,
        method: str,
        retries: int,
        max_retries: int,
        retry_non_idempotent: bool,
        *,
        error: httpx.HTTPError | None = None,
        response: httpx.Response | None = None,
    ) -> tuple[float, str] | None:
        """(seconds to wait, why) before retrying, or None to stop here."""
        if retries >= max_retries:
            return None
        may_repeat = method in IDEMPOTENT_METHODS or retry_non_idempotent
        policy = self.retry_policy
        if error is not None:
            if isinstance(error, NEVER_SENT):
                return policy.backoff(retries), f"{type(error).__name__} (the request was not sent)"
            if (
                may_repeat
                and isinstance(error, httpx.TransportError)
                and not isinstance(error, HOPELESS)
            ):
                return policy.backoff(retries), type(error).__name__
            return None
        assert response is not None
        limit = rate_limit_of(response)
        if limit is not None:
            wait = limit.retry_after if limit.retry_after is not None else policy.backoff(retries)
            if wait > policy.max_wait:
                return None
            kind = "secondary" if limit.secondary else "primary"
            return wait, f"{response.status_code}, {kind} rate limit"
        if response.status_code in RETRY_STATUSES and may_repeat:
            wait = max(retry_after_of(response) or 0.0, policy.backoff(retries))
            if wait > policy.max_wait:
                return None
            return wait, f"{response.status_code} {response.reason_phrase}"
        return None

    def _withheld(
        self, method: str, retries: int, max_retries: int, retry_non_idempotent: bool
    ) -> bool:
        """Whether a retry was held back only because ``method`` is not idempotent."""
        return (
            retries < max_retries and not retry_non_idempotent and method not in IDEMPOTENT_METHODS
        )

    def _announce_retry(
        self, request: httpx.Request, retries: int, max_retries: int, wait: float, reason: str
    ) -> None:
        event = RetryEvent(
            method=request.method,
            url=str(request.url),
            retry=retries + 1,
            max_retries=max_retries,
            wait=wait,
            reason=reason,
        )
        logger.info(
            "Retrying %s %s in %.2fs (retry %d of %d): %s",
            event.method,
            event.url,
            wait,
            event.retry,
            max_retries,
            reason,
        )
        if self.on_retry is not None:
            self.on_retry(event)

    # -- reading answers ---------------------------------------------------------------------

    def _connection_error(
        self,
        error: httpx.HTTPError,
        request: httpx.Request,
        retries: int,
        max_retries: int,
        retry_non_idempotent: bool,
    ) -> APIConnectionError:
        what = "timed out" if isinstance(error, httpx.TimeoutException) else "failed"
        retried = f" after {retries} {'retry' if retries == 1 else 'retries'}" if retries else ""
        message = f"{request.method} {request.url} {what}{retried}: {type(error).__name__}"
        if str(error):
            message += f": {error}"
        if not isinstance(error, NEVER_SENT + HOPELESS) and self._withheld(
            request.method, retries, max_retries, retry_non_idempotent
        ):
            message += f"; {_NOT_REPEATED.format(method=request.method)}"
        cls = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        return cls(message, request=request, retries_taken=retries)

    def _read(
        self,
        call: Call[T],
        response: httpx.Response,
        retries: int,
        max_retries: int,
        retry_non_idempotent: bool,
    ) -> APIResponse[T]:
        decoders = lookup(call.responses.success, response.status_code, default=False)
        if decoders is None:
            withheld = response.status_code in RETRY_STATUSES and self._withheld(
                response.request.method, retries, max_retries, retry_non_idempotent
            )
            raise self._status_error(call, response, retries, withheld=withheld)
        parsed: Any = None  # an answer without a body to decode (a 202 or 204, say) is None
        if decoders:
            try:
                parsed = choose(decoders, response)(response.content)
            except ResponseValidationError as exc:
                raise exc.with_response(response, retries) from None
        return APIResponse(
            parsed=parsed,
            status_code=response.status_code,
            headers=response.headers,
            http_response=response,
            retries_taken=retries,
        )

    def _status_error(
        self, call: Call[Any], response: httpx.Response, retries: int, *, withheld: bool = False
    ) -> APIStatusError:
        body: object | None = None
        status = response.status_code
        # A status the operation documents raises its own class; any other, the base class.
        documented = lookup(call.responses.errors, status, default=False) is not None
        decoders = lookup(call.responses.errors, status, default=True)
        if decoders:  # a bodiless answer (a 304, say) has nothing to decode
            try:
                body = choose(decoders, response)(response.content)
            except ResponseValidationError:
                # An error page that is not the documented JSON still raises its status's error.
                body = None
        message = _status_message(response, body)
        if withheld:
            message += f"; {_NOT_REPEATED.format(method=response.request.method)}"
        limit = rate_limit_of(response)
        if limit is not None:
            message += f"; {'secondary' if limit.secondary else 'primary'} rate limit"
            if limit.reset_at is not None and not limit.secondary:
                message += f", resets at {limit.reset_at:%Y-%m-%d %H:%M:%S} UTC"
            if limit.retry_after is not None:
                message += f", retry after {limit.retry_after:.0f}s"
                max_wait = self.retry_policy.max_wait
                if limit.retry_after > max_wait:
                    message += f" (longer than RetryPolicy.max_wait, {max_wait:g}s)"
            rate_limit_class = self.rate_limit_errors.get(status) if documented else None
            return (rate_limit_class or RateLimitError)(
                message,
                response=response,
                body=body,
                secondary=limit.secondary,
                reset_at=limit.reset_at,
                retry_after=limit.retry_after,
                retries_taken=retries,
            )
        status_class = self.status_errors.get(status) if documented else None
        return (status_class or APIStatusError)(
            message, response=response, body=body, retries_taken=retries
        )


_NOT_REPEATED: Final = (
    "not retried: the server may have acted on the {method} already; retry_non_idempotent=True "
    "retries it anyway"
)


# The checks below take ``object``: they are for callers without a type checker.
def _check_retry_policy(value: object) -> None:
    if not isinstance(value, RetryPolicy):
        raise TypeError(f"retry_policy must be a RetryPolicy, not {type(value).__name__}")


def _check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError("max_retries must not be negative")
    return value


class SyncAPIClient(BaseClient):
    """The transport of :class:`Client`."""

    def __init__(
        self,
        token: str | httpx.Auth | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_non_idempotent: bool = False,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        on_retry: Callable[[RetryEvent], None] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_non_idempotent=retry_non_idempotent,
            retry_policy=retry_policy,
            on_retry=on_retry,
        )
        self._owns_http = http_client is None
        if http_client is None:
            http_client = httpx.Client(
                timeout=timeout, limits=DEFAULT_LIMITS, headers=self._default_headers()
            )
            self._headers_per_request = False
        self._http = http_client
        self._transport = SyncTransport(self._send, self.base_url, self._same_origin)
        # Calls wait here for one of the pool's connections (see DEFAULT_LIMITS); a pool passed
        # in is its owner's to size.
        self._slots = (
            threading.BoundedSemaphore(DEFAULT_LIMITS.max_connections or 1)
            if self._owns_http
            else None
        )

    def close(self) -> None:
        """Close the connections (unless the ``http_client`` was passed in: its owner closes it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _send(
        self,
        call: Call[T],
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        retry_non_idempotent: bool | Unset = UNSET,
    ) -> APIResponse[T]:
        limit, repeat = self._options(max_retries, retry_non_idempotent)
        request = self._build_request(self._http, call, timeout)
        auth = self._request_auth(self._http)
        retries = redirects = 0
        while True:
            try:
                response = self._send_once(request, auth)
            except httpx.HTTPError as exc:
                decision = self._retry_wait(request.method, retries, limit, repeat, error=exc)
                if decision is None:
                    raise self._connection_error(exc, request, retries, limit, repeat) from exc
                self._wait(request, retries, limit, *decision)
                retries += 1
                continue
            follow = self._redirect(request, response)
            if follow is not None and redirects < MAX_REDIRECTS:
                if auth is not None and _origin(follow.url) != self._origin:
                    auth = None  # no credentials of any kind for another origin
                request, redirects = follow, redirects + 1
                continue
            decision = self._retry_wait(request.method, retries, limit, repeat, response=response)
            if decision is None:
                return self._read(call, response, retries, limit, repeat)
            self._wait(request, retries, limit, *decision)
            retries += 1

    def _send_once(self, request: httpx.Request, auth: httpx.Auth | None) -> httpx.Response:
        """One attempt, its body read. Redirects are for _redirect, not the http client."""
        slots = self._slots
        if slots is None:
            return self._http.send(request, auth=auth, follow_redirects=False)
        if not slots.acquire(timeout=_pool_timeout(request)):
            raise _no_free_connection(request)
        try:
            return self._http.send(request, auth=auth, follow_redirects=False)
        finally:
            slots.release()

    def _wait(
        self, request: httpx.Request, retries: int, limit: int, wait: float, reason: str
    ) -> None:
        self._announce_retry(request, retries, limit, wait, reason)
        time.sleep(wait * self.retry_policy.wait_scale)


class AsyncAPIClient(BaseClient):
    """The transport of :class:`AsyncClient`."""

    def __init__(
        self,
        token: str | httpx.Auth | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_non_idempotent: bool = False,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        on_retry: Callable[[RetryEvent], None] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_non_idempotent=retry_non_idempotent,
            retry_policy=retry_policy,
            on_retry=on_retry,
        )
        self._owns_http = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(
                timeout=timeout, limits=DEFAULT_LIMITS, headers=self._default_headers()
            )
            self._headers_per_request = False
        self._http = http_client
        self._transport = AsyncTransport(self._send, self.base_url, self._same_origin)
        # anyio (which httpx requires) rather than asyncio, so that the client runs under trio
        # as well as asyncio, as httpx does. Imported here: a sync-only program need not pay
        # ~15 ms for it. The semaphore binds to the event loop of its first use.
        import anyio

        # Calls wait here for one of the pool's connections (see DEFAULT_LIMITS); a pool passed
        # in is its owner's to size.
        self._slots = (
            anyio.Semaphore(DEFAULT_LIMITS.max_connections or 1) if self._owns_http else None
        )

    async def close(self) -> None:
        """Close the connections (unless the ``http_client`` was passed in: its owner closes it)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _send(
        self,
        call: Call[T],
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        retry_non_idempotent: bool | Unset = UNSET,
    ) -> APIResponse[T]:
        limit, repeat = self._options(max_retries, retry_non_idempotent)
        request = self._build_request(self._http, call, timeout)
        auth = self._request_auth(self._http)
        retries = redirects = 0
        while True:
            try:
                response = await self._send_once(request, auth)
            except httpx.HTTPError as exc:
                decision = self._retry_wait(request.method, retries, limit, repeat, error=exc)
                if decision is None:
                    raise self._connection_error(exc, request, retries, limit, repeat) from exc
                await self._wait(request, retries, limit, *decision)
                retries += 1
                continue
            follow = self._redirect(request, response)
            if follow is not None and redirects < MAX_REDIRECTS:
                if auth is not None and _origin(follow.url) != self._origin:
                    auth = None  # no credentials of any kind for another origin
                request, redirects = follow, redirects + 1
                continue
            decision = self._retry_wait(request.method, retries, limit, repeat, response=response)
            if decision is None:
                return self._read(call, response, retries, limit, repeat)
            await self._wait(request, retries, limit, *decision)
            retries += 1

    async def _send_once(self, request: httpx.Request, auth: httpx.Auth | None) -> httpx.Response:
        """One attempt, its body read. Redirects are for _redirect, not the http client."""
        import anyio

        slots = self._slots
        if slots is None:
            return await self._http.send(request, auth=auth, follow_redirects=False)
        try:
            slots.acquire_nowait()  # the usual case: no cancel scope, no trip to the event loop
        except anyio.WouldBlock:
            acquired = False
            with anyio.move_on_after(_pool_timeout(request)):
                await slots.acquire()
                acquired = True
            if not acquired:
                raise _no_free_connection(request) from None
        try:
            return await self._http.send(request, auth=auth, follow_redirects=False)
        finally:
            slots.release()

    async def _wait(
        self, request: httpx.Request, retries: int, limit: int, wait: float, reason: str
    ) -> None:
        import anyio

        self._announce_retry(request, retries, limit, wait, reason)
        await anyio.sleep(wait * self.retry_policy.wait_scale)
