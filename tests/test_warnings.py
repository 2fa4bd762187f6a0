"""Warnings: what the spec gets wrong but the generator accepts is said, once, with its place;
``--strict`` refuses it instead; a rewritten document's places are named as the user wrote them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import cli, pipeline
from generator.errors import SpecError, SpecWarning
from generator.reading.loader import Spec, load_spec
from tests.conftest import SPEC_DIR


def _spec(**options: object) -> Spec:
    loaded = load_spec(SPEC_DIR)
    return Spec(
        path=loaded.path,
        document=loaded.document,
        patches=loaded.patches,
        lines=loaded.lines,
        **options,  # type: ignore[arg-type]
    )


def test_a_warning_is_placed_at_its_line_and_said_once() -> None:
    spec = _spec()
    pointer = "/paths/~1repos~1{owner}~1{repo}~1codespaces/post"
    spec.warn(pointer, "something odd")
    spec.warn(pointer, "something odd")
    assert len(spec.warnings) == 1
    (warning,) = spec.warnings
    assert warning.pointer == pointer
    assert warning.line == spec.line_of(pointer) is not None
    assert str(warning).endswith(f"{pointer}: warning: something odd")
    assert str(warning).startswith(f"{spec.path}:{warning.line}: ")


def test_errors_and_warnings_name_the_place_a_moved_node_came_from() -> None:
    spec = _spec(origins={"/components/schemas": "/definitions"})
    error = spec.error("/components/schemas/codespace/properties/id", "bad")
    assert error.pointer == "/definitions/codespace/properties/id"
    assert spec.error("/info", "x").pointer == "/info"  # not moved: as it is
    spec.warn("/components/schemas/codespace", "odd")
    assert spec.warnings[0].pointer == "/definitions/codespace"


def test_a_warning_is_an_error_under_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_spec(SPEC_DIR)

    def load_with_warnings(spec_dir: Path) -> Spec:
        spec = _spec()
        spec.warn("/info", "first")
        spec.warn("/paths", "second")
        return spec

    monkeypatch.setattr(pipeline, "load_spec", load_with_warnings)
    with pytest.raises(SpecError) as raised:
        pipeline.render(SPEC_DIR, strict=True)
    assert raised.value.pointer == "/info"
    assert "first (and 1 more warnings); --strict" in raised.value.message
    assert raised.value.line == loaded.line_of("/info")
    found: list[SpecWarning] = []
    pipeline.render(SPEC_DIR, warnings=found)
    assert [w.message for w in found] == ["first", "second"]


def test_the_command_line_prints_each_warning_and_counts_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def load_with_warnings(spec_dir: Path) -> Spec:
        spec = _spec()
        spec.warn("/info", "first")
        return spec

    monkeypatch.setattr(pipeline, "load_spec", load_with_warnings)
    out = tmp_path / "generated"
    assert cli.main(["generate", "--spec", str(SPEC_DIR), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr()
    assert re.search(r": /info: warning: first$", printed.err, re.M)
    assert printed.out.strip().endswith("(1 warning)")
    assert (
        cli.main(["generate", "--spec", str(SPEC_DIR), "--out", str(out), "--strict", "--force"])
        == 2
    )
    assert "first; --strict" in capsys.readouterr().err
