"""The pin of GitHub's description: an npm release, and the sha256 of each file read from it.

The pin is the ``source`` block of spec/provenance.yaml, and nothing else holds it::

    source:
      registry: "npm"
      package: "@octokit/openapi"
      version: "23.0.2"
      file: "generated/api.github.com.json"   # what spec/ was transcribed from
      sha256:
        "generated/api.github.com.json": "829b..."
        "generated/ghec.json": "3224..."

A description is named as the package names its file: ``api.github.com`` is
``generated/api.github.com.json``, ``ghec`` (GitHub Enterprise Cloud) ``generated/ghec.json``.
Fetched copies go to a local folder (``.upstream/``) under the file's own name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.drift.descriptions import DEFAULT_DESCRIPTION as DEFAULT_DESCRIPTION
from generator.drift.provenance import PROVENANCE_FILE, read_provenance
from generator.drift.registry import Registry, RegistryError, Release, extract, fetch
from generator.errors import SpecError

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*")


@dataclass(frozen=True)
class Pin:
    package: str
    version: str
    file: str  # the file spec/ was transcribed from
    sha256: Mapping[str, str]  # every pinned file of the package -> its sha256

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


def read_pin(spec_dir: Path) -> Pin:
    provenance = read_provenance(spec_dir, metadata_only=True)
    source = provenance.source
    where = str(spec_dir / PROVENANCE_FILE)
    if source.get("registry", "npm") != "npm":
        raise SpecError("/source/registry", "only npm packages can be pinned", source=where)
    for key in ("package", "version", "file"):
        if not source.get(key):
            raise SpecError("/source", f"the pin needs {key!r}", source=where)
    if source["file"] not in provenance.sha256:
        raise SpecError(
            "/source/sha256", f"no sha256 pinned for {source['file']} (source.file)", source=where
        )
    return Pin(source["package"], source["version"], source["file"], provenance.sha256)


def package_file(description: str) -> str:
    """The file of the package that holds the description ``description``."""
    if not _NAME.fullmatch(description):
        raise SpecError("", f"{description!r} is not the name of a description (such as ghec)")
    return f"generated/{description}.json"


def local_copy(into: Path, file: str) -> Path:
    return into / Path(file).name


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_pinned(
    spec_dir: Path, description: str, into: Path, registry: Registry
) -> tuple[Path, bool]:
    """The pinned copy of ``description`` in ``into``, and whether it had to be fetched."""
    pin = read_pin(spec_dir)
    file = package_file(description)
    if file not in pin.sha256:
        pinned = ", ".join(Path(name).stem for name in sorted(pin.sha256))
        raise SpecError(
            "/source/sha256",
            f"{file} is not pinned (pinned: {pinned}); `make upstream-bump` pins every file "
            "listed there",
            source=str(spec_dir / PROVENANCE_FILE),
        )
    target = local_copy(into, file)
    if target.is_file() and sha256_of(target.read_bytes()) == pin.sha256[file]:
        return target, False
    release = registry.release(pin.package, pin.version)
    data = read_release(registry, release, [file], into)[file]
    if sha256_of(data) != pin.sha256[file]:
        raise RegistryError(
            f"{pin.spec} {file} has sha256 {sha256_of(data)}, not the pinned {pin.sha256[file]}"
        )
    write(target, data)
    return target, True


def read_release(
    registry: Registry, release: Release, files: Collection[str], into: Path
) -> dict[str, bytes]:
    """``files`` of the release, from its tarball (checked, then deleted)."""
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=into) as folder:
        return extract(fetch(registry, release, Path(folder)), files)


def write(target: Path, data: bytes) -> None:
    """Replace ``target`` at once: an interrupted fetch leaves the old copy or none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)
