"""pytest plugin of the contract benchmark (``-p benchmarks._contract_plugin``).

Streams one JSON line per finished test to ``$BENCH_CONTRACT_LOG``: its node id, its duration
(setup, call and teardown, as pytest measures them), its outcome and hypothesis' statistics
text for it. After ``$BENCH_CONTRACT_BUDGET`` seconds it asks pytest to stop after the current
test, so that a suite longer than the benchmark's budget still gives figures for what ran.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Generator
from typing import Any

import pytest

_START = time.monotonic()
_durations: defaultdict[str, float] = defaultdict(float)


def _write(record: dict[str, Any]) -> None:
    path = os.environ.get("BENCH_CONTRACT_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")


def pytest_collection_finish(session: pytest.Session) -> None:
    _write({"collected": len(session.items)})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    _durations[item.nodeid] += report.duration
    if report.failed:
        _durations[item.nodeid + " failed"] = 1
    if report.when != "teardown":
        return
    _write(
        {
            "test": item.nodeid,
            "seconds": _durations.pop(item.nodeid),
            "failed": bool(_durations.pop(item.nodeid + " failed", 0)),
            "statistics": getattr(item, "hypothesis_statistics", None),
        }
    )
    budget = float(os.environ.get("BENCH_CONTRACT_BUDGET") or 0)
    if budget and time.monotonic() - _START > budget:
        item.session.shouldstop = f"benchmark time budget of {budget:.0f} s reached"
