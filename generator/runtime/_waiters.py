"""Waiting for a resource to settle: a poll loop that is a state machine, sync and async.

The spec declares each waiter (the operation polled, the path of the watched value, and which
values end the wait in success, end it in failure, or keep it polling); the generated method
hands that :class:`Waiter` to :func:`wait` or :func:`wait_async` with the call to poll. Then:

* every poll after the first is conditional (``If-None-Match`` with the last ``ETag``): a
  ``304 Not Modified`` keeps the last body, costs no transfer, and (on GitHub) no rate limit;
* between polls the wait grows from ``interval`` by half each unchanged poll, with jitter, up
  to ``max_interval``, and starts again from ``interval`` when the value changes; a server's
  ``Retry-After`` or poll-interval header (``POLL_INTERVAL_HEADER``) is honoured as a minimum;
* a success value returns the last body; a failure value raises :class:`WaiterError`, unless the
  caller asked for its remedy (an operation such as "start"), which is called once instead;
  a value the declaration does not know (the API added one) keeps polling;
* the deadline (``timeout`` seconds) raises :class:`WaiterTimeoutError` after one last poll;
* each poll is an ordinary call: its retries and rate limits apply, and an error status ends
  the wait with its own exception.

Sync waits sleep with ``time.sleep``; async ones with ``anyio.sleep``, so trio works too.
"""

from __future__ import annotations

import enum
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from ._calls import APIResponse, Call
from ._exceptions import APIStatusError, ResponseValidationError, WaiterError, WaiterTimeoutError
from ._rate_limits import retry_after_of
from ._settings import POLL_INTERVAL_HEADER

if TYPE_CHECKING:
    import httpx

    from ._base_client import AsyncTransport, SyncTransport

T = TypeVar("T")

NOT_MODIFIED = 304
BACKOFF = 1.5
"""Each unchanged poll waits this much longer than the one before (up to ``max_interval``)."""

Outcome = Literal["success", "failure", "retry", "remedy"]


@dataclass(frozen=True)
class Waiter:
    """A waiter as the spec declares it: the watched path and what each value there means."""

    name: str
    path: tuple[str, ...]
    """Attribute names from the polled answer's model to the watched value."""
    success: frozenset[object]
    failure: frozenset[object]
    retry: frozenset[object]

    @property
    def label(self) -> str:
        return ".".join(self.path)

    def value_of(self, resource: object) -> object:
        """The watched value of a decoded answer: an enum member as its value."""
        value = resource
        for attr in self.path:
            value = getattr(value, attr, None)
        return value.value if isinstance(value, enum.Enum) else value

    def outcome(self, value: object) -> Outcome:
        if value in self.success:
            return "success"
        if value in self.failure:
            return "failure"
        return "retry"  # transitional, or a value the spec does not list yet


@dataclass(frozen=True)
class Poll(Generic[T]):
    """What ``on_poll`` is told after every poll, before the waiter sleeps or ends."""

    attempt: int
    """1 for the first poll."""
    state: object
    """The watched value (an enum value, as the API sent it)."""
    resource: T
    """The resource as last seen: the last body sent, when the server answered 304."""
    not_modified: bool
    """Whether the server answered 304 Not Modified (the resource did not change)."""
    outcome: Outcome
    """What the value means: ``success``, ``failure``, ``retry``, or ``remedy`` when the
    waiter calls a remedy (once) instead of failing."""
    elapsed: float
    """Seconds since the wait began."""
    wait: float | None
    """Seconds until the next poll; None when the wait ends."""


@dataclass(frozen=True)
class _Step(Generic[T]):
    poll: Poll[T]
    remedy: Call[Any] | None = None
    error: WaiterError | None = None


class _Watch(Generic[T]):
    """The state machine both loops drive: what to send next, and what an answer means."""

    def __init__(
        self,
        waiter: Waiter,
        call: Call[T],
        remedies: Mapping[object, Call[Any]],
        *,
        timeout: float,
        interval: float,
        max_interval: float,
    ) -> None:
        for name, value in (
            ("timeout", timeout),
            ("interval", interval),
            ("max_interval", max_interval),
        ):
            _check_seconds(name, value)
        if max_interval < interval:
            raise ValueError("max_interval must not be less than interval")
        self.waiter = waiter
        self.call = call
        self.remedies = dict(remedies)
        self.remedied: set[object] = set()  # the values whose remedy was called
        self.interval = float(interval)
        self.max_interval = float(max_interval)
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.attempt = 0
        self.unchanged = 0
        self.etag: str | None = None
        self.last: T | None = None
        self.seen = False
        self.state: object = None
        self.last_http: httpx.Response | None = None

    def request(self) -> Call[T]:
        """The next poll: conditional on the last ETag, once there is one."""
        if self.etag is None:
            return self.call
        return replace(self.call, headers={**(self.call.headers or {}), "If-None-Match": self.etag})

    def answered(self, response: APIResponse[T]) -> None:
        self._record(response.http_response)
        self.last, self.seen = response.parsed, True

    def not_modified(self, error: APIStatusError) -> None:
        if not self.seen:
            raise ResponseValidationError(
                "the server answered 304 Not Modified to a request that was not conditional",
                response=error.response,
            )
        self._record(error.response)

    def _record(self, response: httpx.Response) -> None:
        self.attempt += 1
        self.last_http = response
        etag = response.headers.get("etag")
        if etag:
            self.etag = etag

    def step(self) -> _Step[T]:
        """What the last answer means: end (success or error), a remedy, or a wait."""
        assert self.last_http is not None
        resource: Any = self.last
        state = self.waiter.value_of(resource)
        self.unchanged = self.unchanged + 1 if state == self.state and self.attempt > 1 else 0
        self.state = state
        outcome = self.waiter.outcome(state)
        elapsed = time.monotonic() - self.started
        not_modified = self.last_http.status_code == NOT_MODIFIED

        def poll(kind: Outcome, wait: float | None) -> Poll[T]:
            return Poll(self.attempt, state, resource, not_modified, kind, elapsed, wait)

        if outcome == "success":
            return _Step(poll("success", None))
        if outcome == "failure":
            remedy = self.remedies.pop(state, None)
            if remedy is not None:
                self.remedied.add(state)
                # The resource is about to change: the next poll asks afresh.
                self.etag, self.unchanged = None, 0
                return _Step(poll("remedy", self._clip(self.interval)), remedy=remedy)
            return _Step(poll("failure", None), error=self._failed(state, resource))
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return _Step(poll("retry", None), error=self._timed_out(state, resource))
        return _Step(poll("retry", self._clip(self._wait())))

    def _wait(self) -> float:
        assert self.last_http is not None
        ceiling = min(self.max_interval, self.interval * BACKOFF**self.unchanged)
        chosen = ceiling * (1 - 0.25 * random.random())
        hints = [retry_after_of(self.last_http), _poll_interval_of(self.last_http)]
        return max([chosen, *(h for h in hints if h is not None)])

    def _clip(self, wait: float) -> float:
        return max(0.0, min(wait, self.deadline - time.monotonic()))

    def _failed(self, state: object, resource: object) -> WaiterError:
        label = self.waiter.label
        message = f"waiting until {self.waiter.name}: {label} is {state!r}, which ends the wait"
        if state in self.remedied:
            message += " (again, after its remedy was called once)"
        return WaiterError(message, state=state, resource=resource, request=self._request())

    def _timed_out(self, state: object, resource: object) -> WaiterTimeoutError:
        elapsed = time.monotonic() - self.started
        message = (
            f"waiting until {self.waiter.name}: {self.waiter.label} is still {state!r} after "
            f"{elapsed:.1f}s and {self.attempt} polls"
        )
        return WaiterTimeoutError(message, state=state, resource=resource, request=self._request())

    def _request(self) -> httpx.Request | None:
        return self.last_http.request if self.last_http is not None else None


def _poll_interval_of(response: httpx.Response) -> float | None:
    """Seconds the server's poll-interval header asks to wait between polls, if it says."""
    name = POLL_INTERVAL_HEADER
    if name is None:
        return None
    try:
        seconds = float(response.headers.get(name, ""))
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def wait(
    transport: SyncTransport,
    call: Call[T],
    waiter: Waiter,
    *,
    remedies: Mapping[object, Call[Any]],
    timeout: float,
    interval: float,
    max_interval: float,
    on_poll: Callable[[Poll[T]], None] | None,
) -> T:
    """Poll ``call`` until ``waiter`` says the wait is over; the last body on success."""
    watch = _Watch(
        waiter, call, remedies, timeout=timeout, interval=interval, max_interval=max_interval
    )
    while True:
        try:
            watch.answered(transport.send(watch.request()))
        except APIStatusError as error:
            if error.status_code != NOT_MODIFIED:
                raise
            watch.not_modified(error)
        step = watch.step()
        if on_poll is not None:
            on_poll(step.poll)
        if step.error is not None:
            raise step.error
        if step.poll.wait is None:
            return step.poll.resource
        if step.remedy is not None:
            transport.send(step.remedy)
        time.sleep(step.poll.wait)


async def wait_async(
    transport: AsyncTransport,
    call: Call[T],
    waiter: Waiter,
    *,
    remedies: Mapping[object, Call[Any]],
    timeout: float,
    interval: float,
    max_interval: float,
    on_poll: Callable[[Poll[T]], None] | None,
) -> T:
    """The asynchronous :func:`wait`; it sleeps with ``anyio.sleep``."""
    import anyio

    watch = _Watch(
        waiter, call, remedies, timeout=timeout, interval=interval, max_interval=max_interval
    )
    while True:
        try:
            watch.answered(await transport.send(watch.request()))
        except APIStatusError as error:
            if error.status_code != NOT_MODIFIED:
                raise
            watch.not_modified(error)
        step = watch.step()
        if on_poll is not None:
            on_poll(step.poll)
        if step.error is not None:
            raise step.error
        if step.poll.wait is None:
            return step.poll.resource
        if step.remedy is not None:
            await transport.send(step.remedy)
        await anyio.sleep(step.poll.wait)


def _check_seconds(name: str, value: object) -> None:
    """A wait's length, checked here: callers may not be type-checked."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of seconds >= 0, not {value!r}")
