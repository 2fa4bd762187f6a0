"""The runtime's argument checks, where they stand (generator/runtime/_arguments.py)."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.runtime import _arguments as args
from generator.runtime._types import UNSET


class Colour(enum.Enum):
    RED = "red"


@given(st.text(min_size=1))
def test_a_path_segment_is_one_segment_that_decodes_back(value: str) -> None:
    from urllib.parse import unquote

    try:
        segment = args.path_segment("owner", value)
    except ValueError:
        return  # ".", "..", their encodings and lone surrogates are refused, by design
    assert "/" not in segment
    assert "?" not in segment
    assert "#" not in segment
    assert unquote(segment) == value


@pytest.mark.parametrize("value", ["", ".", "..", "%2e", "%2E%2e"])
def test_segments_that_name_a_directory_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="owner must not be empty"):
        args.path_segment("owner", value)


def test_a_path_segment_must_be_text() -> None:
    with pytest.raises(TypeError, match="owner must be a str, not int"):
        args.path_segment("owner", 3)


def test_unset_and_allowed_null_pass_every_check() -> None:
    assert args.check_str("ref", UNSET) is UNSET
    assert args.check_int("n", UNSET) is UNSET
    assert args.check_str("ref", None, nullable=True) is None
    with pytest.raises(TypeError, match="ref must be a str, not NoneType"):
        args.check_str("ref", None)


def test_bounds_and_types_of_numbers() -> None:
    assert args.check_int("minutes", 0, minimum=0, maximum=43200) == 0
    with pytest.raises(ValueError, match="minutes"):
        args.check_int("minutes", 43201, minimum=0, maximum=43200)
    with pytest.raises(TypeError):
        args.check_int("minutes", True)  # a bool is not an integer here
    with pytest.raises(TypeError):
        args.check_int("minutes", 1.5)


def test_string_lengths() -> None:
    assert args.check_str("name", "ab", min_length=2, max_length=2) == "ab"
    with pytest.raises(ValueError, match="at least 3"):
        args.check_str("name", "ab", min_length=3)
    with pytest.raises(ValueError, match="at most 1"):
        args.check_str("name", "ab", max_length=1)


def test_enums_take_members_and_listed_values_only() -> None:
    assert args.check_enum("colour", Colour.RED, Colour) is Colour.RED
    assert args.check_enum("colour", "red", Colour) in ("red", Colour.RED)
    with pytest.raises(ValueError, match="colour"):
        args.check_enum("colour", "blue", Colour)


def test_date_times_and_booleans() -> None:
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert args.check_datetime("since", moment) is moment
    with pytest.raises(TypeError):
        args.check_datetime("since", "2026-01-01")
    assert args.check_bool("flag", False) is False
    with pytest.raises(TypeError):
        args.check_bool("flag", 0)


def test_lists_take_lists_and_tuples_and_name_the_bad_item() -> None:
    assert args.check_list("tags", ("a", "b"), args.check_str) == ["a", "b"]
    assert args.check_list("tags", None, args.check_str, nullable=True) is None
    with pytest.raises(TypeError, match="tags must be a list, not str"):
        args.check_list("tags", "ab", args.check_str)
    with pytest.raises(TypeError, match=r"tags\[1\] must be a str, not int"):
        args.check_list("tags", ["a", 1], args.check_str)


def test_maps_need_str_keys_before_any_value_is_checked() -> None:
    assert args.check_map("env", {"A": "1"}, args.check_str) == {"A": "1"}
    with pytest.raises(TypeError, match="env must be a dict with str keys, not list"):
        args.check_map("env", [("A", "1")], args.check_str)
    # A key that is not text is named first, even after a value that is wrong.
    with pytest.raises(TypeError, match="env must be a dict with str keys, not dict"):
        args.check_map("env", {"A": 1, 2: "b"}, args.check_str)
    with pytest.raises(TypeError, match=r"env\['B'\] must be a str, not int"):
        args.check_map("env", {"A": "1", "B": 2}, args.check_str)


class Size(str, enum.Enum):
    LARGE = "large"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (Size.LARGE, "large"),
        (Colour.RED, "red"),
        (30, "30"),
        (1.5, "1.5"),
        ("main", "main"),
        (datetime(2026, 12, 1, 20, 0, tzinfo=timezone.utc), "2026-12-01T20:00:00+00:00"),
    ],
)
def test_a_query_argument_is_sent_as_the_api_spells_it(value: object, text: str) -> None:
    assert args.query_value(value) == text
