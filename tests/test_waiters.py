"""``wait_until_available``: a state machine over conditional polls, driven over a real socket.

Intervals are scaled down (milliseconds, not seconds); time is never patched. The states and
what they mean come from the spec's waiter declaration.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Iterator
from typing import Any

import pytest

from generator.model import ir
from github_codespaces import (
    AsyncClient,
    Client,
    NotFoundError,
    Poll,
    RetryPolicy,
    WaiterError,
    WaiterTimeoutError,
)
from github_codespaces.models import Codespace, CodespaceState
from tests.loopback import LoopbackServer, Reply

TOKEN = "ghp_WaiterToken1234567890"
NAME = "monalisa-octocat-hello-world-g4wpq6h95q"
ONE = f"/user/codespaces/{NAME}"
QUICK: dict[str, Any] = {"interval": 0.001, "max_interval": 0.002, "timeout": 10.0}


@pytest.fixture
def codespace(codespace_body: dict[str, Any]) -> Any:
    def make(state: str, etag: str | None = None, **headers: str) -> Reply:
        answer = copy.deepcopy(codespace_body)
        answer.update({"state": state, "name": NAME})
        extra = {**({"etag": etag} if etag else {}), **headers}
        return Reply.json(200, answer, extra)

    return make


def not_modified(etag: str, **headers: str) -> Reply:
    return Reply(304, {"etag": etag, **headers})


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def wait(server: LoopbackServer, **options: Any) -> Codespace:
    with Client(TOKEN, base_url=server.url, max_retries=0) as client:
        return client.codespaces.wait_until_available(NAME, **{**QUICK, **options})


def _declared(api: ir.Api, state: str) -> list[str]:
    (waiter,) = api.waiters
    return [str(a.expected) for a in waiter.acceptors if a.state == state]


def test_a_hundred_unchanged_polls_are_conditional_after_the_first(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.extend(
        [codespace("Provisioning", '"v1"')]
        + [not_modified('"v1"') for _ in range(99)]
        + [codespace("Available", '"v2"')]
    )
    polls: list[Poll[Codespace]] = []
    ready = wait(server, on_poll=polls.append)
    assert ready.state is CodespaceState.AVAILABLE
    sent = [r.headers.get("if-none-match") for r in server.requests]
    assert len(sent) == 101
    assert sent[0] is None
    assert sent[1:] == ['"v1"'] * 100
    assert [p.attempt for p in polls] == list(range(1, 102))
    assert sum(p.not_modified for p in polls) == 99
    # A 304 keeps the last body: every poll before the last saw the Provisioning codespace.
    assert {p.resource.name for p in polls} == {NAME}
    assert all(p.state == "Provisioning" for p in polls[:-1])
    assert polls[-1].wait is None


def test_each_etag_the_server_sends_is_the_next_one_asked_about(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.extend(
        [
            codespace("Queued", '"a"'),
            not_modified('"a"'),
            codespace("Provisioning", '"b"'),
            codespace("Starting"),  # no ETag: keep asking about the last one
            not_modified('"b"'),
            codespace("Available", '"c"'),
        ]
    )
    wait(server)
    assert [r.headers.get("if-none-match") for r in server.requests] == [
        None,
        '"a"',
        '"a"',
        '"b"',
        '"b"',
        '"b"',
    ]


@pytest.mark.parametrize("state", ["Failed", "Deleted", "Unavailable", "Moved", "Archived"])
def test_a_terminal_state_raises_a_waiter_error_with_the_state_and_the_codespace(
    server: LoopbackServer, codespace: Any, api: ir.Api, state: str
) -> None:
    assert state in _declared(api, "failure")
    server._script.extend([codespace("Queued", '"q"'), not_modified('"q"'), codespace(state)])
    with pytest.raises(WaiterError) as caught:
        wait(server)
    error = caught.value
    assert type(error) is WaiterError
    assert error.state == state
    assert isinstance(error.resource, Codespace)
    assert error.resource.state == CodespaceState(state)
    assert f"state is {state!r}" in str(error)
    assert TOKEN not in str(error) + repr(error)
    assert len(server.requests) == 3  # stopped at once: no polling until the deadline


def test_every_state_the_spec_declares_is_handled_as_declared(
    server: LoopbackServer, codespace: Any, api: ir.Api
) -> None:
    for state in _declared(api, "retry"):
        server._script.extend([codespace(state), codespace("Available")])
        polls: list[Poll[Codespace]] = []
        wait(server, on_poll=polls.append)
        assert [p.outcome for p in polls] == ["retry", "success"], state
    for state in _declared(api, "failure"):
        server._script.append(codespace(state))
        with pytest.raises(WaiterError) as caught:
            wait(server)
        assert caught.value.state == state


def test_a_state_the_spec_does_not_list_keeps_the_wait_going(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.extend([codespace("Hibernating"), codespace("Available")])
    polls: list[Poll[Codespace]] = []
    assert wait(server, on_poll=polls.append).state is CodespaceState.AVAILABLE
    assert [(p.state, p.outcome) for p in polls] == [
        ("Hibernating", "retry"),
        ("Available", "success"),
    ]


def test_the_deadline_raises_a_timeout_with_the_last_state(codespace: Any) -> None:
    started = time.monotonic()
    script = [codespace("Provisioning", '"p"')]
    with (
        LoopbackServer(script, default=not_modified('"p"')) as server,
        pytest.raises(WaiterTimeoutError) as caught,
    ):
        wait(server, timeout=0.3, interval=0.02, max_interval=0.05)
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 2.0
    assert caught.value.state == "Provisioning"
    assert isinstance(caught.value.resource, Codespace)
    assert isinstance(caught.value, WaiterError)
    assert "still 'Provisioning'" in str(caught.value)
    assert 4 <= len(server.requests) <= 20  # polled every 20..50 ms, then once at the deadline


def test_shutdown_fails_at_once_unless_asked_to_start_it(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.append(codespace("Shutdown"))
    with pytest.raises(WaiterError) as caught:
        wait(server)
    assert caught.value.state == "Shutdown"
    assert [r.method for r in server.requests] == ["GET"]


def test_a_shutdown_codespace_is_started_once_when_asked(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.extend(
        [
            codespace("Shutdown", '"s"'),
            codespace("Starting"),  # the answer to POST .../start
            codespace("Starting", '"t"'),
            not_modified('"t"'),
            codespace("Available"),
        ]
    )
    polls: list[Poll[Codespace]] = []
    wait(server, start_if_shutdown=True, on_poll=polls.append)
    assert [(r.method, r.target) for r in server.requests] == [
        ("GET", ONE),
        ("POST", f"{ONE}/start"),
        ("GET", ONE),
        ("GET", ONE),
        ("GET", ONE),
    ]
    # After starting it, the next poll asks afresh rather than about the shut-down version.
    assert [r.headers.get("if-none-match") for r in server.requests] == [
        None,
        None,
        None,
        '"t"',
        '"t"',
    ]
    assert [p.outcome for p in polls] == ["remedy", "retry", "retry", "success"]


def test_it_is_started_once_only(server: LoopbackServer, codespace: Any) -> None:
    server._script.extend([codespace("Shutdown"), codespace("Starting"), codespace("Shutdown")])
    with pytest.raises(WaiterError, match="after its remedy was called once") as caught:
        wait(server, start_if_shutdown=True)
    assert caught.value.state == "Shutdown"
    assert [r.method for r in server.requests] == ["GET", "POST", "GET"]


def test_the_server_s_poll_interval_and_retry_after_are_waited(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.extend(
        [
            codespace("Queued", '"q"', **{"x-poll-interval": "0.2"}),
            not_modified('"q"', **{"retry-after": "0.2"}),
            codespace("Available"),
        ]
    )
    polls: list[Poll[Codespace]] = []
    started = time.monotonic()
    wait(server, on_poll=polls.append)
    assert time.monotonic() - started >= 0.4
    assert [p.wait for p in polls[:2]] == [pytest.approx(0.2, abs=0.05)] * 2


def test_waits_back_off_with_jitter_and_start_again_when_the_state_changes(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.extend(
        [codespace("Queued", '"q"')]
        + [not_modified('"q"') for _ in range(6)]
        + [codespace("Provisioning"), codespace("Available")]
    )
    polls: list[Poll[Codespace]] = []
    wait(server, interval=0.004, max_interval=0.02, on_poll=polls.append)
    waits = [p.wait for p in polls[:-1]]
    assert all(w is not None for w in waits)
    ceilings = [min(0.02, 0.004 * 1.5**n) for n in range(7)] + [0.004]
    for wait_, ceiling in zip(waits, ceilings, strict=True):
        assert wait_ is not None
        assert 0.75 * ceiling <= wait_ <= ceiling
    assert len(set(waits)) > 1


def test_an_error_status_ends_the_wait_with_its_own_error(
    server: LoopbackServer, codespace: Any
) -> None:
    server._script.extend([codespace("Queued"), Reply.json(404, {"message": "Not Found"})])
    with pytest.raises(NotFoundError):
        wait(server)


def test_polls_are_retried_as_any_get(server: LoopbackServer, codespace: Any) -> None:
    server._script.extend(
        [
            codespace("Queued", '"q"'),
            Reply.json(502, {"message": "bad gateway"}),
            not_modified('"q"'),
            codespace("Available"),
        ]
    )
    fast = RetryPolicy(initial_backoff=0.0, max_backoff=0.0)
    with Client(TOKEN, base_url=server.url, max_retries=1, retry_policy=fast) as client:
        client.codespaces.wait_until_available(NAME, **QUICK)
    # The retried poll is still conditional.
    assert [r.headers.get("if-none-match") for r in server.requests] == [None, '"q"', '"q"', '"q"']


def test_the_async_waiter_behaves_the_same(server: LoopbackServer, codespace: Any) -> None:
    server._script.extend(
        [
            codespace("Queued", '"q"'),
            not_modified('"q"'),
            codespace("Shutdown"),
            codespace("Starting"),
            codespace("Available"),
        ]
    )

    async def scenario() -> Codespace:
        async with AsyncClient(TOKEN, base_url=server.url) as client:
            return await client.codespaces.wait_until_available(
                NAME, start_if_shutdown=True, **QUICK
            )

    assert asyncio.run(scenario()).state is CodespaceState.AVAILABLE
    assert [r.method for r in server.requests] == ["GET", "GET", "GET", "POST", "GET"]
    assert server.requests[1].headers["if-none-match"] == '"q"'


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"timeout": -1.0}, ValueError),
        ({"interval": float("nan")}, ValueError),
        ({"interval": 2.0, "max_interval": 1.0}, ValueError),
        ({"timeout": "soon"}, TypeError),
    ],
)
def test_bad_wait_options_are_refused_before_anything_is_sent(
    server: LoopbackServer, options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        wait(server, **options)
    assert not server.requests
