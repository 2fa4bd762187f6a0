"""Loading: a bad spec is reported with a JSON pointer and a line, never half-read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import SpecError
from generator.model.resolve import build_api
from generator.reading import json_source
from generator.reading import pointer as jp
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


# -- a description published as JSON, and client settings beside it ---------------------------


def _as_json(spec_dir: Path, *, client_apart: bool = False) -> Path:
    """``spec_dir`` with openapi.yaml replaced by the same document as openapi.json."""
    document = yaml.safe_load((spec_dir / "openapi.yaml").read_text())
    if client_apart:
        settings = document["info"].pop("x-client")
        (spec_dir / "client.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    (spec_dir / "openapi.yaml").unlink()
    (spec_dir / "openapi.json").write_text(json.dumps(document, indent=2))
    return spec_dir


def test_a_json_description_reads_as_its_yaml_twin(edited_spec: SpecEditor) -> None:
    yaml_spec = load_spec(SPEC_DIR)
    json_spec = load_spec(_as_json(edited_spec(lambda document: None)))
    assert json_spec.document == yaml_spec.document
    assert json_spec.sha256 == yaml_spec.sha256
    assert json_spec.path.name == "openapi.json"


def test_client_settings_may_sit_beside_the_description(edited_spec: SpecEditor) -> None:
    apart = load_spec(_as_json(edited_spec(lambda document: None), client_apart=True))
    assert apart.document == load_spec(SPEC_DIR).document


def test_an_error_in_json_names_its_line(edited_spec: SpecEditor) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["codespace"]["properties"]["id"]["type"] = "int"

    spec_dir = _as_json(edited_spec(change))
    error = _fails(spec_dir)
    assert error.pointer == f"{CODESPACE}/properties/id/type"
    text = (spec_dir / "openapi.json").read_text().splitlines()
    assert error.line is not None
    assert text[error.line - 1].strip().rstrip(",") == '"type": "int"'
    assert "openapi.json:" in str(error)


def test_a_duplicate_key_in_json_is_an_error_with_its_line(edited_spec: SpecEditor) -> None:
    spec_dir = _as_json(edited_spec(lambda document: None))
    path = spec_dir / "openapi.json"
    text = path.read_text()
    marker = '"simple-user": {\n'
    path.write_text(text.replace(marker, marker + '        "type": "object",\n', 1))
    error = _fails(spec_dir)
    assert error.pointer == "/components/schemas/simple-user/type"
    assert "duplicate key" in error.message
    assert error.line is not None
    assert path.read_text().splitlines()[error.line - 1].strip().rstrip(",") == '"type": "object"'


def test_invalid_json_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text('{\n  "openapi": "3.0.3",\n  "info": [\n}\n')
    error = _fails(tmp_path)
    assert "not valid JSON" in error.message
    assert error.line == 4


def test_an_error_in_the_client_settings_names_client_yaml(edited_spec: SpecEditor) -> None:
    spec_dir = _as_json(edited_spec(lambda document: None), client_apart=True)
    path = spec_dir / "client.yaml"
    settings = yaml.safe_load(path.read_text())
    settings["package"] = "Not A Package"
    path.write_text(yaml.safe_dump(settings, sort_keys=False))
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(spec_dir))
    error = caught.value
    assert (error.source, error.pointer) == (str(path), "/package")
    assert error.line == 1


def test_client_settings_are_given_once(edited_spec: SpecEditor) -> None:
    spec_dir = edited_spec(lambda document: None)
    (spec_dir / "client.yaml").write_text("package: other\n")
    assert "give the client settings once" in _fails(spec_dir).message


def test_a_folder_holds_one_description(edited_spec: SpecEditor) -> None:
    spec_dir = edited_spec(lambda document: None)
    (spec_dir / "openapi.json").write_text("{}")
    assert "keep one of them" in _fails(spec_dir).message


def test_the_json_line_table_matches_the_yaml_one_for_every_pointer(
    edited_spec: SpecEditor,
) -> None:
    """Every pointer the YAML reader knows, the JSON scanner knows, at the right line."""
    spec_dir = _as_json(edited_spec(lambda document: None))
    path = spec_dir / "openapi.json"
    document, lines = json_source.read_json(path)
    text = path.read_text().splitlines()
    yaml_lines = load_spec(SPEC_DIR).lines
    assert set(lines) == set(yaml_lines)
    for pointer, line in lines.items():
        value = jp.resolve(document, pointer)
        key = pointer.rsplit("/", 1)[-1] if pointer else ""
        row = text[line - 1]
        if isinstance(value, (dict, list)):
            assert row.rstrip().endswith(("{", "[", "{}", "[]")), (pointer, row)
        else:
            assert json.dumps(value) in row, (pointer, row)
        if key and not key.isdigit():
            assert json.dumps(jp.unescape(key)) in row, (pointer, row)
