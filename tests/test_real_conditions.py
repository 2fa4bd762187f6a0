"""The client under real conditions, over real sockets: faults, retries, rate limits, redirects.

Every scenario runs against :class:`tests.loopback.LoopbackServer` on 127.0.0.1 and asserts the
exact number of requests the server received. Waits are scaled down through the client's own
``RetryPolicy`` (``wait_scale``, ``initial_backoff``) and small timeouts, never by patching time.
Most scenarios run with both the sync and the async client: their loops are separate code.
"""

from __future__ import annotations

import asyncio
import gc as garbage
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx
import pytest

import github_codespaces as gc
from github_codespaces import APIResponse, AsyncClient, Client, RetryEvent, RetryPolicy
from github_codespaces._base_client import DEFAULT_LIMITS
from github_codespaces._calls import Call, ResponseMap
from github_codespaces._rate_limits import retry_after_of as _retry_after
from github_codespaces.models import Codespace
from tests.conftest import FIXTURES
from tests.loopback import LoopbackServer, Reply, free_port, served_from_another_process

TOKEN = "ghp_RealConditionsToken0123456789abcdefXYZ"
OWNER, REPO = "octo-org", "hello-world"
PATH = f"/repos/{OWNER}/{REPO}/codespaces"
LOGGER = "github_codespaces"

# Client-chosen waits of a fraction of a millisecond; a server's "Retry-After: 1" sleeps 10 ms.
FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, wait_scale=0.01)
# For waits the client must not take at all: were it to wait an hour anyway, it would take 3.6 s.
AT_ONCE = {"retry_policy": RetryPolicy(wait_scale=0.001)}
FAST_TIMEOUT = httpx.Timeout(5.0, read=0.2)
SLOW_REPLY = 1.0  # how late a "too slow" server answers: five read timeouts


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


@pytest.fixture(scope="module")
def codespace_json() -> bytes:
    return (FIXTURES / "codespace.json").read_bytes()


@pytest.fixture
def created(codespace_json: bytes) -> Reply:
    return Reply.json(201, codespace_json, {"x-github-request-id": "CREATED-1"})


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A started server; the test scripts it before the first call."""
    with LoopbackServer() as running:
        yield running


def script(server: LoopbackServer, *replies: Reply) -> None:
    server._script.extend(replies)


Create = Callable[..., APIResponse[Codespace]]


@pytest.fixture(params=["sync", "async"])
def create(request: pytest.FixtureRequest) -> Create:
    """Create a codespace through a fresh Client or AsyncClient, with the whole answer back.

    ``create(url, client=dict(...), **call_options)``.
    """

    def run_sync(url: str, client: dict[str, Any] | None = None, **call: Any) -> Any:
        with Client(TOKEN, base_url=url, **{"retry_policy": FAST, **(client or {})}) as c:
            return c.codespaces.with_response.create_with_repo_for_authenticated_user(
                OWNER, REPO, **call
            )

    def run_async(url: str, client: dict[str, Any] | None = None, **call: Any) -> Any:
        async def scenario() -> Any:
            options = {"retry_policy": FAST, **(client or {})}
            async with AsyncClient(TOKEN, base_url=url, **options) as c:
                return await c.codespaces.with_response.create_with_repo_for_authenticated_user(
                    OWNER, REPO, **call
                )

        return asyncio.run(scenario())

    runner: Create = run_sync if request.param == "sync" else run_async
    return runner


def reset_in(seconds: int) -> str:
    return str(int(time.time()) + seconds)


# -- failures before the request was sent: retried, even for a POST ----------------------------


def test_connection_refused_then_success_is_retried_for_a_post(
    create: Create, created: Reply
) -> None:
    port = free_port()
    server = LoopbackServer([created], port=port)
    events: list[RetryEvent] = []

    def start_the_server(event: RetryEvent) -> None:
        events.append(event)
        if not server.started:
            server.start()  # the port was closed for the first attempt; it is open for the retry

    try:
        response = create(f"http://127.0.0.1:{port}", client={"on_retry": start_the_server})
    finally:
        server.stop()
    assert response.status_code == 201
    assert response.retries_taken == 1
    assert len(server.requests) == 1
    assert [(e.retry, e.method) for e in events] == [(1, "POST")]
    assert events[0].reason.startswith("ConnectError")


def test_connection_refused_for_good_raises_after_max_retries(create: Create) -> None:
    port = free_port()
    with pytest.raises(gc.APIConnectionError) as caught:
        create(f"http://127.0.0.1:{port}", client={"max_retries": 2})
    error = caught.value
    assert type(error) is gc.APIConnectionError
    assert error.retries_taken == 2
    assert error.method == "POST"
    assert error.url == f"http://127.0.0.1:{port}{PATH}"
    assert f"POST http://127.0.0.1:{port}{PATH} failed after 2 retries: ConnectError" in str(error)
    assert isinstance(error.__cause__, httpx.ConnectError)


# -- 5xx: a POST is not repeated unless the caller opts in --------------------------------------


def test_503_then_success_is_not_retried_for_a_post(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply.json(503, {"message": "Service unavailable"}), created)
    with pytest.raises(gc.ServiceUnavailableError) as caught:
        create(server.url)
    assert len(server.requests) == 1
    assert caught.value.retries_taken == 0
    assert "not retried: the server may have acted on the POST" in str(caught.value)


@pytest.mark.parametrize("where", ["client", "call"])
def test_503_then_success_is_retried_when_the_post_opts_in(
    create: Create, server: LoopbackServer, created: Reply, where: str
) -> None:
    script(server, Reply.json(503, {"message": "Service unavailable"}), created)
    if where == "client":
        response = create(server.url, client={"retry_non_idempotent": True})
    else:
        response = create(server.url, retry_non_idempotent=True)
    assert response.status_code == 201
    assert response.retries_taken == 1
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body == b"{}"


def test_a_call_can_opt_out_of_the_clients_opt_in(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply.json(503, {"message": "Service unavailable"}), created)
    with pytest.raises(gc.ServiceUnavailableError):
        create(server.url, client={"retry_non_idempotent": True}, retry_non_idempotent=False)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_other_5xx_are_not_retried_for_a_post_either(
    create: Create, server: LoopbackServer, created: Reply, status: int
) -> None:
    script(server, Reply.json(status, {"message": "boom"}), created)
    with pytest.raises(gc.APIStatusError) as caught:
        create(server.url)
    assert caught.value.status_code == status
    assert len(server.requests) == 1


# -- rate limits: retried when the wait is short enough, raised at once when it is not --------


def test_429_with_retry_after_then_201_is_retried(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply.json(429, {"message": "Too many"}, {"retry-after": "1"}), created)
    events: list[RetryEvent] = []
    started = time.monotonic()
    response = create(server.url, client={"on_retry": events.append})
    elapsed = time.monotonic() - started
    assert response.status_code == 201
    assert response.retries_taken == 1
    assert len(server.requests) == 2
    assert [(e.retry, e.wait, e.reason) for e in events] == [(1, 1.0, "429, secondary rate limit")]
    assert 0.01 <= elapsed < 1.0  # slept the 1 s asked for, times wait_scale


def test_retry_after_as_an_http_date_is_honoured(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    when = formatdate(time.time() + 3, usegmt=True)
    script(server, Reply.json(429, {"message": "Too many"}, {"retry-after": when}), created)
    events: list[RetryEvent] = []
    response = create(server.url, client={"on_retry": events.append})
    assert response.retries_taken == 1
    assert len(server.requests) == 2
    assert 1.0 < events[0].wait <= 3.0


def test_a_retry_after_beyond_max_wait_raises_at_once_with_the_wait(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    when = formatdate(time.time() + 600, usegmt=True)
    script(server, Reply.json(429, {"message": "Too many"}, {"retry-after": when}), created)
    with pytest.raises(gc.RateLimitError) as caught:
        create(server.url, client=AT_ONCE)
    assert len(server.requests) == 1
    assert caught.value.secondary
    assert caught.value.retry_after is not None
    assert 590 < caught.value.retry_after <= 600
    assert not isinstance(caught.value, gc.PermissionDeniedError)


PRIMARY = {"message": "API rate limit exceeded for user ID 1.", "documentation_url": "https://x"}


def test_a_403_primary_rate_limit_beyond_max_wait_raises_at_once_with_the_reset(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    reset = reset_in(3600)
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset, "x-ratelimit-limit": "5"}
    script(server, Reply.json(403, PRIMARY, headers), created)
    started = time.monotonic()
    with pytest.raises(gc.RateLimitError) as caught:
        create(server.url, client=AT_ONCE)
    assert time.monotonic() - started < 1.0  # raised at once, not after waiting
    error = caught.value
    assert isinstance(error, gc.PermissionDeniedError)  # `except PermissionDeniedError` still works
    assert not error.secondary
    assert error.reset_at == datetime.fromtimestamp(int(reset), tz=timezone.utc)
    assert error.retry_after is not None
    assert 3590 < error.retry_after <= 3600
    assert error.retries_taken == 0
    assert len(server.requests) == 1
    assert "primary rate limit, resets at" in str(error)
    assert "longer than RetryPolicy.max_wait" in str(error)


def test_a_403_primary_rate_limit_within_max_wait_is_waited_out(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset_in(2)}
    script(server, Reply.json(403, PRIMARY, headers), created)
    events: list[RetryEvent] = []
    response = create(server.url, client={"on_retry": events.append})
    assert response.status_code == 201
    assert response.retries_taken == 1
    assert len(server.requests) == 2
    assert events[0].reason == "403, primary rate limit"
    assert 0.0 < events[0].wait <= 2.0


def test_the_ceiling_is_the_clients_to_choose(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset_in(3600)}
    script(server, Reply.json(403, PRIMARY, headers), created)
    policy = RetryPolicy(max_wait=7200, wait_scale=0.00001)
    response = create(server.url, client={"retry_policy": policy})
    assert response.retries_taken == 1
    assert len(server.requests) == 2


SECONDARY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
    "try again.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
}


def test_a_secondary_rate_limit_without_a_time_waits_the_documented_minute(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply.json(403, SECONDARY), Reply.json(403, SECONDARY), created)
    events: list[RetryEvent] = []
    policy = RetryPolicy(wait_scale=0.0001)
    response = create(server.url, client={"retry_policy": policy, "on_retry": events.append})
    assert response.retries_taken == 2
    assert len(server.requests) == 3
    assert [(e.wait, e.reason) for e in events] == [(60.0, "403, secondary rate limit")] * 2


def test_a_secondary_rate_limit_is_told_apart_from_the_primary_one(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    # GitHub may send the remaining count 0 with a secondary limit too: the message decides.
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset_in(3000)}
    script(server, Reply.json(403, SECONDARY, headers), created)
    with pytest.raises(gc.RateLimitError) as caught:
        create(server.url, client={"retry_policy": RetryPolicy(max_wait=30, wait_scale=0.0001)})
    error = caught.value
    assert error.secondary
    assert isinstance(error, gc.PermissionDeniedError)
    assert error.retry_after is not None
    assert 2990 < error.retry_after <= 3000  # the reset time still says when
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("reply", "secondary", "retry_after"),
    [
        (Reply.json(403, SECONDARY), True, 60.0),
        (Reply.json(403, {"message": "Slow down"}, {"retry-after": "120"}), True, 120.0),
        (Reply.json(429, {"message": "Too many"}), True, 60.0),
        (Reply.json(429, {"message": "x"}, {"x-ratelimit-remaining": "0"}), False, None),
    ],
    ids=["403-message", "403-retry-after", "429-bare", "429-primary"],
)
def test_what_each_rate_limit_answer_is(
    create: Create, server: LoopbackServer, reply: Reply, secondary: bool, retry_after: float | None
) -> None:
    script(server, reply)
    with pytest.raises(gc.RateLimitError) as caught:
        create(server.url, client={"max_retries": 0})
    assert caught.value.secondary is secondary
    assert caught.value.retry_after == retry_after
    assert isinstance(caught.value, gc.PermissionDeniedError) is (reply.status == 403)
    assert len(server.requests) == 1


def test_a_403_that_is_no_rate_limit_is_a_plain_permission_error(
    create: Create, server: LoopbackServer
) -> None:
    headers = {"x-ratelimit-remaining": "4999", "x-ratelimit-reset": reset_in(60)}
    script(server, Reply.json(403, {"message": "Must have admin rights"}, headers))
    with pytest.raises(gc.PermissionDeniedError) as caught:
        create(server.url)
    assert not isinstance(caught.value, gc.RateLimitError)
    assert len(server.requests) == 1


# -- after the request was sent: a POST is not repeated unless the caller opts in ------------


def test_a_read_timeout_is_not_retried_for_a_post(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply(201, delay=SLOW_REPLY), created)
    started = time.monotonic()
    with pytest.raises(gc.APITimeoutError) as caught:
        create(server.url, client={"timeout": FAST_TIMEOUT})
    assert time.monotonic() - started < SLOW_REPLY
    error = caught.value
    assert error.retries_taken == 0
    assert (error.method, error.url) == ("POST", server.url + PATH)
    assert str(error).startswith(f"POST {server.url}{PATH} timed out: ReadTimeout")
    assert "not retried: the server may have acted on the POST" in str(error)
    assert len(server.requests) == 1


def test_a_read_timeout_is_retried_when_the_post_opts_in(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply(201, delay=SLOW_REPLY), created)
    response = create(server.url, client={"timeout": FAST_TIMEOUT}, retry_non_idempotent=True)
    assert response.status_code == 201
    assert response.retries_taken == 1
    assert len(server.requests) == 2


def test_timeouts_are_set_per_client_and_per_call(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply(201, delay=SLOW_REPLY), Reply(201, created.headers, created.body, 0.3))
    with pytest.raises(gc.APITimeoutError):  # the client's default would wait; the call will not
        create(server.url, timeout=httpx.Timeout(5.0, read=0.2))
    response = create(server.url, client={"timeout": 0.1}, timeout=5.0)  # nor the other way round
    assert response.status_code == 201
    assert len(server.requests) == 2


def test_a_body_cut_off_mid_stream_is_a_connection_error_not_retried_for_a_post(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    cut = Reply(201, created.headers, created.body, send_only=100)
    script(server, cut, created)
    with pytest.raises(gc.APIConnectionError) as caught:
        create(server.url)
    error = caught.value
    assert not isinstance(error, gc.APITimeoutError)
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)
    assert "not retried" in str(error)
    assert len(server.requests) == 1


def test_a_body_cut_off_mid_stream_is_retried_when_the_post_opts_in(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply(201, created.headers, created.body, send_only=100), created)
    response = create(server.url, retry_non_idempotent=True)
    assert response.retries_taken == 1
    assert len(server.requests) == 2


def test_a_connection_dropped_after_the_request_is_not_retried_for_a_post(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, Reply(drop=True), created)
    with pytest.raises(gc.APIConnectionError) as caught:
        create(server.url)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert len(server.requests) == 1


# -- idempotent methods are retried by default (the same policy, per method) ------------------


def _get(client: Client, path: str = "/thing", **options: Any) -> APIResponse[Any]:
    responses: ResponseMap[Any] = ResponseMap({"200": {"application/json": json.loads}}, errors={})
    return client._send(Call(method="GET", path=path, responses=responses), **options)


@pytest.mark.parametrize(
    "failure",
    [Reply.json(503, {"message": "busy"}), Reply(200, delay=SLOW_REPLY), Reply(drop=True)],
    ids=["503", "read-timeout", "dropped"],
)
def test_a_get_is_retried_by_default_after_what_a_post_is_not(
    server: LoopbackServer, failure: Reply
) -> None:
    script(server, failure, Reply.json(200, {"ok": True}))
    with Client(TOKEN, base_url=server.url, retry_policy=FAST, timeout=FAST_TIMEOUT) as client:
        response = _get(client)
    assert response.parsed == {"ok": True}
    assert response.retries_taken == 1
    assert len(server.requests) == 2


# -- max_retries, on_retry and the log ------------------------------------------------------

TOO_MANY = Reply.json(429, {"message": "Too many"}, {"retry-after": "0"})


def test_max_retries_is_set_per_client_and_per_call(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    script(server, TOO_MANY, TOO_MANY)
    with pytest.raises(gc.RateLimitError) as caught:
        create(server.url, client={"max_retries": 1})
    assert caught.value.retries_taken == 1
    assert len(server.requests) == 2

    script(server, TOO_MANY, TOO_MANY, TOO_MANY, created)
    response = create(server.url, client={"max_retries": 0}, max_retries=3)
    assert response.retries_taken == 3
    assert len(server.requests) == 2 + 4


def test_the_default_is_two_retries(create: Create, server: LoopbackServer) -> None:
    script(server, TOO_MANY, TOO_MANY, TOO_MANY, TOO_MANY)
    with pytest.raises(gc.RateLimitError) as caught:
        create(server.url)
    assert caught.value.retries_taken == 2
    assert len(server.requests) == 3


def test_every_retry_is_logged_and_reported_to_the_hook(
    create: Create, server: LoopbackServer, created: Reply, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    script(server, TOO_MANY, Reply.json(503, {"message": "busy"}), created)
    events: list[RetryEvent] = []
    response = create(server.url, client={"on_retry": events.append, "retry_non_idempotent": True})
    assert response.retries_taken == 2
    assert [(e.retry, e.max_retries, e.method, e.url) for e in events] == [
        (1, 2, "POST", server.url + PATH),
        (2, 2, "POST", server.url + PATH),
    ]
    assert events[0].reason == "429, secondary rate limit"
    assert events[1].reason == "503 Service Unavailable"
    retries = [r for r in caplog.records if r.name == LOGGER]
    assert [r.levelno for r in retries] == [logging.INFO, logging.INFO]
    assert [r.getMessage() for r in retries] == [
        f"Retrying POST {server.url}{PATH} in 0.00s (retry 1 of 2): 429, secondary rate limit",
        f"Retrying POST {server.url}{PATH} in {events[1].wait:.2f}s (retry 2 of 2): "
        "503 Service Unavailable",
    ]


def test_the_default_timeouts_are_finite_and_separate() -> None:
    with Client(TOKEN) as client:
        timeout = client.timeout
    assert isinstance(timeout, httpx.Timeout)
    assert timeout.connect is not None
    assert timeout.read is not None
    assert 0 < timeout.connect < timeout.read <= 300


# -- redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [307, 308])
@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_a_same_origin_redirect_keeps_method_body_and_authorization(
    create: Create, server: LoopbackServer, created: Reply, status: int, absolute: bool
) -> None:
    location = "/repositories/1296269/codespaces"
    if absolute:
        location = server.url + location
    script(server, Reply(status, {"location": location}), created)
    response = create(server.url, geo="UsWest", machine="standardLinux32gb")
    assert response.status_code == 201
    assert response.retries_taken == 0
    first, second = server.requests
    assert (first.method, first.target) == ("POST", PATH)
    assert (second.method, second.target) == ("POST", "/repositories/1296269/codespaces")
    assert second.body == first.body
    assert json.loads(second.body) == {"geo": "UsWest", "machine": "standardLinux32gb"}
    assert second.headers["authorization"] == first.headers["authorization"] == f"Bearer {TOKEN}"
    assert second.headers["content-type"] == "application/json"


def test_a_redirect_of_a_post_to_another_origin_is_not_followed(
    create: Create, server: LoopbackServer, created: Reply
) -> None:
    with LoopbackServer([created]) as elsewhere:
        script(server, Reply(307, {"location": elsewhere.url + PATH}))
        with pytest.raises(gc.APIStatusError) as caught:
            create(server.url)
        assert elsewhere.requests == []
    assert caught.value.status_code == 307
    assert f"the redirect to {elsewhere.url}{PATH} was not followed" in str(caught.value)
    assert len(server.requests) == 1


def test_a_user_http_client_that_follows_redirects_does_not_bypass_the_policy(
    server: LoopbackServer, created: Reply
) -> None:
    with LoopbackServer([created]) as elsewhere:
        script(server, Reply(307, {"location": elsewhere.url + PATH}))
        with (
            httpx.Client(follow_redirects=True) as http,
            Client(TOKEN, base_url=server.url, http_client=http) as client,
            pytest.raises(gc.APIStatusError),
        ):
            client.codespaces.create_with_repo_for_authenticated_user(OWNER, REPO)
        assert elsewhere.requests == []


def test_a_get_follows_a_redirect_to_another_origin_without_the_token(
    server: LoopbackServer,
) -> None:
    with LoopbackServer([Reply.json(200, {"ok": True})]) as elsewhere:
        script(server, Reply(302, {"location": elsewhere.url + "/moved", "set-cookie": "a=b"}))
        with Client(TOKEN, base_url=server.url) as client:
            response = _get(client)
        assert response.parsed == {"ok": True}
        (followed,) = elsewhere.requests
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in followed.headers
    assert "cookie" not in followed.headers
    assert followed.target == "/moved"


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_post_does_not_follow_a_redirect_that_would_change_its_method(
    create: Create, server: LoopbackServer, created: Reply, status: int
) -> None:
    script(server, Reply(status, {"location": "/elsewhere"}), created)
    with pytest.raises(gc.APIStatusError) as caught:
        create(server.url)
    assert caught.value.status_code == status
    assert len(server.requests) == 1


def test_redirects_are_bounded(create: Create, server: LoopbackServer) -> None:
    script(server, *[Reply(307, {"location": f"/hop/{n}"}) for n in range(10)])
    with pytest.raises(gc.APIStatusError) as caught:
        create(server.url)
    assert caught.value.status_code == 307
    assert len(server.requests) == 1 + 5  # the request and MAX_REDIRECTS redirects


# -- the token over plain http ------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://api.example.com", "http://10.0.0.1:8080", "http://localhost.example.com"]
)
def test_the_token_is_refused_over_plain_http_to_another_host(url: str) -> None:
    with pytest.raises(ValueError, match="refusing to send the API token over plain http") as err:
        Client(TOKEN, base_url=url)
    assert TOKEN not in str(err.value)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1", "http://[::1]:1", "http://localhost:1", "https://example.com"]
)
def test_the_token_is_sent_over_https_or_to_loopback(url: str) -> None:
    Client(TOKEN, base_url=url).close()


# -- the decisions behind the scenarios, for failures no loopback server can script ---------
# (a DNS failure and a connect timeout reach the client as httpx.ConnectError/ConnectTimeout)

_REQUEST = httpx.Request("POST", "https://api.github.com" + PATH)
NEVER_SENT = [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout]
MAYBE_SENT = [
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
]
HOPELESS = [httpx.UnsupportedProtocol, httpx.LocalProtocolError]


def _decide(error: type[httpx.TransportError], method: str, opt_in: bool) -> bool:
    with Client(TOKEN, retry_policy=FAST) as client:
        exc = error("scripted", request=_REQUEST)
        return client._retry_wait(method, 0, 2, opt_in, error=exc) is not None


@pytest.mark.parametrize("error", NEVER_SENT + MAYBE_SENT + HOPELESS, ids=lambda e: e.__name__)
@pytest.mark.parametrize(("method", "opt_in"), [("POST", False), ("POST", True), ("GET", False)])
def test_which_transport_failures_are_retried(
    error: type[httpx.TransportError], method: str, opt_in: bool
) -> None:
    expected = error in NEVER_SENT or (error in MAYBE_SENT and (opt_in or method == "GET"))
    assert _decide(error, method, opt_in) is expected


def test_backoff_grows_exponentially_with_jitter_up_to_a_cap() -> None:
    policy = RetryPolicy(initial_backoff=0.5, max_backoff=8.0)
    for retry, ceiling in enumerate([0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]):
        waits = {policy.backoff(retry) for _ in range(200)}
        assert all(0.75 * ceiling <= wait <= ceiling for wait in waits)
        assert len(waits) > 1  # jittered


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("3", 3.0), ("0", 0.0), ("-5", 0.0), ("1.5", 1.5), ("nan", None), ("inf", None), ("x", None)],
)
def test_retry_after_values(value: str, seconds: float | None) -> None:
    response = httpx.Response(429, headers={"retry-after": value}, request=_REQUEST)
    assert _retry_after(response) == seconds


@pytest.mark.parametrize(
    "options",
    [
        {"initial_backoff": -1},
        {"max_backoff": float("nan")},
        {"max_wait": float("inf")},
        {"wait_scale": -0.5},
        {"max_wait": "60"},
    ],
)
def test_a_retry_policy_out_of_range_is_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="RetryPolicy"):
        RetryPolicy(**options)


def test_max_retries_must_be_a_count(server: LoopbackServer) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Client(TOKEN, base_url=server.url, max_retries=-1)
    with Client(TOKEN, base_url=server.url) as client:
        with pytest.raises(ValueError, match="max_retries"):
            client.codespaces.create_with_repo_for_authenticated_user(OWNER, REPO, max_retries=-1)
        with pytest.raises(TypeError, match="max_retries"):
            client.codespaces.create_with_repo_for_authenticated_user(OWNER, REPO, max_retries=1.5)  # type: ignore[arg-type]
    assert server.requests == []


# -- many calls at once -------------------------------------------------------------------


CONCURRENT_CALLS = 1000
MEMORY_BOUND = 32 * 2**20  # about 5 MiB measured: a leak of 30 kB a call fails it
STATM = Path("/proc/self/statm")


class PeakMemory:
    """The peak growth of this process's resident memory while the block runs, sampled every
    few milliseconds (tracemalloc would trace every allocation, and triple the test's time)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample)

    @staticmethod
    def resident() -> int:
        return int(STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, self.resident() - self._baseline)

    def __enter__(self) -> PeakMemory:
        garbage.collect()
        self._baseline = self.resident()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.resident() - self._baseline)


def test_the_pool_keeps_every_connection_alive() -> None:
    # With fewer kept alive than may be open, httpcore 1.0 closes connections under load
    # instead of reusing them (it compares the count of all connections with the keep-alive
    # limit): a connection per call, and a TLS handshake each against the real API.
    assert DEFAULT_LIMITS.max_connections is not None
    assert DEFAULT_LIMITS.max_keepalive_connections == DEFAULT_LIMITS.max_connections


def _pool_requests(client: AsyncClient) -> int:
    """How many requests httpx's connection pool holds, being sent or queued."""
    pool = client._http._transport._pool  # type: ignore[attr-defined]
    return len(pool._requests)


@pytest.mark.skipif(not STATM.exists(), reason="reads the resident memory from /proc")
def test_the_async_client_holds_up_under_a_thousand_concurrent_calls(created: Reply) -> None:
    slow = Reply(201, created.headers, created.body, delay=0.02)
    pool = DEFAULT_LIMITS.max_connections
    assert pool is not None
    queued: list[int] = []

    async def scenario(url: str) -> list[int]:
        async with AsyncClient(TOKEN, base_url=url, max_retries=0) as client:
            create = client.codespaces.with_response.create_with_repo_for_authenticated_user

            async def one() -> int:
                response = await create(OWNER, REPO)
                assert response.parsed.name == "monalisa-octo-org-hello-world-g4wpq6h95q"
                return response.status_code

            async def watch() -> None:
                while True:
                    queued.append(_pool_requests(client))
                    await asyncio.sleep(0.005)

            watcher = asyncio.create_task(watch())
            try:
                return await asyncio.gather(*(one() for _ in range(CONCURRENT_CALLS)))
            finally:
                watcher.cancel()

    with served_from_another_process(slow) as (url, server), PeakMemory() as memory:
        statuses = asyncio.run(scenario(url))
    assert statuses == [201] * CONCURRENT_CALLS  # no errors (max_retries=0: none was retried)
    assert server["requests"] == CONCURRENT_CALLS
    assert pool // 2 <= server["peak_in_flight"] <= pool  # the calls really overlapped
    assert server["connections"] <= 2 * pool  # over a few connections, reused
    # The calls beyond the pool waited in the client, not in httpcore's queue (which it scans
    # in full, against every connection, whenever a request comes or goes).
    assert 0 < max(queued) <= pool
    assert memory.peak < MEMORY_BOUND, f"resident memory grew by {memory.peak / 2**20:.1f} MiB"


def test_threads_share_one_sync_client(created: Reply) -> None:
    slow = Reply(201, created.headers, created.body, delay=0.02)
    pool = DEFAULT_LIMITS.max_connections
    with LoopbackServer(default=slow) as server, Client(TOKEN, base_url=server.url) as client:

        def one(_: int) -> int:
            create = client.codespaces.with_response.create_with_repo_for_authenticated_user
            return create(OWNER, REPO, max_retries=0).status_code

        with ThreadPoolExecutor(max_workers=3 * (pool or 1)) as threads:
            statuses = list(threads.map(one, range(200)))
    assert statuses == [201] * 200
    assert len(server.requests) == 200
    assert (pool or 1) // 2 <= server.peak_in_flight <= (pool or 1)
    assert server.connections <= 2 * (pool or 1)
