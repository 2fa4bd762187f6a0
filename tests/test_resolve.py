"""The intermediate model says what the spec says, with every name decided."""

from __future__ import annotations

from typing import Any

import pytest

from generator.errors import SpecError
from generator.model import ir
from generator.model.resolve import build_api, is_json
from generator.reading.loader import load_spec
from tests.conftest import SpecEditor, operation

CREATE = "codespaces/create-with-repo-for-authenticated-user"


def _fields(api: ir.Api, model: str) -> dict[str, ir.Field]:
    return {f.wire_name: f for f in api.model(model).fields}


def test_codespace_has_32_properties_22_required(api: ir.Api) -> None:
    fields = _fields(api, "Codespace")
    assert len(fields) == 32
    assert sum(f.required for f in fields.values()) == 22


def test_minimal_repository_has_90_properties(api: ir.Api) -> None:
    assert len(api.model("MinimalRepository").fields) == 90


def test_required_and_nullable_are_independent(api: ir.Api) -> None:
    fields = _fields(api, "Codespace")
    assert (fields["environment_id"].required, fields["environment_id"].nullable) == (True, True)
    assert (fields["machine"].required, fields["machine"].nullable) == (True, True)
    assert (fields["display_name"].required, fields["display_name"].nullable) == (False, True)
    assert (fields["name"].required, fields["name"].nullable) == (True, False)
    assert (fields["runtime_constraints"].required, fields["runtime_constraints"].nullable) == (
        False,
        False,
    )


def test_formats_are_kept(api: ir.Api) -> None:
    fields = _fields(api, "Codespace")
    assert fields["id"].type == ir.Primitive("int", format="int64")
    assert fields["created_at"].type == ir.Primitive("datetime", format="date-time")
    assert fields["url"].type == ir.Primitive("str", format="uri")


def test_references_become_model_references(api: ir.Api) -> None:
    fields = _fields(api, "Codespace")
    assert fields["owner"].type == ir.ModelRef("SimpleUser")
    assert fields["repository"].type == ir.ModelRef("MinimalRepository")
    # The component is "nullable-codespace-machine"; its nullability belongs to the field.
    assert fields["machine"].type == ir.ModelRef("CodespaceMachine")


def test_inline_objects_are_named_after_their_place(api: ir.Api) -> None:
    assert _fields(api, "Codespace")["git_status"].type == ir.ModelRef("CodespaceGitStatus")
    reviewers = _fields(api, "SecurityAndAnalysisSecretScanningDelegatedBypassOptions")["reviewers"]
    assert reviewers.type == ir.ArrayOf(
        ir.ModelRef("SecurityAndAnalysisSecretScanningDelegatedBypassOptionsReviewersItem")
    )


def test_enums(api: ir.Api) -> None:
    state = api.enum("CodespaceState")
    assert len(state.values) == 17
    assert state.members[state.values.index("ShuttingDown")] == "SHUTTING_DOWN"
    machine = _fields(api, "CodespaceMachine")["prebuild_availability"]
    assert machine.nullable
    assert api.enum("CodespaceMachinePrebuildAvailability").values == (
        "none",
        "ready",
        "in_progress",
    )
    geo = api.enum("CodespacesCreateWithRepoForAuthenticatedUserRequestGeo")
    assert geo.values == ("EuropeWest", "SoutheastAsia", "UsEast", "UsWest")


def test_operation(api: ir.Api) -> None:
    op = _create(api)
    assert (op.namespace, op.method_name, op.http_method) == (
        "codespaces",
        "create_with_repo_for_authenticated_user",
        "POST",
    )
    assert [p.name for p in op.parameters] == ["owner", "repo"]
    assert all(p.required and p.location == "path" for p in op.parameters)
    assert op.body is not None
    assert (op.body.required, op.body.nullable, op.body.content_type) == (
        True,
        True,
        "application/json",
    )
    assert len(op.body.arguments) == 11
    assert not any(a.field.required for a in op.body.arguments)


def test_responses(api: ir.Api) -> None:
    op = _create(api)
    table = {r.status: [(c.content_type, c.type) for c in r.contents] for r in op.responses}
    assert table == {
        "201": [("application/json", ir.ModelRef("Codespace"))],
        "202": [("application/json", ir.ModelRef("Codespace"))],
        "400": [
            ("application/json", ir.ModelRef("BasicError")),
            ("application/scim+json", ir.ModelRef("ScimError")),
        ],
        "401": [("application/json", ir.ModelRef("BasicError"))],
        "403": [("application/json", ir.ModelRef("BasicError"))],
        "404": [("application/json", ir.ModelRef("BasicError"))],
        "503": [("application/json", ir.ModelRef("ServiceUnavailable"))],
    }
    assert api.error_statuses == (304, 400, 401, 402, 403, 404, 409, 422, 500, 503)


def test_the_patched_bound_reaches_the_model(api: ir.Api) -> None:
    op = _create(api)
    assert op.body is not None
    retention = next(a for a in op.body.arguments if a.name == "retention_period_minutes")
    assert retention.field.type == ir.Primitive("int", minimum=0, maximum=43200)


def test_json_content_types() -> None:
    assert is_json("application/json")
    assert is_json("application/scim+json")
    assert is_json("application/json; charset=utf-8")
    assert not is_json("text/html")
    assert not is_json("application/octet-stream")


def _fails(spec_dir: Any) -> SpecError:
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(spec_dir))
    return caught.value


def test_a_dangling_reference_names_its_place(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["owner"]["$ref"] = (
            "#/components/schemas/nobody"
        )

    error = _fails(edited_spec(change))
    assert error.pointer == "/components/schemas/codespace/properties/owner/$ref"
    assert "points at nothing" in error.message


def test_a_one_of_becomes_a_union_spelled_out_where_it_stands(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["name"] = {
            "oneOf": [{"type": "string"}, {"type": "integer"}]
        }

    api = build_api(load_spec(edited_spec(change)))
    name = _fields(api, "Codespace")["name"]
    assert name.type == ir.UnionRef("CodespaceName")
    union = api.union("CodespaceName")
    assert union.variants == (ir.Primitive("str"), ir.Primitive("int"))
    assert not union.alias
    assert union.pointer == "/components/schemas/codespace/properties/name"


def test_an_operation_needs_an_operation_id(edited_spec: SpecEditor) -> None:
    error = _fails(edited_spec(lambda document: operation(document).pop("operationId")))
    assert error.pointer == "/paths/~1repos~1{owner}~1{repo}~1codespaces/post"


def test_path_parameters_must_match_the_template(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["repo"]["name"] = "name"

    assert "do not match" in _fails(edited_spec(change)).message


def test_two_schemas_that_would_share_a_class_get_two(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["Codespace"] = {
            "type": "object",
            "properties": {"x": {"type": "string"}},
        }

    api = build_api(load_spec(edited_spec(change)))
    by_pointer = {m.pointer: m.name for m in api.models}
    # Ranked by pointer: "Codespace" sorts before "codespace", so it keeps the plain name.
    assert by_pointer["/components/schemas/Codespace"] == "Codespace"
    assert by_pointer["/components/schemas/codespace"] == "Codespace1"
    assert _fields(api, "Codespace1")["git_status"].type == ir.ModelRef("CodespaceGitStatus")


def _create(api: ir.Api) -> ir.Operation:
    return next(op for op in api.operations if op.operation_id == CREATE)


def test_the_permission_check_answers_a_validation_error_with_a_union(api: ir.Api) -> None:
    (check,) = [
        op for op in api.operations if op.method_name == "check_permissions_for_devcontainer"
    ]
    assert [(p.name, p.location, p.required) for p in check.parameters] == [
        ("owner", "path", True),
        ("repo", "path", True),
        ("ref", "query", True),
        ("devcontainer_path", "query", True),
    ]
    (unprocessable,) = [r for r in check.responses if r.status == "422"]
    assert unprocessable.contents[0].type == ir.ModelRef("ValidationError")
    value = _fields(api, "ValidationErrorErrorsItem")["value"]
    assert value.type == ir.UnionRef("ValidationErrorErrorsItemValue")
    assert value.nullable  # each alternative allows null
    union = api.union("ValidationErrorErrorsItemValue")
    assert union.variants == (
        ir.Primitive("str"),
        ir.Primitive("int"),
        ir.ArrayOf(ir.Primitive("str")),
    )
