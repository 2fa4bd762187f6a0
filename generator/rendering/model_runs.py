"""Stage 3a, at scale: the model classes in runs of datamodel-code-generator, cached, on every core.

One run over thousands of classes is the slowest step of a large spec, and it would redo all
of them when one description changes. The classes are therefore dealt into groups by a hash
of their name (stable when classes come and go elsewhere); each group is one run, whose
references to classes of other groups resolve to stubs. A run's result is cached under the
digest of everything that decides it (its document, the template data, the versions of the
tools and of this generator's rendering code), so an unchanged group is never run again, and
the runs left are spread over the machine's cores. The module is then assembled from the
classes in the intermediate model's order, whichever run wrote them.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model import ir
from generator.rendering import models
from generator.rendering.models import Expected, Job, ModelSource, Written

# Classes per run, at most (before the count of groups doubles): small enough to spread a
# large spec over the cores and to rerun little after an edit, large enough that a run's own
# start (about 30 ms) stays small beside its work. A spec this size or smaller is one run.
GROUP_SIZE = 200
_REF = "#/components/schemas/"
# A stub of a model or type alias of another run: only its name is used here.
_STUB: dict[str, Any] = {"type": "object", "properties": {"stub": {"type": "string"}}}


@dataclass(frozen=True)
class Runs:
    """How the classes were written: runs in all, how many came from the cache, processes."""

    runs: int
    cached: int
    processes: int

    def line(self) -> str:
        runs = f"{self.runs} run{'s' if self.runs != 1 else ''}"
        processes = f"{self.processes} process{'es' if self.processes != 1 else ''}"
        return f"{runs} ({self.cached} cached) on {processes}"


def render_model_classes(
    api: ir.Api, cache_dir: Path | None = None, processes: int | None = None
) -> tuple[ModelSource, Runs]:
    """Every model, enum and type-alias class; ``cache_dir`` holds results across calls."""
    schemas = models.dcg_schemas(api)
    if not schemas:
        return ModelSource(imports=(), classes=()), Runs(0, 0, 0)
    expected = models.expected_of(api)
    extra = {model.name: models.model_extra(model) for model in api.models}
    jobs = [_job(api, names, schemas, expected, extra) for names in _groups(schemas)]
    salt = _salt()
    keys = [_key(job, salt) for job in jobs]
    results: dict[str, Written] = {}
    if cache_dir is not None:
        for key in keys:
            found = _load(cache_dir, key)
            if found is not None:
                results[key] = found
    pending = [(key, job) for key, job in zip(keys, jobs, strict=True) if key not in results]
    used = max(1, min(len(pending), processes or os.cpu_count() or 1))
    for key, written in zip(
        (k for k, _ in pending), _run([j for _, j in pending], used), strict=True
    ):
        results[key] = written
        if cache_dir is not None:
            _store(cache_dir, key, written)
    source = _assembled(api, [results[key] for key in keys])
    return source, Runs(
        runs=len(jobs), cached=len(jobs) - len(pending), processes=used if pending else 0
    )


def _groups(schemas: dict[str, Any]) -> list[list[str]]:
    count = 1
    while len(schemas) > count * GROUP_SIZE:
        count *= 2
    groups: list[list[str]] = [[] for _ in range(count)]
    for name in schemas:
        digest = hashlib.sha256(name.encode()).digest()
        groups[int.from_bytes(digest[:8], "big") % count].append(name)
    return [group for group in groups if group]


def _job(
    api: ir.Api,
    names: list[str],
    schemas: dict[str, Any],
    expected: dict[str, Expected],
    extra: dict[str, dict[str, Any]],
) -> Job:
    members = set(names)
    enums = {enum.name for enum in api.enums}
    referred = sorted({r for name in names for r in _references(schemas[name])} - members)
    document = {name: schemas[name] for name in names}
    # An enum stub is the enum itself (it refers to nothing); any other stub only a name.
    document.update({name: schemas[name] if name in enums else _STUB for name in referred})
    return Job(
        document=json.dumps(models.dcg_document(api, document)),  # (property order matters)
        extra={name: extra[name] for name in names if name in extra},
        expected=models.merge_expected([expected[name] for name in names]),
        stubs=tuple(referred),
    )


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            yield ref[len(_REF) :]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _run(pending: list[Job], workers: int) -> Iterator[Written]:
    if workers <= 1:
        yield from map(models.run_job, pending)
        return
    # fork where there is one: the workers start with this process's modules already loaded.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        yield from pool.map(models.run_job, pending)


def _salt() -> str:
    """What decides a run's result besides its job: the tools and this stage's own code."""
    digest = hashlib.sha256(models.dcg_version().encode())
    here = Path(__file__).parent
    for path in [
        here / "models.py",
        here / "model_runs.py",
        *sorted(models.DCG_TEMPLATES.iterdir()),
    ]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key(job: Job, salt: str) -> str:
    digest = hashlib.sha256(salt.encode())
    digest.update(job.document.encode())
    digest.update(json.dumps([job.extra, repr(job.expected), job.stubs], sort_keys=True).encode())
    return digest.hexdigest()


def _load(cache_dir: Path, key: str) -> Written | None:
    try:
        data = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        return Written(
            imports=tuple(data["imports"]),
            classes=tuple((str(name), str(text)) for name, text in data["classes"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: run it again


def _store(cache_dir: Path, key: str, written: Written) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{key}.json"
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(
        json.dumps({"imports": written.imports, "classes": written.classes}), encoding="utf-8"
    )
    os.replace(partial, path)  # a reader sees the whole entry or none


def _assembled(api: ir.Api, parts: list[Written]) -> ModelSource:
    classes = {name: text for part in parts for name, text in part.classes}
    aliases = [u.name for u in api.unions if u.alias]
    order = (
        [e.name for e in api.enums] + [m.name for m in api.models] + _alias_order(aliases, classes)
    )
    imports = sorted({line for part in parts for line in part.imports})
    return ModelSource(
        imports=tuple(imports), classes=tuple((name, classes[name]) for name in order)
    )


def _alias_order(aliases: list[str], classes: dict[str, str]) -> list[str]:
    """Type aliases after the aliases they name: an alias is evaluated when the module loads
    (classes are not: annotations are strings under ``from __future__ import annotations``)."""
    if not aliases:
        return []
    word = re.compile(r"\b(" + "|".join(map(re.escape, aliases)) + r")\b")
    needs = {a: [n for n in word.findall(classes[a].split("=", 1)[1]) if n != a] for a in aliases}
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for other in needs[name]:
            visit(other)
        order.append(name)

    for alias in aliases:
        visit(alias)
    return order
