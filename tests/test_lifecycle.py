"""A codespace's whole life through the generated client: create, wait, list, stop, delete.

Against respx and against a real socket (tests/loopback.py), sync, async (asyncio) and trio.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import trio

from github_codespaces import (
    AsyncClient,
    Client,
    NotFoundError,
    NotModifiedError,
    Poll,
    ResponseValidationError,
    RetryPolicy,
)
from github_codespaces.models import Codespace, CodespaceState
from tests.loopback import LoopbackServer, Reply

BASE = "https://api.github.com"
TOKEN = "ghp_LifecycleToken1234567890"
OWNER, REPO, NAME = "octo-org", "hello-world", "monalisa-octocat-hello-world-g4wpq6h95q"
CREATE = f"/repos/{OWNER}/{REPO}/codespaces"
ONE = f"/user/codespaces/{NAME}"
FAST = RetryPolicy(initial_backoff=0.0, max_backoff=0.0, wait_scale=0.0)
# Scaled-down waiting: the same waits as GitHub's, a thousandth as long.
QUICK: dict[str, Any] = {"interval": 0.001, "max_interval": 0.005, "timeout": 5.0}


def body(codespace: dict[str, Any], state: str, **changes: Any) -> dict[str, Any]:
    answer = copy.deepcopy(codespace)
    answer.update({"state": state, "name": NAME, **changes})
    return answer


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


# -- create -> wait -> stop -> delete ------------------------------------------------------------


@pytest.mark.parametrize("created", [201, 202])
def test_create_wait_stop_delete_over_respx(
    mock: respx.MockRouter, codespace_body: dict[str, Any], created: int
) -> None:
    mock.post(CREATE).respond(created, json=body(codespace_body, "Queued"))
    polls = mock.get(ONE).mock(
        side_effect=[
            httpx.Response(200, json=body(codespace_body, "Provisioning"), headers={"etag": '"a"'}),
            httpx.Response(304, headers={"etag": '"a"'}),
            httpx.Response(200, json=body(codespace_body, "Available"), headers={"etag": '"b"'}),
        ]
    )
    stop = mock.post(f"{ONE}/stop").respond(200, json=body(codespace_body, "ShuttingDown"))
    delete = mock.delete(ONE).respond(202, json={})
    seen: list[Poll[Codespace]] = []
    with Client(TOKEN, max_retries=0) as client:
        answer = client.codespaces.with_response.create_with_repo_for_authenticated_user(
            OWNER, REPO, machine="standardLinux32gb"
        )
        assert answer.status_code == created
        ready = client.codespaces.wait_until_available(
            answer.parsed.name, on_poll=seen.append, **QUICK
        )
        assert ready.state is CodespaceState.AVAILABLE
        stopping = client.codespaces.stop_for_authenticated_user(ready.name)
        assert stopping.state is CodespaceState.SHUTTING_DOWN
        deleted = client.codespaces.with_response.delete_for_authenticated_user(ready.name)
        assert (deleted.status_code, deleted.parsed) == (202, None)
    assert [p.state for p in seen] == ["Provisioning", "Provisioning", "Available"]
    assert [p.not_modified for p in seen] == [False, True, False]
    assert [p.outcome for p in seen] == ["retry", "retry", "success"]
    assert [c.request.headers.get("if-none-match") for c in polls.calls] == [None, '"a"', '"a"']
    assert stop.call_count == delete.call_count == 1


def test_create_wait_stop_delete_over_a_real_socket(codespace_body: dict[str, Any]) -> None:
    def reply(status: int, state: str | None, etag: str | None = None) -> Reply:
        headers = {"etag": etag} if etag else {}
        if state is None:
            return Reply(status, headers)
        return Reply.json(status, body(codespace_body, state), headers)

    script = [
        reply(202, "Queued"),  # creation partly failed and is being retried in the background
        reply(200, "Queued", '"q"'),
        reply(304, None, '"q"'),
        reply(200, "Provisioning", '"p"'),
        reply(304, None, '"p"'),
        reply(200, "Available", '"a"'),
        reply(200, "ShuttingDown"),
        Reply.json(202, {}),
    ]
    with LoopbackServer(script) as server, Client(TOKEN, base_url=server.url) as client:
        created = client.codespaces.with_response.create_with_repo_for_authenticated_user(
            OWNER, REPO
        )
        assert created.status_code == 202
        ready = client.codespaces.wait_until_available(created.parsed.name, **QUICK)
        assert ready.state is CodespaceState.AVAILABLE
        client.codespaces.stop_for_authenticated_user(ready.name)
        deleted = client.codespaces.with_response.delete_for_authenticated_user(ready.name)
        assert (deleted.status_code, deleted.parsed) == (202, None)
    requests = [(r.method, r.target, r.headers.get("if-none-match")) for r in server.requests]
    assert requests == [
        ("POST", CREATE, None),
        ("GET", ONE, None),
        ("GET", ONE, '"q"'),
        ("GET", ONE, '"q"'),
        ("GET", ONE, '"p"'),
        ("GET", ONE, '"p"'),
        ("POST", f"{ONE}/stop", None),
        ("DELETE", ONE, None),
    ]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)


def test_the_async_client_lives_the_same_life(codespace_body: dict[str, Any]) -> None:
    script = [
        Reply.json(201, body(codespace_body, "Provisioning")),
        Reply.json(200, body(codespace_body, "Starting"), {"etag": '"s"'}),
        Reply(304, {"etag": '"s"'}),
        Reply.json(200, body(codespace_body, "Available"), {"etag": '"a"'}),
        Reply.json(200, body(codespace_body, "ShuttingDown")),
        Reply.json(202, {}),
    ]

    async def scenario(url: str) -> None:
        async with AsyncClient(TOKEN, base_url=url) as client:
            created = await client.codespaces.create_with_repo_for_authenticated_user(OWNER, REPO)
            ready = await client.codespaces.wait_until_available(created.name, **QUICK)
            assert ready.state is CodespaceState.AVAILABLE
            await client.codespaces.stop_for_authenticated_user(ready.name)
            await client.codespaces.delete_for_authenticated_user(ready.name)

    with LoopbackServer(script) as server:
        asyncio.run(scenario(server.url))
    assert [r.method for r in server.requests] == ["POST", "GET", "GET", "GET", "POST", "DELETE"]
    assert server.requests[2].headers["if-none-match"] == '"s"'


def test_the_async_client_runs_under_trio(codespace_body: dict[str, Any]) -> None:
    """No asyncio anywhere: pooling, retries, waits and pages all run on anyio."""
    pages = [
        Reply.json(200, {"total_count": 2, "codespaces": [body(codespace_body, "Available")]}),
        Reply.json(
            200, {"total_count": 2, "codespaces": [body(codespace_body, "Shutdown", name="b")]}
        ),
    ]
    script = [
        Reply.json(502, {"message": "bad gateway"}),  # retried: a GET is idempotent
        Reply.json(200, body(codespace_body, "Queued"), {"etag": '"q"'}),
        Reply(304, {"etag": '"q"'}),
        Reply.json(200, body(codespace_body, "Available")),
    ]

    async def scenario(url: str) -> list[str]:
        async with AsyncClient(TOKEN, base_url=url, retry_policy=FAST) as client:
            ready = await client.codespaces.wait_until_available(NAME, **QUICK)
            assert ready.state is CodespaceState.AVAILABLE
            pages[0] = Reply.json(
                200,
                {"total_count": 2, "codespaces": [body(codespace_body, "Available", name="a")]},
                {"link": f'<{url}{CREATE}?page=2>; rel="next"'},
            )
            server._script.extend(pages)
            listing = client.codespaces.list_in_repository_for_authenticated_user(OWNER, REPO)
            return [c.name async for c in listing]

    with LoopbackServer(script) as server:
        states = trio.run(scenario, server.url)
    assert states == ["a", "b"]
    assert len(server.requests) == 6


# -- lists: every page, following the links --------------------------------------------------


def _page(codespace_body: dict[str, Any], names: list[str], link: str | None) -> httpx.Response:
    codespaces = [body(codespace_body, "Available", name=name) for name in names]
    headers = {"link": link} if link else {}
    return httpx.Response(200, json={"total_count": 5, "codespaces": codespaces}, headers=headers)


def test_a_list_iterates_across_three_pages_and_stops(
    mock: respx.MockRouter, codespace_body: dict[str, Any]
) -> None:
    # The links carry a cursor the client could not have built: it must follow them as given.
    second = f"{BASE}{CREATE}?per_page=2&page=2&after=Y3Vyc29yOnYyOpK0"
    third = f"{BASE}{CREATE}?per_page=2&page=3&after=Y3Vyc29yOnYyOpK1"
    pages = [
        _page(codespace_body, ["a", "b"], f'<{second}>; rel="next", <{third}>; rel="last"'),
        _page(codespace_body, ["c", "d"], f'<{third}>; rel="next", <{third}>; rel="last"'),
        _page(codespace_body, ["e"], f'<{BASE}{CREATE}?per_page=2&page=1>; rel="first"'),
    ]
    route = mock.get(CREATE).mock(side_effect=pages + pages)  # iterated twice below
    with Client(TOKEN, max_retries=0) as client:
        listing = client.codespaces.list_in_repository_for_authenticated_user(
            OWNER, REPO, per_page=2
        )
        assert route.call_count == 0
        names = [codespace.name for codespace in listing]
        assert route.call_count == 3  # and no fourth: the last page links no next one
        walked = list(listing.pages())
        assert route.call_count == 6
    assert names == ["a", "b", "c", "d", "e"]
    urls = [str(call.request.url) for call in route.calls]
    assert urls[:3] == [f"{BASE}{CREATE}?per_page=2", second, third]
    assert urls[3:] == urls[:3]
    assert [p.total_count for p in walked] == [5, 5, 5]
    assert [len(p.items) for p in walked] == [2, 2, 1]
    assert [p.response.status_code for p in walked] == [200, 200, 200]
    assert all(isinstance(item, Codespace) for page in walked for item in page.items)
    assert walked[-1].next_url is None


def test_a_list_over_a_real_socket_sync_and_async(codespace_body: dict[str, Any]) -> None:
    def scripted(url: str) -> list[Reply]:
        def reply(names: list[str], page: int | None) -> Reply:
            link = {"link": f'<{url}{CREATE}?page={page}>; rel="next"'} if page else {}
            codespaces = [body(codespace_body, "Available", name=name) for name in names]
            return Reply.json(200, {"total_count": 3, "codespaces": codespaces}, link)

        return [reply(["a"], 2), reply(["b"], 3), reply(["c"], None)]

    async def collect(url: str) -> list[str]:
        async with AsyncClient(TOKEN, base_url=url) as client:
            listing = client.codespaces.list_in_repository_for_authenticated_user(OWNER, REPO)
            return [c.name async for c in listing]

    with LoopbackServer() as server:
        server._script.extend(scripted(server.url))
        with Client(TOKEN, base_url=server.url) as client:
            listing = client.codespaces.list_in_repository_for_authenticated_user(OWNER, REPO)
            assert [c.name for c in listing] == ["a", "b", "c"]
        server._script.extend(scripted(server.url))
        assert asyncio.run(collect(server.url)) == ["a", "b", "c"]
    targets = [r.target for r in server.requests]
    assert targets == [CREATE, f"{CREATE}?page=2", f"{CREATE}?page=3"] * 2


def test_each_page_is_retried_on_its_own(
    mock: respx.MockRouter, codespace_body: dict[str, Any]
) -> None:
    second = f"{BASE}{CREATE}?page=2"
    route = mock.get(CREATE).mock(
        side_effect=[
            _page(codespace_body, ["a"], f'<{second}>; rel="next"'),
            httpx.Response(502, json={"message": "bad gateway"}),
            httpx.Response(
                403,
                json={"message": "You have exceeded a secondary rate limit"},
                headers={"retry-after": "1"},
            ),
            _page(codespace_body, ["b"], None),
        ]
    )
    with Client(TOKEN, max_retries=2, retry_policy=FAST) as client:
        listing = client.codespaces.list_in_repository_for_authenticated_user(OWNER, REPO)
        assert [c.name for c in listing] == ["a", "b"]
    assert [str(c.request.url) for c in route.calls] == [f"{BASE}{CREATE}", *[second] * 3]


def test_a_link_to_another_origin_is_refused_and_gets_no_token(
    mock: respx.MockRouter, codespace_body: dict[str, Any]
) -> None:
    mock.get(CREATE).mock(
        return_value=_page(
            codespace_body, ["a"], '<https://attacker.test/steal?page=2>; rel="next"'
        )
    )
    elsewhere = respx.route(host="attacker.test")
    with Client(TOKEN, max_retries=0) as client:
        items = iter(client.codespaces.list_in_repository_for_authenticated_user(OWNER, REPO))
        assert next(items).name == "a"
        with pytest.raises(ResponseValidationError, match="leaves the origin") as caught:
            next(items)
    assert not elsewhere.called
    assert TOKEN not in str(caught.value)


def test_with_response_gives_the_first_page_whole(
    mock: respx.MockRouter, codespace_body: dict[str, Any]
) -> None:
    mock.get(CREATE).mock(
        return_value=_page(codespace_body, ["a"], f'<{BASE}{CREATE}?page=2>; rel="next"')
    )
    with Client(TOKEN, max_retries=0) as client:
        first = client.codespaces.with_response.list_in_repository_for_authenticated_user(
            OWNER, REPO, page=1
        )
    assert first.status_code == 200
    assert first.parsed.total_count == 5
    assert [c.name for c in first.parsed.codespaces] == ["a"]
    assert "rel" in first.headers["link"]


def test_query_arguments_are_checked_before_anything_is_sent(mock: respx.MockRouter) -> None:
    route = mock.get(CREATE)
    with Client(TOKEN, max_retries=0) as client:
        with pytest.raises(TypeError, match="per_page"):
            client.codespaces.list_in_repository_for_authenticated_user(OWNER, REPO, per_page="2")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="ref"):
            client.codespaces.repo_machines_for_authenticated_user(OWNER, REPO, ref=3)  # type: ignore[arg-type]
    assert not route.called


# -- answers without data ------------------------------------------------------------------------


def test_a_304_raises_not_modified_and_decodes_nothing(mock: respx.MockRouter) -> None:
    mock.get(f"/repos/{OWNER}/{REPO}/codespaces/machines").respond(
        304, content=b"", headers={"content-type": "application/json", "etag": '"m"'}
    )
    with Client(TOKEN, max_retries=0) as client, pytest.raises(NotModifiedError) as caught:
        client.codespaces.repo_machines_for_authenticated_user(OWNER, REPO)
    assert (caught.value.status_code, caught.value.body) == (304, None)
    assert caught.value.response.headers["etag"] == '"m"'


def test_delete_returns_none_whatever_its_202_carries(mock: respx.MockRouter) -> None:
    route = mock.delete(ONE)
    with Client(TOKEN, max_retries=0) as client:
        for content in (b"{}", b"", b'{"anything": true}'):
            route.respond(202, content=content, headers={"content-type": "application/json"})
            answer = client.codespaces.with_response.delete_for_authenticated_user(NAME)
            assert (answer.status_code, answer.parsed) == (202, None)
        route.respond(404, json={"message": "Not Found"})
        with pytest.raises(NotFoundError):
            client.codespaces.delete_for_authenticated_user(NAME)


def test_machines_and_defaults_help_choose_what_to_create(
    mock: respx.MockRouter, codespace_body: dict[str, Any]
) -> None:
    machine = codespace_body["machine"]
    machines = mock.get(f"/repos/{OWNER}/{REPO}/codespaces/machines").respond(
        200, json={"total_count": 1, "machines": [machine]}
    )
    mock.get(f"/repos/{OWNER}/{REPO}/codespaces/new").respond(
        200,
        json={"defaults": {"location": "WestUs2", "devcontainer_path": None}},
    )
    mock.get(f"/repos/{OWNER}/{REPO}/codespaces/devcontainers").respond(
        200, json={"total_count": 1, "devcontainers": [{"path": ".devcontainer/devcontainer.json"}]}
    )
    with Client(TOKEN, max_retries=0) as client:
        found = client.codespaces.repo_machines_for_authenticated_user(
            OWNER, REPO, location="WestUs2", ref="main"
        )
        defaults = client.codespaces.pre_flight_with_repo_for_authenticated_user(OWNER, REPO)
        paths = [
            d.path
            for d in client.codespaces.list_devcontainers_in_repository_for_authenticated_user(
                OWNER, REPO
            )
        ]
    assert [m.name for m in found.machines] == [machine["name"]]
    assert dict(machines.calls.last.request.url.params) == {"location": "WestUs2", "ref": "main"}
    assert defaults.defaults
    assert defaults.defaults.devcontainer_path is None
    assert paths == [".devcontainer/devcontainer.json"]
    assert json.loads(machines.calls.last.response.content)["machines"][0] == machine


# -- the README's first example, as written ------------------------------------------------------


def _readme_workflow() -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    return readme.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(("state", "stopped"), [("Available", True), ("Failed", False)])
def test_the_readme_workflow_runs_as_written(
    mock: respx.MockRouter,
    codespace_body: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    state: str,
    stopped: bool,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    create = mock.post(CREATE).respond(202, json=body(codespace_body, "Queued"))
    mock.get(ONE).respond(200, json=body(codespace_body, state))
    stop = mock.post(f"{ONE}/stop").respond(200, json=body(codespace_body, "ShuttingDown"))
    delete = mock.delete(ONE).respond(202, json={})
    exec(compile(_readme_workflow(), "README.md", "exec"), {})
    assert json.loads(create.calls.last.request.content) == {
        "geo": "UsWest",
        "machine": "standardLinux32gb",
    }
    assert stop.called is stopped
    assert delete.call_count == 1  # a billable machine is deleted whatever happened
    printed = capsys.readouterr().out
    assert ("ready:" in printed) is stopped
    assert (f"{NAME} is Failed, not available" in printed) is not stopped
