"""The generated strategies are themselves tested: what they draw is valid for the spec, and
they reach every case a decoder has to handle."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from jsonschema import Draft202012Validator

from contract_tests.support import Contract, load_contract
from generator.model import ir
from generator.model.resolve import is_json
from generator.reading import pointer as jp

CONTRACT = load_contract()
MODELS = CONTRACT.api.models
# Finding is enough: shrinking a found codespace would take seconds and prove nothing more.
FIND = settings(max_examples=300, database=None, derandomize=True, phases=[Phase.generate])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
@given(data=st.data())
def test_drawn_objects_validate_against_the_spec_schema(
    contract: Contract, model: ir.Model, data: st.DataObject
) -> None:
    value = data.draw(contract.strategies.model(model.name))
    # The schema at the model's place in the spec, as JSON Schema, checked with jsonschema.
    contract.validator(jp.resolve(contract.document, model.pointer)).validate(value)


@pytest.mark.parametrize("op", CONTRACT.api.operations, ids=CONTRACT.operation_key)
@given(data=st.data())
def test_drawn_arguments_make_valid_request_bodies(
    contract: Contract, op: ir.Operation, data: st.DataObject
) -> None:
    arguments = data.draw(contract.strategies.arguments(contract.operation_key(op)))
    if op.body is None:
        return
    if op.body.arguments:
        wire = {
            a.field.wire_name: arguments[a.name] for a in op.body.arguments if a.name in arguments
        }
        contract.request_validator(op).validate(wire)
    elif is_json(op.body.content_type) and contract.body_argument(op) in arguments:
        contract.request_validator(op).validate(arguments[contract.body_argument(op)])


def _value_cases(field: ir.Field) -> dict[str, Any]:
    """What the strategy of ``field``'s value must reach, each as a check of one drawn value."""
    cases: dict[str, Any] = {}
    if field.nullable:
        cases["null"] = lambda value: value is None
    item = field.type.items if isinstance(field.type, ir.ArrayOf) else field.type
    if isinstance(item, ir.EnumRef):
        for wanted in CONTRACT.api.enum(item.name).values:
            cases[repr(wanted)] = lambda value, wanted=wanted: (
                value == wanted or (isinstance(value, list) and wanted in value)
            )
    if isinstance(item, ir.Primitive) and item.format in ("date-time", "uri"):
        cases[f"a valid {item.format}"] = lambda value, fmt=item.format: _conforms(value, fmt)
    return cases


def _conforms(value: Any, fmt: str) -> bool:
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(
        isinstance(v, str) and Draft202012Validator.FORMAT_CHECKER.conforms(v, fmt) for v in values
    )


def _reach_all(strategy: st.SearchStrategy[Any], cases: dict[str, Any], what: str) -> None:
    """Draw from ``strategy`` until every case has been seen, within a bounded example count."""
    pending = dict(cases)

    def observe(drawn: Any) -> bool:
        for case, check in list(pending.items()):
            if check(drawn):
                del pending[case]
        return not pending

    if not pending:
        return
    try:
        find(strategy, observe, settings=FIND)
    except NoSuchExample:
        pytest.fail(f"{what}: the strategy never drew {sorted(pending)}")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_every_case_is_reached(contract: Contract, model: ir.Model) -> None:
    """Null wherever allowed, every enum value, valid date-time and uri strings (each property's
    own strategy), and the absence of every optional property (the model's strategy)."""
    properties = contract.strategies.fields(model.name)
    own = {**properties.required, **properties.optional}
    for field in model.fields:
        _reach_all(own[field.wire_name], _value_cases(field), f"{model.name}.{field.wire_name}")
    absent = {
        f"{f.wire_name} absent": lambda drawn, name=f.wire_name: name not in drawn
        for f in model.fields
        if not f.required
    }
    _reach_all(contract.strategies.model(model.name), absent, model.name)
