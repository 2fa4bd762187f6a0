"""``make scale``: generate GitHub's whole published description and use what comes out.

Not part of ``make test`` (it takes minutes): it generates ``.upstream/api.github.com.json``
(1,223 operations) unchanged, with client settings beside it, into ``build/scale/``; imports
the package; runs ``mypy --strict`` on it; and calls one operation of every tag against respx,
answered with a body drawn from the operation's schema, which must decode (and encode back
to the same JSON where the answer is one model). It prints what it made and what each step
cost, and exits non-zero if anything was refused or failed.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import respx
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.errors import GeneratorError
from generator.model import ir
from generator.model.resolve import build_api, is_json
from generator.planning.codec import item_decoder
from generator.planning.operations import body_argument_name
from generator.reading.loader import load_spec
from generator.rendering.strategies import strategy_expression

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / ".upstream" / "api.github.com.json"
SCRATCH = ROOT / "build" / "scale"
PACKAGE = "github_rest"
BASE = "https://api.github.com"
MYPY = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null"]


def _timed(label: str, costs: dict[str, float], action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    costs[label] = time.perf_counter() - started
    print(f"  {label}: {costs[label]:.1f} s", flush=True)
    return result


class _Names(dict[str, Any]):
    """Names for ``eval``: what the first of ``modules`` that has one offers (``models`` loads
    each model when first asked for it)."""

    def __init__(self, *modules: ModuleType) -> None:
        super().__init__()
        self.modules = modules

    def __missing__(self, key: str) -> Any:
        for module in self.modules:
            if hasattr(module, key):
                return getattr(module, key)
        raise KeyError(key)


def _stage(stage: str, items: str, seconds: float) -> None:
    """The pipeline's own account of each stage (datamodel-code-generator's cached runs are
    reused from an earlier make scale: see the classes line)."""
    print(f"    {stage:<8} {items:<52} {seconds:7.2f} s", flush=True)


def _spec_folder() -> Path:
    """The description as published, with this project's client settings beside it."""
    spec_dir = SCRATCH / "spec"
    shutil.rmtree(spec_dir, ignore_errors=True)
    spec_dir.mkdir(parents=True)
    shutil.copy(UPSTREAM, spec_dir / "openapi.json")
    ours = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    settings = {**ours["info"]["x-client"], "package": PACKAGE, "distribution": "github-rest"}
    (spec_dir / "client.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    return spec_dir


def _answer(op: ir.Operation) -> tuple[int, ir.ResponseContent | None] | None:
    """The first documented 2xx answer with a body (or without one), as (status, content)."""
    for response in op.success_responses:
        if response.code is None or not 200 <= response.code < 300:
            continue
        return response.code, response.contents[0] if response.contents else None
    return None


class Caller:
    """Calls operations of the generated client with drawn arguments and drawn answers."""

    def __init__(self, api: ir.Api, package: ModuleType):
        self.api = api
        self.package = package
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.codec = importlib.import_module(f"{PACKAGE}._codec")
        self.strategies = importlib.import_module(f"{PACKAGE}_strategies")

    def value(self, type_: ir.TypeExpr, json_value: Any) -> Any:
        """The Python value of a JSON value, as the models decode it (for arguments)."""
        # An expression the codec planned, as a module outside _models/ has it.
        names = _Names(self.models, self.codec)
        decode = eval(item_decoder(type_, outside=True), {}, names)
        return decode(json_value)

    def strategy(self, type_: ir.TypeExpr) -> st.SearchStrategy[Any]:
        expression = strategy_expression(type_, False, self.api)
        found: st.SearchStrategy[Any] = eval(expression, vars(self.strategies))
        return found

    def call(self, op: ir.Operation, data: st.DataObject) -> str | None:
        """Call ``op``; None when its answer decoded (and round-tripped), else what went wrong."""
        status, content = _answer(op) or (0, None)
        kwargs: dict[str, Any] = {}
        for param in op.parameters:
            if param.location != "path" and param.required:
                drawn = data.draw(self.strategy(param.type), label=param.name)
                kwargs[param.attr] = self.value(param.type, drawn)
        if op.body is not None:
            for argument in op.body.arguments:
                field = argument.field
                if field.required:
                    drawn = data.draw(self.strategy(field.type), label=argument.name)
                    kwargs[argument.name] = self.value(field.type, drawn)
            if not op.body.arguments and op.body.required:
                name = body_argument_name(op)
                if op.body.content_type.startswith("application/octet-stream"):
                    kwargs[name] = b"bytes"
                elif is_json(op.body.content_type):
                    kwargs[name] = self.value(op.body.type, data.draw(self.strategy(op.body.type)))
                else:
                    kwargs[name] = "text"
        path_args = ["x1" for p in op.parameters if p.location == "path"]
        body: Any = None
        response: dict[str, Any] = {}
        if content is not None and content.type is not None:
            body = data.draw(self.strategy(content.type), label="answer")
            response = {"json": body}
        elif content is not None:
            response = {"text": "text", "headers": {"content-type": content.content_type}}
        with respx.mock(base_url=BASE, assert_all_called=False) as mock:
            mock.route(method=op.http_method).respond(status, **response)
            with self.package.Client("token", max_retries=0) as client:
                method = getattr(getattr(client, op.namespace), op.method_name)
                result = method(*path_args, **kwargs)
                if op.pagination is not None:
                    # A list: the paginator reads the one page served (no link to a next one).
                    result = list(result)
            if op.pagination is not None:
                items_field = op.pagination.items_field
                if items_field is not None and body is not None:
                    body = body[items_field.wire_name]
        if content is not None and content.type is not None:
            encoded = self.codec.encode_value(result)
            if json.loads(json.dumps(encoded)) != json.loads(json.dumps(body)):
                return f"decoded and encoded back differs: {body!r:.200} -> {encoded!r:.200}"
        return None


def main() -> int:
    if not UPSTREAM.is_file():
        print(f"{UPSTREAM} is missing: run `make upstream`", file=sys.stderr)
        return 2
    costs: dict[str, float] = {}
    print(f"generating {UPSTREAM.name} into {SCRATCH.relative_to(ROOT)}/", flush=True)
    spec_dir = _spec_folder()
    spec = _timed("read and validate", costs, lambda: load_spec(spec_dir))
    api: ir.Api = _timed("model (resolve and name)", costs, lambda: build_api(spec))
    out = SCRATCH / "out"
    try:
        _timed(
            "generate, format, write (stage by stage above)",
            costs,
            lambda: pipeline.generate(spec_dir, out, _stage),
        )
    except GeneratorError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    sizes = {p.name: p.stat().st_size for p in (out / PACKAGE).glob("*.py")}
    resources = list((out / PACKAGE / "_resources").glob("*.py"))
    sizes[f"_resources/ ({len(resources)} modules)"] = sum(p.stat().st_size for p in resources)
    sys.path.insert(0, str(out))
    package = _timed("import", costs, lambda: importlib.import_module(PACKAGE))
    typed = _timed(
        "mypy --strict",
        costs,
        lambda: subprocess.run(
            [*MYPY, PACKAGE, f"{PACKAGE}_strategies.py"],
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
        ),
    )
    caller = Caller(api, package)
    chosen: dict[str, ir.Operation] = {}
    for op in api.operations:
        if op.namespace not in chosen and _answer(op) is not None:
            chosen[op.namespace] = op
    problems: dict[str, str] = {}

    @settings(
        max_examples=1, database=None, derandomize=True, deadline=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(data=st.data())
    def call_every_tag(data: st.DataObject) -> None:
        for namespace, op in chosen.items():
            try:
                problem = caller.call(op, data)
            except Exception as exc:  # reported, with the others, below
                problem = f"{type(exc).__name__}: {exc}"
            if problem is not None:
                problems[f"{namespace}.{op.method_name}"] = problem[:300]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _timed(f"call one operation of each of {len(chosen)} tags", costs, call_every_tag)

    unions = len(api.unions)
    aliases = sum(u.alias for u in api.unions)
    print(
        f"operations {len(api.operations)}, tags {len(chosen)}, models {len(api.models)}, "
        f"enums {len(api.enums)}, unions {unions} ({aliases} named), refusals: 0"
    )
    print("module sizes: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items())))
    verdict = typed.stdout.strip().splitlines()[-1] if typed.stdout.strip() else typed.stderr
    if typed.returncode != 0:
        print(typed.stdout[-3000:], end="")
    print(f"mypy --strict: {verdict}")
    for name, problem in sorted(problems.items()):
        print(f"  call {name}: {problem}")
    print(f"calls: {len(chosen) - len(problems)} of {len(chosen)} decoded as documented")
    return 0 if typed.returncode == 0 and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
