"""The modules of ``_models/``: every type in exactly one, and no two that import each other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import pipeline
from generator.model import ir
from generator.model.graphs import components, cycles
from generator.model.resolve import build_api
from generator.planning.model_modules import plan_model_modules, references
from generator.reading.loader import load_spec

CONSTRUCTS = Path(__file__).parent / "fixtures" / "constructs"


@pytest.fixture(scope="module", params=["spec", "constructs"])
def modeled(request: pytest.FixtureRequest, api: ir.Api) -> ir.Api:
    return api if request.param == "spec" else build_api(load_spec(CONSTRUCTS))


def test_every_type_is_in_one_module_and_modules_import_no_cycle(modeled: ir.Api) -> None:
    modules = plan_model_modules(modeled)
    home: dict[str, str] = {}
    for module in modules:
        for name in module.names():
            assert name not in home, name
            home[name] = module.name
    everything: list[ir.Model | ir.Enum | ir.Union] = [
        *modeled.models,
        *modeled.enums,
        *modeled.unions,
    ]
    assert set(home) == {thing.name for thing in everything}
    graph: dict[str, list[str]] = {m.name: [] for m in modules}
    for name, targets in references(modeled).items():
        graph[home[name]] += [home[t] for t in targets if home[t] != home[name]]
    assert cycles(graph) == []
    assert len({m.name for m in modules}) == len(modules)


def test_a_component_has_its_own_module_and_an_inline_type_joins_its_only_user(
    api: ir.Api,
) -> None:
    modules = {m.name: m for m in plan_model_modules(api)}
    machine = modules["codespace_machine"]
    assert machine.models == ("CodespaceMachine",)
    assert machine.enums == ("CodespaceMachinePrebuildAvailability",)
    assert "SimpleUser" in modules["simple_user"].models  # used by many: its own module


def test_components_are_sinks_first() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["b"], "d": ["a"], "e": []}
    found = components(edges)
    position = {n: i for i, group in enumerate(found) for n in group}
    assert sorted(map(sorted, found)) == [["a"], ["b", "c"], ["d"], ["e"]]
    assert position["b"] < position["a"] < position["d"]
    assert cycles(edges) == [{"b", "c"}]
    assert cycles({"x": ["x"]}) == [{"x"}]


def test_a_module_imports_the_types_an_inline_union_is_spelled_out_with(tmp_path: Path) -> None:
    """``holder.x`` is ``A | B`` (an inline oneOf): its annotation names both, from their own
    modules, though the union itself is the holder's."""
    objects = {n: {"type": "object", "properties": {n: {"type": "string"}}} for n in "ab"}
    holder = {
        "type": "object",
        "properties": {
            "x": {"oneOf": [{"$ref": "#/components/schemas/a"}, {"$ref": "#/components/schemas/b"}]}
        },
    }
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/holder"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Held", "version": "1", "x-client": {"package": "held"}},
        "servers": [{"url": "https://api.example.test"}],
        "paths": {
            "/h": {
                "get": {
                    "operationId": "held/get",
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            }
        },
        "components": {"schemas": {**objects, "b2": objects["b"], "holder": holder}},
    }
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    files = pipeline.render(tmp_path)
    text = files["held/_models/holder.py"]
    assert "x: A | B | Unset = UNSET" in text
    assert "from .a import A" in text
    assert "from .b import B" in text
