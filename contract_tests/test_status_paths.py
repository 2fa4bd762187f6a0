"""1. Every documented status path, with bodies drawn from its schema, sync and async alike."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from contract_tests import coverage
from contract_tests.support import BASE_URL, Contract, StatusPath, load_contract
from generator.model import ir

PATHS = load_contract().status_paths()
# Bodies are drawn for each distinct (status, content type, schema): whichever operation answers
# it, the same decoder and exception class read it. The other operations' paths get a fixed
# body, which proves their own wiring (status -> decoder, exception class).
_FIRST: dict[tuple[str, str, ir.TypeExpr | None], StatusPath] = {}
for _path in PATHS:
    _FIRST.setdefault((_path.status, _path.content_type, _path.type), _path)
DRAWN = list(_FIRST.values())
WIRED = [path for path in PATHS if path not in DRAWN]


def _type_name(type_: ir.TypeExpr | None) -> str:
    return type_.name if isinstance(type_, ir.ModelRef) else ""


@pytest.mark.parametrize("path", DRAWN, ids=str)
@given(data=st.data())
def test_every_documented_answer(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    path: StatusPath,
    data: st.DataObject,
) -> None:
    assert path.type is not None
    _answer(contract, client, loop, path, data.draw(contract.strategy(path.type), label="body"))


@pytest.mark.parametrize("path", WIRED, ids=str)
def test_every_other_operation_answers_alike(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, path: StatusPath
) -> None:
    assert path.type is not None
    _answer(contract, client, loop, path, contract.minimal(path.type))


def test_every_path_is_drawn_or_wired() -> None:
    assert sorted(map(str, DRAWN + WIRED)) == sorted(map(str, PATHS))


def _answer(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, path: StatusPath, body: Any
) -> None:
    assert path.type is not None
    op = contract.operation(path.operation)
    content = json.dumps(body).encode()
    with respx.mock(base_url=BASE_URL) as router:
        router.route(method=op.http_method).respond(
            path.code, content=content, headers={"content-type": path.content_type}
        )
        if path.is_success:
            response = contract.call(client, op, {}, loop)
            # 201 and 202 carry the same model: the status code is how a caller tells them apart.
            assert response.status_code == path.code
            assert type(response.parsed).__name__ == _type_name(path.type)
            decoded = contract.encode(response.parsed)
        else:
            # A body that names the secondary rate limit makes the answer a rate limit.
            expected = contract.error_class(path.code, content)
            with pytest.raises(expected) as caught:
                contract.call(client, op, {}, loop)
            error: Any = caught.value
            assert type(caught.value) is expected
            assert error.status_code == path.code
            assert type(error.body).__name__ == _type_name(path.type)
            decoded = contract.encode(error.body)
    assert contract.normalize(path.type, decoded) == contract.normalize(path.type, body)
    coverage.status_path(path)
