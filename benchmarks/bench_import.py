"""Import time and memory of the generated package against importing ``httpx`` alone.

Each figure comes from fresh processes (``python -X importtime -c "import X"``), several runs
per contender, interleaved, after one unmeasured run that writes the bytecode caches: this is
the import a long-running program pays once at start, with warm ``.pyc`` files. The package is
imported from a temporary copy of generated/github_codespaces, so that no cache is written into
generated/.

* import time: the ``cumulative`` figure importtime gives the top-level module;
* memory: ``ru_maxrss`` of the process (peak RSS), and in a separate run the bytes the import
  allocated as ``tracemalloc`` sees them (current, after the import).

"Beyond httpx" is ours minus httpx alone: the generated package imports httpx itself.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from benchmarks._harness import (
    GENERATED_DIR,
    PACKAGE,
    Config,
    Table,
    child_env,
    mib,
    ms,
    ratio,
    run_child,
)

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)\s*$")
_TRACEMALLOC = (
    "import tracemalloc, json; tracemalloc.start(); import {module}; "
    "print(json.dumps(tracemalloc.get_traced_memory()))"
)
TOP_CONTRIBUTORS = 8


def parse_importtime(stderr: str) -> dict[str, tuple[int, int, int]]:
    """Module -> (self µs, cumulative µs, nesting depth) from ``-X importtime`` output."""
    found = {}
    for line in stderr.splitlines():
        match = _LINE.match(line)
        if match:
            self_us, cumulative, indent, module = match.groups()
            found[module] = (int(self_us), int(cumulative), (len(indent) - 1) // 2)
    return found


def run(config: Config) -> list[Table]:
    runs = 2 if config.quick else 9
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        path = Path(tmp)
        shutil.copytree(
            GENERATED_DIR / PACKAGE,
            path / PACKAGE,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        env = child_env(PYTHONPATH=str(path))
        contenders = {
            "python -c pass (interpreter start)": "pass",
            "import httpx (baseline)": "import httpx",
            f"import {PACKAGE}": f"import {PACKAGE}",
        }
        importtime: dict[str, list[dict[str, tuple[int, int, int]]]] = defaultdict(list)
        wall: dict[str, list[float]] = defaultdict(list)
        rss: dict[str, list[int]] = defaultdict(list)
        for code in contenders.values():  # writes the bytecode caches
            run_child([sys.executable, "-c", code], cwd=path, env=env).check(code)
        for _ in range(runs):
            for label, code in contenders.items():
                result = run_child(
                    [sys.executable, "-X", "importtime", "-c", code], cwd=path, env=env
                ).check(code)
                importtime[label].append(parse_importtime(result.stderr))
                wall[label].append(result.seconds)
                rss[label].append(result.peak_rss_kib)
        traced = {}
        for label, code in contenders.items():
            module = code.removeprefix("import ") if code != "pass" else "sys"
            result = run_child(
                [sys.executable, "-c", _TRACEMALLOC.format(module=module)], cwd=path, env=env
            ).check("tracemalloc")
            traced[label] = json.loads(result.stdout.strip().splitlines()[-1])[0]

    ours_label, httpx_label = f"import {PACKAGE}", "import httpx (baseline)"

    def cumulative(label: str, module: str) -> float:
        return min(run[module][1] for run in importtime[label]) / 1e6

    ours_import = cumulative(ours_label, PACKAGE)
    httpx_import = cumulative(httpx_label, "httpx")
    table = Table(
        "import",
        f"Importing {PACKAGE} vs httpx alone, fresh process per run",
        (
            "contender",
            "import ms (importtime cumulative, min)",
            "÷ httpx",
            "process wall ms (min)",
            "peak RSS MiB (median)",
            "allocated by the import MiB (tracemalloc)",
        ),
    )
    measured_module: dict[str, str | None] = {
        "python -c pass (interpreter start)": None,
        httpx_label: "httpx",
        ours_label: PACKAGE,
    }
    for label in contenders:
        top = measured_module[label]
        seconds = cumulative(label, top) if top else 0.0
        table.add(
            label,
            ms(seconds) if top else "-",
            ratio(seconds, httpx_import) if top else "-",
            ms(min(wall[label])),
            mib(statistics.median(rss[label])),
            mib(traced[label] / 1024),
            ours=label == ours_label,
        )
    rss_beyond = statistics.median(rss[ours_label]) - statistics.median(rss[httpx_label])
    table.note(
        f"Beyond httpx: {ms(ours_import - httpx_import)} ms of import time "
        f"({ratio(ours_import, httpx_import)} httpx's), {mib(rss_beyond)} MiB of peak RSS, "
        f"{mib((traced[ours_label] - traced[httpx_label]) / 1024)} MiB allocated. "
        f"{runs} runs per contender, interleaved, after one unmeasured run each; times are "
        "the min of the runs, RSS the median."
    )

    httpx_modules = set().union(*(run.keys() for run in importtime[httpx_label]))
    # Our modules one by one; anything else grouped by its top-level package.
    groups: dict[str, set[str]] = defaultdict(set)
    for run_ in importtime[ours_label]:
        for module in run_:
            if module not in httpx_modules:
                top = module.split(".")[0]
                groups[module if top == PACKAGE else top].add(module)

    def self_ms(modules: set[str]) -> float:
        per_run = [
            sum(run_.get(m, (0, 0, 0))[0] for m in modules) for run_ in importtime[ours_label]
        ]
        return min(per_run) / 1e6

    ranked = sorted(
        ((self_ms(mods), name, len(mods)) for name, mods in groups.items()), reverse=True
    )
    beyond_total = sum(seconds for seconds, _, _ in ranked)
    contributors = Table(
        "import-contributors",
        f"Biggest contributors to {PACKAGE}'s import beyond httpx (modules httpx alone "
        "does not import; other packages grouped)",
        ("module or package", "self ms (min)", "share of the self time beyond httpx"),
    )
    for seconds, name, count in ranked[:TOP_CONTRIBUTORS]:
        label = name if name.startswith(PACKAGE) or count == 1 else f"{name} ({count} modules)"
        contributors.add(label, ms(seconds), f"{100 * seconds / beyond_total:.0f}%", ours=True)
    contributors.note(
        f"{sum(len(m) for m in groups.values())} modules are imported beyond httpx's; their self "
        f"times add up to {ms(beyond_total)} ms. httpx alone imports {len(httpx_modules)} modules "
        "here; what it imports depends on the environment (its optional CLI pulls in click, rich "
        "and pygments when they are installed, as they are in the dev and bench environments)."
    )
    return [table, contributors]


if __name__ == "__main__":
    for table in run(Config()):
        print(table.markdown())
