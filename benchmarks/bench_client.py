"""Per-call overhead of a create call through the generated client over a bare httpx request.

Both sides use the same ``httpx.MockTransport`` answering 201 with the full fixture body, so
no socket is involved and what remains is the cost of the Python on each side: building the
request, httpx's own machinery, reading the answer, decoding it. The baseline is a bare
``httpx.Client.post`` (same URL, headers and ``{}`` body) followed by ``json.loads``.

To attribute the overhead, the table also has the bare request without ``json.loads``, the bare
request decoded with our own ``Codespace.from_dict`` (the same decoding as the client), and our
client with its typed decoding stubbed out: for that row the operation's ``ResponseMap`` (a
module global of ``github_codespaces._resources.codespaces``) is swapped for one whose decoders
return the parsed JSON as it is, so everything but ``from_dict`` still runs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx

from benchmarks._harness import (
    FIXTURE,
    Config,
    Sample,
    Table,
    acompare,
    compare,
    ratio,
    us,
    use_generated_package,
)

URL = "https://api.github.com/repos/octo-org/hello-world/codespaces"
TOKEN = "ghp_BenchmarkToken000000000000000000000"
HEADERS = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "github-codespaces-python/bench",
    "Authorization": f"Bearer {TOKEN}",
    "Content-Type": "application/json",
}

BARE = "bare httpx post, no JSON decoding"
BASELINE = "bare httpx post + json.loads (baseline)"
BARE_TYPED = "bare httpx post + json.loads + Codespace.from_dict"
OURS = "ours: codespaces.create_with_repo_for_authenticated_user"
OURS_RESPONSE = "ours: with_response.create_with_repo_for_authenticated_user"
OURS_STUB = "ours, typed decoding stubbed (json.loads still runs)"


def transport() -> httpx.MockTransport:
    body = FIXTURE.read_bytes()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            201,
            content=body,
            headers={"content-type": "application/json; charset=utf-8"},
        )

    return httpx.MockTransport(answer)


def response_maps() -> dict[str, Any]:
    """The operations' ``ResponseMap`` globals of the codespaces namespace, by name."""
    from github_codespaces._resources import codespaces as module

    return {
        name: value
        for name, value in vars(module).items()
        if type(value).__name__ == "ResponseMap" and hasattr(value, "success")
    }


@contextmanager
def typed_decoding_stubbed() -> Iterator[None]:
    """Swap every operation's ``ResponseMap`` for one that only parses the JSON body."""
    from github_codespaces._resources import codespaces as module

    originals = response_maps()

    try:
        for name, value in originals.items():
            success = {
                status: dict.fromkeys(decoders, json.loads)
                for status, decoders in value.success.items()
            }
            setattr(module, name, type(value)(success=success, errors=value.errors))
        yield
    finally:
        for name, value in originals.items():
            setattr(module, name, value)


def _table(kind: str, samples: dict[str, Sample], stubbed: bool) -> Table:
    table = Table(
        f"client-{kind}",
        f"{kind.capitalize()} create call on httpx.MockTransport (201, full body), per call",
        ("path", "min µs", "median µs", "÷ bare httpx + json.loads (of mins)"),
    )
    base = samples[BASELINE].min
    for label in (BARE, BASELINE, BARE_TYPED, OURS, OURS_RESPONSE, OURS_STUB):
        if label not in samples:
            table.skip(label, "n/a: no ResponseMap global found in the codespaces namespace")
            continue
        s = samples[label]
        table.add(label, us(s.min), us(s.median), ratio(s.min, base), ours=label.startswith("ours"))
    typed = samples[BARE_TYPED].min
    ours = samples[OURS].min
    table.note(
        f"With decoding on both sides (ours vs bare + json.loads + from_dict): the client adds "
        f"{us(ours - typed)} µs per call ({ratio(ours, typed)})."
    )
    if stubbed and OURS_STUB in samples:
        stub = samples[OURS_STUB].min
        table.note(
            f"Without typed decoding (ours stubbed vs bare + json.loads): the client adds "
            f"{us(stub - base)} µs per call ({ratio(stub, base)}); "
            f"typed decoding (from_dict) costs {us(ours - stub)} µs of the full call."
        )
    return table


def run(config: Config) -> list[Table]:
    use_generated_package()
    from github_codespaces import AsyncClient, Client
    from github_codespaces.models import Codespace

    name = json.loads(FIXTURE.read_bytes())["name"]
    stubbed = bool(response_maps())

    # -- sync ---------------------------------------------------------------------------------
    with httpx.Client(transport=transport()) as http, Client(TOKEN, http_client=http) as client:
        create = client.codespaces.create_with_repo_for_authenticated_user
        create_response = client.codespaces.with_response.create_with_repo_for_authenticated_user
        if create("octo-org", "hello-world").name != name:
            raise AssertionError("the client decoded the fixture wrongly")

        def bare() -> httpx.Response:
            return http.post(URL, content=b"{}", headers=HEADERS)

        sync: dict[str, Callable[[], object]] = {
            BARE: bare,
            BASELINE: lambda: json.loads(bare().content),
            BARE_TYPED: lambda: Codespace.from_dict(json.loads(bare().content)),
            OURS: lambda: create("octo-org", "hello-world"),
            OURS_RESPONSE: lambda: create_response("octo-org", "hello-world"),
        }
        around: dict[str, Callable[[], AbstractContextManager[object]]] = {}
        if stubbed:
            with typed_decoding_stubbed():
                if not isinstance(create("octo-org", "hello-world"), dict):
                    raise AssertionError("stubbing the typed decoding did not take")
            sync[OURS_STUB] = lambda: create("octo-org", "hello-world")
            around[OURS_STUB] = typed_decoding_stubbed
        sync_samples = compare(sync, config, around)

    # -- async --------------------------------------------------------------------------------
    async def measure_async() -> dict[str, Sample]:
        async with (
            httpx.AsyncClient(transport=transport()) as http,
            AsyncClient(TOKEN, http_client=http) as client,
        ):
            create = client.codespaces.create_with_repo_for_authenticated_user
            create_response = (
                client.codespaces.with_response.create_with_repo_for_authenticated_user
            )

            async def bare() -> httpx.Response:
                return await http.post(URL, content=b"{}", headers=HEADERS)

            async def bare_json() -> object:
                return json.loads((await bare()).content)

            async def bare_typed() -> object:
                return Codespace.from_dict(json.loads((await bare()).content))

            async def ours() -> object:
                return await create("octo-org", "hello-world")

            async def ours_response() -> object:
                return await create_response("octo-org", "hello-world")

            candidates: dict[str, Callable[[], Awaitable[object]]] = {
                BARE: bare,
                BASELINE: bare_json,
                BARE_TYPED: bare_typed,
                OURS: ours,
                OURS_RESPONSE: ours_response,
            }
            if stubbed:
                candidates[OURS_STUB] = ours
            return await acompare(candidates, config, around)

    async_samples = asyncio.run(measure_async())
    tables = [_table("sync", sync_samples, stubbed), _table("async", async_samples, stubbed)]
    tables[0].note(
        f"Min and median of {config.repeat} interleaved repeats of ~"
        f"{config.block_seconds * 1000:.0f} ms blocks. Async: the calls awaited one after "
        "another in one event loop."
    )
    return tables


if __name__ == "__main__":
    for table in run(Config()):
        print(table.markdown())
