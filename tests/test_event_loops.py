"""The async client under both event loops httpx supports: asyncio and trio.

Whatever makes a call wait (a rate limit's ``Retry-After``, a backoff between attempts, a free
connection of the pool) waits on the loop it runs under, and is cancelled by that loop's own
means. Every scenario runs over real sockets against :class:`tests.loopback.LoopbackServer`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import httpx
import pytest
import trio

from github_codespaces import APIResponse, APITimeoutError, AsyncClient, RetryPolicy
from github_codespaces._base_client import DEFAULT_LIMITS
from github_codespaces.models import Codespace
from tests.conftest import FIXTURES
from tests.loopback import LoopbackServer, Reply

TOKEN = "ghp_EventLoopsToken0123456789abcdefXYZ"
OWNER, REPO = "octo-org", "hello-world"
FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, wait_scale=0.01)
CREATED = Reply.json(201, (FIXTURES / "codespace.json").read_bytes())

Scenario = Callable[[], Coroutine[Any, Any, Any]]
Call = Callable[[], Awaitable[Any]]


def run(loop: str, scenario: Scenario) -> Any:
    """Run ``scenario`` as a program would: ``asyncio.run`` or ``trio.run``."""
    if loop == "asyncio":
        return asyncio.run(scenario())
    return trio.run(scenario)


@pytest.fixture(params=["asyncio", "trio"])
def loop(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def server() -> Any:
    with LoopbackServer() as running:
        yield running


def _create(client: AsyncClient, **call: Any) -> Awaitable[APIResponse[Codespace]]:
    return client.codespaces.with_response.create_with_repo_for_authenticated_user(
        OWNER, REPO, **call
    )


async def _gather(loop: str, calls: list[Call]) -> list[Any]:
    """Run ``calls`` at once on ``loop``; each result, or the exception it raised."""
    results: list[Any] = [None] * len(calls)

    async def one(index: int) -> None:
        try:
            results[index] = await calls[index]()
        except Exception as error:  # collected, so that the test can assert on each
            results[index] = error

    if loop == "asyncio":
        await asyncio.gather(*(one(i) for i in range(len(calls))))
    else:
        async with trio.open_nursery() as nursery:
            for index in range(len(calls)):
                nursery.start_soon(one, index)
    return results


def test_a_rate_limit_is_waited_out(loop: str, server: LoopbackServer) -> None:
    server._script.extend(
        [Reply.json(429, {"message": "slow down"}, {"retry-after": "1"}), CREATED]
    )

    async def scenario() -> APIResponse[Codespace]:
        async with AsyncClient(TOKEN, base_url=server.url, retry_policy=FAST) as client:
            return await _create(client)

    response = run(loop, scenario)
    assert response.status_code == 201
    assert response.retries_taken == 1
    assert len(server.requests) == 2


def test_a_backoff_is_waited_out(loop: str, server: LoopbackServer) -> None:
    server._script.extend([Reply.json(503, {"message": "busy"})] * 2 + [CREATED])

    async def scenario() -> APIResponse[Codespace]:
        async with AsyncClient(
            TOKEN, base_url=server.url, retry_policy=FAST, retry_non_idempotent=True
        ) as client:
            return await _create(client)

    response = run(loop, scenario)
    assert response.status_code == 201
    assert response.retries_taken == 2
    assert len(server.requests) == 3


def test_a_wait_is_cancelled_by_the_loops_own_means(loop: str, server: LoopbackServer) -> None:
    # A rate limit asking for 30 s, waited in full (wait_scale=1): only cancellation ends it.
    server._script.append(Reply.json(429, {"message": "slow down"}, {"retry-after": "30"}))
    policy = RetryPolicy(max_wait=60)

    async def scenario() -> bool:
        async with AsyncClient(TOKEN, base_url=server.url, retry_policy=policy) as client:
            if loop == "asyncio":
                try:
                    await asyncio.wait_for(_create(client), 0.2)
                except asyncio.TimeoutError:
                    return True
                return False
            with trio.move_on_after(0.2) as scope:
                await _create(client)
            return scope.cancelled_caught

    started = time.monotonic()
    assert run(loop, scenario) is True
    assert time.monotonic() - started < 5
    assert len(server.requests) == 1


def test_calls_beyond_the_pool_wait_for_a_free_connection(loop: str) -> None:
    pool = DEFAULT_LIMITS.max_connections
    assert pool is not None
    slow = Reply(201, CREATED.headers, CREATED.body, delay=0.05)
    with LoopbackServer(default=slow) as server:

        async def scenario() -> list[Any]:
            async with AsyncClient(TOKEN, base_url=server.url, max_retries=0) as client:
                return await _gather(loop, [lambda: _create(client)] * (3 * pool))

        results = run(loop, scenario)
    assert [r.status_code for r in results] == [201] * (3 * pool)
    assert len(server.requests) == 3 * pool
    assert pool // 2 <= server.peak_in_flight <= pool


def test_a_call_that_finds_no_free_connection_in_time_times_out(loop: str) -> None:
    pool = DEFAULT_LIMITS.max_connections
    assert pool is not None
    slow = Reply(201, CREATED.headers, CREATED.body, delay=0.5)
    timeout = httpx.Timeout(5.0, pool=0.05)
    with LoopbackServer(default=slow) as server:

        async def scenario() -> list[Any]:
            async with AsyncClient(
                TOKEN, base_url=server.url, max_retries=0, timeout=timeout
            ) as client:
                return await _gather(loop, [lambda: _create(client)] * (pool + 1))

        results = run(loop, scenario)
    timed_out = [r for r in results if isinstance(r, Exception)]
    assert len(timed_out) == 1
    assert isinstance(timed_out[0], APITimeoutError)
    assert isinstance(timed_out[0].__cause__, httpx.PoolTimeout)
    assert [r.status_code for r in results if not isinstance(r, Exception)] == [201] * pool
    assert len(server.requests) == pool  # the call that timed out was never sent


def test_a_cancelled_wait_for_a_connection_gives_no_slot_away(loop: str) -> None:
    pool = DEFAULT_LIMITS.max_connections
    assert pool is not None
    slow = Reply(201, CREATED.headers, CREATED.body, delay=0.2)
    with LoopbackServer(default=slow) as server:

        async def scenario() -> list[Any]:
            async with AsyncClient(TOKEN, base_url=server.url, max_retries=0) as client:
                # The pool full, and pool more calls waiting for it, cancelled while they wait.
                first = await _gather(
                    loop,
                    [lambda: _create(client)] * pool + [lambda: _cancelled(loop, client)] * pool,
                )
                # Then every slot must still be there: pool calls in flight at once, again.
                second = await _gather(loop, [lambda: _create(client)] * (2 * pool))
                return first + second

        results = run(loop, scenario)
    statuses = [getattr(r, "status_code", r) for r in results]
    assert statuses == [201] * pool + ["cancelled"] * pool + [201] * (2 * pool)
    assert len(server.requests) == 3 * pool
    assert server.peak_in_flight == pool


async def _cancelled(loop: str, client: AsyncClient) -> str:
    """A call cancelled while it waits for a connection (trio runs tasks in any order: the calls
    that fill the pool are let go first)."""
    if loop == "asyncio":
        await asyncio.sleep(0.02)
        try:
            await asyncio.wait_for(_create(client), 0.05)
        except asyncio.TimeoutError:
            return "cancelled"
        return "sent"
    await trio.sleep(0.02)
    with trio.move_on_after(0.05):
        await _create(client)
        return "sent"
    return "cancelled"
