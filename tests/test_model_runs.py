"""The model classes in many runs of datamodel-code-generator, cached, on several processes:
the module they make is the one a single run makes, and a run is redone only when its input is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.errors import GeneratorError
from generator.model import ir
from generator.model.resolve import build_api
from generator.reading.loader import load_spec
from generator.rendering import model_runs
from generator.rendering.formatting import format_tree
from generator.rendering.models import ModelSource
from tests.conftest import SPEC_DIR, SpecEditor


def _text(source: ModelSource) -> str:
    """Everything the runs wrote, in the order the module defines it."""
    return "\n".join([*source.imports, *(text for _, text in source.classes)])


@pytest.fixture(scope="module")
def one_run(api: ir.Api) -> str:
    source, runs = model_runs.render_model_classes(api)
    assert runs.runs == 1  # spec/ is smaller than a group
    return _text(source)


def test_many_runs_on_two_processes_write_what_one_run_writes(
    api: ir.Api, one_run: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_runs, "GROUP_SIZE", 4)
    source, runs = model_runs.render_model_classes(api, processes=2)
    assert runs.runs >= 8
    assert runs.processes == 2
    assert _text(source) == one_run


def test_a_second_render_runs_nothing_and_an_edit_reruns_only_its_group(
    edited_spec: SpecEditor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_runs, "GROUP_SIZE", 4)
    cache = tmp_path / "cache"
    api = build_api(load_spec(SPEC_DIR))
    first, runs = model_runs.render_model_classes(api, cache, processes=1)
    assert runs.cached == 0
    again, runs_again = model_runs.render_model_classes(api, cache, processes=1)
    assert (runs_again.runs, runs_again.cached, runs_again.processes) == (runs.runs, runs.runs, 0)
    assert again == first

    def describe(document: dict[str, Any]) -> None:
        schemas = document["components"]["schemas"]
        schemas["simple-user"]["description"] = "Someone on the site, in brief."

    edited = build_api(load_spec(edited_spec(describe)))
    changed, runs_changed = model_runs.render_model_classes(edited, cache, processes=1)
    assert runs_changed.cached == runs_changed.runs - 1
    assert "Someone on the site, in brief." in _text(changed)
    uncached, _ = model_runs.render_model_classes(edited)
    assert changed == uncached


def test_an_unreadable_cache_entry_is_run_again(api: ir.Api, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, _ = model_runs.render_model_classes(api, cache)
    for entry in cache.iterdir():
        entry.write_text("{not json")
    again, runs = model_runs.render_model_classes(api, cache)
    assert runs.cached == 0
    assert again == first


def test_type_aliases_come_after_the_aliases_they_name() -> None:
    classes = {
        "Outer": "Outer: TypeAlias = Inner | int",
        "Inner": "Inner: TypeAlias = Leaf | str",
        "Leaf": 'Leaf: TypeAlias = list["Leaf"] | bool',
    }
    assert model_runs._alias_order(["Outer", "Inner", "Leaf"], classes) == [
        "Leaf",
        "Inner",
        "Outer",
    ]


def test_invalid_python_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "fine.py").write_text("import os\nx = 1\n")
    (tmp_path / "pkg" / "broken.py").write_text("def f(a, a):\n    return a\n")
    with pytest.raises(GeneratorError, match=r"invalid Python in pkg/broken\.py, line 1: dup"):
        format_tree(tmp_path)
