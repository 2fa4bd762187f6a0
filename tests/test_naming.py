"""Names are mechanical: the same spec always gives the same public API."""

from __future__ import annotations

import pytest

from generator.model.naming import (
    class_name,
    constant,
    identifier,
    operation_names,
    pascal,
    snake,
    status_error_name,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("simple-user", "SimpleUser"),
        ("minimal-repository", "MinimalRepository"),
        ("scimType", "ScimType"),
        ("WestUs2", "WestUs2"),
        ("in_progress", "InProgress"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("create-with-repo-for-authenticated-user", "create_with_repo_for_authenticated_user"),
        ("scimType", "scim_type"),
        ("HTMLUrl", "html_url"),
        ("WestUs2", "west_us2"),
        ("+1", "plus1"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("value", "member"),
    [
        ("ShuttingDown", "SHUTTING_DOWN"),
        ("in_progress", "IN_PROGRESS"),
        ("SouthEastAsia", "SOUTH_EAST_ASIA"),
        ("WestUs2", "WEST_US2"),
        ("TEAM", "TEAM"),
        ("2fa", "V_2_FA"),
        ("", "EMPTY"),
    ],
)
def test_enum_members_are_constants(value: str, member: str) -> None:
    assert constant(value) == member


def test_identifiers_avoid_keywords_and_reserved_names() -> None:
    assert identifier("class") == "class_"
    assert identifier("to_dict", reserved=frozenset({"to_dict"})) == "to_dict_"
    assert identifier("2fa") == "field_2_fa"
    assert identifier("scimType") == "scim_type"


def test_class_names_are_identifiers() -> None:
    assert class_name("2fa-settings") == "Schema2FaSettings"
    assert class_name("none") == "SchemaNone"


def test_operation_names_follow_octokit() -> None:
    assert operation_names("codespaces/create-with-repo-for-authenticated-user", []) == (
        "codespaces",
        "create_with_repo_for_authenticated_user",
    )
    assert operation_names("listPets", ["pets"]) == ("pets", "list_pets")


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (503, "ServiceUnavailableError"),
        (418, "ImATeapotError"),  # not in the table: from the standard reason phrase
        (520, "Status520Error"),  # not a standard status at all
    ],
)
def test_status_error_names(status: int, name: str) -> None:
    assert status_error_name(status) == name
