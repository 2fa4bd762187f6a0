"""5. Answers that break the spec give typed errors, never a leaked KeyError, TypeError,
ValueError or JSONDecodeError; what the spec tolerates decodes fine."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import pytest
import respx
from hypothesis import assume, given
from hypothesis import strategies as st

from contract_tests.support import BASE_URL, Contract, Slot, StatusPath, load_contract
from generator.model import ir

CONTRACT = load_contract()
# One success answer per schema: the same schema is decoded by the same code whichever status
# or operation answers with it (test_status_paths covers each status path's wiring).
SUCCESS = list(
    {
        p.type: p for p in reversed(CONTRACT.status_paths()) if p.is_success and p.type is not None
    }.values()
)[::-1]
OPERATIONS = CONTRACT.api.operations


def _serve(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    path: StatusPath,
    content: bytes,
    content_type: str | None = None,
    status: int | None = None,
) -> Any:
    op = contract.operation(path.operation)
    with respx.mock(base_url=BASE_URL) as router:
        router.route(method=op.http_method).respond(
            status or path.code,
            content=content,
            headers={"content-type": content_type or path.content_type},
        )
        return contract.call(client, op, {}, loop)


def _breaking_values(slot: Slot) -> list[Any]:
    """Replacements of the value at ``slot`` that the spec does not allow."""
    type_ = slot.type
    values: list[Any] = [] if slot.nullable else [None]
    if isinstance(type_, (ir.ModelRef, ir.MapOf)):
        values += [[], "an object?"]
    elif isinstance(type_, ir.ArrayOf):
        values += [{}, "an array?"]
    elif isinstance(type_, ir.EnumRef):
        values += [7, ["Available"]]
    elif isinstance(type_, ir.Primitive):
        values += {
            "str": [1, True, {}],
            "datetime": [1, "not a date-time", "2026-13-45T99:00:00Z"],
            "date": [1, "not a date"],
            "int": ["1", 1.5, True],
            "float": ["1.5", True],
            "bool": [0, "true"],
            "any": [],
        }[type_.kind]
        if type_.kind == "any" and not slot.nullable:
            values = []
    return values


@pytest.mark.parametrize("path", SUCCESS, ids=str)
@given(data=st.data())
def test_a_bad_value_at_any_depth_names_its_path(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    path: StatusPath,
    data: st.DataObject,
) -> None:
    assert path.type is not None
    body = data.draw(contract.strategy(path.type), label="body")
    mutations = [
        (slot, replacement)
        for slot in contract.slots(path.type, body)
        for replacement in (["<delete>"] if slot.required and not slot.nullable else [])
        + _breaking_values(slot)
    ]
    holder = {"body": body}
    if not mutations:
        # Nothing inside to break (an empty object, or optional properties none of which was
        # drawn): break the body itself, whose path is the root.
        root = Slot((), path.type, False, False, holder, "body")
        mutations = [(root, replacement) for replacement in _breaking_values(root)]
    assume(mutations)
    slot, replacement = data.draw(st.sampled_from(mutations), label="mutation")
    if replacement == "<delete>":
        slot.delete()
    else:
        slot.replace(replacement)
    body = holder["body"]
    with pytest.raises(contract.package.ResponseValidationError) as caught:
        _serve(contract, client, loop, path, json.dumps(body).encode())
    assert caught.value.path == slot.path
    assert caught.value.response is not None
    assert caught.value.response.status_code == path.code


@pytest.mark.parametrize("path", SUCCESS, ids=str)
@given(data=st.data())
def test_unknown_properties_are_ignored_and_absent_nullable_required_ones_read_as_none(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    path: StatusPath,
    data: st.DataObject,
) -> None:
    assert path.type is not None
    body = data.draw(contract.strategy(path.type), label="body")
    expected = copy.deepcopy(body)
    # Unknown properties, in the body and in any object inside it.
    objects = [body] + [
        s.value
        for s in contract.slots(path.type, body)
        if isinstance(s.type, ir.ModelRef) and s.value
    ]
    for target in data.draw(
        st.lists(st.sampled_from(objects), max_size=3), label="objects with extras"
    ):
        key = data.draw(st.text(min_size=1).map(lambda k: f"unknown_{k}"), label="key")
        target[key] = data.draw(
            st.none() | st.integers() | st.text() | st.lists(st.integers(), max_size=2)
        )
    # Required-but-nullable properties that are null: leave them out instead; they read as None.
    for slot in list(contract.slots(path.type, body)):
        if slot.required and slot.nullable and slot.value is None:
            slot.delete()
    decoded = contract.encode(
        _serve(contract, client, loop, path, json.dumps(body).encode()).parsed
    )
    assert contract.normalize(path.type, decoded) == contract.normalize(path.type, expected)


@pytest.mark.parametrize("path", SUCCESS, ids=str)
@given(data=st.data())
def test_truncated_json_is_a_response_validation_error(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    path: StatusPath,
    data: st.DataObject,
) -> None:
    assert path.type is not None
    text = json.dumps(data.draw(contract.strategy(path.type), label="body")).encode()
    cut = data.draw(st.integers(min_value=0, max_value=len(text) - 1), label="cut")
    with pytest.raises(contract.package.ResponseValidationError, match="JSON"):
        _serve(contract, client, loop, path, text[:cut])


@pytest.mark.parametrize("path", SUCCESS, ids=str)
@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", "application/json"),
        (b"<!DOCTYPE html><html><body><h1>Unicorn!</h1></body></html>", "text/html"),
        (b"null", "application/json"),
        (b"[]", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
    ],
    ids=["empty", "html", "null", "array", "not-utf8"],
)
def test_a_success_body_that_is_not_the_model_is_a_response_validation_error(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    path: StatusPath,
    content: bytes,
    content_type: str,
) -> None:
    with pytest.raises(contract.package.ResponseValidationError) as caught:
        _serve(contract, client, loop, path, content, content_type)
    assert isinstance(caught.value, contract.package.APIError)


# Statuses that commonly reach a client; each operation is tested with those it does not document.
STATUSES = [200, 204, 302, 418, 429, 500, 502, 520]
UNDOCUMENTED = [
    (op, status)
    for op in OPERATIONS
    for status in STATUSES
    if str(status) not in {r.status for r in op.responses}
]


@pytest.mark.parametrize(
    ("op", "status"),
    UNDOCUMENTED,
    ids=[f"{CONTRACT.operation_key(op)}-{status}" for op, status in UNDOCUMENTED],
)
@pytest.mark.parametrize(
    "content", [b'{"message": "no"}', b"<html>no</html>", b""], ids=["json", "html", "empty"]
)
def test_an_undocumented_status_raises_a_status_error(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    op: ir.Operation,
    status: int,
    content: bytes,
) -> None:
    documented = {r.status for r in op.responses}
    assert str(status) not in documented
    path = StatusPath(contract.operation_key(op), str(status), "application/json", None)
    with pytest.raises(contract.package.APIStatusError) as caught:
        _serve(contract, client, loop, path, content, status=status)
    error = caught.value
    assert error.status_code == status
    # Plain APIStatusError, or its rate-limit subclass for a status the spec names as one.
    if status in contract.api.client.rate_limit.statuses:
        assert isinstance(error, contract.package.RateLimitError)
    else:
        assert type(error) is contract.package.APIStatusError
