"""Loading: a bad spec is reported with a JSON pointer and a line, never half-read."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecError
from generator.reading.loader import load_spec
from tests.conftest import SPEC_DIR, SpecEditor, operation

CODESPACE = "/components/schemas/codespace"
OPERATION = "/paths/~1repos~1{owner}~1{repo}~1codespaces/post"


def test_the_spec_loads_with_its_patch_applied() -> None:
    spec = load_spec(SPEC_DIR)
    body = operation(dict(spec.document))["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["retention_period_minutes"] == {
        "description": body["properties"]["retention_period_minutes"]["description"],
        "type": "integer",
        "minimum": 0,
        "maximum": 43200,
    }
    assert [p.target.rsplit("/", 1)[-1] for p in spec.patches] == ["retention_period_minutes"]


def test_hash_ignores_layout_but_not_content(edited_spec: SpecEditor) -> None:
    original = load_spec(SPEC_DIR).sha256
    reformatted = edited_spec(lambda document: None)  # same content, dumped differently
    assert load_spec(reformatted).sha256 == original

    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["name"]["type"] = "integer"

    assert load_spec(edited_spec(change)).sha256 != original


def _fails(spec_dir: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(spec_dir)
    return caught.value


def test_a_wrong_type_is_reported_where_it_is(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["id"]["type"] = "int"

    error = _fails(edited_spec(change))
    assert error.pointer == f"{CODESPACE}/properties/id/type"
    assert error.line is not None
    assert f"{CODESPACE}/properties/id/type" in str(error)
    assert "openapi.yaml:" in str(error)


def test_an_unknown_key_in_a_response_is_reported(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        operation(document)["responses"]["202"]["descriptionn"] = "typo"

    error = _fails(edited_spec(change))
    assert error.pointer == f"{OPERATION}/responses/202"
    assert "descriptionn" in error.message


def test_duplicate_keys_are_errors_not_silently_dropped(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, spec_dir)
    path = spec_dir / "openapi.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "    simple-user:\n", "    simple-user:\n      type: object\n      type: object\n", 1
        )
    )
    error = _fails(spec_dir)
    assert error.pointer == "/components/schemas/simple-user/type"
    assert "duplicate key" in error.message
    line = text[: text.index("    simple-user:\n")].count("\n") + 3
    assert error.line == line


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    (spec_dir / "openapi.yaml").write_text("openapi: 3.0.3\ninfo: [unclosed\n")
    error = _fails(spec_dir)
    assert "not valid YAML" in error.message
    assert error.line is not None


def test_only_openapi_3_0_is_accepted(edited_spec: SpecEditor) -> None:
    error = _fails(edited_spec(lambda document: document.update(openapi="3.1.0")))
    assert error.pointer == "/openapi"


def _write_patches(spec_dir: Path, text: str) -> None:
    (spec_dir / "patches.yaml").write_text(text)


def test_a_patch_must_target_something_that_exists(edited_spec: SpecEditor) -> None:
    spec_dir = edited_spec(lambda document: None)
    _write_patches(
        spec_dir,
        "patches:\n  - target: /components/schemas/nope\n    set: {minimum: 0}\n    reason: test\n",
    )
    error = _fails(spec_dir)
    assert error.pointer == "/patches/0/target"
    assert "patches.yaml" in str(error)


def test_a_patch_may_not_override_the_spec(edited_spec: SpecEditor) -> None:
    spec_dir = edited_spec(lambda document: None)
    _write_patches(
        spec_dir,
        "patches:\n  - target: /components/schemas/codespace/properties/id\n"
        "    set: {type: string}\n    reason: test\n",
    )
    assert "already has 'type'" in _fails(spec_dir).message


def test_every_patch_states_a_reason(edited_spec: SpecEditor) -> None:
    spec_dir = edited_spec(lambda document: None)
    _write_patches(
        spec_dir,
        "patches:\n  - target: /components/schemas/codespace\n    set: {x-a: 1}\n    reason: ''\n",
    )
    assert _fails(spec_dir).pointer == "/patches/0/reason"


def test_a_patch_that_breaks_the_spec_is_caught(edited_spec: SpecEditor) -> None:
    spec_dir = edited_spec(lambda document: None)
    _write_patches(
        spec_dir,
        "patches:\n  - target: /components/schemas/codespace/properties/id\n"
        "    set: {minimum: zero}\n    reason: test\n",
    )
    assert _fails(spec_dir).pointer == f"{CODESPACE}/properties/id/minimum"
