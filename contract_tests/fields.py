"""Every property of every model an answer can carry, and the values that break each one.

Derived from the spec's intermediate model: a property added to the spec is listed here (and
so put under test, and counted by the coverage report) after ``make generate``.

A property is reached from an answer's body by a route of (model, property) hops, each
through whatever arrays and maps hold the next model; the body that exercises it is the
answer's minimal valid body with the route filled in, so that a broken value at the end of it
is the only thing wrong.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from contract_tests.support import BASE_URL, TOKEN, Contract, StatusPath
from generator.model import ir

# One value of each JSON type; a property given a value of a type it does not accept must
# be refused, naming its path.
JSON_SAMPLES: dict[str, Any] = {
    "null": None,
    "boolean": True,
    "integer": 7,
    "number": 1.5,
    "string": "text",
    "array": [],
    "object": {},
}
# Strings a date-time or date property must refuse although they are strings.
FORMAT_BREAKERS: dict[str, tuple[str, ...]] = {
    "datetime": ("not a date-time", "2026-13-45T99:00:00Z"),
    "date": ("not a date", "2026-02-30"),
}
MAP_KEY = "key"

WRONG_TYPE = "wrong type"
MISSING = "missing"
# The two ways a body is decoded: the generated decoders alone (no msgspec installed), and
# msgspec's typed decoding first, which hands what it refuses to them.
DECODERS = ("standard", "msgspec")


@dataclass(frozen=True)
class FieldUse:
    """A property of a model, and how to reach it from the body of ``answer``."""

    answer: StatusPath
    model: str
    field: ir.Field
    route: tuple[tuple[str, str], ...]  # (model, property) hops; the last is this property

    def __str__(self) -> str:
        return f"{self.model}.{self.field.wire_name}"


@dataclass(frozen=True)
class Breakage:
    """A body whose only fault is at ``path``."""

    body: Any
    path: tuple[str | int, ...]
    check: str  # WRONG_TYPE or MISSING
    what: str  # for messages: the value put there, or "<missing>"


def accepted_json_types(contract: Contract, type_: ir.TypeExpr, nullable: bool) -> set[str]:
    """The JSON types a value of ``type_`` may have."""
    if isinstance(type_, ir.Primitive):
        accepted = {
            "str": {"string"},
            "datetime": {"string"},
            "date": {"string"},
            "int": {"integer"},
            "float": {"integer", "number"},
            "bool": {"boolean"},
            "any": set(JSON_SAMPLES),
        }[type_.kind]
    elif isinstance(type_, ir.EnumRef):
        values = contract.api.enum(type_.name).values
        accepted = {"integer" if isinstance(v, int) else "string" for v in values}
    elif isinstance(type_, ir.ArrayOf):
        accepted = {"array"}
    elif isinstance(type_, ir.UnionRef):
        # What any variant accepts; a value wrong inside a variant is test_unions' to check.
        accepted = set().union(
            *(
                accepted_json_types(contract, v, False)
                for v in contract.api.union(type_.name).variants
            )
        )
    else:  # a model or a map
        accepted = {"object"}
    return accepted | {"null"} if nullable else accepted


def wrong_values(
    contract: Contract, type_: ir.TypeExpr, nullable: bool
) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
    """(value, path inside it of the fault) for every value that breaks ``type_``.

    A value of every JSON type ``type_`` does not accept; strings that break a date-time or
    date; and, inside an array or a map, an item or value that breaks its own type.
    """
    accepted = accepted_json_types(contract, type_, nullable)
    for json_type, sample in JSON_SAMPLES.items():
        if json_type not in accepted:
            yield sample, ()
    if isinstance(type_, ir.Primitive):
        for text in FORMAT_BREAKERS.get(type_.kind, ()):
            yield text, ()
    elif isinstance(type_, ir.ArrayOf):
        for item, inner in wrong_values(contract, type_.items, type_.items_nullable):
            yield [item], (0, *inner)
    elif isinstance(type_, ir.MapOf):
        for item, inner in wrong_values(contract, type_.values, type_.values_nullable):
            yield {MAP_KEY: item}, (MAP_KEY, *inner)


def checks(contract: Contract, field: ir.Field) -> tuple[str, ...]:
    """What the suite checks of ``field``: a wrong type (unless it accepts anything) and, when
    it is required and not nullable, its absence."""
    found = []
    if next(wrong_values(contract, field.type, field.nullable), None) is not None:
        found.append(WRONG_TYPE)
    if field.required and not field.nullable:
        found.append(MISSING)
    return tuple(found)


def answer_models(answer: StatusPath) -> tuple[str, ...]:
    if answer.type is None:
        return ()
    return tuple(t.name for t in ir.leaves(answer.type) if isinstance(t, ir.ModelRef))


def field_uses(contract: Contract, answer: StatusPath) -> tuple[FieldUse, ...]:
    """Every property reachable from ``answer``'s body, each by its shortest route."""
    best: dict[tuple[str, str], FieldUse] = {}
    for root in answer_models(answer):
        for route in _routes(contract, root, ()):
            model, wire = route[-1]
            key = (model, wire)
            if key not in best or len(route) < len(best[key].route):
                field = next(f for f in contract.api.model(model).fields if f.wire_name == wire)
                best[key] = FieldUse(answer, model, field, route)
    return tuple(best.values())


def reachable_fields(contract: Contract) -> tuple[tuple[str, ir.Field], ...]:
    """(model, property) of every model that any documented answer can carry."""
    seen: dict[tuple[str, str], ir.Field] = {}
    for answer in contract.status_paths():
        for use in field_uses(contract, answer):
            seen.setdefault((use.model, use.field.wire_name), use.field)
    return tuple((model, field) for (model, _), field in seen.items())


def _routes(
    contract: Contract, model: str, route: tuple[tuple[str, str], ...]
) -> Iterator[tuple[tuple[str, str], ...]]:
    for field in contract.api.model(model).fields:
        hop = (*route, (model, field.wire_name))
        yield hop
        for leaf in ir.leaves(field.type):
            visited = {m for m, _ in route} | {model}
            if isinstance(leaf, ir.ModelRef) and leaf.name not in visited:
                yield from _routes(contract, leaf.name, hop)


def _holding(type_: ir.TypeExpr, value: Any) -> tuple[Any, tuple[str | int, ...]]:
    """A value of ``type_`` (a model, or arrays and maps of it) holding ``value`` at its leaf."""
    if isinstance(type_, ir.ArrayOf):
        inner, path = _holding(type_.items, value)
        return [inner], (0, *path)
    if isinstance(type_, ir.MapOf):
        inner, path = _holding(type_.values, value)
        return {MAP_KEY: inner}, (MAP_KEY, *path)
    return value, ()


def _leaf_model(type_: ir.TypeExpr) -> str:
    (model,) = (t.name for t in ir.leaves(type_) if isinstance(t, ir.ModelRef))
    return model


def reach(contract: Contract, use: FieldUse) -> tuple[Any, dict[str, Any], tuple[str | int, ...]]:
    """A minimal valid body of ``use.answer`` with ``use.route`` filled in: (body, the object
    holding the property, the JSON path of that object)."""
    assert use.answer.type is not None
    node: dict[str, Any] = contract.minimal(ir.ModelRef(use.route[0][0]))
    body, path = _holding(use.answer.type, node)
    for model, wire in use.route[:-1]:
        field = next(f for f in contract.api.model(model).fields if f.wire_name == wire)
        child: dict[str, Any] = contract.minimal(ir.ModelRef(_leaf_model(field.type)))
        node[wire], inner = _holding(field.type, child)
        path = (*path, wire, *inner)
        node = child
    return body, node, path


def breakages(contract: Contract, use: FieldUse) -> Iterator[Breakage]:
    """Every broken body of ``use``: each wrong value in its place, and its absence."""
    wire = use.field.wire_name
    for value, inner in wrong_values(contract, use.field.type, use.field.nullable):
        body, node, path = reach(contract, use)
        node[wire] = value
        yield Breakage(body, (*path, wire, *inner), WRONG_TYPE, repr(value))
    if MISSING in checks(contract, use.field):
        body, node, path = reach(contract, use)
        node.pop(wire, None)
        yield Breakage(body, (*path, wire), MISSING, "<missing>")


# -- the decoders under test -------------------------------------------------------------------


def answer_decoder(contract: Contract, answer: StatusPath) -> Callable[[bytes], Any]:
    """The decoder the client runs on the body of ``answer``: its entry in the call's
    ``ResponseMap``, taken from a call the client prepares but does not send."""
    op = contract.operation(answer.operation)
    client = contract.package.Client(TOKEN, base_url=BASE_URL)
    # The prepared call, instead of sending it: the client's namespaces send through this.
    client._transport = dataclasses.replace(client._transport, send=lambda call, **options: call)
    method = getattr(getattr(client, op.namespace).with_response, op.method_name)
    arguments = contract.python_arguments(op, contract.required_arguments(op))
    call = method(*contract.path_arguments(op), **arguments)
    client.close()
    table = call.responses.success if answer.is_success else call.responses.errors
    decoder: Callable[[bytes], Any] = table[answer.status][answer.content_type]
    return decoder


def _accelerator(contract: Contract) -> Any:
    codec = importlib.import_module(f"{contract.api.client.package}._codec")
    codec.load_json(b"{}")  # the accelerator is looked for on the first decode
    return codec._accelerator


def accelerated_models(contract: Contract) -> set[type[Any]]:
    """The model classes msgspec decodes (none when it is not installed)."""
    return set(_accelerator(contract).decoders)


@contextmanager
def standard_decoding(contract: Contract) -> Iterator[None]:
    """Decode as a program without msgspec does, for as long as the block runs."""
    accelerator = _accelerator(contract)
    saved = (accelerator.loads, accelerator.decoders)
    accelerator.loads, accelerator.decoders = None, {}
    try:
        yield
    finally:
        accelerator.loads, accelerator.decoders = saved
