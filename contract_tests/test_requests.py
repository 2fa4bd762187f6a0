"""3 and 4. What the client sends: conforming requests for any valid call, nothing for a bad one."""

from __future__ import annotations

import asyncio
import json
from enum import Enum
from typing import Any
from urllib.parse import quote, unquote

import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from contract_tests.support import BASE_URL, TOKEN, Contract, load_contract
from generator.model import ir

CONTRACT = load_contract()
OPERATIONS = CONTRACT.api.operations


def _id(op: ir.Operation) -> str:
    return CONTRACT.operation_key(op)


def _success(contract: Contract, op: ir.Operation) -> tuple[int, Any]:
    response = op.success_responses[0]
    content = response.contents[0] if response.contents else None
    return int(response.status), contract.minimal(
        content.type
    ) if content and content.type else None


def _send(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    op: ir.Operation,
    arguments: dict[str, Any],
) -> Any:
    status, answer = _success(contract, op)
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route(method=op.http_method).respond(status, json=answer)
        contract.call(client, op, arguments, loop)
    return route.calls.last.request


def _wire(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _query_text(value: Any) -> str:
    """A query argument as the wire carries it (JSON's spelling of booleans)."""
    value = _wire(value)
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _check_request(
    contract: Contract, op: ir.Operation, request: Any, arguments: dict[str, Any]
) -> None:
    assert request.method == op.http_method
    path, _, _ = request.url.raw_path.partition(b"?")
    assert path == contract.expected_path(op, contract.path_arguments(op)).encode()
    # Exactly the given query arguments (required ones always are), each once, as text;
    # absent ones are absent.
    given = {**contract.required_arguments(op), **arguments}
    sent = {
        p.name: _query_text(given[p.attr])
        for p in op.parameters
        if p.location == "query" and given.get(p.attr) is not None
    }
    assert dict(request.url.params) == sent
    assert len(request.url.params.multi_items()) == len(sent)
    settings = contract.api.client
    for name, value in settings.headers:
        assert request.headers[name] == value
    assert request.headers["authorization"] == f"{settings.auth_scheme} {TOKEN}"
    assert request.headers["user-agent"].startswith(settings.user_agent + "/")
    if op.body is None:
        assert request.content == b""
        return
    if not op.body.arguments and contract.body_argument(op) not in given:
        assert request.content == b""  # an optional body, not given
        return
    assert request.headers["content-type"] == op.body.content_type
    payload = json.loads(request.content)
    # Checked with jsonschema against the spec's own schema, not with the client's code.
    contract.request_validator(op).validate(payload)
    if not op.body.arguments:
        # A body that is not one object: exactly the value given, as JSON.
        assert payload == given[contract.body_argument(op)]
        return
    given_ = {a.field.wire_name: _wire(given[a.name]) for a in op.body.arguments if a.name in given}
    if given_:
        assert payload == given_  # exactly the given properties: absent arguments are absent
    else:
        assert payload == {}  # never null: a validator takes a null required body for none


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
@given(data=st.data())
def test_any_valid_call_sends_a_conforming_request(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    op: ir.Operation,
    data: st.DataObject,
) -> None:
    arguments = data.draw(
        contract.strategies.arguments(contract.operation_key(op)), label="arguments"
    )
    _check_request(contract, op, _send(contract, client, loop, op, arguments), arguments)


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
def test_no_arguments_and_all_arguments(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, op: ir.Operation
) -> None:
    # The two ends of "every combination", made certain rather than left to chance.
    _check_request(contract, op, _send(contract, client, loop, op, {}), {})
    if op.body is not None:
        everything = {a.name: contract.minimal(a.field.type) for a in op.body.arguments}
        _check_request(contract, op, _send(contract, client, loop, op, everything), everything)


def _wrong_values(
    type_: ir.TypeExpr, nullable: bool
) -> list[tuple[st.SearchStrategy[Any], type[Exception]]]:
    """Values that break ``type_``, each with the exception the client must raise."""
    texts, ints, floats = st.text(max_size=5), st.integers(), st.floats(allow_nan=False)
    wrong: list[tuple[st.SearchStrategy[Any], type[Exception]]] = []
    if not nullable:
        wrong.append((st.none(), TypeError))
    if isinstance(type_, ir.EnumRef):
        values = CONTRACT.api.enum(type_.name).values
        wrong += [
            (texts.filter(lambda v: v not in values), ValueError),
            (floats | st.booleans(), TypeError),
        ]
    elif isinstance(type_, ir.Primitive):
        if type_.kind == "str":
            wrong.append((ints | floats | st.booleans() | st.lists(texts, max_size=1), TypeError))
        elif type_.kind == "int":
            wrong.append((texts | floats | st.booleans(), TypeError))
            if type_.maximum is not None:
                wrong.append((st.integers(min_value=int(type_.maximum) + 1), ValueError))
            if type_.minimum is not None:
                wrong.append((st.integers(max_value=int(type_.minimum) - 1), ValueError))
        elif type_.kind == "float":
            wrong.append((texts | st.booleans(), TypeError))
        elif type_.kind == "bool":
            wrong.append((texts | ints | floats, TypeError))
    return wrong


BAD_ARGUMENTS = [
    (op, argument.name, strategy, error)
    for op in OPERATIONS
    for argument in (op.body.arguments if op.body else ())
    for strategy, error in _wrong_values(argument.field.type, argument.field.nullable)
] + [
    (op, parameter.attr, strategy, error)
    for op in OPERATIONS
    for parameter in op.parameters
    if parameter.location != "path"
    for strategy, error in _wrong_values(parameter.type, parameter.nullable)
]


@pytest.mark.parametrize(
    ("op", "argument", "wrong", "error"),
    BAD_ARGUMENTS,
    ids=[f"{a}-{e.__name__}-{i}" for i, (_, a, _, e) in enumerate(BAD_ARGUMENTS)],
)
@given(data=st.data())
def test_a_wrong_argument_raises_and_sends_nothing(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    op: ir.Operation,
    argument: str,
    wrong: st.SearchStrategy[Any],
    error: type[Exception],
    data: st.DataObject,
) -> None:
    value = data.draw(wrong, label=argument)
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        route = router.route()
        with pytest.raises(error, match=argument):
            contract.call(client, op, {argument: value}, loop)
    assert not route.called


# Arbitrary text, and the values that try to break out of their segment.
SEGMENTS = st.text() | st.sampled_from(
    ["", ".", "..", "%2e", "%2E%2e", "a/b", "../x", "?q=1", "#f", "%2F"]
)


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
@given(data=st.data())
def test_path_parameters_stay_one_segment_each(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    op: ir.Operation,
    data: st.DataObject,
) -> None:
    names = [p.name for p in op.parameters if p.location == "path"]
    path = tuple(data.draw(SEGMENTS, label=name) for name in names)
    status, answer = _success(contract, op)
    refused = any(
        unquote(v) in ("", ".", "..") or any("\ud800" <= c <= "\udfff" for c in v) for v in path
    )
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        route = router.route(method=op.http_method).respond(status, json=answer)
        if refused:
            with pytest.raises(ValueError, match="|".join(names)):
                contract.call(client, op, {}, loop, path=path)
            assert not route.called
            return
        contract.call(client, op, {}, loop, path=path)
    url = route.calls.last.request.url
    assert url.raw_path.split(b"?")[0] == contract.expected_path(op, path).encode()
    # No query but the required parameters' (a "?" in a path value starts none).
    required = contract.required_arguments(op)
    expected = {p.name: _query_text(required[p.attr]) for p in op.parameters if p.attr in required}
    assert dict(url.params) == expected
    assert url.fragment == ""
    segments = url.raw_path.split(b"?")[0].decode("ascii").split("/")
    assert len(segments) == op.path.count("/") + 1  # no segment was split or added
    template = op.path.split("/")
    chosen = iter(path)
    for segment, part in zip(segments, template, strict=True):
        if part.startswith("{"):
            value = next(chosen)
            assert segment == quote(value, safe="")
            assert unquote(segment) == value
