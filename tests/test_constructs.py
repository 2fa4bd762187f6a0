"""Every schema construct, typed: unions, allOf, maps, enums, recursion, and what the client
makes of them. The description is ``tests/fixtures/constructs`` (JSON-free YAML with its
client settings beside it); its package is generated once for the module."""

from __future__ import annotations

import copy
import importlib
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import respx
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.model import ir
from generator.model.resolve import build_api
from generator.reading.loader import load_spec
from generator.rendering.writer import write_files

SPEC = Path(__file__).resolve().parent / "fixtures" / "constructs"
BASE = "https://api.example.test"


@pytest.fixture(scope="module")
def api() -> ir.Api:
    return build_api(load_spec(SPEC))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("constructs")
    write_files(pipeline.render(SPEC), out)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("constructs_api")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.startswith("constructs_api")]:
            del sys.modules[name]


def _invalid() -> Any:
    """The package's ResponseValidationError (the package is imported by then)."""
    return sys.modules["constructs_api.errors"].ResponseValidationError


@pytest.fixture(scope="module")
def models(package: ModuleType) -> ModuleType:
    return importlib.import_module("constructs_api.models")


@pytest.fixture(scope="module")
def strategies(package: ModuleType) -> ModuleType:
    return importlib.import_module("constructs_api_strategies")


def _fields(api: ir.Api, model: str) -> dict[str, ir.Field]:
    return {f.wire_name: f for f in api.model(model).fields}


# -- the intermediate model --------------------------------------------------------------------


def test_all_of_is_merged_into_one_model(api: ir.Api) -> None:
    cat = _fields(api, "Cat")
    assert list(cat) == ["id", "kind", "name", "born", "level", "purrs", "mood"]
    assert [k for k, f in cat.items() if f.required] == ["id", "kind", "purrs"]
    # A property both parts define is what both say: nullable from one, bounded by the other.
    dog_name = _fields(api, "Dog")["name"]
    assert dog_name.nullable
    assert dog_name.type == ir.Primitive("str", min_length=1)
    # Properties keep the pointer of the part that defines them.
    assert cat["id"].pointer == "/components/schemas/pet/properties/id"
    assert cat["purrs"].pointer == "/components/schemas/cat/allOf/1/properties/purrs"


def test_a_discriminated_one_of(api: ir.Api) -> None:
    animal = api.union("Animal")
    assert animal.alias
    assert animal.variants == (ir.ModelRef("Cat"), ir.ModelRef("Dog"))
    assert animal.discriminator == "kind"
    # The mapping, and each variant's own schema name where the mapping does not say.
    assert dict(animal.mapping) == {"cat": 0, "hound": 1, "dog": 1}


def test_inline_alternatives_are_named_by_position(api: ir.Api) -> None:
    shape = api.union("Shape")
    assert shape.variants == (ir.ModelRef("Shape1"), ir.ModelRef("Shape2"))
    assert api.model("Shape1").pointer == "/components/schemas/shape/anyOf/0"


def test_inline_schemas_are_scoped_by_where_they_stand(api: ir.Api) -> None:
    (get_animal, draw_shape, *_) = api.operations
    sorts = {p.type for op in (get_animal, draw_shape) for p in op.parameters if p.name == "sort"}
    assert sorts == {ir.EnumRef("PetsGetAnimalSort"), ir.EnumRef("PetsDrawShapeSort")}
    depth = next(p for p in get_animal.parameters if p.name == "depth")
    assert isinstance(depth.type, ir.UnionRef)
    variants = api.union(depth.type.name).variants
    assert variants == (ir.Primitive("int"), ir.EnumRef("PetsGetAnimalDepth2"))


def test_recursion_through_models_and_through_arrays(api: ir.Api) -> None:
    tree = _fields(api, "Tree")
    assert tree["children"].type == ir.ArrayOf(ir.ModelRef("Tree"))
    # An array of itself has no model to hold it: it becomes a named alias of itself.
    assert tree["nest"].type == ir.UnionRef("Nest")
    assert api.union("Nest").variants == (ir.ArrayOf(ir.UnionRef("Nest")),)


def test_enums_of_integers_and_mixed_values(api: ir.Api) -> None:
    assert api.enum("Level").values == (1, 2, 3)
    assert api.enum("Mixed").values == ("calm", 7)
    mood = _fields(api, "Cat")["mood"]
    assert mood.nullable  # null is one of its values


def test_properties_beside_additional_properties(api: ir.Api) -> None:
    labels = api.model("Labels")
    assert [f.wire_name for f in labels.fields] == ["total"]
    assert (labels.extra, labels.extra_attr) == (ir.Primitive("int"), "additional_properties")


def _names(api: ir.Api) -> dict[str, str]:
    things: list[ir.Model | ir.Enum | ir.Union] = [*api.models, *api.enums, *api.unions]
    return {thing.pointer: thing.name for thing in things}


def test_adding_an_operation_renames_nothing(tmp_path: Path, api: ir.Api) -> None:
    """An operation with the same parameter and body names as the others, added first."""
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    document = yaml.safe_load((SPEC / "openapi.yaml").read_text())
    shapes = copy.deepcopy(document["paths"]["/shapes"]["post"])
    shapes["operationId"] = "pets/draw-another-shape"
    shapes["requestBody"] = {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "sort": {"type": "string", "enum": ["x"]},
                        "shape": {"type": "object", "properties": {"a": {"type": "string"}}},
                    },
                }
            }
        }
    }
    document["paths"] = {"/aaa": {"post": shapes}, **document["paths"]}
    (spec_dir / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    (spec_dir / "client.yaml").write_text((SPEC / "client.yaml").read_text())
    before = _names(api)
    after = _names(build_api(load_spec(spec_dir)))
    assert {p: after[p] for p in before} == before
    assert len(set(after.values())) == len(after)


# -- the generated models ----------------------------------------------------------------------


def test_the_discriminator_decides(models: ModuleType) -> None:
    dog = models.decode_as_animal({"id": 1, "kind": "hound", "purrs": True})
    assert isinstance(dog, models.Dog)
    # The discriminator names a cat, so a cat it must be: the error says what a cat lacks.
    with pytest.raises(_invalid()) as caught:
        models.decode_as_animal({"id": 1, "kind": "cat"})
    assert caught.value.json_path == "$.purrs"
    # An unknown value: the variants are told apart by what they require.
    assert isinstance(models.decode_as_animal({"id": 1, "kind": "?", "purrs": False}), models.Cat)


def test_objects_are_told_apart_by_required_properties(models: ModuleType) -> None:
    assert models.decode_as_shape({"side": 2, "label": "s"}) == models.Shape2(side=2, label="s")
    assert models.decode_as_shape({"radius": 1.5}) == models.Shape1(radius=1.5)


def test_a_value_no_variant_accepts_says_why_each_refused(models: ModuleType) -> None:
    with pytest.raises(_invalid()) as caught:
        models.Tree.from_dict({"label": "t", "value": {"a": 1}})
    error = caught.value
    assert error.json_path == "$.value"
    assert "expected a string or an integer or an array, got an object" in str(error)
    with pytest.raises(_invalid()) as caught:
        models.decode_as_animal({"id": "one", "kind": "?"})
    error = caught.value
    assert [label for label, _ in error.alternatives] == ["Dog", "Cat"]
    assert all(reason.json_path == "$.id" for _, reason in error.alternatives)
    assert "as Dog, at .id: expected an integer, got a string" in str(error)


def test_a_bad_item_inside_a_variant_has_its_full_path(models: ModuleType) -> None:
    with pytest.raises(_invalid()) as caught:
        models.ValidationError.from_dict({"message": "m", "errors": [{"code": "c", "value": [1]}]})
    assert caught.value.json_path == "$.errors[0].value[0]"


BODIES = [
    {"label": "a", "value": None, "children": [{"label": "b", "nest": [[], [[]]]}]},
    {"label": "a", "value": ["x", "y"], "labels": {"total": 2, "x": 3, "y": 4}},
    {"label": "a", "value": 7, "labels": {}},
]


@pytest.mark.parametrize("body", BODIES)
def test_unions_maps_and_recursion_round_trip(models: ModuleType, body: dict[str, Any]) -> None:
    tree = models.Tree.from_dict(body)
    assert tree.to_dict() == body
    assert models.Tree.from_json(json.dumps(body)) == tree


def test_extra_properties_are_kept_and_checked(models: ModuleType) -> None:
    labels = models.Labels.from_dict({"total": 1, "cats": 2})
    assert (labels.total, labels.additional_properties) == (1, {"cats": 2})
    assert models.Labels(total=1).additional_properties == {}
    with pytest.raises(_invalid()) as caught:
        models.Labels.from_dict({"total": 1, "cats": "two"})
    assert caught.value.json_path == "$.cats"


def test_open_enums_of_integers_and_of_mixed_values(models: ModuleType) -> None:
    assert models.Pet.from_dict({"id": 1, "kind": "k", "level": 2}).level is models.Level.VALUE_2
    assert models.Pet.from_dict({"id": 1, "kind": "k", "level": 9}).level == 9
    cat = models.Cat.from_dict({"id": 1, "kind": "cat", "purrs": True, "mood": 7})
    assert cat.mood is models.Mixed.VALUE_7
    assert cat.to_dict()["mood"] == 7
    with pytest.raises(_invalid(), match="expected an integer"):
        models.Pet.from_dict({"id": 1, "kind": "k", "level": "2"})


def test_a_union_of_open_enums_keeps_what_none_lists(models: ModuleType) -> None:
    def size(value: Any) -> Any:
        return models.Tree.from_dict({"label": "t", "size": value}).size

    assert size("large") is models.TreeSize1.LARGE
    assert size(2) is models.TreeSize2.VALUE_2
    assert size("medium") == "medium"  # listed by neither: kept, as an open enum keeps it
    assert size(5) == 5
    with pytest.raises(_invalid(), match="expected a string or an integer"):
        size(True)


MODEL_NAMES = ["Cat", "Dog", "Pet", "Shape1", "Labels", "Tree", "ValidationError", "PetBox"]


@pytest.mark.parametrize("name", MODEL_NAMES)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_accelerated_and_standard_decoding_agree_on_every_construct(
    models: ModuleType, strategies: ModuleType, name: str, data: st.DataObject
) -> None:
    cls = getattr(models, name)
    body = data.draw(strategies.model(name), label="body")
    decoded = cls.from_dict(body)
    # repr, not ==: a str-valued enum member equals its string, a model does not equal its dict.
    assert repr(cls.from_json(json.dumps(body))) == repr(decoded)
    assert json.loads(json.dumps(decoded.to_dict())) == json.loads(json.dumps(body))


# -- the client ---------------------------------------------------------------------------------


@pytest.fixture
def client(package: ModuleType) -> Iterator[Any]:
    with package.Client("token", max_retries=0) as c:
        yield c


def test_a_union_request_body_is_one_argument(client: Any, models: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/shapes").respond(201, json=[{"side": 1}, {"radius": 2}])
        shapes = client.pets.draw_shape(body=models.Shape1(radius=2.5), sort="area")
        sent = route.calls.last.request
    assert json.loads(sent.content) == {"radius": 2.5}
    assert sent.url.params["sort"] == "area"  # the enum's value, not its Python name
    assert shapes == [models.Shape2(side=1), models.Shape1(radius=2)]
    with pytest.raises(TypeError, match="matches none of its alternatives"):
        client.pets.draw_shape(body={"radius": 1})


def test_a_union_parameter_takes_any_of_its_variants(client: Any, models: ModuleType) -> None:
    body = {"id": 1, "kind": "cat", "purrs": True}
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/animals/a").respond(200, json=body)
        assert isinstance(client.pets.get_animal("a", depth=3), models.Cat)
        assert route.calls.last.request.url.params["depth"] == "3"
        client.pets.get_animal("a", depth="all")
        assert route.calls.last.request.url.params["depth"] == "all"
    with pytest.raises(ValueError, match="matches none of its alternatives"):
        client.pets.get_animal("a", depth="some")


def test_query_lists_and_empty_values_as_the_spec_styles_them(client: Any) -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/trees").respond(200, json={"label": "t"})
        client.pets.get_tree(label=["a", "b c"], ids=[1, 2], tag="")
        url = route.calls.last.request.url
    # form style, exploded (a query parameter's default): the parameter once per item.
    assert url.params.get_list("label") == ["a", "b c"]
    # explode: false: one comma-separated value.
    assert url.params.get_list("ids") == ["1,2"]
    # allowEmptyValue: true lets an empty value through; without it, it is refused.
    assert url.params.get_list("tag") == [""]
    with pytest.raises(ValueError, match="note"):
        client.pets.get_tree(note="")
    with pytest.raises(TypeError, match="label"):
        client.pets.get_tree(label="a")


def test_an_operation_that_only_redirects_is_generated(api: ir.Api) -> None:
    (archive,) = [op for op in api.operations if op.method_name == "get_archive"]
    assert [r.status for r in archive.success_responses] == ["302"]
    assert archive.error_responses == ()


def test_text_answers_and_text_bodies(client: Any, models: ModuleType) -> None:
    with respx.mock(base_url=BASE) as mock:
        mock.get("/trees").respond(200, text="a tree", headers={"content-type": "text/plain"})
        assert client.pets.get_tree() == "a tree"
        tree = mock.get("/trees").respond(200, json={"label": "t"})
        assert client.pets.get_tree(deep=True, since=date(2026, 2, 3)) == models.Tree(label="t")
        assert tree.calls.last.request.url.params["deep"] == "true"
        assert tree.calls.last.request.url.params["since"] == "2026-02-03"
        route = mock.post("/notes").respond(
            200, text="noted", headers={"content-type": "text/plain"}
        )
        assert client.pets.post_note(body="héllo") == "noted"
    request: httpx.Request = route.calls.last.request
    assert (request.content, request.headers["content-type"]) == ("héllo".encode(), "text/plain")
