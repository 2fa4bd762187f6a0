"""``make check``: does ``generated/`` hold exactly what the spec produces?

The spec is regenerated into a temporary directory and compared file by file. When they
differ, the report says why as plainly as it can, from the header each generated file
carries: written by another toolchain (versions differ), written from another spec (the spec
changed and ``make generate`` was not run), or neither, which means a hand edit.
"""

from __future__ import annotations

import difflib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.pipeline import HEADER_MARK, generate, toolchain
from generator.reading.loader import load_spec

MAX_DIFF_LINES = 200
_SPEC_HASH = re.compile(r"^# spec sha256: ([0-9a-f]{64})$", re.MULTILINE)
_TOOLCHAIN = re.compile(r"^# toolchain: (.*)$", re.MULTILINE)
_IGNORED = ("__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis")


@dataclass(frozen=True)
class Report:
    ok: bool
    text: str


def check(spec_dir: Path, out_dir: Path) -> Report:
    with tempfile.TemporaryDirectory(prefix="generated-check-") as tmp:
        fresh_dir = Path(tmp) / "generated"
        generate(spec_dir, fresh_dir, cache=False)  # a check trusts no earlier run
        fresh = _read_tree(fresh_dir)
    committed = _read_tree(out_dir) if out_dir.is_dir() else {}
    if committed == fresh:
        return Report(True, f"{out_dir}/ matches {spec_dir}/ ({len(fresh)} files).")

    tools = toolchain().line().removeprefix("# toolchain: ")
    recorded = {m.group(1) for text in committed.values() if (m := _TOOLCHAIN.search(text))}
    if others := sorted(recorded - {tools}):
        # Another formatter or model generator writes other bytes for the same spec: a diff
        # would be long and say nothing about the spec. Say what is wrong instead.
        return Report(
            False,
            f"{out_dir}/ was written by another toolchain ({'; '.join(others)}) "
            f"than the one installed ({tools}).\n"
            "Reinstall the pinned toolchain (`rm -rf .venv && make check`), or, after upgrading it "
            "on purpose in requirements/dev.txt, run `make generate` and commit the result.",
        )
    spec_hash = load_spec(spec_dir).sha256
    problems: list[str] = []
    for name in sorted(set(committed) | set(fresh)):
        before, after = committed.get(name), fresh.get(name)
        if before == after:
            continue
        where = out_dir / name
        if before is None:
            problems.append(f"{where}: missing; the spec produces it. Run `make generate`.")
            continue
        if after is None:
            problems.append(
                f"{where}: not produced by the spec (left over, or added by hand). "
                "Run `make generate`."
            )
            continue
        reason = _why(before, spec_hash)
        if _without_header(before) == _without_header(after):
            problems.append(f"{where}: {reason} (only its header differs)")
        else:
            problems.append(f"{where}: {reason}\n{_diff(name, before, after, out_dir)}")
    count = (
        f"{len(problems)} file differs" if len(problems) == 1 else f"{len(problems)} files differ"
    )
    summary = f"{out_dir}/ does not match what {spec_dir}/ produces ({count}):"
    return Report(False, "\n\n".join([summary, *problems]))


def _why(committed: str, spec_hash: str) -> str:
    if HEADER_MARK not in committed:
        return "its generated-file header is gone: edited by hand."
    recorded_spec = _SPEC_HASH.search(committed)
    if recorded_spec is not None and recorded_spec.group(1) != spec_hash:
        return (
            "the spec changed since this was generated. Run `make generate` and commit the result."
        )
    return (
        "edited by hand (it records the current spec and toolchain, yet differs from their output)"
    )


def _without_header(text: str) -> str:
    return _TOOLCHAIN.sub("", _SPEC_HASH.sub("", text))


def _diff(name: str, before: str, after: str, out_dir: Path) -> str:
    lines = list(
        difflib.unified_diff(
            after.splitlines(keepends=True),
            before.splitlines(keepends=True),
            fromfile=f"generated from spec: {name}",
            tofile=f"{out_dir}/{name}",
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"... {len(lines) - MAX_DIFF_LINES} more diff lines\n"]
    return "".join(lines).rstrip("\n")


def _read_tree(root: Path) -> dict[str, str]:
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part in _IGNORED for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes().decode("utf-8", errors="replace")
    return files
