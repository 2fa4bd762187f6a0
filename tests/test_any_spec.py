"""Robust for any spec: for every drawn OpenAPI document, generation either succeeds with
Python that compiles, imports (and, on a sample, passes ``mypy --strict``), or stops with a
``SpecError`` naming a JSON pointer into the document, leaving the output as it was; never a
traceback. Drawn specs are generated in-process without ruff: formatting changes no meaning.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.errors import SpecError
from generator.model import ir
from generator.model.resolve import build_api
from generator.reading import pointer as jp
from generator.reading.loader import load_spec
from generator.rendering.formatting import _check_syntax
from generator.rendering.writer import write_tree
from tests.drawn_specs import documents, operations

# Documents drawn per run: 50 in `make test`; `make drawn-specs` draws 500.
DRAWN = int(os.environ.get("DRAWN_SPECS", "50"))
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _write_spec(document: dict[str, Any], spec_dir: Path) -> Path:
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "openapi.json").write_text(json.dumps(document, ensure_ascii=False))
    return spec_dir


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _names_a_place(document: dict[str, Any], error: SpecError) -> bool:
    """The pointer is in the document, or names a place inside a schema that is (a keyword
    of what an allOf merged, say): then at least the component or operation is there."""
    tokens = jp.split(error.pointer)
    found = list(tokens)
    while found:
        try:
            jp.resolve(document, jp.from_path(found))
            break
        except KeyError:
            found.pop()
    return len(found) >= min(len(tokens), 3)


def generate(document: dict[str, Any], root: Path) -> dict[str, str] | None:
    """Generate ``document`` under ``root``/out; None (after checking the error) when refused."""
    spec_dir = _write_spec(document, root / "spec")
    out = root / "out"
    out.mkdir(exist_ok=True)
    (out / "before.txt").write_text("what was there")
    before = _snapshot(out)
    refusal: SpecError | None = None
    try:
        files = pipeline.render(spec_dir)
        write_tree(files, out, _check_syntax)
    except SpecError as error:
        refusal = error
    if refusal is not None:
        assert refusal.message, refusal
        assert _names_a_place(document, refusal), refusal
        assert _snapshot(out) == before
        return None
    return files


def _import_all(out: Path, package: str) -> None:
    sys.path.insert(0, str(out))
    try:
        for module in ("", ".models", ".client", ".errors", "._accelerated"):
            importlib.import_module(package + module)
        for folder in ("_resources", "_models"):
            for path in sorted((out / package / folder).glob("*.py")):
                importlib.import_module(f"{package}.{folder}.{path.stem}")
        strategies = importlib.import_module(f"{package}_strategies")
        for name in strategies.MODEL_NAMES:
            strategies.model(name)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.split(".")[0].startswith(package)]:
            del sys.modules[name]


@settings(SETTINGS, max_examples=DRAWN)
@given(document=documents())
def test_any_spec_generates_python_that_imports_or_is_refused_by_pointer(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, Any]
) -> None:
    root = tmp_path_factory.mktemp("drawn")
    files = generate(document, root)
    if files is not None:
        assert any(name.endswith("models.py") for name in files)
        _import_all(root / "out", "drawn")


@settings(SETTINGS, max_examples=25)
@given(data=st.data(), document=documents())
def test_adding_an_operation_renames_no_class(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, document: dict[str, Any]
) -> None:
    root = tmp_path_factory.mktemp("grown")
    try:
        before = build_api(load_spec(_write_spec(document, root / "before")))
    except SpecError:
        return
    keys = list(document["components"]["schemas"])
    grown = {**document, "paths": {"/added": {"get": data.draw(operations(keys))}}}
    grown["paths"].update(document["paths"])  # the new operation comes first
    try:
        after = build_api(load_spec(_write_spec(grown, root / "after")))
    except SpecError:
        return

    def names(api: ir.Api) -> dict[str, str]:
        things: list[ir.Model | ir.Enum | ir.Union] = [*api.models, *api.enums, *api.unions]
        return {thing.pointer: thing.name for thing in things}

    old, new = names(before), names(after)
    assert {pointer: new[pointer] for pointer in old} == old


SAMPLE = 4


@settings(SETTINGS, max_examples=1, phases=[Phase.explicit, Phase.generate])
@given(drawn=st.tuples(*(documents(package=f"drawn{i}") for i in range(SAMPLE))))
def test_a_sample_of_drawn_specs_passes_mypy_strict(
    tmp_path_factory: pytest.TempPathFactory, drawn: tuple[dict[str, Any], ...]
) -> None:
    """One mypy run over several generated packages: mypy's start-up is most of its cost."""
    root = tmp_path_factory.mktemp("typed")
    paths, targets, with_models, modules = [], [], 0, 0
    for index, document in enumerate(drawn):
        files = generate(document, root / str(index))
        if files is not None:
            modules += sum(name.endswith(".py") for name in files)
            paths.append(str(root / str(index) / "out"))
            targets += ["-p", f"drawn{index}", "-m", f"drawn{index}_strategies"]
            with_models += any(
                "@dataclass" in text
                for name, text in files.items()
                if name.startswith(f"drawn{index}/_models/")
            )
    # A sample worth type-checking: at least two packages with model classes.
    assume(with_models >= 2)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            *targets,
        ],
        env={**os.environ, "MYPYPATH": os.pathsep.join(paths)},
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Each package's modules and its strategies: every one was checked.
    assert f"no issues found in {modules} source files" in result.stdout


def test_alternatives_that_are_all_the_same_are_that_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Found by the property above: ``anyOf: [boolean, boolean]``, nullable, optional."""
    union = {"anyOf": [{"type": "boolean"}, {"type": "boolean"}], "nullable": True}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Same", "version": "1", "x-client": {"package": "same"}},
        "servers": [{"url": "https://api.example.test"}],
        "paths": {},
        "components": {"schemas": {"pet": {"type": "object", "properties": {"ok": union}}}},
    }
    document["paths"] = {
        "/pets": {
            "get": {
                "operationId": "pets/get",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/pet"}}}}},
            }
        }
    }  # fmt: skip
    root = tmp_path_factory.mktemp("same")
    files = generate(document, root)
    assert files is not None
    assert "ok: bool | Unset | None = UNSET" in files["same/_models/pet.py"]


def test_a_reference_cycle_is_refused_where_it_closes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Drawn now and then above; here every time."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Cycle", "version": "1", "x-client": {"package": "cycle"}},
        "servers": [{"url": "https://api.example.test"}],
        "paths": {
            "/a": {
                "get": {
                    "operationId": "a/get",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/a"}}}}},
                }
            }
        },
        "components": {
            "schemas": {
                "a": {"$ref": "#/components/schemas/b"},
                "b": {"$ref": "#/components/schemas/a"},
            }
        },
    }  # fmt: skip
    assert generate(document, tmp_path_factory.mktemp("cycle")) is None
    with pytest.raises(SpecError) as caught:
        pipeline.render(_write_spec(document, tmp_path_factory.mktemp("again")))
    assert caught.value.pointer.endswith("/$ref")
    assert "reference cycle" in caught.value.message


def _one_component(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Merge", "version": "1", "x-client": {"package": name}},
        "servers": [{"url": "https://api.example.test"}],
        "paths": {
            "/t": {
                "get": {
                    "operationId": "t/get",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/tree"}}}}},
                }
            }
        },
        "components": {"schemas": {"tree": schema}},
    }  # fmt: skip


def test_an_all_of_that_wraps_one_schema_is_a_reference_and_may_recur(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Found by the drawn specs: a wrapped reference to the schema holding it, inside an array,
    was merged into a copy of itself without end (a RecursionError, or memory exhausted)."""
    wrapped = {"allOf": [{}, {"$ref": "#/components/schemas/tree"}], "nullable": True}
    tree = {"type": "object", "properties": {"children": {"type": "array", "items": wrapped}}}
    files = generate(_one_component("wrapped", tree), tmp_path_factory.mktemp("wrapped"))
    assert files is not None
    assert "children: list[Tree | None] | Unset = UNSET" in files["wrapped/_models/tree.py"]


def test_an_all_of_that_merges_the_schema_holding_it_is_refused_there(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    label = {"required": ["label"], "properties": {"label": {"type": "string"}}}
    merged = {"allOf": [{"$ref": "#/components/schemas/tree"}, label]}
    tree = {"type": "object", "properties": {"children": {"type": "array", "items": merged}}}
    document = _one_component("merged", tree)
    assert generate(document, tmp_path_factory.mktemp("merged")) is None
    spec_dir = _write_spec(document, tmp_path_factory.mktemp("merged-spec"))
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(spec_dir))
    assert caught.value.pointer == "/components/schemas/tree/properties/children/items"
    assert "merges /components/schemas/tree" in caught.value.message


def _api(document_schemas: dict[str, Any], paths: dict[str, Any], root: Path) -> ir.Api:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Found", "version": "1", "x-client": {"package": "found"}},
        "servers": [{"url": "https://api.example.test"}],
        "paths": paths,
        "components": {"schemas": document_schemas},
    }
    return build_api(load_spec(_write_spec(document, root)))


def _get(operation_id: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A path of one GET operation answering ``schema``."""
    content = {"application/json": {"schema": schema}}
    responses = {"200": {"description": "answer", "content": content}}
    return {"/" + operation_id: {"get": {"operationId": operation_id, "responses": responses}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


OBJECT = {"type": "object", "properties": {"id": {"type": "integer"}}}


def test_unions_that_list_each_other_take_the_variants_of_both(tmp_path: Path) -> None:
    """Found by the mypy sample: ``pet: {allOf: [{oneOf: [a, b, pet]}]}`` made a type alias
    that is a variant of itself. Two unions that list each other are the same case."""
    schemas = {
        "a": OBJECT,
        "b": {"type": "object", "properties": {"name": {"type": "string"}}},
        "c": {"type": "object", "properties": {"size": {"type": "number"}}},
        "pet": {
            "allOf": [
                {
                    "oneOf": [_ref("a"), _ref("b"), _ref("pet")],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"A": "#/components/schemas/a", "P": "#/components/schemas/pet"},
                    },
                }
            ]
        },
        "left": {"oneOf": [_ref("a"), _ref("right")]},
        "right": {"oneOf": [_ref("c"), _ref("left")]},
    }
    api = _api(schemas, _get("pets/get", _ref("pet")), tmp_path / "spec")
    names = {m.pointer: m.name for m in api.models}
    unions = {u.pointer: u for u in api.unions}
    a, b, c = (ir.ModelRef(names[f"/components/schemas/{n}"]) for n in "abc")
    wrapped = unions["/components/schemas/pet/allOf/0"]
    assert wrapped.variants == (a, b)
    assert dict(wrapped.mapping) == {"A": 0, "a": 0, "b": 1}  # "P" led to the cycle
    assert unions["/components/schemas/left"].variants == (a, c)
    assert unions["/components/schemas/right"].variants == (c, a)
    files = generate(
        {
            "openapi": "3.0.3",
            "info": {"title": "Found", "version": "1", "x-client": {"package": "found"}},
            "servers": [{"url": "https://api.example.test"}],
            "paths": _get("pets/get", _ref("pet")),
            "components": {"schemas": schemas},
        },
        tmp_path / "gen",
    )
    assert files is not None
    _import_all(tmp_path / "gen" / "out", "found")


def test_an_operation_answering_404_renames_no_model_called_not_found_error(
    tmp_path: Path,
) -> None:
    """Found by the property above: the exception class of a status the spec began to use
    took the name of the model that had it."""
    schemas = {"NotFoundError": OBJECT}
    paths = _get("pets/get", _ref("NotFoundError"))
    before = _api(schemas, paths, tmp_path / "before")
    gone = _get("pets/gone", OBJECT)
    gone["/pets/gone"]["get"]["responses"]["404"] = {"description": "no such pet"}
    after = _api(schemas, {**paths, **gone}, tmp_path / "after")
    # The exception class keeps its name; the model yields from the start, and only then.
    assert before.models[0].name == after.models[0].name == "NotFoundError1"


def test_where_a_cycle_is_entered_depends_on_the_components_alone(tmp_path: Path) -> None:
    """Found by the property above: an operation answering ``item`` entered the cycle
    ``alias -> item -> alias`` at ``item``, so ``alias`` lost its type alias."""
    schemas = {
        "alias": {"anyOf": [_ref("item")]},
        "item": {
            "type": "array",
            "items": {"type": "object", "properties": {"next": _ref("alias")}},
        },
    }
    paths = _get("pets/get", {"type": "boolean"})
    grown = {**_get("pets/first", _ref("item")), **paths}

    def named(api: ir.Api) -> dict[str, str]:
        things: list[ir.Model | ir.Enum | ir.Union] = [*api.models, *api.enums, *api.unions]
        return {thing.pointer: thing.name for thing in things}

    before = named(_api(schemas, paths, tmp_path / "before"))
    after = named(_api(schemas, grown, tmp_path / "after"))
    assert "/components/schemas/alias" in before
    assert after == before


def test_a_component_named_like_a_keyword_has_a_module_python_can_import(
    tmp_path: Path,
) -> None:
    """Found by make scale: GitHub's ``import`` schema gave the module ``_models/import.py``."""
    schemas = {"import": OBJECT, "match": OBJECT, "class": OBJECT}
    paths = {
        **_get("imports/get", _ref("import")),
        **_get("imports/match", _ref("match")),
        **_get("imports/klass", _ref("class")),
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Found", "version": "1", "x-client": {"package": "keywords"}},
        "servers": [{"url": "https://api.example.test"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    files = generate(document, tmp_path)
    assert files is not None
    assert {"keywords/_models/import_.py", "keywords/_models/match_.py"} <= set(files)
    _import_all(tmp_path / "out", "keywords")
