"""7. Answers without data: a 304 (no body) raises its own status's error and nothing is decoded;
a success whose schema declares nothing (a bare object) returns None, whatever body came."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
import respx

from contract_tests import coverage
from contract_tests.support import BASE_URL, Contract, StatusPath, load_contract

PATHS = load_contract().dataless_paths()
# Whatever a server sends with such an answer: nothing, JSON, or what no decoder would take.
BODIES = [b"", b"{}", b'{"unexpected": [1, {"deep": null}]}', b"<html>no</html>", b"\xff\xfe\x00"]


def test_the_spec_has_answers_without_data() -> None:
    # Proves the parametrization below is not empty: the spec documents such answers.
    assert PATHS


def _plain(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, path: StatusPath
) -> Any:
    op = contract.operation(path.operation)
    method = getattr(getattr(client, op.namespace), op.method_name)
    arguments = contract.python_arguments(op, contract.required_arguments(op))
    result = method(*contract.path_arguments(op), **arguments)
    if inspect.isawaitable(result):
        return loop.run_until_complete(_awaited(result))
    return result


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


@pytest.mark.parametrize("path", PATHS, ids=str)
@pytest.mark.parametrize("content", BODIES, ids=["empty", "object", "extra", "html", "binary"])
def test_an_answer_without_data_is_never_decoded(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    path: StatusPath,
    content: bytes,
) -> None:
    op = contract.operation(path.operation)
    headers = {"content-type": path.content_type or "application/json"}
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route(method=op.http_method).respond(
            path.code, content=content, headers=headers
        )
        if path.is_success:
            response = contract.call(client, op, {}, loop)
            assert response.status_code == path.code
            assert response.parsed is None
            assert _plain(contract, client, loop, path) is None
        else:
            expected = contract.error_class(path.code)
            with pytest.raises(expected) as caught:
                contract.call(client, op, {}, loop)
            assert type(caught.value) is expected
            error: Any = caught.value
            assert (error.status_code, error.body) == (path.code, None)
            assert error.response.content == content
        assert route.call_count == (2 if path.is_success else 1)  # answered once, never retried
    coverage.dataless_path(path)
