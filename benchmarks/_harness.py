"""Shared timing and reporting helpers of the benchmarks.

Every figure a benchmark reports is a ratio against a named baseline measured in the same run
on the same input: absolute times on these machines move by tens of percent from one run to the
next, ratios taken from interleaved measurements much less.

* In-process timings (:func:`compare`, :func:`compare_async`) run the candidates round-robin:
  repeat ``r`` times "each candidate for ``n`` calls", so that a slow patch of the machine hits
  every candidate alike. Each repeat gives one per-call time; the tables show the minimum and
  the median of the repeats and take ratios of minimums. The garbage collector stays enabled
  (it is part of what a caller pays) and is run before every block.
* Child processes (:func:`run_child`) are timed wall-clock from fork to exit; their peak
  memory is ``ru_maxrss`` from ``wait4``: the largest resident set of the child or of any
  process it waited for (so a ``ruff`` subprocess counts, as the biggest single process),
  taken by a bare launcher process so that this process's own size does not leak into it.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
GENERATED_DIR = ROOT / "generated"
FIXTURE = ROOT / "tests" / "fixtures" / "codespace.json"
PACKAGE = "github_codespaces"

# The libraries whose versions decide the figures; "not installed" where absent.
LIBRARIES = (
    "httpx",
    "pydantic",
    "pydantic-core",
    "msgspec",
    "openapi-python-client",
    "datamodel-code-generator",
    "jinja2",
    "jsonschema",
    "ruff",
    "hypothesis",
    "pytest",
)


@dataclass(frozen=True)
class Config:
    """How hard to measure: ``quick`` is for the smoke test (every part runs, figures are noise)."""

    quick: bool = False
    sizes: tuple[int, ...] = (1, 10, 100)
    """Operation counts of the synthetic specs of the generation benchmark."""

    @property
    def repeat(self) -> int:
        """Repeats of an in-process timing block."""
        return 2 if self.quick else 15

    @property
    def block_seconds(self) -> float:
        """Target duration of one timing block (one repeat of one candidate)."""
        return 0.002 if self.quick else 0.025

    @property
    def process_runs(self) -> int:
        """Fresh processes per measured command."""
        return 1 if self.quick else 5

    @property
    def scaling_sizes(self) -> tuple[int, ...]:
        return (1, 2) if self.quick else self.sizes


# -- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """Per-call (or per-run) seconds, one value per repeat."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def min(self) -> float:
        return min(self.values)


def _calibrate(fn: Callable[[], object], target: float) -> int:
    """Calls per block so that a block lasts about ``target`` seconds (at least one call)."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= target / 4 or number >= 1 << 20:
            return max(1, round(number * target / max(elapsed, 1e-9)))
        number *= 4


Around = Mapping[str, Callable[[], AbstractContextManager[object]]]
"""Per candidate, a context entered around each of its blocks (and its calibration)."""


def compare(
    candidates: Mapping[str, Callable[[], object]], config: Config, around: Around | None = None
) -> dict[str, Sample]:
    """Seconds per call of each candidate, measured round-robin (see the module docstring)."""
    contexts = around or {}
    numbers = {}
    for name, fn in candidates.items():
        with contexts.get(name, nullcontext)():
            numbers[name] = _calibrate(fn, config.block_seconds)
    values: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(config.repeat):
        for name, fn in candidates.items():
            number = numbers[name]
            with contexts.get(name, nullcontext)():
                gc.collect()
                start = time.perf_counter()
                for _ in range(number):
                    fn()
                values[name].append((time.perf_counter() - start) / number)
    return {name: Sample(tuple(v)) for name, v in values.items()}


async def _acalibrate(fn: Callable[[], Awaitable[object]], target: float) -> int:
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            await fn()
        elapsed = time.perf_counter() - start
        if elapsed >= target / 4 or number >= 1 << 20:
            return max(1, round(number * target / max(elapsed, 1e-9)))
        number *= 4


async def acompare(
    candidates: Mapping[str, Callable[[], Awaitable[object]]],
    config: Config,
    around: Around | None = None,
) -> dict[str, Sample]:
    """:func:`compare` for coroutine functions, awaited in the running event loop."""
    contexts = around or {}
    numbers = {}
    for name, fn in candidates.items():
        with contexts.get(name, nullcontext)():
            numbers[name] = await _acalibrate(fn, config.block_seconds)
    values: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(config.repeat):
        for name, fn in candidates.items():
            number = numbers[name]
            with contexts.get(name, nullcontext)():
                gc.collect()
                start = time.perf_counter()
                for _ in range(number):
                    await fn()
                values[name].append((time.perf_counter() - start) / number)
    return {name: Sample(tuple(v)) for name, v in values.items()}


@dataclass(frozen=True)
class ChildResult:
    seconds: float
    peak_rss_kib: int
    returncode: int
    stdout: str
    stderr: str

    def check(self, what: str) -> ChildResult:
        """Raise with the child's output when it failed."""
        if self.returncode != 0:
            raise RuntimeError(
                f"{what} exited with {self.returncode}\n{self.stdout[-3000:]}{self.stderr[-3000:]}"
            )
        return self


LAUNCHER = Path(__file__).resolve().parent / "_launcher.py"


def run_child(
    command: Sequence[str],
    *,
    cwd: Path = ROOT,
    env: Mapping[str, str] | None = None,
    timeout: float = 600.0,
) -> ChildResult:
    """Run ``command``; its wall time, peak RSS, exit status and output.

    It runs under a tiny launcher (see ``_launcher.py``) so that the peak RSS is the child's
    own and not inherited from this process; the time is from fork to exit, without the
    launcher's own start. On timeout the whole process group is killed.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory(prefix="bench-child-") as scratch,
    ):
        record = Path(scratch) / "usage"
        process = subprocess.Popen(
            [sys.executable, "-S", "-E", str(LAUNCHER), str(record), *command],
            cwd=cwd,
            env=None if env is None else dict(env),
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        if record.is_file():
            rss, seconds, code = record.read_text(encoding="utf-8").split()
        else:  # killed before the child finished
            rss, seconds, code = "0", str(timeout), str(process.returncode or -9)
        return ChildResult(
            seconds=float(seconds),
            peak_rss_kib=int(rss),  # kilobytes on Linux
            returncode=int(code),
            stdout=stdout,
            stderr=stderr,
        )


# -- baselines -------------------------------------------------------------------------------


def missing(module: str) -> str | None:
    """Why a baseline cannot run: None when ``module`` is importable here."""
    if importlib.util.find_spec(module) is not None:
        return None
    return (
        f"skipped: `{module}` is not importable in this environment "
        "(the baselines live in .venv-bench; run `make bench`)"
    )


def use_generated_package() -> None:
    """Make ``github_codespaces`` importable from ``generated/`` (as the tests do)."""
    path = str(GENERATED_DIR)
    if path not in sys.path:
        sys.path.insert(0, path)


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(extra)
    return env


# -- tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...] = ()
    ours: bool = False
    """Our side of the comparison: it must always run (the smoke test fails otherwise)."""
    skipped: str | None = None
    """Why a baseline row was not measured."""


@dataclass
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, label: str, *cells: str, ours: bool = False) -> None:
        if len(cells) != len(self.columns) - 1:
            raise ValueError(f"{self.key}: {label!r} has {len(cells)} cells, expected more")
        self.rows.append(Row(label, tuple(cells), ours=ours))

    def skip(self, label: str, reason: str) -> None:
        self.rows.append(Row(label, skipped=reason))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def markdown(self) -> str:
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in self.columns) + "|")
        for row in self.rows:
            if row.skipped is not None:
                cells = [row.skipped] + ["-"] * (len(self.columns) - 2)
            else:
                cells = list(row.cells)
            lines.append("| " + " | ".join([row.label, *cells]) + " |")
        if self.notes:
            lines.append("")
            lines.extend(f"- {note}" for note in self.notes)
        return "\n".join(lines) + "\n"


def us(seconds: float) -> str:
    """Microseconds, three significant figures."""
    value = seconds * 1e6
    return f"{value:.3g}" if value < 1000 else f"{value:,.0f}"


def ms(seconds: float) -> str:
    value = seconds * 1e3
    return f"{value:.3g}" if value < 1000 else f"{value:,.0f}"


def secs(seconds: float) -> str:
    return f"{seconds:.3g}" if seconds < 100 else f"{seconds:,.0f}"


def ratio(value: float, baseline: float) -> str:
    """``value / baseline`` as ``1.23x``."""
    if baseline <= 0:
        return "n/a"
    r = value / baseline
    return f"{r:.2f}x" if r < 100 else f"{r:,.0f}x"


def pct(part: float, whole: float) -> str:
    """``part / whole`` as a percentage: a share is a ratio too."""
    return f"{100 * part / whole:.0f}%" if whole > 0 else "n/a"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


# -- the machine -----------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def library_versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes in the working tree)" if dirty else "")


def machine_lines() -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cores = f"{os.cpu_count()} logical" + (
        f" ({affinity} usable by this process)" if affinity not in (None, os.cpu_count()) else ""
    )
    libraries = ", ".join(f"{name} {v}" for name, v in library_versions().items())
    return [
        f"- CPU: {cpu_model()}, {cores} cores; memory {memory_total()}",
        f"- OS: {platform.platform()}",
        f"- Python: {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable})",
        f"- Libraries: {libraries}",
        f"- Revision: {git_revision()}",
    ]
