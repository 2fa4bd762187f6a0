"""The whole of GitHub's description: generation, growth, incremental runs, import, first call.

1. openapi-python-client and ours on the same pinned description (.upstream/, fetched by
   ``make upstream``), cold, in fresh processes: wall time and peak memory. Then ours again on
   the same output: after one component schema's description changed (datamodel-code-generator's
   cached runs are reused, the one that holds the schema is not), and with nothing changed (the
   stamp). Ours runs with its cache cleared before every cold run.
2. Growth: both at the description's first 100 operations (with the components they reach) and
   at all of them; the exponent is log(time ratio) / log(operation ratio), 1.0 being linear.
3. Where our cold run's time goes: the pipeline's own stage lines.
4. The generated package: ``import`` beside ``import httpx`` alone, and a script that also makes a
   client and calls one operation of one namespace (answered by ``httpx.MockTransport``), each the
   min of several fresh processes after one that compiles the bytecode.

With ``--quick`` (the smoke test) the description is replaced by spec/, so every part runs in
seconds and the figures mean nothing.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from benchmarks._harness import (
    ROOT,
    SPEC_DIR,
    ChildResult,
    Config,
    Table,
    child_env,
    mib,
    missing,
    ms,
    pct,
    ratio,
    run_child,
    secs,
)
from benchmarks.bench_generation import OPC, _opc_env
from tests.tag_cut import METHODS, first_operations

UPSTREAM = ROOT / ".upstream" / "api.github.com.json"
PACKAGE = "github_rest"
GROWTH_FROM = 100
# One operation to call, and what the mock answers: GET /emojis answers JSON, so the first
# decode loads the JSON machinery (msgspec's accelerator, where installed). (spec/, in the
# smoke test, has no emojis namespace.)
FIRST_CALL = ("client.emojis.get()", 'json={"+1": "https://example.test/1.png"}')
QUICK_CALL = (
    'list(client.codespaces.list_in_repository_for_authenticated_user("o", "r"))',
    'json={"total_count": 0, "codespaces": []}',
)

_FIRST_CALL_SCRIPT = """
import httpx
from {package} import Client
transport = httpx.MockTransport(lambda request: httpx.Response(200, {answer}))
with Client(token="t", http_client=httpx.Client(transport=transport)) as client:
    {call}
"""


def _spec_folder(document: dict[str, Any], target: Path, *, waiters: bool = True) -> Path:
    """``document`` with spec/'s client settings beside it, as ``make scale`` writes it
    (without the waiters when their operations may have been cut away)."""
    target.mkdir(parents=True, exist_ok=True)
    document = {**document, "info": {k: v for k, v in document["info"].items() if k != "x-client"}}
    (target / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    ours = yaml.safe_load((SPEC_DIR / "openapi.yaml").read_text(encoding="utf-8"))
    settings = {**ours["info"]["x-client"], "package": PACKAGE, "distribution": "github-rest"}
    if not waiters:
        settings.pop("waiters", None)
    (target / "client.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    return target


def _ours(spec_dir: Path, out_dir: Path, *extra: str) -> ChildResult:
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec_dir)]
    return run_child([*command, "--out", str(out_dir), *extra], env=child_env()).check(
        f"python -m generator generate --spec {spec_dir}"
    )


def _ours_cold(spec_dir: Path, out_dir: Path) -> ChildResult:
    shutil.rmtree(out_dir.parent / "build", ignore_errors=True)  # its stamp and cache
    shutil.rmtree(out_dir, ignore_errors=True)
    return _ours(spec_dir, out_dir)


def _opc(spec_file: Path, out_dir: Path) -> ChildResult:
    shutil.rmtree(out_dir, ignore_errors=True)
    command = [sys.executable, "-m", OPC, "generate", "--path", str(spec_file)]
    command += ["--output-path", str(out_dir), "--meta", "none"]
    return run_child(command, env=_opc_env(), timeout=1200).check(OPC)


def _best(runs: list[ChildResult]) -> ChildResult:
    return min(runs, key=lambda r: r.seconds)


def _stages(stderr: str) -> dict[str, float]:
    """The stage lines ``python -m generator generate`` prints: name -> seconds."""
    stages = {}
    for line in stderr.splitlines():
        words = line.split()
        if len(words) >= 3 and words[-1] == "s":
            stages[words[0]] = float(words[-2])
    return stages


def _python_seconds(code: str, path: Path, runs: int) -> float:
    env = child_env(PYTHONPATH=str(path))
    _ = run_child([sys.executable, "-c", code], env=env).check(code)  # writes the bytecode
    return min(
        run_child([sys.executable, "-c", code], env=env).check(code).seconds for _ in range(runs)
    )


def run(config: Config) -> list[Table]:
    if config.quick or not UPSTREAM.is_file():
        document = json.loads(json.dumps(yaml.safe_load((SPEC_DIR / "openapi.yaml").read_text())))
        source = "spec/ (--quick)" if config.quick else "spec/ (no .upstream/: run make upstream)"
    else:
        document = json.loads(UPSTREAM.read_text(encoding="utf-8"))
        source = f"{UPSTREAM.relative_to(ROOT)}"
    operations = sum(1 for item in document["paths"].values() for k in item if k in METHODS)
    call, answer = QUICK_CALL if "emojis/get" not in json.dumps(document["paths"]) else FIRST_CALL
    runs = 1 if config.quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-whole-") as tmp:
        scratch = Path(tmp)
        whole = _spec_folder(document, scratch / "spec")
        out = scratch / "ours" / "out"
        cold = [_ours_cold(whole, out) for _ in range(runs)]
        # After the last cold run: its cache and stamp are in place.
        edited = json.loads(json.dumps(document))
        schemas = edited["components"]["schemas"]
        changed = next(name for name, schema in schemas.items() if "properties" in schema)
        schemas[changed]["description"] = "Changed by the benchmark."
        edited_dir = _spec_folder(edited, scratch / "spec-edited")
        incremental = _ours(edited_dir, out)
        unchanged = _ours(edited_dir, out)
        mine = _best(cold)
        baseline: ChildResult | None = None
        why = missing(OPC)
        if why is None:
            baseline = _best([_opc(whole / "openapi.json", scratch / "opc") for _ in range(runs)])

        generation = Table(
            "whole-generation",
            f"Generating the whole description ({operations} operations, {source})",
            ("run", "seconds", "peak MiB", "time vs openapi-python-client", "vs our cold run"),
        )
        if baseline is not None:
            generation.add(
                "openapi-python-client, cold",
                secs(baseline.seconds),
                mib(baseline.peak_rss_kib),
                "1.00x",
                ratio(baseline.seconds, mine.seconds),
            )
        else:
            generation.skip("openapi-python-client, cold", str(why))
        base = baseline.seconds if baseline is not None else 0.0
        for label, result in (
            ("ours, cold", mine),
            (f"ours, after one schema's description changed ({changed})", incremental),
            ("ours, nothing changed", unchanged),
        ):
            generation.add(
                label,
                secs(result.seconds),
                mib(result.peak_rss_kib),
                ratio(result.seconds, base),
                ratio(result.seconds, mine.seconds),
                ours=True,
            )
        generation.note(
            f"min of {runs} cold runs each; peak memory is the largest single process "
            "(ours: ruff on the largest module, or a worker of datamodel-code-generator)"
        )

        stages = _stages(mine.stderr)
        stage_table = Table(
            "whole-stages", "Where our cold run's time goes", ("stage", "seconds", "share")
        )
        total = sum(v for k, v in stages.items() if k != "write") or 1.0
        for name, seconds in stages.items():
            if name == "write":
                continue  # its line includes format's
            stage_table.add(name, secs(seconds), pct(seconds, total), ours=True)
        stage_table.note(
            "classes: datamodel-code-generator's runs on every core; render: Jinja2 and the "
            "codec plans; format: ruff check --fix and ruff format; write's own time is "
            f"{max(stages.get('write', 0.0) - stages.get('format', 0.0), 0.0):.2f} s"
        )

        small = _spec_folder(
            first_operations(document, GROWTH_FROM), scratch / "spec-small", waiters=False
        )
        small_ours = _best([_ours_cold(small, scratch / "small" / "out") for _ in range(runs)])
        growth = Table(
            "whole-growth",
            f"Growth from the first {GROWTH_FROM} operations to all {operations}",
            ("generator", f"seconds at {GROWTH_FROM}", f"seconds at {operations}", "exponent"),
        )
        spread = math.log(operations / GROWTH_FROM) if operations > GROWTH_FROM else 0.0

        def exponent(a: float, b: float) -> str:
            return f"{math.log(b / a) / spread:.2f}" if spread and a > 0 else "n/a"

        growth.add(
            "ours",
            secs(small_ours.seconds),
            secs(mine.seconds),
            exponent(small_ours.seconds, mine.seconds),
            ours=True,
        )
        if baseline is not None:
            small_opc = _best(
                [_opc(small / "openapi.json", scratch / "opc-small") for _ in range(runs)]
            )
            growth.add(
                "openapi-python-client",
                secs(small_opc.seconds),
                secs(baseline.seconds),
                exponent(small_opc.seconds, baseline.seconds),
            )
        else:
            growth.skip("openapi-python-client", str(why))

        processes = 1 if config.quick else 5
        httpx_alone = _python_seconds("import httpx", out, processes)
        imported = _python_seconds(f"import httpx, {PACKAGE}", out, processes)
        script = _FIRST_CALL_SCRIPT.format(package=PACKAGE, call=call, answer=answer)
        called = _python_seconds(script, out, processes)
        use = Table(
            "whole-import",
            "The generated package of the whole description, in fresh processes",
            ("what", "ms", "ms beyond import httpx"),
        )
        use.add("import httpx (the baseline)", ms(httpx_alone), "0")
        use.add(f"import httpx, {PACKAGE}", ms(imported), ms(imported - httpx_alone), ours=True)
        use.add(
            f"... and make a client, call `{call}`",
            ms(called),
            ms(called - httpx_alone),
            ours=True,
        )
        use.note(f"min of {processes} processes, after one that wrote the bytecode")
    return [generation, stage_table, growth, use]
