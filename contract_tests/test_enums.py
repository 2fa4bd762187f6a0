"""2. Every value of every enum, deterministically: response enums through decoding, request
enums on the wire. A value the spec does not list is kept, never raised."""

from __future__ import annotations

import asyncio
import json
from enum import Enum
from typing import Any

import pytest
import respx

from contract_tests import coverage
from contract_tests.support import BASE_URL, Contract, EnumUse, RequestEnumUse, load_contract
from generator.model import ir

CONTRACT = load_contract()
USES = CONTRACT.enum_uses()
RESPONSE_CASES = [(use, value) for use in USES for value in CONTRACT.api.enum(use.enum).values]
REQUEST_CASES = [(use, value) for use in CONTRACT.request_enum_uses() for value in use.enum.values]


def _use_id(use: EnumUse) -> str:
    return f"{use.model}.{use.field}"


def _serve_and_decode(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, use: EnumUse, body: Any
) -> tuple[Any, Any]:
    """Serve ``body`` as the answer of ``use``, decode it, and return the enum property's value."""
    op = contract.operation(use.answer.operation)
    with respx.mock(base_url=BASE_URL) as router:
        router.route(method=op.http_method).respond(
            use.answer.code,
            content=json.dumps(body).encode(),
            headers={"content-type": use.answer.content_type},
        )
        parsed = contract.call(client, op, {}, loop).parsed
    node = parsed
    for model, wire, is_array in use.route:
        attr = next(f.attr for f in contract.api.model(model).fields if f.wire_name == wire)
        node = getattr(node, attr)
        if is_array and (model, wire) != (use.model, use.field):
            node = node[0]
    value = node[0] if use.is_array else node
    return parsed, value


def test_every_enum_is_exercised_somewhere() -> None:
    # The coverage report would catch it too; this names the enum the suite cannot reach.
    reachable = {use.enum for use in USES} | {use.enum.name for use in CONTRACT.request_enum_uses()}
    assert {e.name for e in CONTRACT.api.enums} <= reachable


@pytest.mark.parametrize(
    ("use", "value"), RESPONSE_CASES, ids=lambda x: _use_id(x) if isinstance(x, EnumUse) else str(x)
)
def test_every_response_enum_value_decodes_to_its_member(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, use: EnumUse, value: str | int
) -> None:
    body = contract.body_with_enum(use, value)
    parsed, decoded = _serve_and_decode(contract, client, loop, use, body)
    member = getattr(contract.models, use.enum)(value)
    assert decoded is member
    assert contract.encode(parsed) == body
    coverage.enum_value(use.enum, value)


@pytest.mark.parametrize("use", USES, ids=_use_id)
def test_an_unlisted_response_enum_value_is_kept_as_its_string(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, use: EnumUse
) -> None:
    unlisted = f"Unlisted{use.field.title()}Value"
    body = contract.body_with_enum(use, unlisted)
    parsed, decoded = _serve_and_decode(contract, client, loop, use, body)
    assert decoded == unlisted
    assert not isinstance(decoded, Enum)
    assert contract.encode(parsed) == body


@pytest.mark.parametrize(("use", "value"), REQUEST_CASES, ids=str)
def test_every_request_enum_value_goes_on_the_wire(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    use: RequestEnumUse,
    value: str | int,
) -> None:
    op, enum = use.op, use.enum
    member = getattr(contract.models, enum.name)(value)
    status, answer = contract.minimal_success(op)
    # A keyword argument takes the member or its value; a model's property is set by decoding
    # the model's smallest object with the value in it.
    if use.variant is None:
        given_values: list[Any] = [value, member]
    else:
        given_values = [{**contract.minimal(use.variant), use.wire: value}]
    for given in given_values:
        with respx.mock(base_url=BASE_URL) as router:
            route = router.route(method=op.http_method)
            if answer is None:
                route.respond(status)
            else:
                route.respond(status, json=answer)
            contract.call(client, op, {use.argument: given}, loop)
        request = route.calls.last.request
        if use.location == "body":
            sent = json.loads(request.content)[use.wire]
            assert sent == value
            assert type(sent) is type(value)
        else:  # the value's text, as a query parameter or header carries it
            where = request.url.params if use.location == "query" else request.headers
            assert where[use.wire] == str(value)
    coverage.enum_value(enum.name, value)


@pytest.mark.parametrize(
    ("op", "argument", "enum"),
    list(CONTRACT.request_enum_arguments()),
    ids=lambda x: x.method_name if isinstance(x, ir.Operation) else getattr(x, "name", str(x)),
)
def test_an_unlisted_request_enum_value_is_refused_before_sending(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    op: ir.Operation,
    argument: str,
    enum: ir.Enum,
) -> None:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        route = router.route()
        for wrong in ("NotAValue", str(enum.values[0]).lower() + "x", ""):
            with pytest.raises(ValueError, match=argument):
                contract.call(client, op, {argument: wrong}, loop)
        with pytest.raises(TypeError, match=argument):
            contract.call(client, op, {argument: 3.5}, loop)
    assert not route.called
