"""The generated models decode liberally, encode faithfully, and name the path of a bad value."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from github_codespaces import UNSET, ResponseValidationError
from github_codespaces.models import (
    BasicError,
    Codespace,
    CodespaceGitStatus,
    CodespaceLocation,
    CodespaceMachine,
    CodespaceMachinePrebuildAvailability,
    CodespaceState,
    MinimalRepository,
    MinimalRepositoryPullRequestCreationPolicy,
    SecurityAndAnalysis,
    SecurityAndAnalysisSecretScanningDelegatedBypassOptionsReviewersItemMode,
    SimpleUser,
)


def test_a_full_body_decodes_into_nested_typed_objects(codespace_body: dict[str, Any]) -> None:
    codespace = Codespace.from_dict(codespace_body)
    assert isinstance(codespace.owner, SimpleUser)
    assert isinstance(codespace.repository, MinimalRepository)
    assert isinstance(codespace.repository.owner, SimpleUser)
    assert codespace.repository.owner.login == "octo-org"
    assert isinstance(codespace.machine, CodespaceMachine)
    assert codespace.machine.prebuild_availability is CodespaceMachinePrebuildAvailability.READY
    assert isinstance(codespace.git_status, CodespaceGitStatus)
    assert codespace.state is CodespaceState.AVAILABLE
    assert codespace.location is CodespaceLocation.WEST_US2
    assert codespace.created_at == datetime(2026, 11, 23, 19, 1, 12, tzinfo=timezone.utc)
    assert codespace.repository.pushed_at == datetime(2026, 11, 2, 10, 11, 12, tzinfo=timezone.utc)
    assert (
        codespace.repository.pull_request_creation_policy
        is MinimalRepositoryPullRequestCreationPolicy.ALL
    )
    security = codespace.repository.security_and_analysis
    assert isinstance(security, SecurityAndAnalysis)
    options = security.secret_scanning_delegated_bypass_options
    assert options is not UNSET  # narrows the type, as `is not None` does
    assert options is not None
    reviewers = options.reviewers
    assert isinstance(reviewers, list)
    assert (
        reviewers[0].mode
        is SecurityAndAnalysisSecretScanningDelegatedBypassOptionsReviewersItemMode.ALWAYS
    )
    assert reviewers[1].mode is UNSET  # absent, and absent is not null
    assert codespace.repository.custom_properties == {
        "environment": "production",
        "team": ["platform", "api"],
    }
    assert codespace.pulls_url is None
    assert codespace.recent_folders == []


def test_to_dict_gives_back_exactly_the_json(codespace_body: dict[str, Any]) -> None:
    assert Codespace.from_dict(codespace_body).to_dict() == codespace_body


def test_an_absent_optional_property_stays_absent(codespace_body: dict[str, Any]) -> None:
    del codespace_body["display_name"]
    del codespace_body["git_status"]["ref"]
    codespace = Codespace.from_dict(codespace_body)
    assert codespace.display_name is UNSET
    encoded = codespace.to_dict()
    assert "display_name" not in encoded
    assert "ref" not in encoded["git_status"]
    assert encoded == codespace_body


def test_null_and_absent_are_told_apart(codespace_body: dict[str, Any]) -> None:
    codespace_body["display_name"] = None
    codespace = Codespace.from_dict(codespace_body)
    assert codespace.display_name is None
    assert codespace.to_dict()["display_name"] is None


def test_unknown_properties_are_ignored(codespace_body: dict[str, Any]) -> None:
    codespace_body["brand_new_field"] = {"nested": [1, 2]}
    codespace_body["repository"]["owner"]["another"] = True
    codespace = Codespace.from_dict(codespace_body)
    assert codespace.repository.owner.login == "octo-org"


def test_an_unknown_enum_value_is_kept_as_its_string(codespace_body: dict[str, Any]) -> None:
    codespace_body["state"] = "Hibernating"
    codespace_body["repository"]["security_and_analysis"]["secret_scanning"]["status"] = "paused"
    codespace = Codespace.from_dict(codespace_body)
    assert codespace.state == "Hibernating"
    assert not isinstance(codespace.state, CodespaceState)
    assert codespace.to_dict() == codespace_body


def test_a_nullable_required_property_that_is_absent_decodes_as_none(
    codespace_body: dict[str, Any],
) -> None:
    del codespace_body["environment_id"]
    del codespace_body["machine"]
    codespace = Codespace.from_dict(codespace_body)
    assert codespace.environment_id is None
    assert codespace.machine is None


def _error(body: dict[str, Any]) -> ResponseValidationError:
    with pytest.raises(ResponseValidationError) as caught:
        Codespace.from_dict(body)
    return caught.value


def test_a_missing_required_property_names_its_path(codespace_body: dict[str, Any]) -> None:
    del codespace_body["repository"]["owner"]["id"]
    error = _error(codespace_body)
    assert error.json_path == "$.repository.owner.id"
    assert "missing" in str(error)


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (lambda b: b.update(id="2"), "$.id", "an integer"),
        (lambda b: b.update(id=True), "$.id", "an integer"),  # a boolean is not a JSON integer
        (lambda b: b["repository"]["owner"].update(id=1.5), "$.repository.owner.id", "an integer"),
        (lambda b: b.update(created_at="yesterday"), "$.created_at", "date-time"),
        (lambda b: b.update(state=3), "$.state", "a string"),
        (lambda b: b.update(recent_folders=["a", 1]), "$.recent_folders[1]", "a string"),
        (lambda b: b.update(owner=[]), "$.owner", "an object"),
        (lambda b: b.update(name=None), "$.name", "null is not allowed"),
        (lambda b: b["git_status"].update(ahead=None), "$.git_status.ahead", "null is not allowed"),
        (
            lambda b: b["repository"]["security_and_analysis"][
                "secret_scanning_delegated_bypass_options"
            ]["reviewers"][1].update(reviewer_id="7"),
            "$.repository.security_and_analysis.secret_scanning_delegated_bypass_options.reviewers[1].reviewer_id",
            "an integer",
        ),
    ],
)
def test_a_wrong_type_names_its_path(
    codespace_body: dict[str, Any], change: Any, path: str, expected: str
) -> None:
    change(codespace_body)
    error = _error(codespace_body)
    assert error.json_path == path
    assert expected in str(error)


def test_the_error_never_quotes_the_value(codespace_body: dict[str, Any]) -> None:
    codespace_body["repository"]["temp_clone_token"] = (
        123456789  # a secret-ish field of the wrong type
    )
    error = _error(codespace_body)
    assert error.json_path == "$.repository.temp_clone_token"
    assert "123456789" not in str(error)


def test_a_body_that_is_not_an_object() -> None:
    with pytest.raises(ResponseValidationError) as caught:
        BasicError.from_dict([])  # type: ignore[arg-type]
    assert caught.value.json_path == "$"


def test_models_are_keyword_only_dataclasses() -> None:
    error = BasicError(message="Not Found")
    assert error.documentation_url is UNSET
    assert error.to_dict() == {"message": "Not Found"}
    with pytest.raises(TypeError):
        BasicError("Not Found")  # type: ignore[call-arg]
