"""Set-up of the contract suite: which spec and generated package, and coverage.

The suite is driven by a spec and the package generated from it. By default those are spec/
and generated/; ``CONTRACT_SPEC_DIR`` and ``CONTRACT_GENERATED_DIR`` point it at others (the
coverage-mechanism test generates from a changed copy of the spec and runs the suite on it).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_tests.support import GENERATED_DIR, SPEC_DIR

# Before any test module imports the generated package: the chosen one must win.
sys.path.insert(0, str(GENERATED_DIR))

from contract_tests import coverage
from contract_tests.support import BASE_URL, TOKEN, Contract, load_contract


@pytest.fixture(scope="session")
def contract() -> Contract:
    return load_contract(SPEC_DIR)


def pytest_sessionstart(session: pytest.Session) -> None:
    coverage.start(load_contract(SPEC_DIR))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    report = coverage.report()
    if report is not None:
        terminalreporter.write_sep("-", "contract coverage")
        terminalreporter.write_line(report.text)


def _worker_output(config: pytest.Config) -> dict[str, Any] | None:
    """Where a worker of a parallel run (pytest-xdist) hands data to the controller."""
    output: dict[str, Any] | None = getattr(config, "workeroutput", None)
    return output


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """A parallel run's controller counts what each worker exercised."""
    data = getattr(node, "workeroutput", {}).get("contract_coverage")
    if data is not None:
        coverage.merge(data)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    output = _worker_output(session.config)
    if output is not None:  # a worker saw only its share: the controller reports and enforces
        output["contract_coverage"] = coverage.seen()
        return
    report = coverage.report()
    if report is None:
        return
    destination = os.environ.get("CONTRACT_COVERAGE_REPORT")
    if destination:
        Path(destination).write_text(report.json)
    if os.environ.get("CONTRACT_COVERAGE") == "enforce" and report.missing and exitstatus == 0:
        # The suite passed, yet part of the spec was never exercised: that is a failure too.
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for a module's async calls: the async client's pool belongs to it."""
    event_loop = asyncio.new_event_loop()
    yield event_loop
    event_loop.close()


@pytest.fixture(scope="module", params=["sync", "async"])
def client(
    request: pytest.FixtureRequest, contract: Contract, loop: asyncio.AbstractEventLoop
) -> Iterator[Any]:
    """A client of each kind, built once and reused across examples (building one costs ~20 ms)."""
    if request.param == "sync":
        with contract.package.Client(TOKEN, base_url=BASE_URL, max_retries=0) as sync_client:
            yield sync_client
    else:
        async_client = contract.package.AsyncClient(TOKEN, base_url=BASE_URL, max_retries=0)
        yield async_client
        loop.run_until_complete(async_client.close())
