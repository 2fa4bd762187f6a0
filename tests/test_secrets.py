"""The token shows nowhere: a battery of scripted failures over real sockets, and a scan of all
the client emits for the token.

What is scanned: every log record (DEBUG and up, the client's, httpx's and httpcore's loggers,
message and all attributes), every exception's str, repr, args and formatted traceback down its
chain of causes, the ``repr``/``str`` of the requests and responses those carry, of the
response a successful call returns, of the retry events, and of the client itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from github_codespaces import (
    APIError,
    APIResponse,
    AsyncClient,
    Client,
    RetryEvent,
    RetryPolicy,
)
from github_codespaces._calls import Call, ResponseMap
from tests.conftest import FIXTURES
from tests.loopback import LoopbackServer, Reply, free_port

TOKEN = "ghp_SecretsBattery0123456789ABCDEFabcdefXY"
# A leak of part of the token is a leak too.
FRAGMENTS = (TOKEN, TOKEN[4:20], TOKEN[-16:])
OWNER, REPO = "octo-org", "hello-world"
PATH = f"/repos/{OWNER}/{REPO}/codespaces"
LOGGERS = ("github_codespaces", "httpx", "httpcore")
FAST = RetryPolicy(initial_backoff=0.001, max_backoff=0.002, max_wait=120, wait_scale=0.0001)
CREATED = Reply.json(201, (FIXTURES / "codespace.json").read_bytes())
PRIMARY = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 3600)}
SECONDARY = {"message": "You have exceeded a secondary rate limit."}


@dataclass
class Plan:
    """What the server answers, and how the client and the call are set up."""

    replies: list[Reply]
    client: dict[str, Any] = field(default_factory=dict)
    call: dict[str, Any] = field(default_factory=dict)
    method: str = "POST"
    closed_port: bool = False


SCENARIOS: dict[str, Callable[[LoopbackServer], Plan]] = {
    "created": lambda other: Plan([CREATED]),
    "401": lambda other: Plan([Reply.json(401, {"message": "Bad credentials"})]),
    "403-primary-rate-limit": lambda other: Plan([Reply.json(403, {"message": "x"}, PRIMARY)]),
    "403-secondary-rate-limit": lambda other: Plan(
        [Reply.json(403, SECONDARY)], {"retry_policy": RetryPolicy(max_wait=1)}
    ),
    "429-then-created": lambda other: Plan(
        [Reply.json(429, {"message": "x"}, {"retry-after": "1"}), CREATED]
    ),
    "503-retried-then-raised": lambda other: Plan(
        [Reply.json(503, {"message": "busy"})] * 3, call={"retry_non_idempotent": True}
    ),
    "500-html": lambda other: Plan(
        [Reply(500, {"content-type": "text/html"}, b"<html>oops</html>")]
    ),
    "201-not-json": lambda other: Plan([Reply.json(201, b"{not json")]),
    "201-bad-value": lambda other: Plan(
        [Reply.json(201, {**json.loads(CREATED.body), "id": "one"})]
    ),
    "read-timeout": lambda other: Plan(
        [Reply(201, delay=0.5)] * 2,
        {"timeout": httpx.Timeout(5.0, read=0.05)},
        {"retry_non_idempotent": True, "max_retries": 1},
    ),
    "body-cut-off": lambda other: Plan([Reply(201, CREATED.headers, CREATED.body, send_only=50)]),
    "dropped": lambda other: Plan([Reply(drop=True)]),
    "refused": lambda other: Plan([], closed_port=True),
    "307-same-origin": lambda other: Plan([Reply(307, {"location": "/moved"}), CREATED]),
    "307-other-origin": lambda other: Plan([Reply(307, {"location": other.url + PATH})]),
    "302-other-origin-get": lambda other: Plan(
        [Reply(302, {"location": other.url + "/x"})], method="GET"
    ),
}


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


def _get() -> Call[Any]:
    def decode(value: Any) -> Any:
        return value

    return Call(method="GET", path="/x", responses=ResponseMap({"200": {"*/*": decode}}, {}))


def run(kind: str, url: str, plan: Plan, events: list[RetryEvent]) -> tuple[object, object]:
    """(the client, what the call returned or raised)."""
    options: dict[str, Any] = {"retry_policy": FAST, "on_retry": events.append, **plan.client}
    if kind == "sync":
        with Client(TOKEN, base_url=url, **options) as client:
            try:
                if plan.method == "GET":
                    return client, client._send(_get(), **plan.call)
                return (
                    client,
                    client.codespaces.with_response.create_with_repo_for_authenticated_user(
                        OWNER, REPO, geo="UsWest", **plan.call
                    ),
                )
            except APIError as error:
                return client, error

    async def scenario() -> tuple[object, object]:
        async with AsyncClient(TOKEN, base_url=url, **options) as client:
            try:
                if plan.method == "GET":
                    return client, await client._send(_get(), **plan.call)
                namespace = client.codespaces.with_response
                return client, await namespace.create_with_repo_for_authenticated_user(
                    OWNER, REPO, geo="UsWest", **plan.call
                )
            except APIError as error:
                return client, error

    return asyncio.run(scenario())


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _about_request(request: httpx.Request | None) -> list[str]:
    if request is None:
        return []
    return [repr(request), str(request), repr(request.headers), str(request.url)]


def _about_response(response: httpx.Response | None) -> list[str]:
    if response is None:
        return []
    return [repr(response), repr(response.headers), *_about_request(response.request)]


def emitted(client: object, outcome: object, events: list[RetryEvent], records: Any) -> list[str]:
    """Everything the client showed of itself during a call."""
    texts = [repr(client), str(client), repr(vars(client)), *map(repr, events)]
    for record in records:
        texts += [record.getMessage(), repr(vars(record))]
    if isinstance(outcome, BaseException):
        texts += traceback.format_exception(outcome)
        for error in _chain(outcome):
            texts += [str(error), repr(error), repr(error.args), repr(vars(error))]
            texts += _about_request(getattr(error, "request", None))
            texts += _about_response(getattr(error, "response", None))
    else:
        assert isinstance(outcome, APIResponse)
        texts += [repr(outcome), str(outcome), repr(outcome.parsed)]
        texts += _about_response(outcome.http_response)
    return texts


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_token_shows_nowhere(kind: str, name: str, caplog: pytest.LogCaptureFixture) -> None:
    for logger in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=logger)
    events: list[RetryEvent] = []
    with LoopbackServer() as server, LoopbackServer([CREATED]) as other:
        plan = SCENARIOS[name](other)
        server._script.extend(plan.replies)
        url = f"http://127.0.0.1:{free_port()}" if plan.closed_port else server.url
        client, outcome = run(kind, url, plan, events)
    texts = emitted(client, outcome, events, caplog.records)
    for text in texts:
        for fragment in FRAGMENTS:
            assert fragment not in text
    # The scan saw what it had to: the token was sent, and the HTTP stack logged at DEBUG.
    if not plan.closed_port:
        assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    if name.startswith(("429", "503", "read-timeout", "refused")):
        assert events  # a retry was logged and reported
    assert all("authorization" not in r.headers for r in other.requests)


@pytest.mark.parametrize(
    "token", [TOKEN + "\n", " " + TOKEN, TOKEN.replace("0", " "), TOKEN + "é", TOKEN + "\x00"]
)
def test_a_token_that_cannot_go_into_a_header_is_refused_without_being_shown(token: str) -> None:
    with pytest.raises(ValueError, match="cannot be sent in an HTTP header") as caught:
        Client(token, base_url="https://api.github.com")
    for text in [str(caught.value), repr(caught.value), *traceback.format_exception(caught.value)]:
        for fragment in FRAGMENTS:
            assert fragment not in text


def test_a_refused_plain_http_url_does_not_show_the_token() -> None:
    with pytest.raises(ValueError, match="plain http") as caught:
        Client(TOKEN, base_url="http://api.example.com")
    assert all(fragment not in repr(caught.value) for fragment in FRAGMENTS)
