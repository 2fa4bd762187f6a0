"""Set-up of the conformance run: the upstream cut, Prism serving it, a tally of the answers.

Prism serves the pinned upstream description (``.upstream/api.github.com.json``, fetched by
``make upstream``), never ``spec/``: the client is held to GitHub's own words, by a validator
this project did not write. It is cut to the spec's operations and the components they reach
(``generator.drift.extract``), which Prism loads in about a second instead of seven.
``CONFORMANCE_UPSTREAM`` and ``CONFORMANCE_PRISM`` point at another description or executable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from conformance_tests.prism import Prism, serving
from conformance_tests.support import PRISM, TALLY, UPSTREAM, Upstream
from contract_tests.support import GENERATED_DIR, Contract, load_contract
from generator.drift.extract import extract
from generator.drift.upstream import read_description

sys.path.insert(0, str(GENERATED_DIR))

REQUEST_VIOLATION = "Violation: request"


@pytest.fixture(scope="session")
def contract() -> Contract:
    return load_contract()


@pytest.fixture(scope="session")
def upstream(contract: Contract, tmp_path_factory: pytest.TempPathFactory) -> Upstream:
    if not UPSTREAM.exists():
        raise FileNotFoundError(f"no upstream description at {UPSTREAM}: run `make upstream`")
    description = read_description(str(UPSTREAM))
    ids = [op.operation_id for op in contract.api.operations]
    subset = extract(description.document, ids, str(UPSTREAM))
    document = {
        "openapi": description.document["openapi"],
        "info": description.document["info"],
        **subset.document,
    }
    return Upstream(document, dict(subset.locations))


@pytest.fixture(scope="session")
def prism(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    folder = tmp_path_factory.mktemp("prism")
    document = folder / "upstream-cut.json"
    document.write_text(json.dumps(upstream.document))
    with serving(PRISM, document, folder / "prism.log") as running:
        yield running
        # Whatever the tests did not see in the sl-violations headers, Prism's log shows.
        violations = [line for line in running.log().splitlines() if REQUEST_VIOLATION in line]
    assert not violations, "Prism found requests that break the description:\n" + "\n".join(
        violations[:20]
    )


@pytest.fixture(autouse=True)
def _no_request_violation_in_prisms_log(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that used Prism: no line of its log says a request broke the description."""
    if "prism" not in request.fixturenames:
        yield
        return
    running: Prism = request.getfixturevalue("prism")
    start = len(running.log())
    yield
    added = running.log()[start:]
    violations = [line for line in added.splitlines() if REQUEST_VIOLATION in line]
    assert not violations, "\n".join(violations[:20])


def pytest_sessionfinish(session: pytest.Session) -> None:
    output: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
    if output is not None:  # a worker of a parallel run: the controller prints the tally
        output["conformance_tally"] = dict(TALLY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    TALLY.update(getattr(node, "workeroutput", {}).get("conformance_tally", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY:
        terminalreporter.write_sep("-", "conformance against Prism")
        terminalreporter.write_line(", ".join(f"{key}: {n}" for key, n in sorted(TALLY.items())))
