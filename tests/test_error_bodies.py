"""Each error class's ``body`` type names exactly what the client decodes an answer with its
status into (generator/planning/errors.py, laid out by the errors template)."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.model import ir
from generator.model.resolve import build_api
from generator.planning.errors import _answering, plan_errors
from generator.reading.loader import load_spec
from generator.runtime._calls import lookup
from tests.conftest import SPEC_DIR, SpecEditor, operation


def _bodies(api: ir.Api) -> dict[int, str | None]:
    return {error["code"]: error["body"] for error in plan_errors(api)["status_classes"]}


def test_each_status_has_the_models_of_its_documented_bodies(api: ir.Api) -> None:
    assert _bodies(api) == {
        304: "None",
        400: "BasicError | ScimError | None",
        401: "BasicError | None",
        402: "BasicError | None",
        403: "BasicError | None",
        404: "BasicError | None",
        409: "BasicError | None",
        422: "ValidationError | None",
        500: "BasicError | None",
        503: "ServiceUnavailable | None",
    }


def test_a_documented_status_without_a_schema_decodes_no_body(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        responses = operation(document)["responses"]
        # No body to decode for this operation: None; the other operations' 404s are models.
        responses["404"] = {"description": "Gone"}
        responses["4XX"] = {"$ref": "#/components/responses/bad_request"}
        responses["401"] = {"description": "Unauthorized"}
        responses["default"] = {"$ref": "#/components/responses/service_unavailable"}

    bodies = _bodies(build_api(load_spec(edited_spec(change))))
    assert bodies[404] == "BasicError | None"
    assert bodies[401] == "BasicError | None"
    assert bodies[503] == "ServiceUnavailable | None"


def test_a_body_that_is_not_a_model_leaves_the_base_class_type(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        responses = operation(document)["responses"]
        responses["404"] = {
            "description": "Gone",
            "content": {"application/json": {"schema": {"type": "array", "items": {}}}},
        }

    bodies = _bodies(build_api(load_spec(edited_spec(change))))
    assert bodies[404] is None  # the template then leaves APIStatusError.body, object | None
    assert bodies[400] == "BasicError | ScimError | None"


_OPERATION = build_api(load_spec(SPEC_DIR)).operations[0]
_STATUSES = ["400", "401", "404", "422", "4XX", "500", "503", "5XX", "default"]


@given(
    documented=st.dictionaries(st.sampled_from(_STATUSES), st.booleans(), max_size=6),
    code=st.sampled_from([400, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
)
def test_the_plan_picks_the_response_the_client_decodes_with(
    documented: dict[str, bool], code: int
) -> None:
    """``documented``: status -> whether its response has a schema (else no decoder)."""
    model = ir.ResponseContent("application/json", ir.ModelRef("BasicError"), is_json=True)
    bare = ir.ResponseContent("text/plain", None, is_json=False)
    responses = tuple(
        ir.Response(status, status, (model if schema else bare,), f"/{status}")
        for status, schema in documented.items()
    )
    op = dataclasses.replace(_OPERATION, responses=responses)
    # The client's table, as the client template writes it: an empty mapping without a schema.
    table = {
        r.status: {c.content_type: c.type for c in r.contents if c.type is not None}
        for r in op.error_responses
    }
    chosen = lookup(table, code, default=True)
    picked = _answering(op, code)
    if picked is None:
        assert chosen is None
    else:
        assert chosen is table[picked.status]
