"""The runtime's decoding helpers and errors, where they stand (generator/runtime/_codec.py)."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.runtime import _codec as codec
from generator.runtime._exceptions import ResponseValidationError
from generator.runtime._types import UNSET


class State(enum.Enum):
    AVAILABLE = "Available"


@given(st.datetimes(timezones=st.timezones()).filter(lambda d: d.utcoffset() is not None))
def test_date_times_round_trip(moment: datetime) -> None:
    parsed = codec.parse_datetime(codec.format_datetime(moment))
    # The same instant at the same offset (a zone's name is not part of RFC 3339).
    assert parsed.timestamp() == moment.timestamp()
    assert parsed.utcoffset() == moment.utcoffset()


def test_a_z_suffix_is_utc() -> None:
    assert codec.parse_datetime("2011-01-26T19:01:12Z") == datetime(
        2011, 1, 26, 19, 1, 12, tzinfo=timezone.utc
    )
    assert codec.parse_datetime("2011-01-26T19:01:12+02:00").utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("value", ["yesterday", "", 17, None])
def test_a_bad_date_time_is_a_validation_error(value: object) -> None:
    with pytest.raises(ResponseValidationError):
        codec.parse_datetime(value)


def test_open_enums_keep_unknown_values() -> None:
    assert codec.enum_or_str(State, "Available") is State.AVAILABLE
    assert codec.enum_or_str(State, "Hibernating") == "Hibernating"
    assert codec.enum_value(State.AVAILABLE) == "Available"


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (codec.expect_str, "x", 1),
        (codec.expect_int, 1, True),
        (codec.expect_int, 1, 1.0),
        (codec.expect_bool, False, 0),
        (codec.expect_number, 1.5, "1.5"),
    ],
)
def test_scalars_are_checked_by_json_type(check: object, good: object, bad: object) -> None:
    assert callable(check)
    assert check(good) == good
    with pytest.raises(ResponseValidationError, match="expected"):
        check(bad)


def test_errors_grow_their_json_path_outwards() -> None:
    with pytest.raises(ResponseValidationError) as caught:
        codec.decode_list(["a", 1], codec.expect_str)
    outer = caught.value.within("names").within("repository")
    assert outer.json_path == "$.repository.names[1]"
    assert ResponseValidationError("x", path=("odd key", 0)).json_path == "$['odd key'][0]"


def test_maps_and_nullables() -> None:
    assert codec.decode_map({"a": 1}, codec.expect_int) == {"a": 1}
    with pytest.raises(ResponseValidationError) as caught:
        codec.decode_map({"a": "1"}, codec.expect_int)
    assert caught.value.json_path == "$.a"
    assert codec.nullable(codec.expect_int)(None) is None


@pytest.mark.parametrize("text", [b"", b"{", b"<html>"])
def test_text_that_is_not_json_is_a_validation_error(text: bytes) -> None:
    with pytest.raises(ResponseValidationError):
        codec.load_json(text)


def test_unset_is_falsy_and_reads_as_its_name() -> None:
    assert not UNSET
    assert repr(UNSET) == "UNSET"


@pytest.mark.parametrize(
    ("text", "microsecond"),
    [
        ("2026-12-01T21:21:36.0Z", 0),
        ("2026-12-01T21:21:36.1Z", 100000),
        ("2026-12-01T21:21:36.12345Z", 123450),
        ("2026-12-01T21:21:36.1234567+02:00", 123456),
    ],
)
def test_any_number_of_fraction_digits_reads_on_every_python(text: str, microsecond: int) -> None:
    # Python 3.10's fromisoformat reads only 3 or 6 digits: the fallback must give the same.
    assert codec.parse_datetime(text).microsecond == microsecond
    normalised = codec._six_digit_fraction(text.replace("Z", "+00:00"))
    assert datetime.fromisoformat(normalised).microsecond == microsecond
    assert len(normalised.split(".")[1].split("+")[0]) == 6
