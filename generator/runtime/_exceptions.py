"""The exceptions of every client, whatever its spec: the base of ``errors``.

``errors`` adds one subclass of :class:`APIStatusError` per status the spec documents, and
re-exports these; callers import them from there.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._settings import REQUEST_ID_HEADER

if TYPE_CHECKING:
    import httpx


class APIError(Exception):
    """Base class of every exception a failed call raises."""

    message: str
    """What went wrong."""
    request: httpx.Request | None
    """The request that failed, when there was one (the token in its headers is never shown)."""
    retries_taken: int
    """How many times the call was retried before this error was raised."""

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, retries_taken: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.retries_taken = retries_taken

    @property
    def method(self) -> str | None:
        """The HTTP method of the request that failed, when there was one."""
        return self.request.method if self.request is not None else None

    @property
    def url(self) -> str | None:
        """The URL of the request that failed (it never holds the token), when there was one."""
        return str(self.request.url) if self.request is not None else None


class APIConnectionError(APIError):
    """The request could not be sent, or no complete response came back.

    A ``POST`` that failed after it was sent may still have been acted on by the server.
    """


class APITimeoutError(APIConnectionError):
    """The request timed out (connecting, sending, or waiting for the response)."""


class ResponseValidationError(APIError):
    """A response body does not match the spec.

    ``path`` locates the offending value as a JSON path such as ``$.repository.owner.id``.
    """

    response: httpx.Response | None

    def __init__(
        self,
        reason: str,
        *,
        path: tuple[str | int, ...] = (),
        response: httpx.Response | None = None,
        retries_taken: int = 0,
        alternatives: tuple[tuple[str, ResponseValidationError], ...] = (),
    ) -> None:
        self.reason = reason
        self.path = path
        self.response = response
        # For a value no alternative of a union accepts: each alternative, and why it refused.
        self.alternatives = alternatives
        super().__init__(
            f"{self.json_path}: {reason}",
            request=_request_of(response),
            retries_taken=retries_taken,
        )

    @property
    def json_path(self) -> str:
        text = "$"
        for segment in self.path:
            if isinstance(segment, int):
                text += f"[{segment}]"
            elif segment.isidentifier():
                text += f".{segment}"
            else:
                text += "[" + repr(segment) + "]"
        return text

    def within(self, segment: str | int) -> ResponseValidationError:
        """The same error, one level further down: the value was ``segment`` of an outer value."""
        return ResponseValidationError(
            self.reason,
            path=(segment, *self.path),
            response=self.response,
            alternatives=self.alternatives,
        )

    def with_response(
        self, response: httpx.Response, retries_taken: int
    ) -> ResponseValidationError:
        return ResponseValidationError(
            self.reason,
            path=self.path,
            response=response,
            retries_taken=retries_taken,
            alternatives=self.alternatives,
        )


def _request_of(response: httpx.Response | None) -> httpx.Request | None:
    try:
        return response.request if response is not None else None
    except RuntimeError:  # a response built by hand has no request
        return None


class APIStatusError(APIError):
    """The server answered with a status the call does not succeed with.

    Raised as is for a status the spec does not document (a 418, a 520 from a proxy); a
    documented status raises its own subclass.
    """

    status_code: int
    """The HTTP status code."""
    response: httpx.Response
    """The complete HTTP response."""
    request_id: str | None
    """The server's identifier of the request (header ``REQUEST_ID_HEADER``), for support."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None, retries_taken: int = 0
    ) -> None:
        super().__init__(message, request=response.request, retries_taken=retries_taken)
        self.status_code = response.status_code
        self._body = body
        self.response = response
        self.request_id = response.headers.get(REQUEST_ID_HEADER)

    # Read-only, so that each documented status's subclass can narrow its type soundly (a
    # property's type is covariant; a mutable attribute's is not).
    @property
    def body(self) -> object | None:
        """The error body decoded into its model, or ``None`` when it was not what the spec says
        (an HTML error page, say). Each documented status's subclass gives its model's type."""
        return self._body


class RateLimitError(APIStatusError):
    """A rate limit refused the request.

    A *primary* rate limit (no requests remaining) resets at :attr:`reset_at`;
    a *secondary* one (too many requests at once) asks to wait :attr:`retry_after` seconds. The
    client retries by itself when the wait is short enough; this error means it was not.
    """

    secondary: bool
    """True for a secondary rate limit, False for the primary one."""
    reset_at: datetime | None
    """When the primary rate limit resets (its reset header), if the server said."""
    retry_after: float | None
    """Seconds to wait before trying again, from the response's headers."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object | None,
        secondary: bool,
        reset_at: datetime | None,
        retry_after: float | None,
        retries_taken: int = 0,
    ) -> None:
        super().__init__(message, response=response, body=body, retries_taken=retries_taken)
        self.secondary = secondary
        self.reset_at = reset_at
        self.retry_after = retry_after


class WaiterError(APIError):
    """A waiter ended without success: the watched value reached a state that ends the wait.

    :attr:`state` is that value and :attr:`resource` the last answer's body; a
    :class:`WaiterTimeoutError` carries the last ones seen before the deadline.
    """

    state: object
    """The watched value when the wait ended (an enum value, as the API sent it)."""
    resource: Any
    """The last answer's decoded body (the resource waited on)."""

    def __init__(
        self, message: str, *, state: object, resource: Any, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)
        self.state = state
        self.resource = resource


class WaiterTimeoutError(WaiterError):
    """The deadline passed before the watched value reached a state that ends the wait."""
