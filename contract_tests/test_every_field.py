"""7. Every property of every model an answer can carry refuses what breaks it, by name.

Deterministic and complete, like the enum tests: each property is given a value of every JSON
type it does not accept (and, for a date-time, strings that are none; inside an array or a map,
an item that breaks its type), and a required, non-nullable one is left out. The answer's own
decoder must raise ``ResponseValidationError`` naming the JSON path of the fault, both as a
program without msgspec decodes and through msgspec's accelerated path. The coverage report
counts every (property, check, decoder).
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import pytest

from contract_tests import coverage
from contract_tests.fields import (
    DECODERS,
    accelerated_models,
    answer_decoder,
    answer_models,
    breakages,
    checks,
    field_uses,
    reach,
    standard_decoding,
)
from contract_tests.support import Contract, StatusPath, load_contract

CONTRACT = load_contract()
ANSWERS = [answer for answer in CONTRACT.status_paths() if answer_models(answer)]


def _json_path(contract: Contract, path: tuple[str | int, ...]) -> str:
    text: str = contract.package.ResponseValidationError("", path=path).json_path
    return text


def test_every_answer_model_is_reachable_and_its_properties_listed(contract: Contract) -> None:
    # Were routes to miss a model, its properties would go unlisted and so uncounted.
    for answer in ANSWERS:
        reached = {use.model for use in field_uses(contract, answer)}
        # (A model without properties, such as an empty object, has none to list.)
        with_fields = {m for m in answer_models(answer) if contract.api.model(m).fields}
        assert with_fields <= reached, answer
    assert sum(len(field_uses(contract, answer)) for answer in ANSWERS) > 0


@pytest.mark.parametrize("decoder", DECODERS)
@pytest.mark.parametrize("answer", ANSWERS, ids=str)
def test_every_property_refuses_what_breaks_it_naming_its_path(
    contract: Contract, answer: StatusPath, decoder: str
) -> None:
    decode = answer_decoder(contract, answer)
    error_class = contract.package.ResponseValidationError
    context: AbstractContextManager[Any]
    if decoder == "msgspec":
        models = {getattr(contract.models, name) for name in answer_models(answer)}
        assert models <= accelerated_models(contract), "msgspec does not decode this answer"
        context = nullcontext()
    else:
        context = standard_decoding(contract)
    problems: list[str] = []
    with context:
        for use in field_uses(contract, answer):
            found: list[str] = []
            control, _, _ = reach(contract, use)
            decode(json.dumps(control).encode())  # the body is valid until it is broken
            for broken in breakages(contract, use):
                expected = _json_path(contract, broken.path)
                try:
                    decode(json.dumps(broken.body).encode())
                except error_class as error:
                    if error.path != broken.path:
                        found.append(f"{use} = {broken.what}: {error.json_path}, not {expected}")
                else:
                    found.append(f"{use} = {broken.what}: accepted (at {expected})")
            problems += found
            if not found:
                for check in checks(contract, use.field):
                    coverage.field_check(use.model, use.field.wire_name, check, decoder)
    assert not problems, f"{len(problems)} broken bodies not refused as they should be:\n" + (
        "\n".join(problems[:40])
    )
