"""``python -m benchmarks``: run the benchmarks, print their tables, write benchmarks/RESULTS.md.

``make bench`` runs this in .venv-bench, where the baselines are installed. In any other
environment the parts that need a baseline that is not importable are skipped with a message.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import BENCHMARKS
from benchmarks._harness import Config, Table, machine_lines

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTIONS = {
    "generation": "1. Generation",
    "decoding": "2. Decoding (and encoding) a full 201 body",
    "client": "3. Per-call overhead of the generated client",
    "import": "4. Import time and memory",
    "contract": "5. Contract suite throughput",
    "whole": "6. The whole of GitHub's description",
}

METHOD = """\
- Every figure is a ratio against a named baseline measured in the same run, on the same input;
  absolute times are shown for scale only (these machines are shared and noisy).
- In-process timings run the contenders round-robin: {repeat} repeats, each a block of calls
  lasting about {block:.0f} ms per contender; tables show the min and the median of the
  repeats' per-call times, and ratios are of the mins: on a shared machine noise only ever
  adds time, so the least-disturbed repeat is the best estimate. The garbage collector stays
  on (and runs before every block), so its cost is in every figure.
- Child processes (generation, import) are timed wall-clock, fork to exit, several fresh
  processes per figure where the table says so, ratios of the mins again; peak memory is
  `ru_maxrss` from `wait4` (the largest single process of the child's tree), taken by a bare
  launcher (benchmarks/_launcher.py) so that the runner's own size does not leak into it; the
  launcher's floor is about that of `python -c pass` (see section 4).
- No test asserts on any of these figures; tests/test_benchmarks_smoke.py only checks that
  every benchmark runs and produces its rows.
"""


def run_benchmark(name: str, config: Config) -> list[Table]:
    module = importlib.import_module(f"benchmarks.bench_{name}")
    tables: list[Table] = module.run(config)
    return tables


def report(results: dict[str, list[Table] | str], config: Config, seconds: float) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m benchmarks`) on {when}, in {seconds:.0f} s"
        + (" (--quick: the figures are noise)" if config.quick else "")
        + ". Generated: rerun instead of editing. How the benchmarks work: "
        "benchmarks/README.md.",
        "",
        "## Machine",
        "",
        *machine_lines(),
        "",
        "## Method",
        "",
        METHOD.format(repeat=config.repeat, block=config.block_seconds * 1000),
    ]
    for name, result in results.items():
        lines += [f"## {SECTIONS.get(name, name)}", ""]
        if isinstance(result, str):
            lines += ["FAILED:", "", "```", result.rstrip(), "```", ""]
        else:
            lines += [table.markdown() for table in result]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="tiny iteration counts: checks that all runs"
    )
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated subset of {','.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--sizes",
        default="1,10,100",
        help="operation counts of the generation scaling specs (default 1,10,100)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"where to write the report (default {RESULTS.name} beside this file; "
        "with --quick, nowhere unless given)",
    )
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    sizes = tuple(sorted({int(size) for size in args.sizes.split(",")}))
    config = Config(quick=args.quick, sizes=sizes)

    started = time.perf_counter()
    results: dict[str, list[Table] | str] = {}
    for name in names:
        print(f"== {SECTIONS[name]} ==", flush=True)
        began = time.perf_counter()
        try:
            tables = run_benchmark(name, config)
        except Exception:
            results[name] = traceback.format_exc()
            print(results[name], file=sys.stderr, flush=True)
            continue
        results[name] = tables
        for table in tables:
            print(table.markdown(), flush=True)
        print(f"({name}: {time.perf_counter() - began:.1f} s)\n", flush=True)
    elapsed = time.perf_counter() - started
    output = args.output or (None if args.quick else RESULTS)
    if output is not None:
        output.write_text(report(results, config, elapsed), encoding="utf-8")
        print(f"wrote {output} ({elapsed:.0f} s in all)")
    failed = [name for name, result in results.items() if isinstance(result, str)]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
