"""The optional msgspec accelerator decodes exactly as the standard decoder does.

msgspec is installed with the dev tools, so ``Model.from_json`` takes the accelerated path
here; these tests hold it to the standard ``from_dict`` on whatever the strategies draw, and
on bodies broken anywhere (where the accelerator must hand over, and the error be the same).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_tests.support import Contract, load_contract
from generator.model import ir

CONTRACT = load_contract()
MODELS = CONTRACT.api.models


def _standard(model: type[Any], body: Any) -> Any:
    return model.from_dict(body)


def test_the_accelerator_is_in_use(contract: Contract) -> None:
    codec = __import__(f"{contract.api.client.package}._codec", fromlist=["_accelerator"])
    codec.load_json(b"{}")  # the accelerator is looked for on the first decode
    decoders = codec._accelerator.decoders
    assert {getattr(contract.models, m.name) for m in MODELS} <= set(decoders)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
@given(data=st.data())
def test_accelerated_and_standard_decoding_agree(
    contract: Contract, model: ir.Model, data: st.DataObject
) -> None:
    cls = getattr(contract.models, model.name)
    body = data.draw(contract.strategies.model(model.name), label="body")
    text = json.dumps(body).encode()
    assert cls.from_json(text) == _standard(cls, body)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
@given(data=st.data())
def test_a_refused_body_gets_the_standard_error(
    contract: Contract, model: ir.Model, data: st.DataObject
) -> None:
    cls = getattr(contract.models, model.name)
    body = data.draw(contract.strategies.model(model.name), label="body")
    slots = [s for s in contract.slots(ir.ModelRef(model.name), body) if not s.nullable]
    if not slots:
        return
    slot = data.draw(st.sampled_from(slots), label="slot")
    slot.replace(None)  # null where the spec allows none
    with pytest.raises(contract.package.ResponseValidationError) as standard:
        _standard(cls, body)
    with pytest.raises(contract.package.ResponseValidationError) as accelerated:
        cls.from_json(json.dumps(body))
    assert accelerated.value.path == standard.value.path == slot.path
    assert str(accelerated.value) == str(standard.value)
