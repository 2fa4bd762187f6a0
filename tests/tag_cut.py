"""One tag of GitHub's published description, as its own spec folder.

``cut(document, tag)`` keeps the operations carrying ``tag`` exactly as published (prose,
examples and extensions included: they become docstrings) with every component they reach,
so that the generator and the contract suite meet GitHub's own constructs at a size
``make test`` can afford. The client settings come from spec/'s ``info.x-client``, beside the
description in ``client.yaml``, as ``make scale`` does for the whole of it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from generator.reading import pointer as jp

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / ".upstream" / "api.github.com.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def cut(document: Mapping[str, Any], tag: str) -> dict[str, Any]:
    """``document`` with only the operations tagged ``tag`` and the components they reach."""
    result = cut_where(document, lambda op: tag in op.get("tags", ()))
    result["tags"] = [t for t in document.get("tags", []) if t.get("name") == tag]
    if not result["paths"]:
        raise ValueError(f"no operation is tagged {tag!r}")
    return result


def first_operations(document: Mapping[str, Any], count: int) -> dict[str, Any]:
    """``document`` with its first ``count`` operations (in path order) and what they reach."""
    seen = iter(range(count))
    return cut_where(document, lambda op: next(seen, None) is not None)


def cut_where(document: Mapping[str, Any], keep: Callable[[Any], bool]) -> dict[str, Any]:
    """``document`` with the operations ``keep`` accepts and the components they reach."""
    paths: dict[str, Any] = {}
    for path, item in document["paths"].items():
        kept = {m: op for m, op in item.items() if m in METHODS and keep(op)}
        if kept:
            shared = {k: v for k, v in item.items() if k not in METHODS}
            paths[path] = copy.deepcopy({**shared, **kept})
    components: dict[str, dict[str, Any]] = {}
    pending = list(_references(paths))
    while pending:
        ref = pending.pop()
        section, name = jp.split(ref.removeprefix("#"))[1:3]
        if name in components.get(section, {}):
            continue
        node = document["components"][section][name]
        components.setdefault(section, {})[name] = copy.deepcopy(node)
        pending.extend(_references(node))
    result = {k: copy.deepcopy(v) for k, v in document.items() if k not in ("paths", "components")}
    result["paths"] = paths
    result["components"] = {
        section: dict(sorted(entries.items())) for section, entries in sorted(components.items())
    }
    return result


def write_spec_folder(tag: str, spec_dir: Path, upstream: Path = UPSTREAM) -> dict[str, Any]:
    """Write the tag's description and spec/'s client settings into ``spec_dir``."""
    document = cut(json.loads(upstream.read_text(encoding="utf-8")), tag)
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "openapi.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    ours = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    (spec_dir / "client.yaml").write_text(
        yaml.safe_dump(ours["info"]["x-client"], sort_keys=False), encoding="utf-8"
    )
    return document
