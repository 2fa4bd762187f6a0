"""Reading a rate-limited answer: primary or secondary, and when to come back."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx

from ._settings import (
    RATE_LIMIT_REMAINING_HEADER,
    RATE_LIMIT_RESET_HEADER,
    RATE_LIMIT_SECONDARY_MARKER,
    RATE_LIMIT_SECONDARY_WAIT,
    RATE_LIMIT_STATUSES,
)


@dataclass(frozen=True)
class RateLimit:
    """What a rate-limited answer says about when to come back."""

    secondary: bool
    reset_at: datetime | None
    retry_after: float | None


def retry_after_of(response: httpx.Response) -> float | None:
    """Seconds the ``Retry-After`` header asks to wait (it may be a number or an HTTP date)."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - time.time())


def _reset_at(response: httpx.Response) -> datetime | None:
    """When the primary rate limit resets, from the reset header (seconds since the epoch)."""
    header = RATE_LIMIT_RESET_HEADER
    if header is None:
        return None
    try:
        return datetime.fromtimestamp(int(response.headers[header]), tz=timezone.utc)
    except (KeyError, ValueError, OverflowError, OSError):
        return None


def _until(moment: datetime | None) -> float | None:
    return None if moment is None else max(0.0, moment.timestamp() - time.time())


def rate_limit_of(response: httpx.Response) -> RateLimit | None:
    """The rate limit an answer reports, if it is one.

    Primary: the remaining-requests header is ``0`` and the body does not name the secondary
    limit. Secondary: the body says so (the documented message), or a 429, or an answer with
    ``Retry-After``. The wait is ``Retry-After`` when given, else until the
    reset time when the remaining requests are ``0``, else (a secondary limit that gives no
    time) the documented default.
    """
    if response.status_code not in RATE_LIMIT_STATUSES:
        return None
    retry_after = retry_after_of(response)
    reset_at = _reset_at(response)
    remaining_header = RATE_LIMIT_REMAINING_HEADER
    exhausted = (
        remaining_header is not None and response.headers.get(remaining_header, "").strip() == "0"
    )
    marker = RATE_LIMIT_SECONDARY_MARKER
    says_secondary = marker is not None and marker in response.text.lower()
    if exhausted and not says_secondary:
        if retry_after is None:
            retry_after = _until(reset_at)
        return RateLimit(secondary=False, reset_at=reset_at, retry_after=retry_after)
    if says_secondary or response.status_code == 429 or retry_after is not None:
        if retry_after is None and exhausted:
            retry_after = _until(reset_at)
        if retry_after is None:
            retry_after = RATE_LIMIT_SECONDARY_WAIT
        return RateLimit(secondary=True, reset_at=reset_at, retry_after=retry_after)
    return None
