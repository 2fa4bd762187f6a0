"""The intermediate model: the spec with every ``$ref`` resolved and every name decided.

Renderers read only this; none of them looks at the spec document again. Everything is a
frozen dataclass, so a stage cannot change what an earlier stage decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

PrimitiveKind = Literal["str", "int", "float", "bool", "datetime", "date", "any"]


@dataclass(frozen=True)
class Primitive:
    """A JSON scalar; ``format`` as the spec states it (``int64``, ``uri``, ...)."""

    kind: PrimitiveKind
    format: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None  # a regular expression a string matches somewhere (JSON Schema)


@dataclass(frozen=True)
class ArrayOf:
    items: TypeExpr
    items_nullable: bool = False


@dataclass(frozen=True)
class MapOf:
    """A JSON object with free-form keys (``additionalProperties``)."""

    values: TypeExpr
    values_nullable: bool = True


@dataclass(frozen=True)
class ModelRef:
    name: str


@dataclass(frozen=True)
class EnumRef:
    name: str


@dataclass(frozen=True)
class UnionRef:
    """One of several types (``oneOf`` / ``anyOf``): see ``Union``."""

    name: str


TypeExpr = Primitive | ArrayOf | MapOf | ModelRef | EnumRef | UnionRef


def leaves(type_: TypeExpr) -> Iterator[TypeExpr]:
    """The types inside arrays and maps: ``list[dict[str, Pet]]`` -> ``Pet``."""
    if isinstance(type_, ArrayOf):
        yield from leaves(type_.items)
    elif isinstance(type_, MapOf):
        yield from leaves(type_.values)
    else:
        yield type_


@dataclass(frozen=True)
class Field:
    """One property of an object schema."""

    wire_name: str
    attr: str
    type: TypeExpr
    required: bool
    nullable: bool
    description: str | None
    pointer: str
    default: object = None


@dataclass(frozen=True)
class Model:
    """An object schema, rendered as a dataclass."""

    name: str
    description: str | None
    fields: tuple[Field, ...]
    pointer: str
    schema_name: str | None = None  # its key under components/schemas, when it has one
    # Properties beyond ``fields`` (``additionalProperties`` beside ``properties``): their type,
    # and the attribute that holds them as a dict. None: other properties are ignored.
    extra: TypeExpr | None = None
    extra_nullable: bool = False
    extra_attr: str = "additional_properties"


@dataclass(frozen=True)
class Enum:
    """An enumeration of strings, integers or both, rendered as an enum class."""

    name: str
    values: tuple[str | int, ...]
    members: tuple[str, ...]
    description: str | None
    pointer: str


@dataclass(frozen=True)
class Union:
    """A value of one of several types: ``oneOf`` / ``anyOf``.

    A value is told apart by ``discriminator`` when the spec names one (``mapping``: its
    values -> the index of the variant), else by its JSON type, then by the required
    properties of the object variants; the first variant that accepts it wins.
    """

    name: str
    variants: tuple[TypeExpr, ...]
    description: str | None
    pointer: str
    discriminator: str | None = None
    mapping: tuple[tuple[str, int], ...] = ()
    alias: bool = False  # a component schema: named in the models module, as a type alias


@dataclass(frozen=True)
class Parameter:
    """A path, query or header parameter of an operation."""

    name: str
    attr: str
    location: Literal["path", "query", "header"]
    required: bool
    type: TypeExpr
    nullable: bool
    description: str | None
    pointer: str
    # A list value as the parameter repeated (?id=1&id=2), not one comma-separated value.
    explode: bool = True


@dataclass(frozen=True)
class Argument:
    """A keyword argument of an operation method that sets one body property."""

    name: str
    field: Field  # the property; ``field.attr`` is its attribute on the body model


@dataclass(frozen=True)
class RequestBody:
    """A JSON request body; its properties become keyword arguments when it is an object."""

    content_type: str
    type: TypeExpr
    required: bool
    nullable: bool
    description: str | None
    pointer: str
    arguments: tuple[Argument, ...] = ()  # keyword arguments, one per property of an object body


@dataclass(frozen=True)
class ResponseContent:
    content_type: str
    type: TypeExpr | None  # None: no data to decode (no schema, one declaring nothing, not JSON)
    is_json: bool
    binary: bool = False  # a body that is not JSON: bytes, rather than text


@dataclass(frozen=True)
class Response:
    """What one status code (or ``4XX`` / ``default``) carries."""

    status: str
    description: str
    contents: tuple[ResponseContent, ...]
    pointer: str
    headers: tuple[str, ...] = ()  # the names of the headers it documents, as the spec writes them

    @property
    def code(self) -> int | None:
        return int(self.status) if self.status.isdigit() else None

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")


@dataclass(frozen=True)
class Pagination:
    """How a list operation's answer holds one page of items (``info.x-client.pagination``)."""

    items_field: Field | None  # the wrapper's one array property; None: the body is the array
    items: TypeExpr
    items_nullable: bool
    total_field: Field | None  # the wrapper's count of every item, when it has one


@dataclass(frozen=True)
class Operation:
    operation_id: str
    namespace: str
    method_name: str
    http_method: str
    path: str
    summary: str | None
    description: str | None
    docs_url: str | None
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    responses: tuple[Response, ...]
    pointer: str
    pagination: Pagination | None = None

    @property
    def success_responses(self) -> tuple[Response, ...]:
        """The 2xx answers; for an operation that documents none, its 3xx (a redirect)."""
        found = tuple(r for r in self.responses if r.is_success)
        return found or tuple(r for r in self.responses if r.status.startswith("3"))

    @property
    def error_responses(self) -> tuple[Response, ...]:
        success = self.success_responses
        return tuple(r for r in self.responses if r not in success)


@dataclass(frozen=True)
class RateLimitSettings:
    """How the API reports rate limits (``info.x-client.rate-limit``)."""

    statuses: tuple[int, ...]
    remaining_header: str | None
    reset_header: str | None
    secondary_marker: str | None
    secondary_wait: float  # seconds to wait on a secondary limit that does not say how long


@dataclass(frozen=True)
class PaginationSettings:
    """How the API pages its lists (``info.x-client.pagination``); None: it does not say."""

    page_parameter: str | None  # with size_parameter: an operation taking both is a list
    size_parameter: str | None
    link_header: str  # links the next page; a success response documenting it is a list
    total_property: str | None


@dataclass(frozen=True)
class Remedy:
    """An operation a waiter calls once, when the caller asks, instead of failing on a value."""

    operation: Operation
    option: str  # the waiter method's keyword argument that asks for it
    description: str | None
    arguments: tuple[str, ...]  # the remedy's path parameters, named as the polled operation's


@dataclass(frozen=True)
class Acceptor:
    """One value of the watched path and what it means: botocore's acceptor."""

    state: Literal["success", "failure", "retry"]
    expected: str | int | bool
    remedy: Remedy | None
    pointer: str


@dataclass(frozen=True)
class Waiter:
    """A method that polls an operation until the value at a path of its answer settles."""

    name: str  # the key under info.x-client.waiters
    method_name: str
    description: str | None
    operation: Operation
    model: ModelRef  # the polled answer's model
    path: tuple[Field, ...]  # from the answer's model to the watched value
    acceptors: tuple[Acceptor, ...]
    delay: float  # seconds before the second poll, when the server does not say
    max_delay: float  # the longest wait between polls that backing off reaches
    timeout: float  # the default deadline, in seconds
    pointer: str


@dataclass(frozen=True)
class ClientSettings:
    """How the client talks to the API (``info.x-client`` in the spec)."""

    package: str
    distribution: str
    user_agent: str
    token_env: str | None
    auth_scheme: str
    headers: tuple[tuple[str, str], ...]
    request_id_header: str
    rate_limit: RateLimitSettings
    base_url: str
    pagination: PaginationSettings | None = None
    poll_interval_header: str | None = None  # the least seconds between two polls, if sent


@dataclass(frozen=True)
class Api:
    """Everything the renderers need."""

    title: str
    version: str
    description: str | None
    client: ClientSettings
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    operations: tuple[Operation, ...]
    tag_descriptions: tuple[tuple[str, str], ...]  # (namespace, description)
    spec_sha256: str
    waiters: tuple[Waiter, ...] = ()
    unions: tuple[Union, ...] = ()

    @cached_property
    def _by_name(self) -> dict[str, Model | Enum | Union]:
        return {
            **{m.name: m for m in self.models},
            **{e.name: e for e in self.enums},
            **{u.name: u for u in self.unions},
        }

    def model(self, name: str) -> Model:
        found = self._by_name[name]
        assert isinstance(found, Model), name
        return found

    def enum(self, name: str) -> Enum:
        found = self._by_name[name]
        assert isinstance(found, Enum), name
        return found

    def union(self, name: str) -> Union:
        found = self._by_name[name]
        assert isinstance(found, Union), name
        return found

    @property
    def error_statuses(self) -> tuple[int, ...]:
        """Every documented error status code, each rendered as its own exception class."""
        return tuple(
            sorted(
                {r.code for op in self.operations for r in op.error_responses if r.code is not None}
            )
        )
