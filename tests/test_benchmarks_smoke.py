"""Smoke test of benchmarks/: every benchmark runs with tiny iteration counts and gives its rows.

No figure is checked (nothing in the suite asserts on a timing). The baselines live in
.venv-bench; one that is not importable here must show up as a row skipped with its reason.
Our own side of every benchmark always runs: when it breaks, these tests fail, never skip.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from benchmarks import __main__ as runner
from benchmarks import (
    bench_client,
    bench_contract,
    bench_decoding,
    bench_generation,
    bench_import,
    bench_whole,
)
from benchmarks._harness import ROOT, SPEC_DIR, Config, Table

QUICK = Config(quick=True)


def check(tables: list[Table], keys: list[str]) -> None:
    assert [table.key for table in tables] == keys
    for table in tables:
        assert table.rows, table.key
        assert any(row.ours for row in table.rows), f"{table.key} has no row of ours"
        for row in table.rows:
            if row.skipped is None:
                assert len(row.cells) == len(table.columns) - 1, row.label
                assert all(cell.strip() for cell in row.cells), row.label
            else:
                assert not row.ours, f"our own row {row.label!r} was skipped: {row.skipped}"
                assert row.skipped.startswith(("skipped:", "cannot:")), row.skipped
        assert table.markdown().startswith(f"### {table.title}\n")


def measured(table: Table, label: str, *, ours: bool = True) -> tuple[str, ...]:
    """The cells of the row ``label`` (of ours, unless told), which must have been measured."""
    row = next(row for row in table.rows if row.label == label)
    assert row.ours is ours
    assert row.skipped is None
    return row.cells


def test_generation() -> None:
    tables = bench_generation.run(QUICK)
    check(tables, ["generation", "generation-scaling", "generation-stages"])
    project, scaling, _ = tables
    assert float(measured(project, "ours, cold (output directory absent)")[0]) > 0
    assert float(measured(project, "ours, nothing changed (second run)")[0]) > 0
    assert [row.label for row in scaling.rows] == ["1", "2"]


def test_the_class_count_is_of_every_model_and_enum() -> None:
    from generator.model.resolve import build_api
    from generator.reading.loader import load_spec

    api = build_api(load_spec(SPEC_DIR))
    assert bench_generation.count_classes(ROOT / "generated") == len(api.models) + len(api.enums)


def test_synthetic_specs_grow_operations_and_models(tmp_path: Path) -> None:
    spec_dir = bench_generation.synthetic_spec(3, tmp_path / "spec")
    original = yaml.safe_load((SPEC_DIR / "openapi.yaml").read_text())
    document = yaml.safe_load((spec_dir / "openapi.yaml").read_text())
    assert len(document["paths"]) == 3 * len(original["paths"])
    schemas = document["components"]["schemas"]
    assert len(schemas) == 3 * len(original["components"]["schemas"])
    copy = document["paths"]["/repos/{owner}/{repo}/codespaces-copy3"]["post"]
    assert copy["operationId"].endswith("-copy3")
    text = yaml.safe_dump(copy)
    assert "#/components/schemas/codespace-copy3" in text
    assert "#/components/schemas/codespace'" not in text
    assert (spec_dir / "patches.yaml").is_file()


def test_decoding() -> None:
    tables = bench_decoding.run(QUICK)
    check(tables, ["decoding", "encoding"])
    decoding, encoding = tables
    measured(decoding, "ours: json.loads + Codespace.from_dict")
    measured(decoding, "json.loads alone (untyped dict)", ours=False)  # stdlib: always there
    measured(encoding, "ours: codespace.to_dict()")


def test_client() -> None:
    tables = bench_client.run(QUICK)
    check(tables, ["client-sync", "client-async"])
    for table in tables:
        measured(table, bench_client.OURS)
        measured(table, bench_client.OURS_STUB)


def test_import() -> None:
    tables = bench_import.run(QUICK)
    check(tables, ["import", "import-contributors"])
    measured(tables[0], "import github_codespaces")


def test_whole_description() -> None:
    tables = bench_whole.run(QUICK)  # on spec/: the smoke test has no time for the whole
    check(tables, ["whole-generation", "whole-stages", "whole-growth", "whole-import"])
    generation, stages, _, use = tables
    assert float(measured(generation, "ours, nothing changed")[0]) > 0
    assert [row.label for row in stages.rows] == ["read", "model", "classes", "render", "format"]
    assert float(measured(use, "import httpx, github_rest")[0]) > 0


def test_contract_without_tests_is_not_available_yet(tmp_path: Path) -> None:
    (tmp_path / "contract_tests").mkdir()
    (tmp_path / "contract_tests" / "__init__.py").write_text("")
    (table,) = bench_contract.run(QUICK, suite=tmp_path / "contract_tests")
    assert measured(table, "contract_tests/")[0] == "not available yet"


SUITE = """
import pytest
from hypothesis import given, settings, strategies as st


@pytest.mark.parametrize("status", [201, 404])
@settings(max_examples=20, database=None)
@given(st.integers())
def test_status_path(status, value):
    pass
"""


@pytest.fixture(params=["outside-the-project", "inside-the-project"])
def suite_home(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A folder to hold a contract_tests/ suite: pytest's temporary one, and one inside the
    project (in the git-ignored build/). The second shares its ancestors with the folder pytest
    is started from, which is where test ids once grew the folder's name; the first does so when
    the project is cloned into a temporary directory."""
    if request.param == "outside-the-project":
        yield tmp_path
        return
    (ROOT / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as home:
        yield Path(home)


def test_contract_reports_examples_per_second_per_test(suite_home: Path) -> None:
    suite = suite_home / "contract_tests"
    suite.mkdir()
    (suite / "test_status_paths.py").write_text(SUITE)
    tables = bench_contract.run(QUICK, suite=suite)
    check(tables, ["contract", "contract-functions"])
    paths, functions = tables
    # Labels are relative to the folder that holds the suite, wherever that folder is.
    assert [row.label for row in paths.rows if row.ours] == ["[201]", "[404]"]
    assert [row.label for row in functions.rows if row.ours] == [
        "test_status_paths.py::test_status_path"
    ]
    for status in (201, 404):
        examples, _, rate, *_ = measured(paths, f"[{status}]")
        assert int(examples) >= 20
        assert rate
    (examples, *_) = measured(functions, "test_status_paths.py::test_status_path")[1:]
    assert int(examples) >= 40


def test_the_report_names_the_machine_and_every_section() -> None:
    table = Table("x", "A table", ("row", "value"))
    table.add("ours", "1.00x", ours=True)
    text = runner.report({"decoding": [table], "contract": "Traceback: boom"}, QUICK, 1.0)
    assert "## Machine" in text
    assert "- CPU: " in text
    assert "- Python: " in text
    assert "## 2. Decoding" in text
    assert "### A table" in text
    assert "FAILED:" in text
