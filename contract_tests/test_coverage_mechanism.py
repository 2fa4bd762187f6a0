"""6. Coverage is measured, not assumed: a status, an enum value and properties added to the
spec come under test with no test edited, and a part of the spec left unexercised fails the
run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from contract_tests.support import ROOT, SPEC_DIR, load_contract
from generator.pipeline import generate

HERE = Path(__file__).resolve()


def _edited_spec(tmp_path: Path) -> Path:
    spec_dir = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, spec_dir)
    document = yaml.safe_load((spec_dir / "openapi.yaml").read_text())
    path_item = next(iter(document["paths"].values()))
    operation = next(
        value
        for key, value in path_item.items()
        if key in ("get", "post", "put", "patch", "delete")
    )
    operation["responses"]["409"] = {
        "description": "Conflict",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/basic-error"}}},
    }
    document["components"]["schemas"]["codespace"]["properties"]["state"]["enum"].append(
        "Hibernating"
    )
    # Spec data, not a test: a waiter watches the state, so the value says what it means there.
    for waiter in document["info"]["x-client"].get("waiters", {}).values():
        if any(a["argument"] == "state" for a in waiter["acceptors"]):
            waiter["acceptors"].append(
                {
                    "state": "retry",
                    "matcher": "path",
                    "argument": "state",
                    "expected": "Hibernating",
                }
            )
    codespace = document["components"]["schemas"]["codespace"]
    codespace["properties"]["hibernated_at"] = {
        "type": "string",
        "format": "date-time",
        "nullable": True,
    }
    git_status = codespace["properties"]["git_status"]
    git_status["properties"]["stash_count"] = {"type": "integer"}
    git_status["required"] = ["stash_count"]
    (spec_dir / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return spec_dir


def _run_suite(
    spec_dir: Path, generated: Path, report: Path, *selection: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CONTRACT_SPEC_DIR": str(spec_dir),
        "CONTRACT_GENERATED_DIR": str(generated),
        "CONTRACT_COVERAGE_REPORT": str(report),
        "CONTRACT_COVERAGE": "enforce",
        "HYPOTHESIS_PROFILE": "smoke",
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--ignore={HERE}",
        *selection,
    ]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def _rows(report: Path) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = json.loads(report.read_text())
    return rows


def test_a_new_status_enum_value_and_properties_come_under_test_with_no_test_edited(
    tmp_path: Path,
) -> None:
    spec_dir = _edited_spec(tmp_path)
    generated = tmp_path / "generated"
    generate(spec_dir, generated)
    report = tmp_path / "coverage.json"

    # The modules that record coverage: a status path, an answer without data, an enum value,
    # a property, a union variant.
    recording = (
        "test_status_paths.py",
        "test_dataless_answers.py",
        "test_enums.py",
        "test_every_field.py",
        "test_unions.py",
    )
    result = _run_suite(spec_dir, generated, report, *(str(HERE.parent / m) for m in recording))

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    rows = _rows(report)
    operation = load_contract().status_paths()[0].operation
    assert {
        "operation": operation,
        "status": "409",
        "content_type": "application/json",
        "exercised": True,
    } in rows["status_paths"]
    assert {"enum": "CodespaceState", "value": "Hibernating", "exercised": True} in rows[
        "enum_values"
    ]
    assert len(rows["status_paths"]) == len(load_contract().status_paths()) + 1
    added = {
        (row["model"], row["property"], row["check"], row["decoder"])
        for row in rows["properties"]
        if row["property"] in ("hibernated_at", "stash_count") and row["exercised"]
    }
    assert added == {
        ("Codespace", "hibernated_at", "wrong type", "standard"),
        ("Codespace", "hibernated_at", "wrong type", "msgspec"),
        ("CodespaceGitStatus", "stash_count", "wrong type", "standard"),
        ("CodespaceGitStatus", "stash_count", "wrong type", "msgspec"),
        ("CodespaceGitStatus", "stash_count", "missing", "standard"),
        ("CodespaceGitStatus", "stash_count", "missing", "msgspec"),
    }
    assert all(
        row["exercised"] for row in rows["status_paths"] + rows["enum_values"] + rows["properties"]
    )


def test_a_part_of_the_spec_left_unexercised_fails_the_run(tmp_path: Path) -> None:
    report = tmp_path / "coverage.json"
    # Only the status-path tests: every enum value the spec lists goes unexercised.
    result = _run_suite(
        SPEC_DIR, ROOT / "generated", report, str(HERE.parent / "test_status_paths.py")
    )

    assert result.returncode == 1, result.stdout[-4000:]
    assert "NOT EXERCISED" in result.stdout
    rows = _rows(report)
    assert all(row["exercised"] for row in rows["status_paths"])
    assert not any(row["exercised"] for row in rows["enum_values"] + rows["properties"])
    assert rows["properties"]
