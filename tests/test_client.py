"""The generated client against respx: what it sends, and what it makes of each answer."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

import github_codespaces as gc
from generator.model import ir
from generator.model.naming import status_error_name
from github_codespaces import AsyncClient, Client
from github_codespaces.models import BasicError, Codespace, ScimError, ServiceUnavailable
from tests.conftest import SPEC_DIR

BASE = "https://api.github.com"
PATH = "/repos/octo-org/hello-world/codespaces"
PATH_TEMPLATE = "/repos/{owner}/{repo}/codespaces"
TOKEN = "ghp_TopSecretToken1234567890"


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with Client(TOKEN, max_retries=0) as c:
        yield c


def create(client: Client, **arguments: Any) -> Codespace:
    return client.codespaces.create_with_repo_for_authenticated_user(
        "octo-org", "hello-world", **arguments
    )


def test_a_created_codespace_decodes_into_nested_models(
    mock: respx.MockRouter, client: Client, codespace_body: dict[str, Any]
) -> None:
    mock.post(PATH).respond(201, json=codespace_body)
    codespace = create(client)
    assert isinstance(codespace, Codespace)
    assert codespace.repository.owner.login == "octo-org"
    assert codespace.to_dict() == codespace_body


def test_created_and_accepted_can_be_told_apart(
    mock: respx.MockRouter, client: Client, codespace_body: dict[str, Any]
) -> None:
    route = mock.post(PATH)
    for status in (201, 202):
        route.respond(status, json=codespace_body, headers={"x-github-request-id": f"ID-{status}"})
        response = client.codespaces.with_response.create_with_repo_for_authenticated_user(
            "octo-org", "hello-world"
        )
        assert response.status_code == status
        assert isinstance(response.parsed, Codespace)
        assert response.request_id == f"ID-{status}"
        assert response.headers["x-github-request-id"] == f"ID-{status}"
        assert response.retries_taken == 0


def test_the_request_has_the_documented_method_path_and_headers(
    mock: respx.MockRouter, client: Client, codespace_body: dict[str, Any]
) -> None:
    route = mock.post(PATH).respond(201, json=codespace_body)
    create(client, geo="UsWest", machine="standardLinux32gb", idle_timeout_minutes=30)
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.url.raw_path == PATH.encode()
    assert request.headers["accept"] == "application/vnd.github+json"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["user-agent"].startswith("github-codespaces-python/")
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "geo": "UsWest",
        "machine": "standardLinux32gb",
        "idle_timeout_minutes": 30,
    }


def test_no_arguments_send_an_empty_object(
    mock: respx.MockRouter, client: Client, codespace_body: dict[str, Any]
) -> None:
    # The spec allows null too, but a required body that is null is missing to a validator.
    route = mock.post(PATH).respond(201, json=codespace_body)
    create(client)
    assert route.calls.last.request.content == b"{}"


def test_enum_members_and_their_values_are_both_accepted(
    mock: respx.MockRouter, client: Client, codespace_body: dict[str, Any]
) -> None:
    from github_codespaces.models import (
        CodespacesCreateWithRepoForAuthenticatedUserRequestGeo as Geo,
    )

    route = mock.post(PATH).respond(201, json=codespace_body)
    create(client, geo=Geo.EUROPE_WEST)
    assert json.loads(route.calls.last.request.content) == {"geo": "EuropeWest"}


def test_the_token_falls_back_to_the_environment(
    mock: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, codespace_body: dict[str, Any]
) -> None:
    route = mock.post(PATH).respond(201, json=codespace_body)
    monkeypatch.setenv("GITHUB_TOKEN", "from-env")
    with Client() as c:
        create(c)
    assert route.calls.last.request.headers["authorization"] == "Bearer from-env"
    monkeypatch.delenv("GITHUB_TOKEN")
    with Client() as c:
        create(c)
    assert "authorization" not in route.calls.last.request.headers


def test_github_enterprise_server_base_url(codespace_body: dict[str, Any]) -> None:
    with respx.mock(base_url="https://ghe.example.com/api/v3") as router:
        route = router.post(PATH).respond(201, json=codespace_body)
        with Client(TOKEN, base_url="https://ghe.example.com/api/v3/") as c:
            create(c)
    assert route.calls.last.request.url.raw_path == b"/api/v3" + PATH.encode()


def test_the_default_timeout_is_finite() -> None:
    with Client(TOKEN) as c:
        assert isinstance(c.timeout, httpx.Timeout)
        assert all(
            value is not None and 0 < value <= 300
            for value in (c.timeout.connect, c.timeout.read, c.timeout.write, c.timeout.pool)
        )


def _error_cases() -> list[tuple[int, str, type[Any]]]:
    from generator.model.resolve import build_api
    from generator.reading.loader import load_spec

    api: ir.Api = build_api(load_spec(SPEC_DIR))
    models = {
        "BasicError": BasicError,
        "ScimError": ScimError,
        "ServiceUnavailable": ServiceUnavailable,
    }
    cases: list[tuple[int, str, type[Any]]] = []
    create_operation = next(
        op for op in api.operations if op.http_method == "POST" and op.path == PATH_TEMPLATE
    )
    for response in create_operation.error_responses:
        for content in response.contents:
            assert isinstance(content.type, ir.ModelRef)
            cases.append((int(response.status), content.content_type, models[content.type.name]))
    return cases


@pytest.mark.parametrize(("status", "content_type", "model"), _error_cases())
def test_each_documented_error_status_raises_its_error_with_the_parsed_body(
    mock: respx.MockRouter, client: Client, status: int, content_type: str, model: type[Any]
) -> None:
    body = {"message": "Something went wrong", "documentation_url": "https://docs.github.com/rest"}
    mock.post(PATH).respond(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": content_type, "x-github-request-id": "R1"},
    )
    with pytest.raises(gc.APIStatusError) as caught:
        create(client)
    error = caught.value
    assert type(error).__name__ == status_error_name(status)
    assert type(error) is getattr(gc, status_error_name(status))
    assert error.status_code == status
    assert isinstance(error.body, model)
    assert error.body.message == "Something went wrong"
    assert error.request_id == "R1"
    assert error.response.status_code == status
    assert "Something went wrong" in str(error)


@pytest.mark.parametrize("status", [404, 400, 503])
def test_an_html_error_page_still_raises_the_typed_error(
    mock: respx.MockRouter, client: Client, status: int
) -> None:
    mock.post(PATH).respond(
        status, text="<html><body>Oops</body></html>", headers={"content-type": "text/html"}
    )
    with pytest.raises(gc.APIStatusError) as caught:
        create(client)
    assert type(caught.value) is getattr(gc, status_error_name(status))
    assert caught.value.body is None


@pytest.mark.parametrize("status", [418, 500, 520, 409])
def test_an_undocumented_status_raises_plain_api_status_error(
    mock: respx.MockRouter, client: Client, status: int
) -> None:
    mock.post(PATH).respond(status, json={"message": "nope"})
    with pytest.raises(gc.APIStatusError) as caught:
        create(client)
    assert type(caught.value) is gc.APIStatusError
    assert caught.value.status_code == status


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"<html>Created</html>", "not valid JSON"),
        (b'{"id": 1, "name": "trunc', "not valid JSON"),
    ],
)
def test_an_undecodable_success_body_is_a_response_validation_error(
    mock: respx.MockRouter, client: Client, content: bytes, reason: str
) -> None:
    mock.post(PATH).respond(201, content=content, headers={"content-type": "application/json"})
    with pytest.raises(gc.ResponseValidationError) as caught:
        create(client)
    assert reason in str(caught.value)
    assert caught.value.response is not None
    assert isinstance(caught.value, gc.APIError)


def test_a_bad_value_deep_in_the_body_names_its_path(
    mock: respx.MockRouter, client: Client, codespace_body: dict[str, Any]
) -> None:
    codespace_body["repository"]["owner"]["id"] = "one"
    mock.post(PATH).respond(201, json=codespace_body)
    with pytest.raises(gc.ResponseValidationError) as caught:
        create(client)
    assert caught.value.json_path == "$.repository.owner.id"


@pytest.mark.parametrize(
    ("owner", "encoded"),
    [
        ("octo-org", "octo-org"),
        ("a/b", "a%2Fb"),
        ("a?b#c", "a%3Fb%23c"),
        ("a b", "a%20b"),
        ("%41", "%2541"),
        ("...", "..."),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
def test_path_parameters_are_encoded_as_one_segment(
    mock: respx.MockRouter, client: Client, codespace_body: dict[str, Any], owner: str, encoded: str
) -> None:
    route = mock.route(method="POST").respond(201, json=codespace_body)
    client.codespaces.create_with_repo_for_authenticated_user(owner, "hello-world")
    assert (
        route.calls.last.request.url.raw_path == f"/repos/{encoded}/hello-world/codespaces".encode()
    )


@pytest.mark.parametrize("value", ["", ".", "..", "%2e", "%2E%2e", "%2e."])
def test_empty_and_dot_segments_are_refused_before_sending(
    mock: respx.MockRouter, client: Client, value: str
) -> None:
    route = mock.route()
    with pytest.raises(ValueError, match="owner"):
        client.codespaces.create_with_repo_for_authenticated_user(value, "hello-world")
    with pytest.raises(ValueError, match="repo"):
        client.codespaces.create_with_repo_for_authenticated_user("octo-org", value)
    assert not route.called


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"geo": "Mars"}, ValueError),
        ({"geo": "uswest"}, ValueError),
        ({"geo": 1}, TypeError),
        ({"idle_timeout_minutes": "30"}, TypeError),
        ({"idle_timeout_minutes": True}, TypeError),
        ({"idle_timeout_minutes": 30.0}, TypeError),
        ({"multi_repo_permissions_opt_out": "yes"}, TypeError),
        ({"ref": 5}, TypeError),
        ({"ref": None}, TypeError),
        ({"retention_period_minutes": 43201}, ValueError),
        ({"retention_period_minutes": -1}, ValueError),
    ],
)
def test_arguments_outside_the_spec_are_refused_before_sending(
    mock: respx.MockRouter, client: Client, arguments: dict[str, Any], error: type[Exception]
) -> None:
    route = mock.route()
    with pytest.raises(error, match=next(iter(arguments))):
        create(client, **arguments)
    assert not route.called


def test_a_path_parameter_of_the_wrong_type_is_refused(
    mock: respx.MockRouter, client: Client
) -> None:
    route = mock.route()
    with pytest.raises(TypeError, match="owner"):
        client.codespaces.create_with_repo_for_authenticated_user(42, "hello-world")  # type: ignore[arg-type]
    assert not route.called


def test_the_token_never_shows(
    mock: respx.MockRouter, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mock.post(PATH).respond(401, json={"message": "Bad credentials"})
    with pytest.raises(gc.AuthenticationError) as caught:
        create(client)
    error = caught.value
    shown = [
        repr(client),
        str(client),
        repr(error),
        str(error),
        repr(vars(client)),
        repr(error.request),
    ]
    shown += [repr(error.request.headers) if error.request else "", caplog.text]
    for text in shown:
        assert TOKEN not in text


def test_the_token_is_refused_over_plain_http_except_to_loopback() -> None:
    with pytest.raises(ValueError, match="plain http"):
        Client(TOKEN, base_url="http://api.example.com")
    Client(TOKEN, base_url="http://127.0.0.1:8080").close()
    Client(TOKEN, base_url="http://localhost:8080").close()
    Client(None, base_url="http://api.example.com").close()


async def _async_create(client: AsyncClient, **arguments: Any) -> Codespace:
    return await client.codespaces.create_with_repo_for_authenticated_user(
        "octo-org", "hello-world", **arguments
    )


def test_the_async_client_decodes_and_raises_alike(
    mock: respx.MockRouter, codespace_body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    route = mock.post(PATH)

    async def scenario() -> None:
        async with AsyncClient(TOKEN, max_retries=0) as c:
            route.respond(202, json=codespace_body)
            response = await c.codespaces.with_response.create_with_repo_for_authenticated_user(
                "octo-org", "hello-world", geo="UsEast"
            )
            assert response.status_code == 202
            assert response.parsed.to_dict() == codespace_body
            assert json.loads(route.calls.last.request.content) == {"geo": "UsEast"}
            route.respond(403, json={"message": "Forbidden"})
            with pytest.raises(gc.PermissionDeniedError):
                await _async_create(c)
            with pytest.raises(ValueError, match="geo"):
                await _async_create(c, geo="Moon")

    asyncio.run(scenario())
    assert route.call_count == 2
