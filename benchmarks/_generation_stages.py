"""Child process of the generation benchmark: how long each stage of the pipeline takes.

``python -m benchmarks._generation_stages SPEC_DIR`` prints one JSON object of seconds per
stage. It runs the stages the way ``generator.pipeline.generate`` does, in a fresh process so
that the import of the toolchain is counted as it is by ``python -m generator``:

* ``import``: importing the pipeline (datamodel-code-generator is imported lazily, later);
* ``load``: reading the YAML and validating it (``validate``: the structural validation alone,
  with ``validate_calls`` the number of times it ran);
* ``resolve``: building the intermediate model;
* ``render``: rendering every file, with ``dcg`` the part spent writing the model classes
  (datamodel-code-generator's runs, on every core, without the cache)
  (``render`` here excludes the second load and resolve that ``pipeline.render`` does);
* ``format``: ruff check --fix and ruff format on the written files.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(module: Any, name: str, totals: dict[str, float], key: str) -> None:
    """Wrap ``module.name`` so that its calls add up in ``totals[key]``."""
    original: Callable[..., Any] = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] += time.perf_counter() - start
            totals[key + "_calls"] += 1

    setattr(module, name, wrapper)


def main(argv: list[str]) -> int:
    spec_dir = Path(argv[0])
    totals: dict[str, float] = {
        "validate": 0.0,
        "validate_calls": 0,
        "dcg": 0.0,
        "dcg_calls": 0,
    }
    start = time.perf_counter()
    from generator import pipeline
    from generator.model.resolve import build_api
    from generator.reading import loader
    from generator.rendering.formatting import format_tree
    from generator.rendering.writer import write_files

    totals["import"] = time.perf_counter() - start
    _timed(loader, "validate_structure", totals, "validate")
    _timed(pipeline, "render_model_classes", totals, "dcg")  # its runs, uncached

    start = time.perf_counter()
    spec = loader.load_spec(spec_dir)
    totals["load"] = time.perf_counter() - start
    first_validate = totals["validate"]

    start = time.perf_counter()
    build_api(spec)
    totals["resolve"] = time.perf_counter() - start

    start = time.perf_counter()
    files = pipeline.render(spec_dir)  # loads and resolves again, then renders
    rendered = time.perf_counter() - start
    totals["render"] = rendered - totals["load"] - totals["resolve"]
    # Report the validation of one load only (render's own load repeats it).
    totals["validate_calls"] = totals["validate_calls"] / 2
    totals["validate"] = first_validate

    with tempfile.TemporaryDirectory() as scratch:
        write_files(files, Path(scratch))
        start = time.perf_counter()
        format_tree(Path(scratch))
        totals["format"] = time.perf_counter() - start
    print(json.dumps(totals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
