"""Stage 4: format the rendered files with the pinned ruff.

Ruff runs with ``--isolated`` and explicit settings so that the output does not depend on any
configuration file around it: the same rendered text always formats to the same bytes.
"""

from __future__ import annotations

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
    """Sort imports and ``__all__``, drop unused imports, and format the files under ``root``."""
    _check_syntax(root)
    _ruff(
        [
            "check",
            *_SETTINGS,
            "--select",
            "I,F401,RUF022",
            "--fix",
            "--quiet",
            "--exit-zero",
            str(root),
        ]
    )
    _ruff(["format", *_SETTINGS, "--quiet", str(root)])


def _check_syntax(root: Path) -> None:
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        try:
            compile(source, str(path), "exec", dont_inherit=True)
        except SyntaxError as exc:
            line = (exc.text or "").rstrip()
            raise GeneratorError(
                f"a template rendered invalid Python in {path.relative_to(root)}, "
                f"line {exc.lineno}: "
                f"{exc.msg}\n    {line}"
            ) from None


def _ruff(arguments: list[str]) -> str:
    command = [sys.executable, "-m", "ruff", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GeneratorError(f"ruff {arguments[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout
