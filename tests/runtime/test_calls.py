"""Choosing the decoder of an answer, where it stands (generator/runtime/_calls.py)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from generator.runtime import _calls as calls
from generator.runtime._exceptions import ResponseValidationError


def _response(content_type: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": content_type}, content=b"x")


def _decoder(tag: str) -> Callable[[bytes], str]:
    return lambda body: tag


def test_the_decoder_follows_the_media_type_without_its_parameters() -> None:
    decoders = {"application/json": _decoder("json"), "text/html": _decoder("html")}
    response = _response("Text/HTML; charset=utf-8")
    assert calls.choose(decoders, response)(b"") == "html"


def test_an_undocumented_media_type_among_several_is_refused_by_name() -> None:
    decoders = {"application/json": _decoder("json"), "text/html": _decoder("html")}
    with pytest.raises(ResponseValidationError, match="'text/plain' is not one of"):
        calls.choose(decoders, _response("text/plain"))


def test_a_lone_documented_decoder_takes_any_media_type() -> None:
    assert calls.choose({"application/json": _decoder("json")}, _response("text/plain"))(b"") == (
        "json"
    )


@pytest.mark.parametrize(
    ("status", "expected"), [(201, "201"), (404, "4XX"), (500, "default"), (302, None)]
)
def test_statuses_are_looked_up_exactly_then_by_range_then_default(
    status: int, expected: str | None
) -> None:
    table = {"201": "201", "4XX": "4XX", "default": "default"}
    found = calls.lookup(table, status, default=status >= 500)
    assert found == expected
