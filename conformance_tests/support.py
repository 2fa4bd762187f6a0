"""What the conformance tests know of the upstream description, and how they drive the client.

The client under test is the generated one, sync and async, with an ``http_client`` whose event
hooks add what a run against Prism needs to each request (``application/json`` in ``Accept``,
which Prism negotiates on, and the ``Prefer`` header that picks the answer) and keep every
exchange, with the violations Prism reported for it.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import trio
from jsonschema import Draft202012Validator

from contract_tests.support import ROOT, TOKEN, Contract, StatusPath, to_json_schema
from generator.drift.extract import Location
from generator.model import ir
from generator.reading import pointer as jp

# GitHub's own media type is not in its description; Prism negotiates on the JSON one.
GITHUB_MEDIA_TYPE = "application/vnd.github+json"
KINDS = ("sync", "asyncio", "trio")

UPSTREAM = Path(os.environ.get("CONFORMANCE_UPSTREAM", ROOT / ".upstream" / "api.github.com.json"))
PRISM = Path(
    os.environ.get("CONFORMANCE_PRISM", ROOT / ".prism" / "node_modules" / ".bin" / "prism")
)

TALLY: Counter[str] = Counter()
"""What the run saw: requests sent, and each kind of outcome (printed at the end)."""


@dataclass(frozen=True)
class Exchange:
    """One request the client sent to Prism, and Prism's answer."""

    method: str
    url: str
    status: int
    content_type: str
    body: bytes
    violations: tuple[dict[str, Any], ...]

    @property
    def request_violations(self) -> tuple[dict[str, Any], ...]:
        return tuple(v for v in self.violations if v.get("location", [""])[0] == "request")


@dataclass
class Recorder:
    """The event hooks of the client's http_client: the headers a run sets, the exchanges kept."""

    prefer: str | None = None
    accept: str = f"{GITHUB_MEDIA_TYPE}, application/json"
    exchanges: list[Exchange] = field(default_factory=list)

    def on_request(self, request: httpx.Request) -> None:
        request.headers["Accept"] = self.accept
        if self.prefer is not None:
            request.headers["Prefer"] = self.prefer

    def on_response(self, response: httpx.Response) -> None:
        response.read()
        self._keep(response)

    async def aon_request(self, request: httpx.Request) -> None:
        self.on_request(request)

    async def aon_response(self, response: httpx.Response) -> None:
        await response.aread()
        self._keep(response)

    def _keep(self, response: httpx.Response) -> None:
        violations = json.loads(response.headers.get("sl-violations", "[]"))
        self.exchanges.append(
            Exchange(
                response.request.method,
                str(response.request.url),
                response.status_code,
                response.headers.get("content-type", "").split(";")[0].strip(),
                response.content,
                tuple(violations),
            )
        )


@dataclass(frozen=True)
class Planned:
    """One call to make: its keyword arguments and the answer asked of Prism."""

    arguments: dict[str, Any]
    prefer: str | None = None
    accept: str | None = None


@dataclass(frozen=True)
class Outcome:
    planned: Planned
    result: Any  # the APIResponse, or the exception the call raised
    exchange: Exchange | None


@contextmanager
def sync_client(contract: Contract, url: str, recorder: Recorder) -> Iterator[Any]:
    """The generated ``Client``, sending through an http client with ``recorder``'s hooks."""
    hooks: Any = {"request": [recorder.on_request], "response": [recorder.on_response]}
    with (
        httpx.Client(event_hooks=hooks) as http,
        contract.package.Client(TOKEN, base_url=url, max_retries=0, http_client=http) as client,
    ):
        yield client


def path_values(contract: Contract, op: ir.Operation) -> tuple[str, ...]:
    """A valid value of each path parameter of ``op`` (a number where the schema wants one)."""
    return tuple(
        f"{p.name}-value"
        if isinstance(p.type, ir.Primitive) and p.type.kind == "str"
        else str(contract.minimal(p.type))  # a number, an enum value
        for p in op.parameters
        if p.location == "path"
    )


def answers(contract: Contract, op: ir.Operation) -> list[StatusPath]:
    """Every documented (status, content type) of ``op`` that Prism can be asked for: each
    numeric status, with an empty content type for one that documents no body."""
    key = contract.operation_key(op)
    found = []
    for response in op.responses:
        if response.code is None:  # a range or "default": no one status to ask for
            continue
        found += [
            StatusPath(key, response.status, c.content_type, c.type) for c in response.contents
        ]
        if not response.contents:
            found.append(StatusPath(key, response.status, "", None))
    return found


def call_once(
    client: Any, recorder: Recorder, contract: Contract, op: ir.Operation, planned: Planned
) -> Outcome:
    """One call of ``op`` through a sync ``client``."""
    start = _before(recorder, planned)
    method = getattr(getattr(client, op.namespace).with_response, op.method_name)
    try:
        result = method(*path_values(contract, op), **planned.arguments)
    except Exception as error:  # every outcome is the test's to judge
        result = error
    return _outcome(recorder, planned, start, result)


def _before(recorder: Recorder, planned: Planned) -> int:
    recorder.prefer = planned.prefer
    recorder.accept = planned.accept or Recorder.accept
    return len(recorder.exchanges)


def _outcome(recorder: Recorder, planned: Planned, start: int, result: Any) -> Outcome:
    sent = recorder.exchanges[start:]
    return Outcome(planned, result, sent[-1] if sent else None)


def run_calls(
    kind: str, contract: Contract, url: str, op: ir.Operation, plan: list[Planned]
) -> list[Outcome]:
    """Make every call of ``plan`` through one client of ``kind`` (sync, asyncio or trio)."""
    recorder = Recorder()
    if kind == "sync":
        with sync_client(contract, url, recorder) as client:
            return [call_once(client, recorder, contract, op, planned) for planned in plan]
    path = path_values(contract, op)

    async def calls() -> list[Outcome]:
        hooks: Any = {"request": [recorder.aon_request], "response": [recorder.aon_response]}
        outcomes = []
        async with (
            httpx.AsyncClient(event_hooks=hooks) as http,
            contract.package.AsyncClient(
                TOKEN, base_url=url, max_retries=0, http_client=http
            ) as client,
        ):
            method = getattr(getattr(client, op.namespace).with_response, op.method_name)
            for planned in plan:
                start = _before(recorder, planned)
                try:
                    result = await method(*path, **planned.arguments)
                except Exception as error:  # every outcome is the test's to judge
                    result = error
                outcomes.append(_outcome(recorder, planned, start, result))
        return outcomes

    runner: Callable[[Callable[[], Coroutine[Any, Any, list[Outcome]]]], list[Outcome]]
    runner = (lambda f: asyncio.run(f())) if kind == "asyncio" else trio.run
    return runner(calls)


def prefer(answer: StatusPath, seed: int | None = None) -> str:
    """The ``Prefer`` header asking Prism for ``answer``: its static body, or a random one."""
    if seed is None:
        return f"code={answer.status}, dynamic=false"
    return f"code={answer.status}, dynamic=true, seed={seed}"


def accept(answer: StatusPath) -> str | None:
    """The ``Accept`` header asking for ``answer``'s content type (the default if it has none)."""
    return f"{GITHUB_MEDIA_TYPE}, {answer.content_type}" if answer.content_type else None


@dataclass(frozen=True)
class Upstream:
    """The cut of the upstream description that Prism serves: the spec's operations and every
    component they reach."""

    document: dict[str, Any]
    locations: dict[str, Location]  # operationId -> where it is

    def response_schema(self, op: ir.Operation, answer: StatusPath) -> dict[str, Any]:
        location = self.locations[op.operation_id]
        node = self.document["paths"][location.path][location.method]["responses"][answer.status]
        if "$ref" in node:
            node = jp.resolve(self.document, jp.ref_pointer(node["$ref"]))
        schema: dict[str, Any] = node["content"][answer.content_type]["schema"]
        return schema

    def validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        """A validator of ``schema`` against upstream's own components, formats checked."""
        schemas = self.document.get("components", {}).get("schemas", {})
        definitions = {name: to_json_schema(s) for name, s in schemas.items()}
        return Draft202012Validator(
            {**to_json_schema(schema), "$defs": definitions},
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
