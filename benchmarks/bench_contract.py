"""Contract suite throughput: hypothesis examples per second, per test (per status path).

When contract_tests/ holds tests, runs ``pytest contract_tests --hypothesis-show-statistics``
(status-path test files first, then the rest) under the suite's ``ci`` hypothesis profile
(derandomized, so every run draws the same examples) unless ``HYPOTHESIS_PROFILE`` says
otherwise; otherwise it reports "not available yet". A small plugin
(``benchmarks._contract_plugin``) records every finished test as it finishes, and stops the
run at the time budget, so a suite longer than the budget still gives figures for what ran.

For each test hypothesis ran, the examples are the test cases its statistics count (passing,
failing and invalid, every phase); the time is the test's setup + call + teardown.

The baseline is a no-op hypothesis test (``@given(st.integers())``, 100 examples, database
off) run the same way right after the suite: the rate of a test that does nothing, so that
"slowdown" says how many times slower than hypothesis' own floor each test runs.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks._harness import ROOT, Config, Table, child_env, ratio, run_child

SUITE = ROOT / "contract_tests"
_TEST_DEF = re.compile(r"^\s*(?:async\s+)?def test_", re.MULTILINE)
_COUNTS = re.compile(r"- (\d+) passing, (\d+) failing, and (\d+) invalid test cases")
_TYPICAL = re.compile(r"- Typical runtimes: (.+?), of which (.+?) in data generation")

FLOOR_TEST = """
from hypothesis import given, settings, strategies as st


@settings(max_examples=100, database=None, deadline=None)
@given(st.integers())
def test_no_op(value):
    pass
"""


@dataclass(frozen=True)
class Rate:
    test: str
    examples: int
    seconds: float
    failed: bool
    typical: str
    """Hypothesis' typical runtime of one example and how much of it drawing data took."""

    @property
    def per_second(self) -> float:
        return self.examples / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class SuiteRun:
    rates: list[Rate]
    collected: int
    finished: int
    returncode: int
    tail: str


def suite_files(suite: Path) -> list[Path]:
    """The files of ``suite`` that define pytest tests, status-path files first."""
    files = [
        path
        for path in sorted(suite.rglob("*.py"))
        if (path.name.startswith("test_") or path.name.endswith("_test.py"))
        and _TEST_DEF.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    return sorted(files, key=lambda path: "status" not in path.name)


def examples_in(statistics: str) -> int:
    """Test cases over every phase, from hypothesis' statistics text of one test."""
    return sum(sum(int(n) for n in match) for match in _COUNTS.findall(statistics))


def typical(statistics: str) -> str:
    """``~ 45ms / ~ 40ms``: a typical example's runtime and its data generation part."""
    found = _TYPICAL.findall(statistics)
    return " / ".join(found[-1]) if found else "-"


def run_suite(files: list[Path], root: Path, budget: float, profile: str | None) -> SuiteRun:
    """Run pytest on ``files`` from ``root``, the folder that holds the suite.

    ``root`` is also pytest's rootdir, given explicitly: test ids (and so the tables' labels)
    are relative to it wherever the project lives. Left to itself, pytest roots a suite outside
    the project at the common ancestor of the suite and the working directory, which depends
    on where the project was cloned.
    """
    with tempfile.TemporaryDirectory(prefix="bench-contract-") as tmp:
        log = Path(tmp) / "tests.jsonl"
        env = child_env(
            PYTHONPATH=str(ROOT), BENCH_CONTRACT_LOG=str(log), BENCH_CONTRACT_BUDGET=str(budget)
        )
        if profile and "HYPOTHESIS_PROFILE" not in os.environ:
            env["HYPOTHESIS_PROFILE"] = profile
        command = [sys.executable, "-m", "pytest", *map(str, files), "-q", "-p", "no:cacheprovider"]
        command += ["--rootdir", str(root)]
        command += ["-p", "benchmarks._contract_plugin", "--hypothesis-show-statistics"]
        result = run_child(command, cwd=root, env=env, timeout=budget + 120)
        records = (
            [json.loads(line) for line in log.read_text().splitlines()] if log.is_file() else []
        )
    collected = sum(r.get("collected", 0) for r in records)
    tests = [r for r in records if "test" in r]
    rates = [
        Rate(
            r["test"],
            examples_in(r["statistics"]),
            r["seconds"],
            r["failed"],
            typical(r["statistics"]),
        )
        for r in tests
        if r.get("statistics")
    ]
    return SuiteRun(
        rates,
        collected,
        len(tests),
        result.returncode,
        result.stdout[-2000:] + result.stderr[-1000:],
    )


COLUMNS = (
    "examples",
    "seconds",
    "examples/s",
    "slowdown vs no-op hypothesis test",
    "typical example / of which data generation",
)


def function_of(test: str) -> str:
    """``file.py::test_x[params]`` -> ``file.py::test_x``."""
    return test.split("[", 1)[0]


def run(config: Config, suite: Path = SUITE) -> list[Table]:
    paths = Table(
        "contract",
        "Contract suite throughput per status path (hypothesis examples per second)",
        ("status-path test", *COLUMNS),
    )
    files = suite_files(suite) if suite.is_dir() else []
    if not files:
        paths.add(f"{suite.name}/", "not available yet", "-", "-", "-", "-", ours=True)
        paths.note(f"{suite.name}/ holds no tests yet; rerun `make bench` once it does.")
        return [paths]
    budget = 15.0 if config.quick else 35.0
    suite_run = run_suite(files, root=suite.parent, budget=budget, profile="ci")
    with tempfile.TemporaryDirectory(prefix="bench-contract-floor-") as tmp:
        floor_file = Path(tmp) / "test_floor.py"
        floor_file.write_text(FLOOR_TEST, encoding="utf-8")
        floor_run = run_suite([floor_file], root=Path(tmp), budget=0, profile=None)
    if floor_run.returncode != 0 or not floor_run.rates:
        raise RuntimeError(f"the no-op hypothesis test did not run:\n{floor_run.tail}")
    if not suite_run.rates:
        raise RuntimeError(
            f"pytest {suite.name} (exit {suite_run.returncode}) gave no hypothesis statistics:\n"
            f"{suite_run.tail}"
        )
    floor = floor_run.rates[0]
    floor_cells = (
        str(floor.examples),
        f"{floor.seconds:.3f}",
        f"{floor.per_second:,.0f}",
        "1.00x",
        floor.typical,
    )
    prefix = f"{suite.name}/"

    # Status paths: every parametrization of the status-path test files, one row each.
    status = [r for r in suite_run.rates if "status" in r.test.split("::", 1)[0]]
    functions = {function_of(r.test) for r in status}
    for rate in status:
        label = rate.test.removeprefix(prefix)
        if len(functions) == 1 and "[" in label:
            label = "[" + label.split("[", 1)[1]  # the function is named in the note
        paths.add(
            label + (" (FAILED)" if rate.failed else ""),
            str(rate.examples),
            f"{rate.seconds:.3f}",
            f"{rate.per_second:,.0f}",
            ratio(floor.per_second, rate.per_second),
            rate.typical,
            ours=True,
        )
    if not status:
        paths.add("no status-path test file (named *status*)", "-", "-", "-", "-", "-", ours=True)
    paths.add("no-op hypothesis test (baseline)", *floor_cells)
    if len(functions) == 1:
        paths.note(f"Test: `{next(iter(functions)).removeprefix(prefix)}`, one row per parameter.")

    # Every hypothesis test function of the suite, its parametrizations added up.
    by_function = Table(
        "contract-functions",
        "Contract suite throughput per test function (parametrizations added up)",
        ("test function", "parametrizations", *COLUMNS[:4], "slowest parametrization examples/s"),
    )
    grouped: dict[str, list[Rate]] = {}
    for rate in suite_run.rates:
        grouped.setdefault(function_of(rate.test), []).append(rate)
    for function, rates in grouped.items():
        examples = sum(r.examples for r in rates)
        seconds = sum(r.seconds for r in rates)
        per_second = examples / seconds if seconds > 0 else 0.0
        failed = sum(r.failed for r in rates)
        by_function.add(
            function.removeprefix(prefix) + (f" ({failed} FAILED)" if failed else ""),
            str(len(rates)),
            str(examples),
            f"{seconds:.2f}",
            f"{per_second:,.0f}",
            ratio(floor.per_second, per_second),
            f"{min(r.per_second for r in rates):,.0f}",
            ours=True,
        )
    by_function.add("no-op hypothesis test (baseline)", "1", *floor_cells[:4], floor_cells[2])
    examples = sum(r.examples for r in suite_run.rates)
    seconds = sum(r.seconds for r in suite_run.rates)
    stopped = suite_run.finished < suite_run.collected
    by_function.note(
        f"{len(suite_run.rates)} hypothesis tests of {suite_run.finished} tests run "
        f"({suite_run.collected} collected), status-path tests first; "
        + (
            f"the run was stopped at the {budget:.0f} s budget. "
            if stopped
            else "the whole suite ran. "
        )
        + f"{examples:,} examples in {seconds:.1f} s of test time "
        f"({examples / seconds if seconds else 0:,.0f}/s overall); pytest exit status "
        f"{suite_run.returncode}. Hypothesis profile: "
        f"{os.environ.get('HYPOTHESIS_PROFILE', 'ci')}. Examples: test cases hypothesis counts "
        "(passing, failing, invalid; every phase); time: setup + call + teardown."
    )
    return [paths, by_function]


if __name__ == "__main__":
    for table in run(Config()):
        print(table.markdown())
