"""Fixtures shared by the generator and client tests."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model import ir
from generator.model.resolve import build_api
from generator.reading.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OPERATION_POINTER = ("paths", "/repos/{owner}/{repo}/codespaces", "post")


@pytest.fixture(scope="session")
def api() -> ir.Api:
    return build_api(load_spec(SPEC_DIR))


@pytest.fixture(scope="session")
def _codespace_body() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "codespace.json").read_text())
    return data


@pytest.fixture
def codespace_body(_codespace_body: dict[str, Any]) -> dict[str, Any]:
    """A realistic, complete 201 body (a fresh copy for every test)."""
    return copy.deepcopy(_codespace_body)


SpecEditor = Callable[[Callable[[dict[str, Any]], None]], Path]


@pytest.fixture
def edited_spec(tmp_path: Path) -> SpecEditor:
    """Copy spec/ into a temporary folder, let the test change the document, return the folder."""

    copies = iter(range(1000))

    def edit(change: Callable[[dict[str, Any]], None]) -> Path:
        spec_dir = tmp_path / f"spec-{next(copies)}"
        shutil.copytree(SPEC_DIR, spec_dir)
        path = spec_dir / "openapi.yaml"
        document = yaml.safe_load(path.read_text())
        change(document)
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        return spec_dir

    return edit


def operation(document: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = document
    for key in OPERATION_POINTER:
        node = node[key]
    return node
