"""What the generator makes of lists, waiters and every shape of operation, and the errors a bad
declaration gets: each names the JSON pointer of the mistake."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.model.resolve import build_api
from generator.pipeline import generate
from generator.reading.loader import load_spec
from tests.conftest import SpecEditor

WAITER = "/info/x-client/waiters/available"


def _waiter(document: dict[str, Any]) -> dict[str, Any]:
    waiter: dict[str, Any] = document["info"]["x-client"]["waiters"]["available"]
    return waiter


def _acceptor(document: dict[str, Any], expected: str) -> dict[str, Any]:
    return next(a for a in _waiter(document)["acceptors"] if a["expected"] == expected)


def _error(spec_dir: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(spec_dir))
    return caught.value


def _drop(document: dict[str, Any], expected: str) -> None:
    acceptors = _waiter(document)["acceptors"]
    acceptors.remove(_acceptor(document, expected))


@pytest.mark.parametrize(
    ("change", "pointer", "message"),
    [
        (lambda d: _drop(d, "Rebuilding"), f"{WAITER}/acceptors", "may also be 'Rebuilding'"),
        (
            lambda d: _acceptor(d, "Failed").update(expected="Broken"),
            f"{WAITER}/acceptors/11/expected",
            "'Broken' is not a value of state",
        ),
        (
            lambda d: _acceptor(d, "Failed").update(expected="Available"),
            f"{WAITER}/acceptors/11/expected",
            "already accepted",
        ),
        (
            lambda d: _acceptor(d, "Failed").update(matcher="pathAll"),
            f"{WAITER}/acceptors/11/matcher",
            "only the 'path' matcher",
        ),
        (
            lambda d: _acceptor(d, "Failed").update(argument="machine.name"),
            f"{WAITER}/acceptors",
            "the same argument",
        ),
        (
            lambda d: [a.update(argument="machine.cores") for a in _waiter(d)["acceptors"]],
            f"{WAITER}/acceptors/0/argument",
            "/components/schemas/codespace-machine has no property 'cores'",
        ),
        (
            lambda d: _acceptor(d, "Available").update(state="retry"),
            f"{WAITER}/acceptors",
            "no acceptor ends the wait in success",
        ),
        (
            lambda d: _acceptor(d, "Failed").update(state="maybe"),
            f"{WAITER}/acceptors/11/state",
            "'state' is one of",
        ),
        (
            lambda d: _waiter(d).update(operation="codespaces/get-nothing"),
            f"{WAITER}/operation",
            "no operation has the operationId 'codespaces/get-nothing'",
        ),
        (
            lambda d: _waiter(d).update(operation="codespaces/stop-for-authenticated-user"),
            f"{WAITER}/operation",
            "conditional GET requests",
        ),
        (
            lambda d: _waiter(d).update(
                operation="codespaces/repo-machines-for-authenticated-user"
            ),
            f"{WAITER}/acceptors/0/argument",
            "has no property 'state'",
        ),
        (
            lambda d: _waiter(d).update(delay=0),
            f"{WAITER}/delay",
            "a number of seconds > 0",
        ),
        (
            lambda d: _waiter(d).update({"max-delay": 1}),
            f"{WAITER}/max-delay",
            "less than 'delay'",
        ),
        (
            lambda d: _acceptor(d, "Queued").update(remedy=_acceptor(d, "Shutdown")["remedy"]),
            f"{WAITER}/acceptors/3/remedy",
            "only a failure can have a remedy",
        ),
        (
            lambda d: _acceptor(d, "Shutdown")["remedy"].update(option="timeout"),
            f"{WAITER}/acceptors/16/remedy/option",
            "'timeout' is already an argument",
        ),
        (
            lambda d: _acceptor(d, "Shutdown")["remedy"].update(
                operation="codespaces/create-with-repo-for-authenticated-user"
            ),
            f"{WAITER}/acceptors/16/remedy/operation",
            "needs 'owner', which the polled operation does not take",
        ),
        (
            lambda d: _waiter(d).update(retries=3),
            f"{WAITER}/retries",
            "unknown key",
        ),
    ],
    ids=[
        "unclassified",
        "not-a-value",
        "twice",
        "matcher",
        "two-paths",
        "no-such-property",
        "no-success",
        "bad-state",
        "no-operation",
        "not-a-get",
        "not-the-model",
        "no-delay",
        "max-delay",
        "remedy-on-retry",
        "option-clash",
        "remedy-arguments",
        "unknown-key",
    ],
)
def test_a_bad_waiter_declaration_names_where(
    edited_spec: SpecEditor, change: Any, pointer: str, message: str
) -> None:
    error = _error(edited_spec(change))
    assert error.pointer == pointer
    assert message in str(error)
    assert error.line is not None


def test_a_list_whose_answer_has_two_arrays_is_a_plain_method(edited_spec: SpecEditor) -> None:
    """Which array holds the page is unknowable: the operation returns its answer whole."""

    def change(document: dict[str, Any]) -> None:
        schema = document["paths"]["/repos/{owner}/{repo}/codespaces"]["get"]["responses"]["200"]
        schema["content"]["application/json"]["schema"]["properties"]["also"] = {
            "type": "array",
            "items": {"type": "string"},
        }

    api = build_api(load_spec(edited_spec(change)))
    listing = next(op for op in api.operations if op.method_name.startswith("list_in_repo"))
    assert listing.pagination is None


def test_a_documented_link_header_makes_a_list(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        operation = document["paths"]["/repos/{owner}/{repo}/codespaces/machines"]["get"]
        operation["responses"]["200"]["headers"] = {"Link": {"schema": {"type": "string"}}}

    api = build_api(load_spec(edited_spec(change)))
    machines = next(op for op in api.operations if op.path.endswith("/machines"))
    assert machines.pagination is not None
    assert machines.pagination.items_field is not None
    assert machines.pagination.items_field.wire_name == "machines"


def test_a_link_header_on_an_answer_that_holds_no_page_makes_no_list(
    edited_spec: SpecEditor,
) -> None:
    """GitHub's description documents Link on some single objects (an organization secret):
    such an operation is no list, and generates as what it is."""

    def change(document: dict[str, Any]) -> None:
        operation = document["paths"]["/user/codespaces/{codespace_name}"]["get"]
        operation["responses"]["200"]["headers"] = {"Link": {"schema": {"type": "string"}}}

    api = build_api(load_spec(edited_spec(change)))
    get = next(op for op in api.operations if op.method_name == "get_for_authenticated_user")
    assert get.pagination is None


def test_without_pagination_settings_nothing_is_a_list(edited_spec: SpecEditor) -> None:
    api = build_api(load_spec(edited_spec(lambda d: d["info"]["x-client"].pop("pagination"))))
    assert not any(op.pagination for op in api.operations)


def test_the_lists_of_the_spec(api: Any) -> None:
    lists = {op.method_name: op.pagination for op in api.operations if op.pagination}
    assert set(lists) == {
        "list_in_repository_for_authenticated_user",
        "list_devcontainers_in_repository_for_authenticated_user",
    }
    assert {p.items_field.wire_name for p in lists.values()} == {"codespaces", "devcontainers"}
    assert {p.total_field.wire_name for p in lists.values()} == {"total_count"}


def test_every_shape_of_operation_renders_valid_typed_python(
    edited_spec: SpecEditor, tmp_path: Path
) -> None:
    """No parameters at all, only query parameters, no body, an answer without a body."""

    def change(document: dict[str, Any]) -> None:
        document["paths"]["/user/codespaces"] = {
            "get": {
                "operationId": "codespaces/list-for-authenticated-user",
                "tags": ["codespaces"],
                "responses": {"204": {"description": "Nothing"}},
            },
            "delete": {
                "operationId": "codespaces/forget-for-authenticated-user",
                "tags": ["codespaces"],
                "parameters": [
                    {"name": "reason", "in": "query", "schema": {"type": "string"}},
                    {"name": "force", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {"202": {"description": "Accepted"}},
            },
        }

    out = tmp_path / "generated"
    generate(edited_spec(change), out)  # its syntax check would refuse a bare "*,"
    client = ast.parse((out / "github_codespaces" / "_resources" / "codespaces.py").read_text())
    builders = {
        node.name: node
        for node in client.body
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_call")
    }
    bare = builders["_codespaces_list_for_authenticated_user_call"]
    assert not bare.args.args
    assert not bare.args.kwonlyargs
    query = builders["_codespaces_forget_for_authenticated_user_call"]
    assert [a.arg for a in query.args.kwonlyargs] == ["reason", "force"]
    methods = [
        node
        for cls in client.body
        if isinstance(cls, ast.ClassDef) and cls.name == "Codespaces"
        for node in cls.body
        if isinstance(node, ast.FunctionDef) and node.name == "list_for_authenticated_user"
    ]
    (method,) = methods
    assert method.returns is not None
    assert ast.unparse(method.returns) == "None"


def test_a_list_that_may_answer_without_data_is_an_empty_page(
    edited_spec: SpecEditor, tmp_path: Path
) -> None:
    """GitHub's contributors list answers 204 for an empty repository: no items, typed."""

    def change(document: dict[str, Any]) -> None:
        operation = document["paths"]["/repos/{owner}/{repo}/codespaces"]["get"]
        operation["responses"]["204"] = {"description": "No codespaces"}

    out = tmp_path / "generated"
    generate(edited_spec(change), out)
    typed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            "-p",
            "github_codespaces",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert typed.returncode == 0, typed.stdout
    code = (
        "import respx, github_codespaces as g\n"
        "with respx.mock(base_url='https://api.github.com') as mock:\n"
        "    mock.get('/repos/o/r/codespaces').respond(204)\n"
        "    with g.Client('t') as client:\n"
        "        pages = client.codespaces.list_in_repository_for_authenticated_user('o', 'r')\n"
        "        print(list(pages))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False
    )
    assert (ran.returncode, ran.stdout.strip()) == (0, "[]"), ran.stderr
