"""Every variant of every union an answer can carry, deterministically: each decodes to a value
of that variant and encodes back to the same JSON, and a value of no variant is refused with
the path of the property and, per variant, why."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import respx

from contract_tests import coverage
from contract_tests.support import BASE_URL, Contract, EnumUse, load_contract
from generator.model import ir
from generator.model.resolve import is_json
from generator.planning.codec import json_kinds

CONTRACT = load_contract()
USES = CONTRACT.union_uses()
CASES = [(use, variant) for use in USES for variant in CONTRACT.api.union(use.enum).variants]
# A JSON value of each type; a union refuses those of types none of its variants has.
_BY_KIND = {"dict": {"?": 1}, "list": ["?"], "str": "?", "int": 7, "float": 7.5, "bool": True}


def _id(case: Any) -> str:
    if isinstance(case, EnumUse):
        return f"{case.model}.{case.field}"
    return CONTRACT.variant_label(case)


def _decoded(
    contract: Contract, client: Any, loop: asyncio.AbstractEventLoop, use: EnumUse, body: Any
) -> tuple[Any, Any]:
    """Serve ``body`` as ``use``'s answer; the decoded body and the union property's value."""
    op = contract.operation(use.answer.operation)
    with respx.mock(base_url=BASE_URL) as router:
        router.route(method=op.http_method).respond(
            use.answer.code,
            content=json.dumps(body).encode(),
            headers={"content-type": use.answer.content_type},
        )
        if use.answer.is_success:
            parsed = contract.call(client, op, {}, loop).parsed
        else:
            with pytest.raises(contract.error_class(use.answer.code)) as caught:
                contract.call(client, op, {}, loop)
            parsed = caught.value.body  # type: ignore[attr-defined]
    node = parsed
    for model, wire, is_array in use.route:
        attr = next(f.attr for f in contract.api.model(model).fields if f.wire_name == wire)
        node = getattr(node, attr)
        if is_array:
            node = node[0]
    return parsed, node


def _is_variant(contract: Contract, variant: ir.TypeExpr, value: Any) -> bool:
    if isinstance(variant, ir.ModelRef):
        return isinstance(value, getattr(contract.models, variant.name))
    if isinstance(variant, ir.EnumRef):
        return isinstance(value, getattr(contract.models, variant.name))
    if isinstance(variant, ir.ArrayOf):
        return isinstance(value, list)
    if isinstance(variant, ir.MapOf):
        return isinstance(value, dict)
    if isinstance(variant, ir.Primitive):
        python: dict[str, type | tuple[type, ...]] = {
            "str": str,
            "int": int,
            "float": (int, float),
            "bool": bool,
        }
        wanted = python.get(variant.kind, object)
        return isinstance(value, wanted) and (variant.kind == "bool" or type(value) is not bool)
    return True


def _request_uses(contract: Contract) -> list[tuple[ir.Operation, str, str | None, ir.UnionRef]]:
    """Every union a request body can carry: (operation, keyword argument, the body property
    it sets or None for the body itself, the union). An array of a union counts as the union."""
    found: list[tuple[ir.Operation, str, str | None, ir.UnionRef]] = []
    for op in contract.api.operations:
        if op.body is None or not is_json(op.body.content_type):
            continue
        for a in op.body.arguments:
            type_ = a.field.type.items if isinstance(a.field.type, ir.ArrayOf) else a.field.type
            if isinstance(type_, ir.UnionRef):
                found.append((op, a.name, a.field.wire_name, type_))
        if not op.body.arguments and isinstance(op.body.type, ir.UnionRef):
            found.append((op, contract.body_argument(op), None, op.body.type))
    return found


REQUEST_USES = _request_uses(CONTRACT)
REQUEST_CASES = [
    (use, variant) for use in REQUEST_USES for variant in CONTRACT.api.union(use[3].name).variants
]


def test_every_union_is_reachable_from_an_answer_or_a_request() -> None:
    # The coverage report would catch it too; this names the union the suite cannot reach.
    reachable = {use.enum for use in USES} | {use[3].name for use in REQUEST_USES}
    assert {u.name for u in CONTRACT.api.unions} <= reachable


# Defined only for a spec whose requests carry a union (spec/'s do not; GitHub's codespaces
# tag does), rather than reported as skipped for an empty parameter set.
if REQUEST_CASES:

    @pytest.mark.parametrize(
        ("use", "variant"),
        REQUEST_CASES,
        ids=[f"{u[0].method_name}-{u[2] or 'body'}-{_id(v)}" for u, v in REQUEST_CASES],
    )
    def test_every_variant_of_a_request_union_is_sent_as_itself(
        contract: Contract,
        client: Any,
        loop: asyncio.AbstractEventLoop,
        use: tuple[ir.Operation, str, str | None, ir.UnionRef],
        variant: ir.TypeExpr,
    ) -> None:
        op, argument, wire, union = use
        value = contract.minimal(variant)
        type_ = contract.argument_types(op)[argument]
        given = [value] if isinstance(type_, ir.ArrayOf) else value
        status, answer = contract.minimal_success(op)
        with respx.mock(base_url=BASE_URL) as router:
            route = router.route(method=op.http_method)
            if answer is None:
                route.respond(status)
            else:
                route.respond(status, json=answer)
            contract.call(client, op, {argument: given}, loop)  # (call makes it a Python value)
        sent = json.loads(route.calls.last.request.content)
        assert (sent if wire is None else sent[wire]) == given
        coverage.union_variant(union.name, contract.variant_label(variant))


@pytest.mark.parametrize(("use", "variant"), CASES, ids=_id)
def test_every_variant_decodes_as_itself_and_round_trips(
    contract: Contract,
    client: Any,
    loop: asyncio.AbstractEventLoop,
    use: EnumUse,
    variant: ir.TypeExpr,
) -> None:
    value = contract.minimal(variant)
    body = contract.body_with_enum(use, value)
    parsed, decoded = _decoded(contract, client, loop, use, body)
    assert _is_variant(contract, variant, decoded), decoded
    assert contract.encode(parsed) == body
    coverage.union_variant(use.enum, contract.variant_label(variant))


@pytest.mark.parametrize("use", USES, ids=_id)
def test_a_value_of_no_variant_is_refused_where_it_is(contract: Contract, use: EnumUse) -> None:
    union = ir.UnionRef(use.enum)
    accepted = json_kinds(union, contract.api) or tuple(_BY_KIND)
    refused = [value for kind, value in _BY_KIND.items() if kind not in accepted]
    if "int" in accepted:  # an integer variant would take 7.5's type check for a number
        refused = [v for v in refused if not isinstance(v, float)]
    assert refused, f"{use.enum} accepts every JSON type"
    body = contract.body_with_enum(use, refused[0])
    assert isinstance(use.answer.type, ir.ModelRef)
    model = getattr(contract.models, use.answer.type.name)
    with pytest.raises(contract.package.ResponseValidationError) as caught:
        model.from_dict(body)
    expected: list[str | int] = []
    for _, wire, is_array in use.route:
        expected += [wire, 0] if is_array else [wire]
    assert list(caught.value.path) == expected
    assert "expected " in caught.value.reason
