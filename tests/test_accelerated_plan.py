"""The plan of the msgspec accelerator defines the helpers its struct annotations call, no more."""

from __future__ import annotations

from typing import Any

from generator.model import ir
from generator.model.resolve import build_api
from generator.planning.accelerated import plan_structs, struct_helpers
from generator.reading.loader import load_spec
from tests.conftest import SpecEditor


def _helpers(api: ir.Api) -> frozenset[str]:
    plans = plan_structs(api)
    assert plans is not None
    return struct_helpers(plans)


def test_this_spec_calls_of_and_array(api: ir.Api) -> None:
    # Models hold models (of) and arrays of models (array), but no map of models.
    assert _helpers(api) == {"of", "array"}


def test_a_map_of_models_calls_mapping(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["watchers"] = {
            "type": "object",
            "additionalProperties": {"$ref": "#/components/schemas/simple-user"},
        }

    assert _helpers(build_api(load_spec(edited_spec(change)))) == {"of", "array", "mapping"}


def test_scalars_alone_call_no_helper(api: ir.Api) -> None:
    scalars = tuple(
        p for p in plan_structs(api) or () if not any("(" in f.annotation for f in p.fields)
    )
    assert scalars  # BasicError, say
    assert struct_helpers(scalars) == frozenset()
