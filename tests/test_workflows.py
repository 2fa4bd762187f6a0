"""The CI workflows (.github/workflows): valid, runnable, and doing what they say.

yamllint checks the YAML (.yamllint.yaml); check-jsonschema checks each workflow against its
vendored copy of SchemaStore's GitHub Actions workflow schema. Every ``make X`` a workflow
runs must be a target of the Makefile. The drift workflow's shell steps are run here, with
``make`` and ``gh`` replaced by recording stand-ins, on a report the drift tool really prints.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.drift import releases
from tests.local_registry import Project, pinned_project
from tests.synthetic_upstream import ROOT, synthetic_description

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
_MAKE = re.compile(r"(?:^|[\s;&|(])make((?:\s+-[-\w=]+)*)\s+([A-Za-z][\w.-]*)")
_TARGET = re.compile(r"^([A-Za-z][\w.-]*(?:[ \t]+[A-Za-z][\w.-]*)*)[ \t]*:(?!=)", re.MULTILINE)


def workflow(name: str) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True)
    return document


def steps(name: str) -> list[dict[str, Any]]:
    return [step for job in workflow(name)["jobs"].values() for step in job["steps"]]


def step(name: str, title: str) -> dict[str, Any]:
    (found,) = [s for s in steps(name) if s.get("name") == title]
    return found


def makefile_targets() -> set[str]:
    return {
        target
        for line in _TARGET.findall((ROOT / "Makefile").read_text())
        for target in line.split()
    }


def test_there_are_workflows() -> None:
    assert [path.name for path in FILES] == ["drift.yml", "test.yml"]


def test_yamllint() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", "-c", str(ROOT / ".yamllint.yaml")]
        + [str(path) for path in FILES],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_workflow_matches_githubs_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(path) for path in FILES],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_make_target_a_workflow_runs_exists() -> None:
    targets = makefile_targets()
    assert {"test", "venv", "drift", "drift-latest", "upstream-bump", "upstream"} <= targets
    used = {
        (path.name, target)
        for path in FILES
        for s in steps(path.name)
        for _, target in _MAKE.findall(s.get("run", ""))
    }
    assert {("test.yml", "test"), ("drift.yml", "drift-latest")} <= used
    assert sorted(target for _, target in used if target not in targets) == []


def test_the_make_pattern_finds_what_it_must() -> None:
    # The pattern the test above relies on, on what a step may write.
    found = [
        target
        for _, target in _MAKE.findall(
            "make test\nset +e; make -s drift-latest > out\n(make --no-print-directory venv)\n"
            "echo make-believe; cmake build; `make upstream-bump VERSION=1`"
        )
    ]
    assert found == ["test", "drift-latest", "venv"]
    assert "upstream-bump" not in found  # in backquotes: prose, not a command


def test_every_run_step_is_valid_bash() -> None:
    for path in FILES:
        for s in steps(path.name):
            if "run" in s:
                result = subprocess.run(
                    ["bash", "-n"], input=s["run"], capture_output=True, text=True, check=False
                )
                assert result.returncode == 0, f"{path.name}: {s.get('name')}: {result.stderr}"


def test_the_test_workflow() -> None:
    document = workflow("test.yml")
    assert {"push", "pull_request", "workflow_dispatch"} <= set(document["on"])
    assert document["permissions"] == {"contents": "read"}
    assert set(document["jobs"]) == {"test", "vendored"}
    job = document["jobs"]["test"]
    versions = job["strategy"]["matrix"]["python-version"]
    assert versions == ["3.11", "3.12", "3.13"]
    uses = [s.get("uses", "").split("@")[0] for s in job["steps"]]
    assert {"actions/checkout", "actions/setup-python", "actions/setup-node"} <= set(uses)
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"
    assert [s["run"] for s in job["steps"] if s.get("name") == "make test"] == ["make test"]


def test_the_vendored_package_runs_on_every_python_it_claims() -> None:
    job = workflow("test.yml")["jobs"]["vendored"]
    claimed = re.search(
        r'^requires-python = ">=3\.(\d+)"', (ROOT / "pyproject.toml").read_text(), re.M
    )
    assert claimed
    versions = job["strategy"]["matrix"]["python-version"]
    assert versions[0] == f"3.{claimed.group(1)}"
    assert versions == [f"3.{minor}" for minor in range(int(claimed.group(1)), 14)]
    (run,) = [s for s in job["steps"] if "VENDOR_PYTHON" in s.get("env", {})]
    assert run["env"]["VENDOR_PYTHON"] == "python${{ matrix.python-version }}"
    assert run["run"].endswith("tests/test_vendoring.py")
    assert "VENDOR_PYTHON" in (ROOT / "tests" / "test_vendoring.py").read_text()


def test_the_drift_workflow_triggers_and_permissions() -> None:
    document = workflow("drift.yml")
    assert set(document["on"]) == {"schedule", "workflow_dispatch"}
    (schedule,) = document["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit()
    assert hour.isdigit()
    assert (day, month) == ("*", "*")
    assert weekday.isdigit()  # once a week
    assert document["permissions"] == {"contents": "read", "issues": "write"}
    assert step("drift.yml", "Open or update the drift issue")["if"] == (
        "steps.drift.outputs.status == '1'"
    )
    assert step("drift.yml", "Fail unless nothing drifted")["if"] == (
        "steps.drift.outputs.status != '0'"
    )


# -- the drift workflow's steps, run -------------------------------------------------------------


def stand_in(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def run_step(
    s: dict[str, Any], cwd: Path, bin_dir: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    # As GitHub runs a `run:` step: bash -e -o pipefail, the step's env, GITHUB_OUTPUT a file.
    environment = {**os.environ, **env, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    environment.update({key: str(value) for key, value in s.get("env", {}).items()})
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s["run"]],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def drifted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The report ``make drift-latest`` prints for a newer release that breaks spec/."""
    description = json.dumps(synthetic_description()).encode()
    project: Project = pinned_project(
        tmp_path / "project", {"generated/api.github.com.json": description}, "1.0.0", "2030-01-01"
    )
    changed = synthetic_description()
    changed["components"]["schemas"]["codespace"]["properties"]["id"]["type"] = "string"
    project.registry.publish(
        "2.0.0", {"generated/api.github.com.json": json.dumps(changed).encode()}
    )
    into = tmp_path / "project" / ".upstream"
    assert releases.run_latest(project.spec, "api.github.com", into, project.registry) == 1
    return capsys.readouterr().out


@pytest.mark.parametrize("status", [0, 1, 2])
def test_the_drift_step_records_the_exit_status(tmp_path: Path, status: int) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in(bin_dir, "make", f'echo "report of $*"; echo "trouble" >&2; exit {status}\n')
    output = tmp_path / "github-output"
    result = run_step(
        step("drift.yml", "make drift-latest"), tmp_path, bin_dir, {"GITHUB_OUTPUT": str(output)}
    )
    assert result.returncode == 0, result.stderr  # the later steps decide
    assert output.read_text() == f"status={status}\n"
    assert (tmp_path / "drift-report.txt").read_text() == "report of drift-latest\n"
    assert (tmp_path / "drift-errors.txt").read_text() == "trouble\n"


@pytest.mark.parametrize("open_issue", ["", "42"])
def test_the_issue_step_files_the_report(tmp_path: Path, drifted: str, open_issue: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    stand_in(
        bin_dir,
        "gh",
        f'printf "%s\\n" "$*" >> {shlex.quote(str(log))}\n'
        f'case "$1 $2" in "issue list") echo "{open_issue}" ;; esac\n',
    )
    (tmp_path / "drift-report.txt").write_text(drifted)
    s = step("drift.yml", "Open or update the drift issue")
    result = run_step(s, tmp_path, bin_dir, {"GITHUB_SERVER_URL": "https://github.example"})
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    title = "GitHub's description moved: @octokit/openapi 2.0.0 differs"
    assert calls[0].startswith("label create upstream-drift")
    assert calls[1].startswith("issue list --state open --label upstream-drift")
    if open_issue:
        assert calls[2:] == [
            f"issue edit 42 --title {title}",
            "issue comment 42 --body-file issue.md",
        ]
    else:
        assert calls[2:] == [
            f"issue create --title {title} --label upstream-drift --body-file issue.md"
        ]
    body = (tmp_path / "issue.md").read_text()
    assert f"```text\n{drifted}```" in body
    assert "[type-changed] codespace.id: type integer is now string" in body
    assert "`make upstream-bump VERSION=2.0.0`" in body


@pytest.mark.parametrize(("status", "message"), [("1", "differs from spec/"), ("2", "could not")])
def test_the_last_step_fails_the_run(tmp_path: Path, status: str, message: str) -> None:
    (tmp_path / "drift-errors.txt").write_text("error: npm view failed: ECONNREFUSED\n")
    s = step("drift.yml", "Fail unless nothing drifted")
    s = {**s, "env": {"STATUS": status}}
    result = run_step(s, tmp_path, tmp_path, {})
    assert result.returncode == 1
    assert message in result.stdout
    if status == "2":
        assert "ECONNREFUSED" in result.stdout
