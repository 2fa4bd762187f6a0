"""Stage 4: format the rendered files with the pinned ruff.

Ruff runs with ``--isolated`` and explicit settings so that the output does not depend on any
configuration file around it: the same rendered text always formats to the same bytes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from importlib.metadata import version
from pathlib import Path

from generator.errors import GeneratorError

LINE_LENGTH = 100
TARGET_VERSION = "py310"
_SETTINGS = ["--isolated", "--line-length", str(LINE_LENGTH), "--target-version", TARGET_VERSION]


@cache
def ruff_version() -> str:
    return version("ruff")


def format_tree(root: Path) -> None:
    """Sort imports and ``__all__``, drop unused imports, and format the files under ``root``.

    Ruff parses every file first and reports invalid syntax (a duplicate parameter among it),
    so Python's own compiler runs only on a file ruff refused, for the plainer message: on a
    large spec, compiling every file would cost more than formatting them.
    """
    found = _ruff(
        [
            "check",
            *_SETTINGS,
            "--select",
            "I,F401,RUF022",
            "--fix",
            "--quiet",
            "--exit-zero",
            "--output-format",
            "json",
            str(root),
        ]
    )
    invalid = [d for d in json.loads(found or "[]") if d.get("code") in (None, "invalid-syntax")]
    if invalid:
        _check_syntax(root, sorted({Path(d["filename"]) for d in invalid}))
        first = invalid[0]
        where = Path(first["filename"]).relative_to(root.resolve())
        raise GeneratorError(
            f"a template rendered invalid Python in {where}, "
            f"line {first['location']['row']}: {first['message']}"
        )
    _ruff(["format", *_SETTINGS, "--quiet", str(root)])


def _check_syntax(root: Path, paths: list[Path] | None = None) -> None:
    """Compile the Python files under ``root`` (or ``paths``); the first error is raised."""
    for path in paths if paths is not None else sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        try:
            compile(source, str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            line = (exc.text or "").rstrip()
            where = path.resolve().relative_to(root.resolve())
            raise GeneratorError(
                f"a template rendered invalid Python in {where}, line {exc.lineno}: "
                f"{exc.msg}\n    {line}"
            ) from None


def _ruff(arguments: list[str]) -> str:
    command = [sys.executable, "-m", "ruff", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GeneratorError(f"ruff {arguments[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout
