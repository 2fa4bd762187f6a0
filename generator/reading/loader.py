"""Stage 1: read the spec, apply the project's deliberate patches, and validate the result.

Everything later in the pipeline may assume a structurally valid OpenAPI 3.0 document; every
problem found here is reported with a JSON pointer (and the line of the file it came from).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from generator.errors import GeneratorError, SpecError
from generator.reading import pointer as jp
from generator.reading.patches import Patch, apply_patches, read_patches
from generator.reading.yaml_source import read_yaml

SPEC_FILE = "openapi.yaml"
PATCHES_FILE = "patches.yaml"


@dataclass(frozen=True)
class Spec:
    """A loaded, patched and validated spec."""

    path: Path
    document: Mapping[str, Any]
    patches: tuple[Patch, ...]
    lines: Mapping[str, int]

    @property
    def sha256(self) -> str:
        """Hash of the spec's content (patches applied), independent of layout and comments."""
        return canonical_sha256(self.document)

    def error(self, pointer: str, message: str) -> SpecError:
        """A ``SpecError`` placed at the line of the spec file ``pointer`` comes from."""
        return SpecError(pointer, message, source=str(self.path), line=self.line_of(pointer))

    def line_of(self, pointer: str) -> int | None:
        # A pointer into something a patch added has no line of its own: use its parent's.
        while True:
            if pointer in self.lines:
                return self.lines[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]


def canonical_sha256(document: Any) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_spec(spec_dir: Path) -> Spec:
    """Load ``spec_dir/openapi.yaml`` with ``spec_dir/patches.yaml`` (if any) applied."""
    path = spec_dir / SPEC_FILE
    if not path.is_file():
        raise SpecError("", f"no spec file at {path}")
    document, lines = read_yaml(path)
    patches: tuple[Patch, ...] = ()
    patches_path = spec_dir / PATCHES_FILE
    if patches_path.is_file():
        patches = read_patches(patches_path)
        document = apply_patches(document, patches, patches_path)
    # Validated once, patches applied: a patch only adds keywords, so every pointer into the
    # result is a pointer into openapi.yaml (a key a patch added has its parent's line).
    spec = Spec(path=path, document=document, patches=patches, lines=lines)
    validate_structure(spec)
    return spec


@cache
def _validator() -> Draft4Validator:
    # The OpenAPI 3.0 schema that openapi-spec-validator ships, read without importing that
    # package, whose import costs ~100 ms of machinery this project does not use.
    found = importlib.util.find_spec("openapi_spec_validator")
    locations = list(found.submodule_search_locations or []) if found else []
    if not locations:
        raise GeneratorError("openapi-spec-validator is not installed; run `make venv`")
    schema = Path(locations[0]) / "resources" / "schemas" / "v3.0" / "schema.json"
    return Draft4Validator(json.loads(schema.read_text(encoding="utf-8")))


def validate_structure(spec: Spec) -> None:
    """Check the document against the OpenAPI 3.0 schema; raise the most specific error."""
    if not isinstance(spec.document, dict):
        raise spec.error("", "the spec must be a mapping")
    version = spec.document.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.0.")):
        raise spec.error("/openapi", f"only OpenAPI 3.0.x is supported, not {version!r}")
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
