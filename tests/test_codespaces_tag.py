"""The ``codespaces`` tag of GitHub's pinned description (48 operations), as GitHub publishes
it: generated, type-checked with ``mypy --strict``, and put through the contract suite (status
paths, answers without data, enum values and union variants, each one exercised, and every
valid call's request) with a smaller hypothesis budget. spec/ holds ten of those operations,
transcribed; this holds the rest of their constructs (union request bodies, empty objects,
patterns, lists that may answer 204) under the same contract.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import generate
from tests.tag_cut import UPSTREAM, write_spec_folder

ROOT = Path(__file__).resolve().parent.parent
TAG = "codespaces"
# What the contract run checks, and the coverage kinds those modules exercise in full.
MODULES = (
    "test_status_paths.py",
    "test_dataless_answers.py",
    "test_enums.py",
    "test_unions.py",
    "test_requests.py",
)
MYPY = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null"]
KINDS = "status_paths,dataless_paths,enum_values,union_variants"


@pytest.fixture(scope="module")
def tag(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    assert UPSTREAM.is_file(), f"{UPSTREAM} is missing: run `make upstream`"
    root = tmp_path_factory.mktemp("tag")
    spec_dir, out = root / "spec", root / "generated"
    document = write_spec_folder(TAG, spec_dir)
    operations = sum(
        1 for item in document["paths"].values() for key in item if key != "parameters"
    )
    assert operations == 48
    generate(spec_dir, out)
    return spec_dir, out


def test_the_tag_generates_and_passes_mypy_strict(tag: tuple[Path, Path]) -> None:
    _, out = tag
    typed = subprocess.run(
        [*MYPY, "-p", "github_codespaces", "-m", "github_codespaces_strategies"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert typed.returncode == 0, typed.stdout


def test_the_contract_suite_passes_on_the_tag(tag: tuple[Path, Path], tmp_path: Path) -> None:
    spec_dir, out = tag
    report = tmp_path / "coverage.json"
    env = {
        **os.environ,
        "CONTRACT_SPEC_DIR": str(spec_dir),
        "CONTRACT_GENERATED_DIR": str(out),
        "CONTRACT_COVERAGE_REPORT": str(report),
        "CONTRACT_COVERAGE": "enforce",
        "CONTRACT_COVERAGE_KINDS": KINDS,
        "HYPOTHESIS_PROFILE": "smoke",
    }
    modules = [str(ROOT / "contract_tests" / name) for name in MODULES]
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            *modules,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-2000:]
    rows = json.loads(report.read_text())
    for kind in KINDS.split(","):
        assert rows[kind], kind  # the tag has some of each
        assert all(row["exercised"] for row in rows[kind]), kind
    # More than spec/ carries: every operation of the tag was called.
    called = {row["operation"] for kind in ("status_paths", "dataless_paths") for row in rows[kind]}
    assert len(called) == 48
