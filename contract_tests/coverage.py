"""Which parts of the spec the contract suite exercised, measured rather than assumed.

Tests record each (operation, status, content type), each enum value, each variant of each
union, and each check of each property of every model an answer can carry (a wrong type and,
when required and not nullable, absence, by each decoder) once they have checked it; at the end
of the session the report lists every one the spec has, exercised or not. With
``CONTRACT_COVERAGE=enforce`` (as ``make test`` runs it) a missing one fails the run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from contract_tests import fields
from contract_tests.support import Contract, StatusPath

FieldCheck = tuple[str, str, str, str]  # (model, property, check, decoder)

_expected_paths: tuple[StatusPath, ...] = ()
_expected_dataless: tuple[StatusPath, ...] = ()
_expected_enums: tuple[tuple[str, str | int], ...] = ()
_expected_fields: tuple[FieldCheck, ...] = ()
_field_count = 0
_expected_variants: tuple[tuple[str, str], ...] = ()
_seen_paths: set[StatusPath] = set()
_seen_dataless: set[StatusPath] = set()
_seen_enums: set[tuple[str, str | int]] = set()
_seen_fields: set[FieldCheck] = set()
_seen_variants: set[tuple[str, str]] = set()
_started = False


def start(contract: Contract) -> None:
    global _expected_paths, _expected_dataless, _expected_enums, _expected_fields, _field_count
    global _expected_variants, _started
    _expected_paths = contract.status_paths()
    _expected_dataless = contract.dataless_paths()
    _expected_enums = tuple((e.name, v) for e in contract.api.enums for v in e.values)
    reachable = fields.reachable_fields(contract)
    _field_count = len(reachable)
    _expected_fields = tuple(
        (model, field.wire_name, check, decoder)
        for model, field in reachable
        for check in fields.checks(contract, field)
        for decoder in fields.DECODERS
    )
    _expected_variants = tuple(
        (u.name, contract.variant_label(v)) for u in contract.api.unions for v in u.variants
    )
    _seen_paths.clear()
    _seen_dataless.clear()
    _seen_enums.clear()
    _seen_fields.clear()
    _seen_variants.clear()
    _started = True


def status_path(path: StatusPath) -> None:
    _seen_paths.add(path)


def dataless_path(path: StatusPath) -> None:
    _seen_dataless.add(path)


def enum_value(enum: str, value: str | int) -> None:
    _seen_enums.add((enum, value))


def union_variant(union: str, label: str) -> None:
    _seen_variants.add((union, label))


def field_check(model: str, wire_name: str, check: str, decoder: str) -> None:
    _seen_fields.add((model, wire_name, check, decoder))


def seen() -> dict[str, list[Any]]:
    """What this process exercised, as JSON: a worker of a parallel run hands it over."""
    return {
        "status_paths": [path.as_dict() for path in _seen_paths],
        "dataless_paths": [path.as_dict() for path in _seen_dataless],
        "enum_values": [list(enum) for enum in _seen_enums],
        "properties": [list(check) for check in _seen_fields],
        "union_variants": [list(variant) for variant in _seen_variants],
    }


def merge(data: dict[str, list[Any]]) -> None:
    """Add what a worker exercised (its ``seen()``) to what this process counts."""
    by_key = {(p.operation, p.status, p.content_type): p for p in _expected_paths}
    for row in data["status_paths"]:
        key = (row["operation"], row["status"], row["content_type"])
        _seen_paths.add(by_key.get(key) or StatusPath(*key, None))
    for row in data["dataless_paths"]:
        _seen_dataless.add(StatusPath(row["operation"], row["status"], row["content_type"], None))
    _seen_enums.update((name, value) for name, value in data["enum_values"])
    _seen_fields.update((m, f, c, d) for m, f, c, d in data["properties"])
    _seen_variants.update((union, label) for union, label in data["union_variants"])


@dataclass(frozen=True)
class Report:
    text: str
    json: str
    missing: tuple[str, ...]


def _counted() -> set[str]:
    """The kinds whose gaps fail an enforced run: ``CONTRACT_COVERAGE_KINDS`` (comma-separated)
    narrows them for a run of part of the suite; all of them by default."""
    kinds = os.environ.get("CONTRACT_COVERAGE_KINDS")
    return set(kinds.split(",")) if kinds else set(KINDS)


KINDS = ("status_paths", "dataless_paths", "enum_values", "properties", "union_variants")


def report() -> Report | None:
    if not _started:
        return None
    lines: list[str] = []
    missing: list[str] = []
    counted = _counted()

    def missing_in(kind: str, what: str) -> None:
        if kind in counted:
            missing.append(what)

    rows: dict[str, list[dict[str, object]]] = {kind: [] for kind in KINDS}
    paths_seen = sum(p in _seen_paths for p in _expected_paths)
    lines.append(f"status paths: {paths_seen}/{len(_expected_paths)} exercised")
    for path in _expected_paths:
        seen = path in _seen_paths
        lines.append(
            f"  [{'x' if seen else ' '}] {path.operation} {path.status} {path.content_type}"
        )
        rows["status_paths"].append({**path.as_dict(), "exercised": seen})
        if not seen:
            missing_in("status_paths", f"{path.operation} {path.status} {path.content_type}")
    dataless_seen = sum(p in _seen_dataless for p in _expected_dataless)
    lines.append(f"answers without data: {dataless_seen}/{len(_expected_dataless)} exercised")
    for path in _expected_dataless:
        seen = path in _seen_dataless
        body = path.content_type or "(no body)"
        lines.append(f"  [{'x' if seen else ' '}] {path.operation} {path.status} {body}")
        rows["dataless_paths"].append({**path.as_dict(), "exercised": seen})
        if not seen:
            missing_in("dataless_paths", f"{path.operation} {path.status} {body}")
    enums_seen = sum(e in _seen_enums for e in _expected_enums)
    lines.append(f"enum values: {enums_seen}/{len(_expected_enums)} exercised")
    by_enum: dict[str, list[str]] = {}
    for name, value in _expected_enums:
        seen = (name, value) in _seen_enums
        by_enum.setdefault(name, []).append(f"{value}{'' if seen else ' (MISSING)'}")
        rows["enum_values"].append({"enum": name, "value": value, "exercised": seen})
        if not seen:
            missing_in("enum_values", f"{name}.{value}")
    lines += [f"  {name}: {', '.join(values)}" for name, values in by_enum.items()]
    fields_seen = sum(f in _seen_fields for f in _expected_fields)
    models = len({model for model, _, _, _ in _expected_fields})
    lines.append(
        f"properties: {_field_count} of {models} models, {fields_seen}/{len(_expected_fields)} "
        f"checks exercised ({', '.join(fields.DECODERS)} decoders)"
    )
    for model, wire_name, check, decoder in _expected_fields:
        seen = (model, wire_name, check, decoder) in _seen_fields
        rows["properties"].append(
            {
                "model": model,
                "property": wire_name,
                "check": check,
                "decoder": decoder,
                "exercised": seen,
            }
        )
        if not seen:
            missing_in("properties", f"{model}.{wire_name} ({check}, {decoder})")
    variants_seen = sum(v in _seen_variants for v in _expected_variants)
    lines.append(f"union variants: {variants_seen}/{len(_expected_variants)} exercised")
    by_union: dict[str, list[str]] = {}
    for name, label in _expected_variants:
        seen = (name, label) in _seen_variants
        by_union.setdefault(name, []).append(f"{label}{'' if seen else ' (MISSING)'}")
        rows["union_variants"].append({"union": name, "variant": label, "exercised": seen})
        if not seen:
            missing_in("union_variants", f"{name} as {label}")
    lines += [f"  {name}: {', '.join(labels)}" for name, labels in by_union.items()]
    if missing:
        more = f", ... ({len(missing) - 10} more)" if len(missing) > 10 else ""
        shown = ", ".join(missing[:10]) + more
        lines.append(f"NOT EXERCISED ({len(missing)}): {shown}")
    return Report("\n".join(lines), json.dumps(rows, indent=2), tuple(missing))
