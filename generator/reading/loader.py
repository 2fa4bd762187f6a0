"""Stage 1: read the spec, apply the project's deliberate patches, and validate the result.

A spec folder holds the description as ``openapi.yaml`` or, as GitHub publishes it,
``openapi.json``; beside it, optionally, ``patches.yaml`` and ``client.yaml`` (the client
settings, ``info.x-client``, for a description that is used as published). Everything later in
the pipeline may assume a structurally valid OpenAPI 3.0 document; every problem found here
is reported with a JSON pointer (and the file and line it came from).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from generator.errors import GeneratorError, SpecError, SpecWarning
from generator.reading import pointer as jp
from generator.reading.json_source import read_json
from generator.reading.patches import Patch, apply_patches, read_patches
from generator.reading.yaml_source import read_yaml

SPEC_FILES = ("openapi.yaml", "openapi.json")
PATCHES_FILE = "patches.yaml"
CLIENT_FILE = "client.yaml"
CLIENT_POINTER = "/info/x-client"


@dataclass(frozen=True)
class Source:
    """A file that part of the document came from: what is under ``pointer`` is its content."""

    pointer: str
    path: Path
    lines: Mapping[str, int]


@dataclass(frozen=True)
class Spec:
    """A loaded, patched and validated spec."""

    path: Path
    document: Mapping[str, Any]
    patches: tuple[Patch, ...]
    lines: Mapping[str, int]
    # Files that supplied part of the document (client.yaml); errors there name them.
    parts: tuple[Source, ...] = ()
    # Where a rewritten document's places came from: a pointer into ``document`` (a prefix)
    # -> the pointer of the same place in the file as written. A reading step that moves a
    # node (a Swagger 2.0 definition into components, say) records it here, so that errors and
    # warnings still name the place in the file the user wrote. The longest prefix wins.
    origins: Mapping[str, str] = field(default_factory=dict)
    # What the generator accepted with a warning (``warn``), in the order found.
    warnings: list[SpecWarning] = field(default_factory=list, compare=False)

    @property
    def sha256(self) -> str:
        """Hash of the spec's content (patches applied), independent of layout and comments."""
        return canonical_sha256(self.document)

    def original(self, pointer: str) -> str:
        """The pointer, in the file as written, of the place ``pointer`` names in ``document``."""
        if not self.origins:
            return pointer
        probe = pointer
        while True:
            found = self.origins.get(probe)
            if found is not None:
                return found + pointer[len(probe) :]
            if not probe:
                return pointer
            probe = probe.rsplit("/", 1)[0]

    def error(self, pointer: str, message: str) -> SpecError:
        """A ``SpecError`` placed at the line of the spec file ``pointer`` comes from."""
        pointer = self.original(pointer)
        for part in self.parts:
            if pointer == part.pointer or pointer.startswith(part.pointer + "/"):
                inner = pointer[len(part.pointer) :]
                return SpecError(
                    inner, message, source=str(part.path), line=_line_in(part.lines, inner)
                )
        return SpecError(
            pointer, message, source=str(self.path), line=_line_in(self.lines, pointer)
        )

    def warn(self, pointer: str, message: str) -> None:
        """Accept something the spec gets wrong, saying where and what was made of it.

        Each (place, message) is said once, however often a stage comes across it.
        """
        placed = self.error(pointer, message)
        warning = SpecWarning(placed.pointer, message, source=placed.source, line=placed.line)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def line_of(self, pointer: str) -> int | None:
        return _line_in(self.lines, self.original(pointer))


def _line_in(lines: Mapping[str, int], pointer: str) -> int | None:
    # A pointer into something a patch added has no line of its own: use its parent's.
    while True:
        if pointer in lines:
            return lines[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]


def canonical_sha256(document: Any) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def spec_file(spec_dir: Path) -> Path:
    """The description in ``spec_dir``: ``openapi.yaml`` or ``openapi.json``, never both."""
    found = [spec_dir / name for name in SPEC_FILES if (spec_dir / name).is_file()]
    if not found:
        raise SpecError("", f"no spec file in {spec_dir} (expected one of {', '.join(SPEC_FILES)})")
    if len(found) > 1:
        raise SpecError(
            "", f"{spec_dir} holds both {' and '.join(p.name for p in found)}; keep one of them"
        )
    return found[0]


def read_document(path: Path) -> tuple[Any, Mapping[str, int]]:
    """A YAML or JSON file (told by its name) and the line of each JSON pointer in it."""
    return read_json(path) if path.suffix == ".json" else read_yaml(path)


def load_spec(spec_dir: Path) -> Spec:
    """Load the description in ``spec_dir`` with ``patches.yaml`` and ``client.yaml`` applied."""
    path = spec_file(spec_dir)
    document, lines = read_document(path)
    patches: tuple[Patch, ...] = ()
    patches_path = spec_dir / PATCHES_FILE
    if patches_path.is_file():
        patches = read_patches(patches_path)
        document = apply_patches(document, patches, patches_path)
    parts: tuple[Source, ...] = ()
    client_path = spec_dir / CLIENT_FILE
    if client_path.is_file():
        parts = (_add_client_settings(document, client_path, path),)
    # Validated once, patches applied: a patch only adds keywords, so every pointer into the
    # result is a pointer into the description (a key a patch added has its parent's line).
    spec = Spec(path=path, document=document, patches=patches, lines=lines, parts=parts)
    validate_structure(spec)
    return spec


def _add_client_settings(document: Any, client_path: Path, spec_path: Path) -> Source:
    """Put client.yaml's settings where the description would hold them, ``info.x-client``."""
    settings, lines = read_yaml(client_path)
    info = document.get("info") if isinstance(document, dict) else None
    if not isinstance(info, dict):
        raise SpecError("/info", "the description has no info object", source=str(spec_path))
    if "x-client" in info:
        raise SpecError(
            "",
            f"{spec_path.name} already has info.x-client; give the client settings once",
            source=str(client_path),
            line=1,
        )
    info["x-client"] = settings
    return Source(CLIENT_POINTER, client_path, lines)


@cache
def _openapi_schema() -> dict[str, Any]:
    # The OpenAPI 3.0 schema that openapi-spec-validator ships, read without importing that
    # package, whose import costs ~100 ms of machinery this project does not use.
    found = importlib.util.find_spec("openapi_spec_validator")
    locations = list(found.submodule_search_locations or []) if found else []
    if not locations:
        raise GeneratorError("openapi-spec-validator is not installed; run `make venv`")
    schema = Path(locations[0]) / "resources" / "schemas" / "v3.0" / "schema.json"
    loaded: dict[str, Any] = json.loads(schema.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Draft4Validator:
    return Draft4Validator(_openapi_schema())


@cache
def _fast_validator() -> Any:
    # jsonschema-rs checks GitHub's 13 MB description in ~10 ms, where jsonschema takes ~4 s;
    # it only says whether the document is valid, and jsonschema then says why it is not.
    # Formats are not checked, as jsonschema's Draft4Validator does not check them either.
    import jsonschema_rs

    return jsonschema_rs.Draft4Validator(_openapi_schema(), validate_formats=False)


def validate_structure(spec: Spec) -> None:
    """Check the document against the OpenAPI 3.0 schema; raise the most specific error."""
    if not isinstance(spec.document, dict):
        raise spec.error("", "the spec must be a mapping")
    version = spec.document.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.0.")):
        raise spec.error("/openapi", f"only OpenAPI 3.0.x is supported, not {version!r}")
    try:
        if _fast_validator().is_valid(spec.document):
            return
    except (ValueError, TypeError):  # a value JSON has no type for (a YAML date, say)
        pass
    error = next(iter(sorted(_validator().iter_errors(spec.document), key=_error_order)), None)
    if error is not None:
        error = _most_specific(error)
        raise spec.error(jp.from_path(error.absolute_path), error.message)


def _error_order(error: ValidationError) -> tuple[int, str]:
    return (-len(error.absolute_path), jp.from_path(error.absolute_path))


def _most_specific(error: ValidationError) -> ValidationError:
    """Descend through ``oneOf`` alternatives to the error a person can act on.

    The OpenAPI schema says "a Schema or a Reference" almost everywhere, so the top-level
    error is usually "not valid under any of the given schemas"; the deepest error in the
    branch that the instance was evidently meant to match names the actual mistake.
    """
    while error.context:
        is_reference = isinstance(error.instance, dict) and "$ref" in error.instance
        candidates = [
            sub
            for sub in error.context
            if is_reference or not (sub.validator == "required" and "'$ref'" in sub.message)
        ] or list(error.context)
        error = max(candidates, key=lambda sub: len(sub.absolute_path))
    return error
