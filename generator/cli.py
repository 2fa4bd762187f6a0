"""Command line: ``python -m generator generate|check|drift``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import GeneratorError


def _progress(stage: str, items: str, seconds: float) -> None:
    """One line a stage, on stderr so that stdout stays the result."""
    print(f"{stage:<8} {items:<52} {seconds:7.2f} s", file=sys.stderr, flush=True)


def _silent(stage: str, items: str, seconds: float) -> None:
    pass


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
        if name == "generate":
            command.add_argument(
                "--force", action="store_true", help="regenerate even when nothing changed"
            )
            command.add_argument(
                "--quiet", action="store_true", help="no progress lines on stderr, only errors"
            )
    drift = commands.add_parser(
        "drift", help="compare the spec with GitHub's published description (exit 1 on drift)"
    )
    drift.add_argument("--spec", type=Path, default=Path("spec"), help="the spec directory")
    drift.add_argument(
        "--upstream", required=True, help="the full description: a JSON or YAML file, or https URL"
    )
    drift.add_argument("--json", action="store_true", help="print a machine-readable report")
    drift.add_argument(
        "--write-provenance",
        action="store_true",
        help="record upstream's digests and subset hash in the spec's provenance.yaml",
    )
    drift.add_argument("--transcribed", metavar="YYYY-MM-DD", help="with --write-provenance")
    args = parser.parse_args(argv)
    if args.command == "drift":
        if args.transcribed and not args.write_provenance:
            parser.error("--transcribed goes with --write-provenance")
        from generator.drift.command import run

        return run(
            args.spec,
            args.upstream,
            as_json=args.json,
            write=args.write_provenance,
            transcribed=args.transcribed,
        )
    try:
        if args.command == "generate":
            from generator.rendering import stamp

            if not args.force and stamp.up_to_date(args.spec, args.out):
                print(f"{args.out}/ is up to date: neither {args.spec}/ nor the generator changed")
                return 0
            from generator.pipeline import generate

            written = generate(args.spec, args.out, _silent if args.quiet else _progress)
            stamp.record(args.spec, args.out)
            print(f"generated {len(written)} files in {args.out}/")
            return 0
        from generator.check import check

        report = check(args.spec, args.out)
        print(report.text, file=sys.stdout if report.ok else sys.stderr)
        return 0 if report.ok else 1
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
