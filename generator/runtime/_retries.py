"""Which failures are retried, and how long the client waits between attempts.

The decisions themselves are the base client's (see its module documentation); this module
holds what they are made of, and what a caller can set or be told.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

import httpx

DEFAULT_MAX_RETRIES: Final = 2
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
RETRY_STATUSES: Final = frozenset({500, 502, 503, 504})

# Failures before the request left this machine: the server cannot have acted on it.
NEVER_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures that another attempt would only repeat: the request cannot be sent as it is.
HOPELESS: Final = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


@dataclass(frozen=True)
class RetryPolicy:
    """How long the client waits between attempts. Which failures are retried is fixed (see
    the module documentation); how many times is ``max_retries``."""

    initial_backoff: float = 0.5
    """The first wait, in seconds; each later one doubles, with up to 25% taken off at random."""
    max_backoff: float = 8.0
    """The longest wait between two attempts that the client chooses itself."""
    max_wait: float = 60.0
    """The longest wait a server may ask for (``Retry-After``, rate-limit reset) that the
    client honours; a longer one raises at once with the wait it asked for."""
    wait_scale: float = 1.0
    """Multiplies every wait actually slept; tests use it to run scripted waits instantly."""

    def __post_init__(self) -> None:
        for name in ("initial_backoff", "max_backoff", "max_wait", "wait_scale"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(
                    f"RetryPolicy.{name} must be a finite number of seconds >= 0, not {value!r}"
                )

    def backoff(self, retry: int) -> float:
        ceiling = min(self.max_backoff, self.initial_backoff * 2.0**retry)
        return ceiling * (1 - 0.25 * random.random())


DEFAULT_RETRY_POLICY: Final = RetryPolicy()


@dataclass(frozen=True)
class RetryEvent:
    """What an ``on_retry`` hook (and the log record of every retry) is told."""

    method: str
    url: str
    retry: int
    """The number of this retry: 1 for the first."""
    max_retries: int
    wait: float
    """Seconds the client waits before this retry (before ``wait_scale``)."""
    reason: str
