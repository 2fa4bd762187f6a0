"""The pipeline end to end: reproducible, atomic, driven by the spec alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.check import check
from generator.errors import GeneratorError, SpecError
from generator.model import naming
from generator.pipeline import generate
from generator.reading.loader import load_spec
from tests.conftest import ROOT, SPEC_DIR, SpecEditor, operation

GENERATED = ROOT / "generated"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("fresh") / "generated"
    generate(SPEC_DIR, out)
    return _snapshot(out)


def test_generation_is_byte_identical_and_matches_the_committed_output(
    fresh: dict[str, bytes], tmp_path: Path
) -> None:
    again = tmp_path / "generated"
    generate(SPEC_DIR, again)
    assert _snapshot(again) == fresh
    assert _snapshot(GENERATED) == fresh


def test_every_file_records_the_spec_hash_and_toolchain(fresh: dict[str, bytes]) -> None:
    spec_hash = load_spec(SPEC_DIR).sha256
    tools = pipeline.toolchain()
    for name, content in fresh.items():
        if name.endswith("py.typed"):
            continue
        text = content.decode()
        assert f"spec sha256: {spec_hash}" in text, name
        assert f"datamodel-code-generator {tools.datamodel_code_generator}" in text, name
        assert f"generator {tools.generator}," in text, name
        assert f"ruff {tools.ruff}" in text, name


def test_a_spec_error_leaves_the_output_as_it_was(edited_spec: SpecEditor, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate(SPEC_DIR, out)
    before = _snapshot(out)

    def break_it(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["id"]["type"] = "int"

    with pytest.raises(SpecError):
        generate(edited_spec(break_it), out)
    assert _snapshot(out) == before


def test_a_late_failure_leaves_the_output_as_it_was_and_no_litter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "generated"
    generate(SPEC_DIR, out)
    before = _snapshot(out)
    beside = sorted(p.name for p in tmp_path.iterdir())  # the output, and build/ (its cache)

    def fail_while_formatting(staging: Path) -> None:
        (staging / "github_codespaces" / "client.py").write_text("half-written")
        raise GeneratorError("ruff format failed")

    monkeypatch.setattr(pipeline, "format_tree", fail_while_formatting)
    with pytest.raises(GeneratorError):
        generate(SPEC_DIR, out)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == beside == ["build", "generated"]


def test_the_generator_names_nothing_of_this_endpoint() -> None:
    spec = load_spec(SPEC_DIR).document
    names: set[str] = set()
    for path_item in spec["paths"].values():
        for op in path_item.values():
            scope, _, name = op["operationId"].partition("/")
            names |= {scope, name}
    names |= set(spec["components"]["schemas"])
    forms = {form for name in names for form in (name, naming.snake(name), naming.pascal(name))}
    forms |= {"codespace"}
    # GitHub's generic "validation-error" schema shares its class name with jsonschema's
    # exception, which the loader uses: that one names nothing of the spec.
    forms -= {"ValidationError"}
    sources = [
        p
        for p in (ROOT / "generator").rglob("*")
        if p.is_file() and p.suffix in (".py", ".jinja", ".jinja2")
    ]
    assert sources
    for path in sources:
        text = path.read_text().lower()
        found = sorted(form for form in forms if re.search(rf"\b{re.escape(form.lower())}\b", text))
        assert not found, f"{path.relative_to(ROOT)} names {found}"


def test_a_new_status_and_enum_value_in_the_spec_reach_the_client(
    edited_spec: SpecEditor, tmp_path: Path
) -> None:
    def change(document: dict[str, Any]) -> None:
        operation(document)["responses"]["422"] = {
            "description": "Validation failed",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/basic-error"}}
            },
        }
        document["components"]["schemas"]["codespace"]["properties"]["state"]["enum"].append(
            "Hibernating"
        )
        # A waiter watches the state: the new value must say what it means for the wait.
        document["info"]["x-client"]["waiters"]["available"]["acceptors"].append(
            {"state": "retry", "matcher": "path", "argument": "state", "expected": "Hibernating"}
        )

    out = tmp_path / "generated"
    generate(edited_spec(change), out)
    errors = (out / "github_codespaces" / "errors.py").read_text()
    client = (out / "github_codespaces" / "_resources" / "codespaces.py").read_text()
    models = (out / "github_codespaces" / "_models" / "codespace.py").read_text()
    assert "class UnprocessableEntityError(APIStatusError):" in errors
    assert "422: UnprocessableEntityError," in errors
    assert '"422": {' in client
    assert "HIBERNATING = 'Hibernating'" in models or 'HIBERNATING = "Hibernating"' in models
    assert '"Hibernating"' in client.split("_CODESPACES_WAIT_UNTIL_AVAILABLE = Waiter(")[1]


def test_check_passes_on_the_committed_output() -> None:
    report = check(SPEC_DIR, GENERATED)
    assert report.ok, report.text


def _copy_generated(tmp_path: Path) -> Path:
    out = tmp_path / "generated"
    generate(SPEC_DIR, out)
    return out


def test_check_reports_a_hand_edit_with_a_diff(tmp_path: Path) -> None:
    out = _copy_generated(tmp_path)
    types = out / "github_codespaces" / "_types.py"
    types.write_text(types.read_text() + "EXTRA = 1\n")
    report = check(SPEC_DIR, out)
    assert not report.ok
    assert "_types.py: edited by hand" in report.text
    assert "+EXTRA = 1" in report.text


def test_check_reports_a_spec_change_that_was_not_regenerated(
    tmp_path: Path, edited_spec: SpecEditor
) -> None:
    out = _copy_generated(tmp_path)

    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["name"]["type"] = "integer"

    report = check(edited_spec(change), out)
    assert not report.ok
    assert "the spec changed since this was generated" in report.text
    assert "-    name: int" in report.text or "name: int" in report.text


def test_check_reports_a_toolchain_mismatch_plainly(tmp_path: Path) -> None:
    out = _copy_generated(tmp_path)
    models = out / "github_codespaces" / "models.py"
    models.write_text(
        models.read_text().replace("datamodel-code-generator 0.", "datamodel-code-generator 99.", 1)
    )
    report = check(SPEC_DIR, out)
    assert not report.ok
    assert "written by another toolchain" in report.text
    assert "datamodel-code-generator 99." in report.text
    assert "@@" not in report.text  # said plainly, not buried in a diff


def test_check_reports_missing_and_extra_files(tmp_path: Path) -> None:
    out = _copy_generated(tmp_path)
    (out / "github_codespaces" / "errors.py").unlink()
    (out / "github_codespaces" / "extra.py").write_text("x = 1\n")
    report = check(SPEC_DIR, out)
    assert "errors.py: missing" in report.text
    assert "extra.py: not produced by the spec" in report.text


def _cli(*arguments: str) -> str:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "generator", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_generation_that_would_change_nothing_is_skipped(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    assert "generated" in _cli("generate", "--out", str(out))
    before = _snapshot(out)
    assert "up to date" in _cli("generate", "--out", str(out))
    assert _snapshot(out) == before
    # A hand edit of the output is not up to date: the next generation repairs it.
    readme = out / "README.md"
    readme.write_text(readme.read_text() + "edited\n")
    assert "up to date" not in _cli("generate", "--out", str(out))
    assert _snapshot(out) == before
    # So is one that keeps the file's size (the stamp records sizes and modification times).
    text = readme.read_text()
    readme.write_text(text.replace("Generated", "Gen-rated", 1))
    assert len(readme.read_bytes()) == len(before["README.md"])
    assert "up to date" not in _cli("generate", "--out", str(out))
    assert _snapshot(out) == before


def test_another_version_of_a_tool_is_another_input(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.rendering import stamp

    before = stamp.inputs_fingerprint(SPEC_DIR)
    versions = stamp.installed_versions()
    assert versions["ruff"] == pipeline.toolchain().ruff  # read as importlib.metadata does
    monkeypatch.setattr(stamp, "installed_versions", lambda: {**versions, "ruff": "99.0"})
    assert stamp.inputs_fingerprint(SPEC_DIR) != before


def test_a_changed_spec_is_regenerated_despite_the_stamp(
    tmp_path: Path, edited_spec: SpecEditor
) -> None:
    out = tmp_path / "generated"
    _cli("generate", "--out", str(out))

    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["name"]["description"] = (
            "Renamed."
        )

    spec_dir = edited_spec(change)
    assert "up to date" not in _cli("generate", "--spec", str(spec_dir), "--out", str(out))
    assert "Renamed." in (out / "github_codespaces" / "_models" / "codespace.py").read_text()


def test_generate_reports_each_stage_on_stderr_unless_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator import cli

    out = tmp_path / "out"
    assert cli.main(["generate", "--spec", str(SPEC_DIR), "--out", str(out), "--force"]) == 0
    captured = capsys.readouterr()
    stages = [line.split()[0] for line in captured.err.splitlines()]
    assert stages == ["read", "model", "classes", "render", "format", "write"]
    assert all(re.search(r"\d+\.\d\d s$", line) for line in captured.err.splitlines())
    assert re.search(r"^model +\d+ operations, \d+ models, \d+ enums", captured.err, re.M)
    assert captured.out.startswith("generated ")

    args = ["generate", "--spec", str(SPEC_DIR), "--out", str(out), "--force", "--quiet"]
    assert cli.main(args) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("generated ")
