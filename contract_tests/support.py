"""What the contract suite knows of the spec, and how it drives the generated client.

Everything here is derived from the spec (through the generator's intermediate model, and
the spec document itself for JSON Schema validation), never hand-listed: a status, content
type, property or enum value added to the spec is under test after ``make generate``.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import find, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator.model import ir
from generator.model.naming import status_error_name
from generator.model.resolve import build_api, is_json
from generator.planning.codec import union_decoder_name
from generator.planning.operations import body_argument_name
from generator.planning.typing_hints import annotation
from generator.reading.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = Path(os.environ.get("CONTRACT_SPEC_DIR", ROOT / "spec"))
GENERATED_DIR = Path(os.environ.get("CONTRACT_GENERATED_DIR", ROOT / "generated"))

BASE_URL = "https://api.example.test"
TOKEN = "contract-token-0123456789"

# OpenAPI keywords that JSON Schema does not have (or that do not constrain a value).
_OPENAPI_ONLY = {
    "nullable",
    "example",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "deprecated",
}


@dataclass(frozen=True)
class StatusPath:
    """One documented answer of one operation."""

    operation: str  # "namespace.method"
    status: str
    content_type: str
    type: ir.TypeExpr | None

    @property
    def code(self) -> int:
        return int(self.status)

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")

    def as_dict(self) -> dict[str, str]:
        return {
            "operation": self.operation,
            "status": self.status,
            "content_type": self.content_type,
        }

    def __str__(self) -> str:
        return f"{self.operation}-{self.status}-{self.content_type}"

    # Equality ignores the type, so that coverage can be recorded without it.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, StatusPath) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((self.operation, self.status, self.content_type))


@dataclass(frozen=True)
class Slot:
    """A value inside a JSON body, with what the spec says of it."""

    path: tuple[str | int, ...]
    type: ir.TypeExpr
    nullable: bool
    required: bool  # a required property (never true for array items or map values)
    container: dict[str, Any] | list[Any]
    key: str | int

    @property
    def value(self) -> Any:
        if isinstance(self.container, dict):
            return self.container[str(self.key)]
        return self.container[int(self.key)]

    def replace(self, value: Any) -> None:
        if isinstance(self.container, dict):
            self.container[str(self.key)] = value
        else:
            self.container[int(self.key)] = value

    def delete(self) -> None:
        assert isinstance(self.container, dict), "only a property can be left out"
        del self.container[str(self.key)]


@dataclass(frozen=True)
class RequestEnumUse:
    """An enum a request can carry: a keyword argument's, or a property of a body's variant."""

    op: ir.Operation
    argument: str  # the keyword argument that carries it
    enum: ir.Enum
    location: str  # "query", "header" or "body"
    wire: str  # the parameter's or the body property's name
    variant: ir.ModelRef | None = None  # the body argument's model holding the property

    def __str__(self) -> str:
        inside = f"{self.variant.name}." if self.variant else ""
        return f"{self.op.method_name}-{inside}{self.wire}"


@dataclass(frozen=True)
class EnumUse:
    """A property holding an enum, and how to reach it from an answer's body."""

    enum: str
    model: str
    field: str  # wire name
    is_array: bool
    answer: StatusPath  # an answer whose body reaches the property
    route: tuple[tuple[str, str, bool], ...]  # (model, property, property is an array) hops


class Contract:
    """The spec and the package generated from it, as the tests use them."""

    def __init__(self, spec_dir: Path):
        spec = load_spec(spec_dir)
        self.document = spec.document
        self.api = build_api(spec)
        self.package: ModuleType = importlib.import_module(self.api.client.package)
        self.models: ModuleType = importlib.import_module(f"{self.api.client.package}.models")
        self.strategies: ModuleType = importlib.import_module(
            f"{self.api.client.package}_strategies"
        )

    # -- what the spec documents -------------------------------------------------------------

    def operation_key(self, op: ir.Operation) -> str:
        return f"{op.namespace}.{op.method_name}"

    def operation(self, key: str) -> ir.Operation:
        return next(op for op in self.api.operations if self.operation_key(op) == key)

    def status_paths(self) -> tuple[StatusPath, ...]:
        """Every documented (status, content type) whose body the client decodes."""
        return tuple(
            StatusPath(self.operation_key(op), r.status, c.content_type, c.type)
            for op in self.api.operations
            for r in op.responses
            if r.code is not None
            for c in r.contents
            if c.type is not None
        )

    def dataless_paths(self) -> tuple[StatusPath, ...]:
        """Every documented answer without data to decode: no body (a 304), or a body whose
        schema declares nothing (content type ``""`` when there is no body at all)."""
        paths = []
        for op in self.api.operations:
            for r in op.responses:
                if r.code is None:
                    continue
                if not r.contents:
                    paths.append(StatusPath(self.operation_key(op), r.status, "", None))
                paths += [
                    StatusPath(self.operation_key(op), r.status, c.content_type, None)
                    for c in r.contents
                    if c.type is None
                ]
        return tuple(paths)

    def error_class(self, status: int, content: bytes = b"") -> type[Exception]:
        """The exception a documented error status raises; with the body that came with it,
        the status's rate-limit class when the body names the secondary rate limit."""
        name = status_error_name(status)
        limit = self.api.client.rate_limit
        marker = limit.secondary_marker
        if status in limit.statuses and marker and marker.lower() in content.decode().lower():
            name = name.removesuffix("Error") + "RateLimitError"
        cls: type[Exception] = getattr(self.package, name)
        return cls

    def request_enum_arguments(self) -> Iterator[tuple[ir.Operation, str, ir.Enum]]:
        for op in self.api.operations:
            for argument in op.body.arguments if op.body else ():
                if isinstance(argument.field.type, ir.EnumRef):
                    yield op, argument.name, self.api.enum(argument.field.type.name)

    def request_enum_uses(self) -> Iterator[RequestEnumUse]:
        """Every enum a request can carry, and where: a parameter, a body property, or a
        property of a model the one body argument may be (itself, or a union's variant)."""
        for op in self.api.operations:
            for p in op.parameters:
                if isinstance(p.type, ir.EnumRef) and p.location != "path":
                    yield RequestEnumUse(op, p.attr, self.api.enum(p.type.name), p.location, p.name)
            for a in op.body.arguments if op.body else ():
                if isinstance(a.field.type, ir.EnumRef):
                    enum = self.api.enum(a.field.type.name)
                    yield RequestEnumUse(op, a.name, enum, "body", a.field.wire_name)
            if op.body is None or op.body.arguments or not is_json(op.body.content_type):
                continue
            body = op.body.type
            variants = (
                self.api.union(body.name).variants if isinstance(body, ir.UnionRef) else (body,)
            )
            for variant in variants:
                if not isinstance(variant, ir.ModelRef):
                    continue
                for f in self.api.model(variant.name).fields:
                    if isinstance(f.type, ir.EnumRef):
                        enum = self.api.enum(f.type.name)
                        name = self.body_argument(op)
                        yield RequestEnumUse(op, name, enum, "body", f.wire_name, variant)

    def enum_uses(self) -> tuple[EnumUse, ...]:
        """Every property holding an enum that an answer can carry, with a route to it."""
        return self._uses(ir.EnumRef)

    def union_uses(self) -> tuple[EnumUse, ...]:
        """Every property holding a union that an answer can carry (``enum``: its name)."""
        return self._uses(ir.UnionRef)

    def _uses(self, kind: type[ir.EnumRef | ir.UnionRef]) -> tuple[EnumUse, ...]:
        uses = []
        for answer in self.status_paths():
            if not isinstance(answer.type, ir.ModelRef):
                continue
            for route in self._routes(answer.type.name, (), kind):
                model, field, is_array = route[-1]
                target = next(f for f in self.api.model(model).fields if f.wire_name == field)
                item = target.type.items if isinstance(target.type, ir.ArrayOf) else target.type
                if isinstance(item, kind):
                    uses.append(EnumUse(item.name, model, field, is_array, answer, route))
        # One route per property is enough; prefer the shortest, then the first answer.
        best: dict[tuple[str, str], EnumUse] = {}
        for use in uses:
            key = (use.model, use.field)
            if key not in best or len(use.route) < len(best[key].route):
                best[key] = use
        return tuple(best.values())

    def _routes(
        self,
        model: str,
        route: tuple[tuple[str, str, bool], ...],
        kind: type[ir.EnumRef | ir.UnionRef],
    ) -> Iterator[tuple[tuple[str, str, bool], ...]]:
        for field in self.api.model(model).fields:
            is_array = isinstance(field.type, ir.ArrayOf)
            item = field.type.items if isinstance(field.type, ir.ArrayOf) else field.type
            hop = (*route, (model, field.wire_name, is_array))
            if isinstance(item, kind):
                yield hop
            elif isinstance(item, ir.ModelRef) and all(item.name != m for m, _, _ in route):
                yield from self._routes(item.name, hop, kind)

    # -- JSON values -------------------------------------------------------------------------

    def encode(self, value: Any) -> Any:
        """The JSON form of a decoded body (a model, a list of them, or a plain value)."""
        if isinstance(value, list):
            return [self.encode(item) for item in value]
        return value.to_dict() if hasattr(value, "to_dict") else value

    def strategy(self, type_: ir.TypeExpr) -> st.SearchStrategy[Any]:
        """JSON values of ``type_``, from the generated strategies."""
        if isinstance(type_, ir.ModelRef):
            strategy: st.SearchStrategy[Any] = self.strategies.model(type_.name)
            return strategy
        if isinstance(type_, ir.ArrayOf):
            return st.lists(self.strategy(type_.items), max_size=3)
        if isinstance(type_, ir.UnionRef):
            union: st.SearchStrategy[Any] = self.strategies.union(type_.name)
            return union
        raise NotImplementedError(f"no strategy for a top-level {type_}")

    def minimal(self, type_: ir.TypeExpr) -> Any:
        """The smallest valid JSON value of ``type_``: required properties only, no nulls."""
        if isinstance(type_, ir.ModelRef):
            return {
                f.wire_name: self.minimal(f.type)
                for f in self.api.model(type_.name).fields
                if f.required
            }
        if isinstance(type_, ir.EnumRef):
            return self.api.enum(type_.name).values[0]
        if isinstance(type_, ir.ArrayOf):
            return []
        if isinstance(type_, ir.MapOf):
            return {}
        if isinstance(type_, ir.UnionRef):
            return self.minimal(self.api.union(type_.name).variants[0])
        samples = {
            "str": "x",
            "int": 1,
            "float": 1.5,
            "bool": True,
            "datetime": "2026-11-23T19:01:12Z",
            "date": "2026-11-23",
            "any": None,
        }
        if type_.format == "uri":
            return "https://example.test/"
        if type_.pattern is not None:
            # The simplest string the pattern matches, as hypothesis shrinks it: deterministic.
            return find(
                st.from_regex(type_.pattern),
                lambda s: len(s) >= (type_.min_length or 0),
                settings=settings(database=None),
            )
        value = samples[type_.kind]
        if type_.minimum is not None and isinstance(value, (int, float)):
            value = max(value, type_.minimum)
        return value

    def body_with_enum(self, use: EnumUse, value: Any) -> Any:
        """A minimal valid body of ``use.answer`` whose property ``use`` holds ``value``."""
        assert use.answer.type is not None
        body = self.minimal(use.answer.type)
        node = body
        for model, field, is_array in use.route[:-1]:
            target = next(f for f in self.api.model(model).fields if f.wire_name == field)
            item = target.type.items if isinstance(target.type, ir.ArrayOf) else target.type
            child = self.minimal(item)
            node[field] = [child] if is_array else child
            node = child
        node[use.field] = [value] if use.is_array else value
        return body

    def slots(
        self, type_: ir.TypeExpr, value: Any, path: tuple[str | int, ...] = ()
    ) -> Iterator[Slot]:
        """Every value inside ``value`` (of ``type_``), outermost first."""
        if isinstance(type_, ir.ModelRef) and isinstance(value, dict):
            for f in self.api.model(type_.name).fields:
                if f.wire_name in value:
                    inner = value[f.wire_name]
                    yield Slot(
                        (*path, f.wire_name), f.type, f.nullable, f.required, value, f.wire_name
                    )
                    if inner is not None:
                        yield from self.slots(f.type, inner, (*path, f.wire_name))
        elif isinstance(type_, ir.ArrayOf) and isinstance(value, list):
            for index, item in enumerate(value):
                yield Slot((*path, index), type_.items, type_.items_nullable, False, value, index)
                if item is not None:
                    yield from self.slots(type_.items, item, (*path, index))
        elif isinstance(type_, ir.MapOf) and isinstance(value, dict):
            for key, item in value.items():
                yield Slot((*path, key), type_.values, type_.values_nullable, False, value, key)
                if item is not None:
                    yield from self.slots(type_.values, item, (*path, key))

    def normalize(self, type_: ir.TypeExpr | None, value: Any) -> Any:
        """``value`` with every date-time in one canonical form, for comparisons."""
        if value is None or type_ is None:
            return value
        if isinstance(type_, ir.Primitive) and type_.kind == "datetime":
            return canonical_date_time(value)
        if isinstance(type_, ir.ModelRef):
            fields = {f.wire_name: f for f in self.api.model(type_.name).fields}
            return {
                k: self.normalize(fields[k].type if k in fields else None, v)
                for k, v in value.items()
            }
        if isinstance(type_, ir.ArrayOf):
            return [self.normalize(type_.items, item) for item in value]
        if isinstance(type_, ir.MapOf):
            return {k: self.normalize(type_.values, item) for k, item in value.items()}
        return value

    # -- JSON Schema, from the spec document -------------------------------------------------

    @cached_property
    def _definitions(self) -> dict[str, Any]:
        schemas = self.document.get("components", {}).get("schemas", {})
        return {name: to_json_schema(schema) for name, schema in schemas.items()}

    def validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        """A validator of ``schema`` (an OpenAPI schema of the spec), formats checked."""
        converted = {**to_json_schema(schema), "$defs": self._definitions}
        return Draft202012Validator(converted, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def component_validator(self, name: str) -> Draft202012Validator:
        return self.validator({"$ref": f"#/components/schemas/{name}"})

    def request_validator(self, op: ir.Operation) -> Draft202012Validator:
        assert op.body is not None
        node: Any = self.document
        for token in op.body.pointer.split("/")[1:]:
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return self.validator(node)

    # -- calling the client ------------------------------------------------------------------

    def path_arguments(self, op: ir.Operation) -> tuple[str, ...]:
        return tuple(f"{p.name}-value" for p in op.parameters if p.location == "path")

    def variant_label(self, variant: ir.TypeExpr) -> str:
        """How the coverage report names a variant of a union: its annotation."""
        return annotation(variant, self.api, open_enums=False)

    def expected_path(self, op: ir.Operation, values: tuple[str, ...]) -> str:
        from urllib.parse import quote

        path = op.path
        names = [p.name for p in op.parameters if p.location == "path"]
        for name, value in zip(names, values, strict=True):
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return path

    def required_arguments(self, op: ir.Operation) -> dict[str, Any]:
        """The smallest valid value of every required keyword argument of ``op``."""
        arguments = {
            p.attr: self.minimal(p.type)
            for p in op.parameters
            if p.location != "path" and p.required
        }
        for argument in op.body.arguments if op.body else ():
            if argument.field.required:
                arguments[argument.name] = self.minimal(argument.field.type)
        if op.body is not None and not op.body.arguments and op.body.required:
            # A body that is not one object: one argument, JSON or text or bytes.
            name = self.body_argument(op)
            if not is_json(op.body.content_type):
                binary = isinstance(op.body.type, ir.Primitive) and op.body.type.format == "binary"
                arguments[name] = b"x" if binary else "x"
            else:
                arguments[name] = self.minimal(op.body.type)
        return arguments

    def argument_types(self, op: ir.Operation) -> dict[str, ir.TypeExpr]:
        """The type of each keyword argument of ``op`` that takes a JSON value."""
        types = {p.attr: p.type for p in op.parameters if p.location != "path"}
        if op.body is not None:
            types |= {a.name: a.field.type for a in op.body.arguments}
            if not op.body.arguments and is_json(op.body.content_type):
                types[self.body_argument(op)] = op.body.type
        return types

    def body_argument(self, op: ir.Operation) -> str:
        """The name of the one argument of a body that is not one object."""
        return body_argument_name(op)

    def python_arguments(self, op: ir.Operation, arguments: dict[str, Any]) -> dict[str, Any]:
        """``arguments`` as drawn (JSON values) as the method takes them: a model's object as
        the model, a union's value as its variant's."""
        types = self.argument_types(op)
        return {
            name: self.python_value(types[name], value) if name in types else value
            for name, value in arguments.items()
        }

    def python_value(self, type_: ir.TypeExpr, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(type_, ir.ModelRef):
            return getattr(self.models, type_.name).from_dict(value)
        if isinstance(type_, ir.UnionRef):
            return getattr(self.models, union_decoder_name(type_.name))(value)
        if isinstance(type_, ir.ArrayOf):
            return [self.python_value(type_.items, item) for item in value]
        if isinstance(type_, ir.MapOf):
            return {key: self.python_value(type_.values, item) for key, item in value.items()}
        return value

    def minimal_success(self, op: ir.Operation) -> tuple[int, Any]:
        """The first success status of ``op`` and the smallest body it documents (or None)."""
        response = op.success_responses[0]
        content = response.contents[0] if response.contents else None
        body = self.minimal(content.type) if content and content.type else None
        return int(response.status), body

    def call(
        self,
        client: Any,
        op: ir.Operation,
        arguments: dict[str, Any],
        loop: asyncio.AbstractEventLoop,
        *,
        path: tuple[str, ...] | None = None,
    ) -> Any:
        """Call ``op`` through ``with_response`` on a sync or async client; the APIResponse.

        Required arguments the test does not give get their smallest valid value.
        """
        method = getattr(getattr(client, op.namespace).with_response, op.method_name)
        arguments = self.python_arguments(op, {**self.required_arguments(op), **arguments})
        result = method(*(path if path is not None else self.path_arguments(op)), **arguments)
        if inspect.isawaitable(result):
            return loop.run_until_complete(_awaited(result))
        return result


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def to_json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema 2020-12: ``nullable`` becomes a ``null`` branch."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key in _OPENAPI_ONLY or key.startswith("x-"):
            continue
        if key == "$ref":
            converted["$ref"] = "#/$defs/" + value.rsplit("/", 1)[1]
        elif key == "properties":
            converted[key] = {name: to_json_schema(schema) for name, schema in value.items()}
        elif key == "oneOf" and _overlap_only_in_null(value):
            # GitHub writes oneOf of alternatives that are each nullable (validation-error's
            # value): null matches all of them, which a strict oneOf refuses. What it means,
            # and what the client decodes, is "one of these, or null".
            converted["anyOf"] = to_json_schema(value)
        else:
            converted[key] = to_json_schema(value)
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _overlap_only_in_null(alternatives: list[Any]) -> bool:
    """Whether the alternatives are of distinct JSON types, several of them nullable."""
    kinds = [a.get("type") for a in alternatives if isinstance(a, dict)]
    nullable = sum(isinstance(a, dict) and a.get("nullable") is True for a in alternatives)
    return None not in kinds and len(set(kinds)) == len(alternatives) and nullable > 1


def canonical_date_time(text: str) -> str:
    moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    return moment.isoformat()


def load_contract(spec_dir: Path = SPEC_DIR) -> Contract:
    if spec_dir not in _contracts:
        _contracts[spec_dir] = Contract(spec_dir)
    return _contracts[spec_dir]


_contracts: dict[Path, Contract] = {}
