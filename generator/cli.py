"""Command line: ``python -m generator generate|check|drift|upstream``."""

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
            command.add_argument(
                "--no-cache",
                action="store_true",
                help="run datamodel-code-generator on every class, not only on what changed",
            )
            command.add_argument(
                "--strict",
                action="store_true",
                help="refuse the spec where it is wrong in ways the generator would accept with "
                "a warning",
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
    _upstream_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "upstream":
        return _upstream(args)
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
            from generator.errors import SpecWarning
            from generator.pipeline import generate

            warnings: list[SpecWarning] = []
            try:
                written = generate(
                    args.spec,
                    args.out,
                    _silent if args.quiet else _progress,
                    cache=not args.no_cache,
                    strict=args.strict,
                    warnings=warnings,
                )
            finally:
                # Said even when generation then fails: they may be why.
                for warning in warnings:
                    print(warning, file=sys.stderr)
            stamp.record(args.spec, args.out)
            summary = f"{len(warnings)} warning{'' if len(warnings) == 1 else 's'}"
            print(f"generated {len(written)} files in {args.out}/ ({summary})")
            return 0
        from generator.check import check

        report = check(args.spec, args.out)
        print(report.text, file=sys.stdout if report.ok else sys.stderr)
        return 0 if report.ok else 1
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _upstream_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from generator.drift.descriptions import DEFAULT_DESCRIPTION

    upstream = commands.add_parser(
        "upstream", help="the pinned npm release of GitHub's description (spec/provenance.yaml)"
    )
    actions = upstream.add_subparsers(dest="action", required=True)
    for name, help_text in (
        ("fetch", "fetch the pinned description into the folder, checked against its sha256"),
        ("latest", "the drift report against the newest release (exit 1 on drift)"),
        ("bump", "move the pin to a release (the newest by default), after its drift report"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("--spec", type=Path, default=Path("spec"), help="the spec directory")
        action.add_argument(
            "--into", type=Path, default=Path(".upstream"), help="where fetched copies go"
        )
        if name == "bump":
            action.add_argument("--version", help="the release to pin (default: the newest)")
        else:
            action.add_argument(
                "--description",
                default=DEFAULT_DESCRIPTION,
                help=f"which description of the package: {DEFAULT_DESCRIPTION} (default), ghec",
            )
        if name == "latest":
            action.add_argument("--json", action="store_true", help="a machine-readable report")


def _upstream(args: argparse.Namespace) -> int:
    from generator.drift import releases
    from generator.drift.registry import Npm

    if args.action == "fetch":
        return releases.run_fetch(args.spec, args.description, args.into, Npm())
    if args.action == "latest":
        return releases.run_latest(args.spec, args.description, args.into, Npm(), as_json=args.json)
    return releases.run_bump(args.spec, args.version, args.into, Npm())
