"""The runtime's rate-limit decisions, where they stand (generator/runtime/_rate_limits.py).

The runtime reads its settings from the stand-in ``generator/runtime/_settings.py``, whose
headers and statuses are those of the kind a spec gives.
"""

from __future__ import annotations

import time
from email.utils import formatdate

import httpx
import pytest

from generator.runtime import _base_client as base
from generator.runtime import _rate_limits as rate_limits
from generator.runtime import _settings as settings


def _response(status: int, headers: dict[str, str] | None = None, text: str = "") -> httpx.Response:
    request = httpx.Request("GET", "https://api.example.com/x")
    return httpx.Response(status, headers=headers, text=text, request=request)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7.0), ("0", 0.0), ("-3", 0.0), ("nan", None), ("soon", None)],
)
def test_retry_after_in_seconds(value: str, expected: float | None) -> None:
    assert rate_limits.retry_after_of(_response(429, {"retry-after": value})) == expected


def test_retry_after_as_an_http_date() -> None:
    wait = rate_limits.retry_after_of(_response(429, {"retry-after": formatdate(time.time() + 30)}))
    assert wait is not None
    assert 25 <= wait <= 31


def test_a_primary_limit_waits_until_its_reset() -> None:
    reset = int(time.time()) + 40
    response = _response(
        403,
        {
            settings.RATE_LIMIT_REMAINING_HEADER or "": "0",
            settings.RATE_LIMIT_RESET_HEADER or "": str(reset),
        },
    )
    limit = rate_limits.rate_limit_of(response)
    assert limit is not None
    assert not limit.secondary
    assert limit.retry_after is not None
    assert 35 <= limit.retry_after <= 41


def test_a_secondary_limit_without_a_time_waits_the_default() -> None:
    marker = settings.RATE_LIMIT_SECONDARY_MARKER or ""
    limit = rate_limits.rate_limit_of(_response(403, text=f'{{"message": "You hit a {marker}"}}'))
    assert limit is not None
    assert limit.secondary
    assert limit.retry_after == settings.RATE_LIMIT_SECONDARY_WAIT


def test_a_forbidden_answer_that_is_no_rate_limit_is_none() -> None:
    assert (
        rate_limits.rate_limit_of(_response(403, text='{"message": "Must have admin rights"}'))
        is None
    )
    assert rate_limits.rate_limit_of(_response(500, {"retry-after": "1"})) is None


def test_unknown_statuses_raise_the_base_classes_of_a_bare_client() -> None:
    # The generated clients fill these in from errors.STATUS_ERRORS.
    assert base.BaseClient.status_errors == {}
    assert base.BaseClient.rate_limit_errors == {}


def test_a_body_naming_the_secondary_limit_wins_over_an_exhausted_quota() -> None:
    marker = settings.RATE_LIMIT_SECONDARY_MARKER or ""
    response = _response(
        403,
        {settings.RATE_LIMIT_REMAINING_HEADER or "": "0", "retry-after": "5"},
        text=f'{{"message": "You have exceeded a {marker}"}}',
    )
    limit = rate_limits.rate_limit_of(response)
    assert limit is not None
    assert limit.secondary
    assert limit.retry_after == 5.0
