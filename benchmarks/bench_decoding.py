"""Decoding a full 201 body (bytes -> typed ``Codespace``) and encoding it back, per call.

Ours is ``Codespace.from_dict(json.loads(body))`` with httpx alone, and ``Codespace.from_json
(body)`` with the optional accelerator (msgspec installed: typed decoding in C, copied into our
models). The baselines, all on the same bytes (tests/fixtures/codespace.json):

* ``json.loads`` alone: no types at all, the floor of anything built on the stdlib parser;
* pydantic v2 models that datamodel-code-generator writes from spec/openapi.yaml at bench time
  (``model_validate_json``), once as it writes them by default (``format: uri`` becomes
  ``AnyUrl``, which validates and normalises every URL) and once with ``format: uri`` kept as
  ``str``, which is the validation work our decoder does;
* msgspec decoding into our own dataclasses (``msgspec.json.decode(body, type=Codespace)``),
  which is probed model by model and reported for what it is;
* msgspec ``Struct`` models that datamodel-code-generator writes from the same spec: the
  practical floor for typed decoding in Python;
* ``msgspec.json.decode`` untyped, and that followed by our ``from_dict``: how much a faster
  JSON parser alone would give.

Generated baseline models use ``--strict-nullable`` and ``datetime`` for ``date-time``, so that
nullability and types match ours. They differ from ours in one respect a user would notice:
their enums are closed (an unknown value is an error), ours keep an unknown value as a string.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import json
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks._harness import (
    FIXTURE,
    SPEC_DIR,
    Config,
    Sample,
    Table,
    child_env,
    compare,
    missing,
    ratio,
    run_child,
    us,
    use_generated_package,
)

DCG = "datamodel_code_generator"
DCG_OPTIONS = (
    "--input-file-type",
    "openapi",
    "--strict-nullable",
    "--output-datetime-class",
    "datetime",
    "--target-python-version",
    "3.10",
    "--disable-timestamp",
    "--no-formatters",
)
# Label -> (runtime module it needs, datamodel-code-generator output type, extra options).
GENERATED_BASELINES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pydantic": ("pydantic", "pydantic_v2.BaseModel", ()),
    "pydantic-uri-str": (
        "pydantic",
        "pydantic_v2.BaseModel",
        ("--type-mappings", "string+uri=string"),
    ),
    "msgspec": ("msgspec", "msgspec.Struct", ()),
}


def generate_models(kind: str, directory: Path) -> ModuleType:
    """The baseline models of ``kind``, written by datamodel-code-generator from the spec."""
    _, output_type, extra = GENERATED_BASELINES[kind]
    name = f"_bench_{kind.replace('-', '_')}_models"
    path = directory / f"{name}.py"
    command = [sys.executable, "-m", DCG, "--input", str(SPEC_DIR / "openapi.yaml")]
    command += [*DCG_OPTIONS, "--output-model-type", output_type, *extra, "--output", str(path)]
    run_child(command, env=child_env()).check(f"datamodel-codegen ({output_type})")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the postponed annotations through it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec.loader.exec_module(module)
    return module


def probe_msgspec_on_ours(msgspec: Any, models: ModuleType) -> tuple[str, list[str]]:
    """Try msgspec on every generated dataclass: (verdict for ``Codespace``, notes)."""
    classes = [
        value
        for value in vars(models).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == models.__name__
    ]
    errors: dict[str, list[str]] = {}
    accepted = []
    for cls in classes:
        try:
            msgspec.json.Decoder(type=cls)
        except TypeError as exc:
            message = str(exc)
            # The message names the offending type; keep its general form once.
            errors.setdefault(message.split(" - ")[0], []).append(cls.__name__)
        else:
            accepted.append(cls.__name__)
    body = FIXTURE.read_bytes()
    try:
        msgspec.json.decode(body, type=models.Codespace)
        verdict = "decodes"
    except (TypeError, msgspec.ValidationError) as exc:
        verdict = f"cannot: `{type(exc).__name__}: {exc}`"
    notes = [
        f"msgspec accepts {len(accepted)} of our {len(classes)} dataclasses as a decode type"
        + (f" ({', '.join(accepted)})" if accepted else "")
        + "; the others are refused when the decoder is built: "
        + "; ".join(f"{len(names)} with `{message}`" for message, names in errors.items())
        + ". Every optional property is typed `X | Unset` (`Unset` = `Literal[_UnsetType.UNSET]`, "
        "an enum member), which msgspec does not support; our open enums (`SomeEnum | str`) "
        "would be refused next (a union may hold only one str-like type)."
    ]
    return verdict, notes


def run(config: Config) -> list[Table]:
    use_generated_package()
    from github_codespaces.models import Codespace

    body = FIXTURE.read_bytes()
    expected = json.loads(body)
    ours = Codespace.from_dict(json.loads(body))
    if ours.to_dict() != expected:  # our side must be right before it is timed
        raise AssertionError("Codespace.from_dict(...).to_dict() does not give the body back")
    parsed = json.loads(body)

    candidates: dict[str, Callable[[], object]] = {
        "ours: json.loads + Codespace.from_dict": lambda: Codespace.from_dict(json.loads(body)),
        "ours: Codespace.from_dict alone (body already parsed)": lambda: Codespace.from_dict(
            parsed
        ),
        "json.loads alone (untyped dict)": lambda: json.loads(body),
    }
    encoders: dict[str, tuple[str, Callable[[], object]]] = {
        "ours: codespace.to_dict()": ("dict", ours.to_dict),
        "ours: json.dumps(codespace.to_dict()).encode()": (
            "bytes",
            lambda: json.dumps(ours.to_dict(), separators=(",", ":")).encode(),
        ),
        "json.dumps of the plain dict (no model)": (
            "bytes",
            lambda: json.dumps(expected, separators=(",", ":")).encode(),
        ),
    }
    skipped: dict[str, str] = {}
    notes: list[str] = []
    labels = {
        "pydantic": "pydantic v2, dcg models as written (uri -> AnyUrl): model_validate_json",
        "pydantic-uri-str": "pydantic v2, dcg models with uri as str: model_validate_json",
        "msgspec-ours": "msgspec into our dataclasses: msgspec.json.decode(body, type=Codespace)",
        "msgspec": "msgspec Structs from dcg (the practical floor): msgspec.json.decode",
        "msgspec-untyped": "msgspec.json.decode untyped (dict)",
        "msgspec-untyped-ours": "msgspec.json.decode untyped + our Codespace.from_dict",
        "ours-accelerated": "ours, msgspec installed: Codespace.from_json (the accelerator)",
    }
    with tempfile.TemporaryDirectory(prefix="bench-decoding-") as tmp:
        dcg_missing = missing(DCG)
        for kind in ("pydantic", "pydantic-uri-str", "msgspec"):
            why = missing(GENERATED_BASELINES[kind][0]) or dcg_missing
            if why is not None:
                skipped[labels[kind]] = why
                continue
            models = generate_models(kind, Path(tmp))
            decoded = _baseline_decoder(kind, models)
            result: Any = decoded()
            if result.name != expected["name"] or result.repository.owner.login != "octo-org":
                raise AssertionError(f"{kind} decoded the fixture wrongly")
            candidates[labels[kind]] = decoded
            encoders.update(_baseline_encoders(kind, result))
        why_msgspec = missing("msgspec")
        if why_msgspec is None:
            msgspec: Any = importlib.import_module("msgspec")
            from github_codespaces import models as our_models

            verdict, probe_notes = probe_msgspec_on_ours(msgspec, our_models)
            notes.extend(probe_notes)
            if verdict != "decodes":
                skipped[labels["msgspec-ours"]] = verdict
            else:
                candidates[labels["msgspec-ours"]] = lambda: msgspec.json.decode(
                    body, type=Codespace
                )
            if Codespace.from_json(body) != ours:  # our side must be right before it is timed
                raise AssertionError("Codespace.from_json decodes unlike Codespace.from_dict")
            candidates[labels["ours-accelerated"]] = lambda: Codespace.from_json(body)
            candidates[labels["msgspec-untyped"]] = lambda: msgspec.json.decode(body)
            candidates[labels["msgspec-untyped-ours"]] = lambda: Codespace.from_dict(
                msgspec.json.decode(body)
            )
        else:
            for key in (
                "msgspec-ours",
                "msgspec-untyped",
                "msgspec-untyped-ours",
                "ours-accelerated",
            ):
                skipped[labels[key]] = why_msgspec

        samples = compare(candidates, config)
        encoded = compare({k: fn for k, (_, fn) in encoders.items()}, config)

    reference = samples["ours: json.loads + Codespace.from_dict"].min
    decoding = Table(
        "decoding",
        f"Decoding the full 201 body ({len(body):,} bytes) into a typed Codespace, per call",
        ("contender", "min µs", "median µs", "ours ÷ this (of mins)"),
    )
    order = [
        "ours: json.loads + Codespace.from_dict",
        labels["ours-accelerated"],
        "ours: Codespace.from_dict alone (body already parsed)",
        "json.loads alone (untyped dict)",
        labels["pydantic"],
        labels["pydantic-uri-str"],
        labels["msgspec-ours"],
        labels["msgspec"],
        labels["msgspec-untyped"],
        labels["msgspec-untyped-ours"],
    ]
    for label in order:
        if label in skipped:
            decoding.skip(label, skipped[label])
            continue
        s: Sample = samples[label]
        decoding.add(
            label,
            us(s.min),
            us(s.median),
            ratio(reference, s.min),
            ours=label.startswith("ours"),
        )
    pydantic = samples.get(labels["pydantic-uri-str"])
    accelerated = samples.get(labels["ours-accelerated"])
    if pydantic is not None:
        text = "Against pydantic v2 with uri as str: ours with httpx alone "
        text += ratio(reference, pydantic.min)
        if accelerated is not None:
            text += f", ours with msgspec installed {ratio(accelerated.min, pydantic.min)}"
        decoding.note(text + " (targets: within 2x; at least as fast with the accelerator).")
    decoding.note(
        f"Min and median of {config.repeat} interleaved repeats, each a block of calls lasting "
        f"about {config.block_seconds * 1000:.0f} ms; ratios are of mins. "
        "'ours ÷ this' above 1 means ours is slower."
    )
    decoding.notes.extend(notes)
    decoding.note(
        "The baselines' enums are closed (an unknown value fails), ours are open (kept as str); "
        "pydantic's AnyUrl also normalises URLs (`https://x.github.dev` reads back with a "
        "trailing `/`)."
    )

    encoding = Table(
        "encoding",
        "Encoding the decoded Codespace back to JSON-ready data / JSON bytes, per call",
        ("contender", "output", "min µs", "median µs", "ours ÷ this (same output, of mins)"),
    )
    ours_by_output = {
        "dict": encoded["ours: codespace.to_dict()"].min,
        "bytes": encoded["ours: json.dumps(codespace.to_dict()).encode()"].min,
    }
    for label, (output, _) in encoders.items():
        s = encoded[label]
        encoding.add(
            label,
            output,
            us(s.min),
            us(s.median),
            ratio(ours_by_output[output], s.min),
            ours=label.startswith("ours"),
        )
    for kind in ("pydantic", "pydantic-uri-str", "msgspec"):
        if labels[kind] in skipped:
            encoding.skip(f"{kind} (dict and bytes)", skipped[labels[kind]])
    encoding.note(
        "pydantic: model_dump(mode='json', by_alias=True, exclude_unset=True) and "
        "model_dump_json(...); msgspec: msgspec.to_builtins and msgspec.json.encode."
    )
    return [decoding, encoding]


def _baseline_decoder(kind: str, models: ModuleType) -> Callable[[], Any]:
    body = FIXTURE.read_bytes()
    if kind.startswith("pydantic"):
        validate = models.Codespace.model_validate_json
        return lambda: validate(body)
    msgspec: Any = importlib.import_module("msgspec")
    decoder = msgspec.json.Decoder(models.Codespace)
    return lambda: decoder.decode(body)


def _baseline_encoders(kind: str, value: Any) -> dict[str, tuple[str, Callable[[], object]]]:
    if kind.startswith("pydantic"):
        name = "pydantic v2 (dcg, uri as str)" if kind.endswith("str") else "pydantic v2 (dcg)"
        options = {"by_alias": True, "exclude_unset": True}
        return {
            f"{name}: model_dump(mode='json')": (
                "dict",
                lambda: value.model_dump(mode="json", **options),
            ),
            f"{name}: model_dump_json()": ("bytes", lambda: value.model_dump_json(**options)),
        }
    msgspec: Any = importlib.import_module("msgspec")
    encoder = msgspec.json.Encoder()
    return {
        "msgspec Struct: msgspec.to_builtins": ("dict", lambda: msgspec.to_builtins(value)),
        "msgspec Struct: msgspec.json.encode": ("bytes", lambda: encoder.encode(value)),
    }


if __name__ == "__main__":
    for table in run(Config()):
        print(table.markdown())
