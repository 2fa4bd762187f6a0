"""Generation: ``python -m generator generate`` against ``openapi-python-client``, and scaling.

1. The project's spec, in fresh processes: cold (output directory absent) and with nothing
   changed (a second run over the first one's output), against openapi-python-client on the
   same ``spec/openapi.yaml`` (cold, and its second run with ``--overwrite``). Both format their
   output with ruff (openapi-python-client finds it on PATH). Its output is then checked the
   way a user would: decode the full 201 fixture with its ``Codespace.from_dict``.
2. Synthetic specs of 1, 10, 100 ... operations made from the project's spec: the operation
   copied under new paths and operationIds, each copy using its own renamed copy of every
   component schema, so that the model count grows with the operation count. Time and peak
   RSS per size, growth per 10x, and a fit that extrapolates to sizes not run.
3. Where the time goes: the pipeline's stages timed in a child process, at the smallest and the
   largest size.

Everything is generated into temporary directories, never into generated/.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from benchmarks._harness import (
    FIXTURE,
    SPEC_DIR,
    ChildResult,
    Config,
    Sample,
    Table,
    child_env,
    mib,
    missing,
    pct,
    ratio,
    run_child,
    secs,
)

SPEC_FILE = "openapi.yaml"
_SCHEMA_REF = "#/components/schemas/"
OPC = "openapi_python_client"
OPC_PACKAGE = "opc_client"
EXTRAPOLATE_TO = 1000


# -- synthetic specs -------------------------------------------------------------------------


def _renamed(node: Any, suffix: str) -> Any:
    """``node`` with every reference to a component schema pointed at its renamed copy."""
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_SCHEMA_REF):
                result[key] = value + suffix
            else:
                result[key] = _renamed(value, suffix)
        return result
    if isinstance(node, list):
        return [_renamed(value, suffix) for value in node]
    return node


def synthetic_spec(operations: int, target: Path, source: Path = SPEC_DIR) -> Path:
    """A spec directory with ``operations`` copies of the project's operation(s).

    Copy ``k`` (k >= 2) lives under ``<path>-copy<k>``, has operationId ``<id>-copy<k>`` and
    uses the schemas ``<name>-copy<k>``: every component schema renamed, references included.
    Copy 1 is the project's spec itself, so its patches (spec/patches.yaml) still apply.
    """
    if operations < 1:
        raise ValueError("a spec needs at least one operation")
    document = yaml.safe_load((source / SPEC_FILE).read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    originals = dict(schemas)
    paths = dict(document["paths"])
    for k in range(2, operations + 1):
        suffix = f"-copy{k}"
        for name, schema in originals.items():
            schemas[name + suffix] = _renamed(copy.deepcopy(schema), suffix)
        for path, item in paths.items():
            copied = _renamed(copy.deepcopy(item), suffix)
            for operation in copied.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] += suffix
            document["paths"][path + suffix] = copied
    target.mkdir(parents=True, exist_ok=True)
    for extra in source.iterdir():
        if extra.is_file() and extra.name != SPEC_FILE:
            shutil.copy2(extra, target / extra.name)
    (target / SPEC_FILE).write_text(
        yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return target


# -- the two generators ----------------------------------------------------------------------


def run_ours(spec_dir: Path, out_dir: Path) -> ChildResult:
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec_dir)]
    return run_child([*command, "--out", str(out_dir)], env=child_env()).check(
        f"python -m generator generate --spec {spec_dir}"
    )


def _opc_env() -> dict[str, str]:
    # openapi-python-client runs `ruff` from PATH on its output: the one beside this Python.
    bin_dir = str(Path(sys.executable).parent)
    return child_env(PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))


def run_opc(spec_dir: Path, out_dir: Path, *, overwrite: bool = False) -> ChildResult:
    command = [sys.executable, "-m", OPC, "generate", "--path", str(spec_dir / SPEC_FILE)]
    command += ["--output-path", str(out_dir), "--meta", "none"]
    if overwrite:
        command.append("--overwrite")
    return run_child(command, env=_opc_env()).check("openapi-python-client generate")


def count_classes(out_dir: Path) -> int:
    """The model and enum classes of the package: in the modules of ``_models/``."""
    package = out_dir / "github_codespaces"
    return sum(
        1
        for path in [package / "models.py", *sorted((package / "_models").glob("*.py"))]
        if path.is_file()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("class ")
    )


_OPC_DECODE = """
import json, sys
body = json.loads(open(sys.argv[1], encoding="utf-8").read())
try:
    from opc_client.models.codespace import Codespace
    codespace = Codespace.from_dict(body)
    print("ok: decoded", type(codespace).__name__, codespace.name)
except Exception as exc:
    print(f"fails: {type(exc).__name__}: {exc}")
"""


def check_opc_output(package_parent: Path, log: str) -> list[str]:
    """What openapi-python-client's output makes of the full 201 fixture, and what it dropped."""
    notes = []
    dropped = [line for line in log.splitlines() if line.startswith("Unable to process schema")]
    if dropped:
        names = "; ".join(
            line.removeprefix("Unable to process schema ").rstrip(":") for line in dropped
        )
        notes.append(
            f"openapi-python-client warned 'Unable to process schema' {len(dropped)} time(s) "
            f"({names}) and removed those schemas from its output."
        )
    decode = run_child(
        [sys.executable, "-c", _OPC_DECODE, str(FIXTURE)], cwd=package_parent, env=child_env()
    )
    outcome = (decode.stdout.strip() or decode.stderr.strip()).splitlines()[-1:]
    notes.append(
        "Its generated client decoding the full 201 fixture "
        f"(`opc_client.models.codespace.Codespace.from_dict`): {' '.join(outcome) or 'no output'}."
    )
    return notes


# -- the benchmark ---------------------------------------------------------------------------


def _project_table(config: Config, scratch: Path) -> Table:
    table = Table(
        "generation",
        "Generation of the project's spec (1 operation), fresh process per run",
        (
            "run",
            "min s",
            "median s",
            "÷ openapi-python-client, same kind of run",
            "÷ ours cold",
            "peak RSS MiB",
        ),
    )
    runs = config.process_runs
    why_not = missing(OPC)
    ours_cold: list[ChildResult] = []
    ours_again: list[ChildResult] = []
    opc_cold: list[ChildResult] = []
    opc_again: list[ChildResult] = []
    for i in range(runs):  # interleaved, so that a slow patch of the machine hits both
        out = scratch / f"ours-{i}"
        ours_cold.append(run_ours(SPEC_DIR, out))  # out does not exist yet
        ours_again.append(run_ours(SPEC_DIR, out))  # the same spec over its own output
        if why_not is None:
            opc_out = scratch / f"opc-{i}" / OPC_PACKAGE
            opc_cold.append(run_opc(SPEC_DIR, opc_out))
            opc_again.append(run_opc(SPEC_DIR, opc_out, overwrite=True))
    classes = count_classes(scratch / "ours-0")

    def sample(results: list[ChildResult]) -> Sample:
        return Sample(tuple(r.seconds for r in results))

    def rss(results: list[ChildResult]) -> float:
        return float(sorted(r.peak_rss_kib for r in results)[len(results) // 2])

    cold = sample(ours_cold).min
    for label, ours, theirs in (
        ("ours, cold (output directory absent)", ours_cold, opc_cold),
        ("ours, nothing changed (second run)", ours_again, opc_again),
    ):
        s = sample(ours)
        vs = ratio(s.min, sample(theirs).min) if theirs else "n/a (baseline skipped)"
        table.add(
            label,
            secs(s.min),
            secs(s.median),
            vs,
            ratio(s.min, cold),
            mib(rss(ours)),
            ours=True,
        )
    opc_label = "openapi-python-client {mode} (baseline)"
    if why_not is not None:
        table.skip(opc_label.format(mode="cold"), why_not)
        table.skip(opc_label.format(mode="second run, --overwrite"), why_not)
    else:
        for mode, results in (("cold", opc_cold), ("second run, --overwrite", opc_again)):
            s = sample(results)
            table.add(
                opc_label.format(mode=mode),
                secs(s.min),
                secs(s.median),
                "1.00x",
                ratio(s.min, cold),
                mib(rss(results)),
            )
    table.note(
        f"{runs} fresh process(es) per row; min and median of their wall times, ratios of mins; "
        "peak RSS is the "
        "median of the runs' `ru_maxrss` (largest single process of the child's tree). "
        f"Our output: {classes} model and enum classes."
    )
    if why_not is None:
        table.notes.extend(check_opc_output(scratch / "opc-0", opc_cold[0].stdout))
    return table


def _fit(sizes: list[int], seconds: list[float]) -> tuple[float, float]:
    """Least-squares ``seconds = fixed + per_operation * operations``."""
    n = len(sizes)
    mean_x, mean_y = sum(sizes) / n, sum(seconds) / n
    sxx = sum((x - mean_x) ** 2 for x in sizes)
    if sxx == 0:
        return mean_y, 0.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(sizes, seconds, strict=True)) / sxx
    return mean_y - slope * mean_x, slope


def _scaling_table(config: Config, scratch: Path) -> tuple[Table, Path]:
    sizes = config.scaling_sizes
    opc_missing = missing(OPC)
    table = Table(
        "generation-scaling",
        "Generation scaling: synthetic specs made from the project's spec",
        (
            "operations",
            "classes (ours)",
            "ours s",
            "ours ÷ ours at 1 operation",
            "ours growth per 10x operations",
            "ours peak RSS MiB",
            "openapi-python-client s",
            "ours ÷ openapi-python-client",
            "openapi-python-client peak RSS MiB",
        ),
    )
    measured: dict[int, float] = {}
    opc_measured: dict[int, float] = {}
    largest_spec = scratch
    for size in sizes:
        spec_dir = synthetic_spec(size, scratch / f"spec-{size}")
        largest_spec = spec_dir
        runs = 1 if (config.quick or size >= 100) else 3
        ours: list[ChildResult] = []
        theirs: list[ChildResult] = []
        for i in range(runs):  # interleaved
            ours.append(run_ours(spec_dir, scratch / f"out-{size}-{i}"))
            if opc_missing is None:
                theirs.append(run_opc(spec_dir, scratch / f"opc-{size}-{i}" / OPC_PACKAGE))
        ours_s = Sample(tuple(r.seconds for r in ours)).min
        ours_rss = max(r.peak_rss_kib for r in ours)
        measured[size] = ours_s
        classes = count_classes(scratch / f"out-{size}-0")
        for i in range(runs):
            shutil.rmtree(scratch / f"out-{size}-{i}")
        tenth = measured.get(size // 10) if size % 10 == 0 else None
        growth = ratio(ours_s, tenth) if tenth else "-"
        if theirs:
            opc_s = Sample(tuple(r.seconds for r in theirs)).min
            opc_measured[size] = opc_s
            opc_cells = (
                secs(opc_s),
                ratio(ours_s, opc_s),
                mib(max(r.peak_rss_kib for r in theirs)),
            )
            for i in range(runs):
                shutil.rmtree(scratch / f"opc-{size}-{i}")
        else:
            opc_cells = ("skipped", "n/a", "-")
        table.add(
            f"{size:,}",
            str(classes),
            secs(ours_s),
            ratio(ours_s, measured[sizes[0]]),
            growth,
            mib(ours_rss),
            *opc_cells,
            ours=True,
        )
    xs = sorted(measured)
    if len(xs) >= 2:
        fixed, per_op = _fit(xs, [measured[x] for x in xs])
        table.note(
            f"Linear fit over the measured sizes: {fixed:.2f} s + {per_op * 1000:.1f} ms per "
            "operation (with its copy of every schema)."
        )
        pairs = list(itertools.pairwise(xs))
        exponents = [
            f"{a}->{b}: {math.log(measured[b] / measured[a]) / math.log(b / a):.2f}"
            for a, b in pairs
        ]
        table.note(
            "Growth exponent between successive sizes (1.0 = linear, 0 = flat): "
            + ", ".join(exponents)
        )
        if not config.quick and max(xs) < EXTRAPOLATE_TO:
            last, before = xs[-1], xs[-2]
            per_10x = (measured[last] / measured[before]) ** (
                math.log(10) / math.log(last / before)
            )
            steps = math.log10(EXTRAPOLATE_TO / last)
            by_ratio = measured[last] * per_10x**steps
            by_fit = fixed + per_op * EXTRAPOLATE_TO
            line = (
                f"{EXTRAPOLATE_TO:,} operations NOT RUN (over the ~3 minute budget). EXTRAPOLATED, "
                f"not measured: ours ~{by_fit:,.0f} s by the linear fit, ~{by_ratio:,.0f} s by the "
                f"last growth per 10x ({per_10x:.1f}x)"
            )
            if opc_measured and last in opc_measured and before in opc_measured:
                o_per_10x = (opc_measured[last] / opc_measured[before]) ** (
                    math.log(10) / math.log(last / before)
                )
                o_fixed, o_per_op = _fit(
                    sorted(opc_measured), [opc_measured[x] for x in sorted(opc_measured)]
                )
                by_their_fit = o_fixed + o_per_op * EXTRAPOLATE_TO
                by_their_ratio = opc_measured[last] * o_per_10x**steps
                line += (
                    f"; openapi-python-client ~{by_their_fit:,.0f} s by its fit, "
                    f"~{by_their_ratio:,.0f} s by its growth per 10x"
                )
            table.note(
                line + ". Run `python -m benchmarks --only generation --sizes 1,10,100,1000` "
                "to measure it."
            )
    runs_note = "1 run" if config.quick else "3 runs (1 at 100 operations and above), min"
    table.note(
        f"Cold runs, fresh process each, ours and openapi-python-client interleaved, {runs_note}."
    )
    return table, largest_spec


STAGES = (
    ("import", "import the pipeline"),
    ("load", "load: read YAML + validate"),
    ("validate", "of which: structural validation"),
    ("resolve", "resolve (intermediate model)"),
    ("render", "render (dcg + Jinja2 + codec)"),
    ("dcg", "of which: datamodel-code-generator"),
    ("format", "format (ruff check --fix, ruff format)"),
)


def stage_times(spec_dir: Path) -> dict[str, float]:
    result = run_child(
        [sys.executable, "-m", "benchmarks._generation_stages", str(spec_dir)], env=child_env()
    ).check("benchmarks._generation_stages")
    times: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return times


def _min_stages(spec_dir: Path, runs: int) -> dict[str, float]:
    samples = [stage_times(spec_dir) for _ in range(runs)]
    return {key: min(s[key] for s in samples) for key in samples[0]}


def _stages_table(small: Path, large: Path, large_size: int, config: Config) -> Table:
    b = stage_times(large)
    a = b if config.quick else _min_stages(small, 3)  # quick: one child process is enough
    total_a = sum(a[k] for k in ("import", "load", "resolve", "render", "format"))
    total_b = sum(b[k] for k in ("import", "load", "resolve", "render", "format"))
    table = Table(
        "generation-stages",
        f"Where the generator's time goes: 1 operation vs {large_size:,} operations",
        (
            "stage",
            "1 op s",
            "share of total (1 op)",
            f"{large_size:,} ops s",
            f"share of total ({large_size:,} ops)",
            f"{large_size:,} ops ÷ 1 op",
        ),
    )
    for key, label in STAGES:
        table.add(
            label,
            secs(a[key]),
            pct(a[key], total_a),
            secs(b[key]),
            pct(b[key], total_b),
            ratio(b[key], a[key]),
            ours=True,
        )
    table.add(
        "total", secs(total_a), "100%", secs(total_b), "100%", ratio(total_b, total_a), ours=True
    )
    table.note(
        f"Stages timed with perf_counter inside a fresh child process: per stage the min of 3 at 1 "
        f"operation, 1 run at {large_size:,}. Structural "
        f"validation ran {a['validate_calls']:.0f} time(s) per load (spec, then spec with "
        "patches applied)."
    )
    return table


def run(config: Config) -> list[Table]:
    with tempfile.TemporaryDirectory(prefix="bench-generation-") as tmp:
        scratch = Path(tmp)
        project = _project_table(config, scratch / "project")
        scaling, largest = _scaling_table(config, scratch / "scaling")
        small = synthetic_spec(1, scratch / "stages-1")
        stages = _stages_table(small, largest, config.scaling_sizes[-1], config)
    return [project, scaling, stages]


if __name__ == "__main__":
    for table in run(Config()):
        print(table.markdown())
