"""Credentials as an ``httpx.Auth``: a refreshing auth flow over loopback, under every loop.

GitHub App user tokens expire and are refreshed with a refresh token; an auth flow is how httpx
users do that. The flow here answers a 401 by refreshing and sending the request again, as
such flows do. It shows every secret it holds in its ``repr``, so that any place the client
showed the object would show them too: the scans look for them in everything the client emits.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Generator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import trio

from github_codespaces import APIResponse, AsyncClient, AuthenticationError, Client, RetryPolicy
from github_codespaces.models import Codespace
from tests.conftest import FIXTURES
from tests.loopback import LoopbackServer, Reply
from tests.test_secrets import LOGGERS, _get, emitted

OWNER, REPO = "octo-org", "hello-world"
PATH = f"/repos/{OWNER}/{REPO}/codespaces"
REFRESH_PATH = "/login/oauth/access_token"
EXPIRED, FRESH = "ghu_ExpiredAccessToken0123456789abcdef", "ghu_FreshAccessToken0123456789abcdefgh"
REFRESH, NEXT_REFRESH = (
    "ghr_RefreshToken0123456789abcdefABCDEF",
    "ghr_NextRefresh0123456789abcdefABCDEF",
)
SECRETS = (EXPIRED, FRESH, REFRESH, NEXT_REFRESH, EXPIRED[4:20], REFRESH[-16:])
FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, wait_scale=0.01)
CREATED = Reply.json(201, (FIXTURES / "codespace.json").read_bytes())
EXPIRED_401 = Reply.json(401, {"message": "Bad credentials"})
REFRESHED = Reply.json(200, {"access_token": FRESH, "refresh_token": NEXT_REFRESH})


class RefreshFailed(Exception):
    """The flow's own error: the refresh token was refused."""


class RefreshingAuth(httpx.Auth):
    """A user-to-server token that, answered 401, is refreshed once and the request sent again."""

    requires_response_body = True

    def __init__(self, refresh_url: str) -> None:
        self.access_token = EXPIRED
        self.refresh_token = REFRESH
        self.refresh_url = refresh_url
        self.refreshes = 0
        self.authenticated: list[str] = []  # the URL of every request the flow signed

    def __repr__(self) -> str:  # deliberately careless: the client must never show it
        return f"RefreshingAuth(access={self.access_token}, refresh={self.refresh_token})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self._sign(request)
        response = yield request
        if response.status_code != 401:
            return
        refreshed = yield httpx.Request(
            "POST",
            self.refresh_url,
            data={"grant_type": "refresh_token", "refresh_token": self.refresh_token},
        )
        if refreshed.status_code != 200:
            raise RefreshFailed(f"the refresh was answered {refreshed.status_code}")
        tokens = refreshed.json()
        self.access_token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]
        self.refreshes += 1
        self._sign(request)
        yield request

    def _sign(self, request: httpx.Request) -> None:
        self.authenticated.append(str(request.url))
        request.headers["Authorization"] = f"Bearer {self.access_token}"


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # An Auth given is used instead of the environment's token: one is there to be ignored.
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_FromTheEnvironmentNotToBeSent0123")


@pytest.fixture(params=["sync", "asyncio", "trio"])
def kind(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def server() -> Any:
    with LoopbackServer() as running:
        yield running


def create_twice(kind: str, url: str, auth: httpx.Auth, **options: Any) -> list[Any]:
    """Two create calls through one client of ``kind``; each APIResponse, or what it raised."""
    results: list[Any] = []
    if kind == "sync":
        with Client(auth, base_url=url, retry_policy=FAST, **options) as client:
            for _ in range(2):
                try:
                    results.append(
                        client.codespaces.with_response.create_with_repo_for_authenticated_user(
                            OWNER, REPO
                        )
                    )
                except Exception as error:
                    results.append(error)
        return [client, *results]

    async def scenario() -> list[Any]:
        async with AsyncClient(auth, base_url=url, retry_policy=FAST, **options) as client:
            for _ in range(2):
                try:
                    namespace = client.codespaces.with_response
                    results.append(
                        await namespace.create_with_repo_for_authenticated_user(OWNER, REPO)
                    )
                except Exception as error:
                    results.append(error)
        return [client, *results]

    return asyncio.run(scenario()) if kind == "asyncio" else trio.run(scenario)


def _authorization(server: LoopbackServer) -> list[tuple[str, str | None]]:
    return [(r.target, r.headers.get("authorization")) for r in server.requests]


def test_an_expired_token_is_refreshed_and_the_call_goes_on(
    kind: str, server: LoopbackServer
) -> None:
    # 401 for the expired token, the refresh, a rate limit (retried by the client), then 201s.
    rate_limited = Reply.json(429, {"message": "slow down"}, {"retry-after": "1"})
    server._script.extend([EXPIRED_401, REFRESHED, rate_limited, CREATED, CREATED])
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    _, first, second = create_twice(kind, server.url, auth)

    assert isinstance(first, APIResponse)
    assert first.status_code == 201
    assert first.retries_taken == 1
    assert isinstance(first.parsed, Codespace)
    assert second.status_code == 201
    assert second.retries_taken == 0
    assert auth.refreshes == 1
    assert _authorization(server) == [
        (PATH, f"Bearer {EXPIRED}"),
        (REFRESH_PATH, None),
        (PATH, f"Bearer {FRESH}"),
        (PATH, f"Bearer {FRESH}"),  # the retry after the rate limit went through the flow too
        (PATH, f"Bearer {FRESH}"),
    ]
    refresh = server.requests[1]
    assert parse_qs(refresh.body.decode()) == {
        "grant_type": ["refresh_token"],
        "refresh_token": [REFRESH],
    }
    assert json.loads(server.requests[0].body) == {}


def test_a_refused_refresh_raises_the_flows_own_error(kind: str, server: LoopbackServer) -> None:
    server._script.extend([EXPIRED_401, Reply.json(401, {"error": "bad_refresh_token"})])
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    _, first, _ = create_twice(kind, server.url, auth, max_retries=0)
    assert isinstance(first, RefreshFailed)


def test_a_401_after_the_refresh_is_an_authentication_error(
    kind: str, server: LoopbackServer
) -> None:
    server._script.extend([EXPIRED_401, REFRESHED, EXPIRED_401])
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    _, first, _ = create_twice(kind, server.url, auth, max_retries=0)
    assert isinstance(first, AuthenticationError)
    assert first.status_code == 401


SCENARIOS = {
    "refreshed": [EXPIRED_401, REFRESHED, CREATED],
    "refresh-refused": [EXPIRED_401, Reply.json(401, {"error": "bad_refresh_token"})],
    "401-after-refresh": [EXPIRED_401, REFRESHED, EXPIRED_401],
    "201-bad-value": [Reply.json(201, {"id": "one"})],
    "dropped": [Reply(drop=True)],
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_nothing_of_the_auth_shows(
    kind: str, name: str, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    for logger in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=logger)
    server._script.extend(SCENARIOS[name])
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    client, first, _ = create_twice(kind, server.url, auth, max_retries=0)
    texts = emitted(client, first, [], caplog.records)
    assert any(record.name.startswith("httpcore") for record in caplog.records)
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, name
    assert server.requests[0].headers["authorization"] == f"Bearer {EXPIRED}"


def test_the_client_shows_that_it_is_authenticated_and_nothing_more(server: LoopbackServer) -> None:
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    with Client(auth, base_url=server.url) as client:
        assert repr(client) == f"Client(base_url={server.url!r}, authenticated=True)"
        assert all(secret not in repr(vars(client)) for secret in SECRETS)


# -- redirects: an Auth stays with its origin ----------------------------------------------


def _get_through(kind: str, client_options: dict[str, Any]) -> Any:
    if kind == "sync":
        with Client(**client_options) as client:
            return client._send(_get())

    async def scenario() -> Any:
        async with AsyncClient(**client_options) as client:
            return await client._send(_get())

    return asyncio.run(scenario()) if kind == "asyncio" else trio.run(scenario)


def test_a_redirect_to_another_origin_is_followed_without_the_auth(
    kind: str, server: LoopbackServer
) -> None:
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    with LoopbackServer([Reply.json(200, {"ok": True})]) as elsewhere:
        server._script.append(Reply(302, {"location": elsewhere.url + "/moved"}))
        response = _get_through(kind, {"token": auth, "base_url": server.url})
        (followed,) = elsewhere.requests
    assert json.loads(response.parsed) == {"ok": True}
    assert "authorization" not in followed.headers
    assert auth.authenticated == [server.url + "/x"]  # the flow never saw the other origin


def test_a_same_origin_redirect_goes_through_the_auth_again(
    kind: str, server: LoopbackServer
) -> None:
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    server._script.extend([Reply(307, {"location": "/moved"}), Reply.json(200, {"ok": True})])
    response = _get_through(kind, {"token": auth, "base_url": server.url})
    assert json.loads(response.parsed) == {"ok": True}
    assert _authorization(server) == [("/x", f"Bearer {EXPIRED}"), ("/moved", f"Bearer {EXPIRED}")]
    assert auth.authenticated == [server.url + "/x", server.url + "/moved"]


def test_the_auth_of_a_passed_in_http_client_stays_with_the_origin_too(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    auth = RefreshingAuth(server.url + REFRESH_PATH)
    with LoopbackServer([Reply.json(200, {"ok": True})]) as elsewhere:
        server._script.append(Reply(302, {"location": elsewhere.url + "/moved"}))
        with (
            httpx.Client(auth=auth) as http,
            Client(base_url=server.url, http_client=http) as client,
        ):
            response = client._send(_get())
        (followed,) = elsewhere.requests
    assert json.loads(response.parsed) == {"ok": True}
    assert server.requests[0].headers["authorization"] == f"Bearer {EXPIRED}"
    assert "authorization" not in followed.headers
    assert auth.authenticated == [server.url + "/x"]


# -- what is refused when the client is made -------------------------------------------------


def test_an_auth_is_refused_over_plain_http_to_another_host() -> None:
    auth = RefreshingAuth("https://github.com" + REFRESH_PATH)
    with pytest.raises(ValueError, match="refusing to send the credentials") as caught:
        Client(auth, base_url="http://api.example.com")
    assert all(secret not in repr(caught.value) for secret in SECRETS)


@pytest.mark.parametrize("token", [42, b"ghp_bytes", object()])
def test_a_token_is_a_str_or_an_httpx_auth(token: Any) -> None:
    with pytest.raises(TypeError, match=r"token must be a str or an httpx\.Auth"):
        Client(token)
