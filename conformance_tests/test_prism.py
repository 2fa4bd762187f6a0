"""The generated client against Prism serving GitHub's own description of every spec operation.

For every operation of ``spec/`` (so a new one comes under test with no test edited), with the
sync client and the async one under asyncio and under trio:

* the requests it sends pass Prism's request validator: drawn arguments, none, all, and every
  value of every request enum;
* every documented status and content type, asked for with ``Prefer: code=N``, gives its model
  (a 2xx) or its typed error with the error model as body, for Prism's static body and random
  ones;
* a few hundred of Prism's random answers decode, or raise typed errors, and nothing else; and
  when the client refuses one, GitHub's description must refuse it too (checked with
  jsonschema), or the client is wrong.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance_tests.prism import Prism
from conformance_tests.support import (
    KINDS,
    TALLY,
    Outcome,
    Planned,
    Recorder,
    Upstream,
    accept,
    answers,
    call_once,
    prefer,
    run_calls,
    sync_client,
)
from contract_tests.support import Contract, StatusPath, load_contract
from generator.model import ir

CONTRACT = load_contract()
OPERATIONS = CONTRACT.api.operations
# Prism's random answers in all, shared out among the operations and kinds of client (each
# documented answer of each operation at least once for each kind): the run stays short
# however many operations the spec has.
RANDOM_ANSWERS = 300
SEEDS_PER_ANSWER = 3  # random bodies of each documented answer, beside its static one
DRAWN_CALLS = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _key(op: ir.Operation) -> str:
    return CONTRACT.operation_key(op)


def _answers(op: ir.Operation) -> list[StatusPath]:
    return answers(CONTRACT, op)


def _success(op: ir.Operation) -> StatusPath:
    return next(a for a in _answers(op) if a.is_success)


def _shown(result: Any) -> str:
    if isinstance(result, BaseException):
        return "".join(traceback.format_exception(result))
    return repr(result)


def _is_of_type(contract: Contract, type_: ir.TypeExpr | None, value: Any) -> bool:
    if isinstance(type_, ir.ModelRef):
        return type(value) is getattr(contract.models, type_.name)
    if isinstance(type_, ir.ArrayOf):
        return isinstance(value, list) and all(
            _is_of_type(contract, type_.items, item) for item in value
        )
    return True


def _refusal_is_upstreams(
    upstream: Upstream, op: ir.Operation, answer: StatusPath, outcome: Outcome
) -> None:
    """The client refused Prism's body: GitHub's description must not allow it either."""
    assert outcome.exchange is not None
    try:
        body = json.loads(outcome.exchange.body)
    except ValueError:
        return  # not even JSON
    validator = upstream.validator(upstream.response_schema(op, answer))
    assert not validator.is_valid(body), (
        f"the client refused a {answer.status} {answer.content_type} body that GitHub's "
        f"description allows:\n{_shown(outcome.result)}\nbody: {outcome.exchange.body[:2000]!r}"
    )


def check(
    contract: Contract, upstream: Upstream, op: ir.Operation, answer: StatusPath, outcome: Outcome
) -> str:
    """What became of one answer: 'decoded', 'typed error', or 'refused' (rightly)."""
    exchange, result = outcome.exchange, outcome.result
    assert exchange is not None, f"nothing was sent: {_shown(result)}"
    assert not exchange.request_violations, exchange.request_violations
    asked = (answer.code, answer.content_type or exchange.content_type)
    assert (exchange.status, exchange.content_type) == asked, (
        f"Prism answered {exchange.status} {exchange.content_type} to {outcome.planned}"
    )
    package = contract.package
    if isinstance(result, package.ResponseValidationError):
        assert answer.is_success, _shown(result)  # an error's bad body still raises its error
        _refusal_is_upstreams(upstream, op, answer, outcome)
        return "refused"
    if answer.is_success:
        assert isinstance(result, package.APIResponse), _shown(result)
        assert result.status_code == answer.code
        assert _is_of_type(contract, answer.type, result.parsed), repr(result.parsed)
        return "decoded"
    expected = contract.error_class(answer.code)
    assert isinstance(result, expected), f"expected {expected.__name__}: {_shown(result)}"
    error: Any = result
    assert error.status_code == answer.code
    if answer.type is None:  # nothing to decode (a 304): no body, rightly
        assert error.body is None, repr(error.body)
        return "typed error"
    if error.body is None:
        _refusal_is_upstreams(upstream, op, answer, outcome)
        return "refused"
    assert _is_of_type(contract, answer.type, error.body), repr(error.body)
    return "typed error"


def _tally(outcomes: list[Outcome], results: list[str]) -> None:
    TALLY["requests"] += len(outcomes)
    TALLY.update(results)


def _request_checked(outcome: Outcome, status: int) -> None:
    exchange = outcome.exchange
    assert exchange is not None, _shown(outcome.result)
    assert not exchange.request_violations, (outcome.planned.arguments, exchange.violations)
    assert exchange.status == status, (outcome.planned.arguments, exchange.body[:500])


# -- requests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def recorded(contract: Contract, prism: Prism) -> Iterator[tuple[Any, Recorder]]:
    """One sync client for every drawn call, and its recorder."""
    recorder = Recorder()
    with sync_client(contract, prism.url, recorder) as client:
        yield client, recorder


@pytest.mark.parametrize("op", OPERATIONS, ids=_key)
@DRAWN_CALLS
@given(data=st.data())
def test_any_valid_call_passes_prisms_request_validator(
    contract: Contract, recorded: tuple[Any, Recorder], op: ir.Operation, data: st.DataObject
) -> None:
    arguments = data.draw(contract.strategies.arguments(_key(op)), label="arguments")
    answer = _success(op)
    planned = Planned({**contract.required_arguments(op), **arguments}, prefer(answer))
    _request_checked(call_once(*recorded, contract, op, planned), answer.code)
    TALLY["requests"] += 1


def _fixed_calls(contract: Contract, op: ir.Operation) -> list[dict[str, Any]]:
    """No optional argument, every argument, and every value of every request enum."""
    required = contract.required_arguments(op)
    everything = dict(required)
    for argument in op.body.arguments if op.body else ():
        everything[argument.name] = contract.minimal(argument.field.type)
    calls = [required, everything]
    for enum_op, name, enum in contract.request_enum_arguments():
        if enum_op is op:
            calls += [{**required, name: value} for value in enum.values]
    return calls


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("op", OPERATIONS, ids=_key)
def test_no_argument_all_arguments_and_every_enum_value_pass(
    contract: Contract, prism: Prism, op: ir.Operation, kind: str
) -> None:
    answer = _success(op)
    plan = [Planned(arguments, prefer(answer)) for arguments in _fixed_calls(contract, op)]
    outcomes = run_calls(kind, contract, prism.url, op, plan)
    for outcome in outcomes:
        _request_checked(outcome, answer.code)
    TALLY["requests"] += len(outcomes)


# -- answers -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("op", OPERATIONS, ids=_key)
def test_every_documented_answer_gives_its_model_or_typed_error(
    contract: Contract, upstream: Upstream, prism: Prism, op: ir.Operation, kind: str
) -> None:
    arguments = contract.required_arguments(op)
    plan = [
        Planned(arguments, prefer(answer, seed), accept(answer))
        for answer in _answers(op)
        for seed in (None, *range(SEEDS_PER_ANSWER))
    ]
    outcomes = run_calls(kind, contract, prism.url, op, plan)
    answers = [a for a in _answers(op) for _ in range(1 + SEEDS_PER_ANSWER)]
    results = [check(contract, upstream, op, a, o) for a, o in zip(answers, outcomes, strict=True)]
    # Prism's static bodies conform: each of them must have been decoded, not refused.
    assert "refused" not in results[:: 1 + SEEDS_PER_ANSWER], results
    _tally(outcomes, results)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("op", OPERATIONS, ids=_key)
def test_prisms_random_answers_decode_or_raise_typed_errors(
    contract: Contract, upstream: Upstream, prism: Prism, op: ir.Operation, kind: str
) -> None:
    answers = _answers(op)
    count = max(RANDOM_ANSWERS // (len(OPERATIONS) * len(KINDS)), len(answers))
    offset = 1000 * (KINDS.index(kind) + 1)  # other seeds for each kind of client
    chosen = [answers[i % len(answers)] for i in range(count)]
    arguments = contract.required_arguments(op)
    plan = [
        Planned(arguments, prefer(answer, offset + i), accept(answer))
        for i, answer in enumerate(chosen)
    ]
    outcomes = run_calls(kind, contract, prism.url, op, plan)
    results = [check(contract, upstream, op, a, o) for a, o in zip(chosen, outcomes, strict=True)]
    _tally(outcomes, results)
    assert len({o.exchange.body for o in outcomes if o.exchange}) > count // 2  # really random
