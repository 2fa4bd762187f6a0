"""Command line: ``python -m generator generate|check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import GeneratorError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("generate", "regenerate the output directory from the spec"),
        ("check", "fail with a diff when the output directory differs from what the spec produces"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--spec", type=Path, default=Path("spec"), help="the spec directory (default: spec)"
        )
        command.add_argument(
            "--out", type=Path, default=Path("generated"), help="the output directory"
        )
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            from generator.pipeline import generate

            written = generate(args.spec, args.out)
            print(f"generated {len(written)} files in {args.out}/")
            return 0
        from generator.check import check

        report = check(args.spec, args.out)
        print(report.text, file=sys.stdout if report.ok else sys.stderr)
        return 0 if report.ok else 1
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
