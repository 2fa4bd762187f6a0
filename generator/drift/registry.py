"""The npm registry, where GitHub's description is published (``@octokit/openapi``).

Everything that reaches the registry goes through one seam, a :class:`Registry`: it tells a
release (:meth:`Registry.release`, the newest when no version is given) and fetches its
tarball (:meth:`Registry.pack`). :class:`Npm` is the real one; it runs the ``npm`` client, so
the machine's npm configuration (registry mirror, proxy, cache, retries) applies. Tests hand
the functions below a registry of their own, backed by tarballs they build.

A fetched tarball is checked against the integrity the registry publishes for it (an SRI
string, ``sha512-<base64>``) before anything is read from it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import tarfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from generator.errors import GeneratorError

# npm packs a package's files under this folder of the tarball.
TARBALL_ROOT = "package/"


class RegistryError(GeneratorError):
    """The registry cannot be reached, or does not have or gives something unusable."""


@dataclass(frozen=True)
class Release:
    package: str
    version: str
    published: str | None  # ISO 8601, as the registry has it
    integrity: str  # SRI of the tarball: "sha512-<base64 digest>"

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


class Registry(Protocol):
    def release(self, package: str, version: str | None = None) -> Release:
        """``version`` of ``package`` (the newest, its ``latest`` tag, when None)."""

    def pack(self, release: Release, into: Path) -> Path:
        """Fetch the release's tarball into the folder ``into``; its path."""


Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[bytes]"]


def run_command(command: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(command), capture_output=True, check=False)


@dataclass(frozen=True)
class Npm:
    """The registry as the ``npm`` client on this machine reaches it."""

    run: Runner = run_command
    npm: str = "npm"

    def release(self, package: str, version: str | None = None) -> Release:
        spec = f"{package}@{version or 'latest'}"
        answer = self._npm("view", spec, "version", "time", "dist.integrity", "--json")
        if isinstance(answer, list):
            raise RegistryError(f"npm view {spec}: {len(answer)} releases match; name one version")
        if not isinstance(answer, dict) or not isinstance(answer.get("version"), str):
            raise RegistryError(f"npm view {spec}: no such release on the registry")
        found = answer["version"]
        integrity = answer.get("dist.integrity")
        if not isinstance(integrity, str):
            raise RegistryError(f"npm view {spec}: the registry gives no integrity for {found}")
        times = answer.get("time")
        published = times.get(found) if isinstance(times, dict) else None
        return Release(package, found, published if isinstance(published, str) else None, integrity)

    def pack(self, release: Release, into: Path) -> Path:
        answer = self._npm("pack", release.spec, "--json", "--pack-destination", str(into))
        try:
            filename = answer[0]["filename"]
        except (IndexError, KeyError, TypeError):
            raise RegistryError(f"npm pack {release.spec}: it named no tarball") from None
        return into / str(filename)

    def _npm(self, *args: str) -> Any:
        command = [self.npm, *args]
        shown = " ".join(args[:2])
        try:
            done = self.run(command)
        except FileNotFoundError:
            raise RegistryError(
                f"npm {shown}: the npm client ({self.npm}) is not installed; it is needed to "
                "reach the npm registry"
            ) from None
        try:
            answer = json.loads(done.stdout) if done.stdout.strip() else None
        except ValueError:
            answer = None
        if done.returncode != 0:
            raise RegistryError(f"npm {shown} failed: {_failure(answer, done.stderr)}")
        if answer is None:
            raise RegistryError(f"npm {shown}: no answer from the registry")
        return answer


def _failure(answer: Any, stderr: bytes) -> str:
    """One line on why npm failed: its JSON error, else the first line it printed."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if isinstance(error, dict) and error.get("summary"):
        summary = " ".join(str(error["summary"]).split())
        return f"{error.get('code', 'error')}: {summary}" if error.get("code") else summary
    lines = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return " ".join(lines[0].split()) if lines else "no reason given"


def integrity_of(data: bytes, algorithm: str = "sha512") -> str:
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def check_integrity(tarball: Path, release: Release) -> None:
    """Raise unless ``tarball`` matches one of the hashes the registry publishes for it."""
    data = tarball.read_bytes()
    hashes = release.integrity.split()
    for entry in hashes:
        algorithm = entry.split("-", 1)[0]
        if algorithm in ("sha512", "sha384", "sha256") and integrity_of(data, algorithm) == entry:
            return
    if not any(entry.startswith(("sha512-", "sha384-", "sha256-")) for entry in hashes):
        raise RegistryError(f"{release.spec}: unusable integrity {release.integrity!r}")
    raise RegistryError(
        f"{release.spec}: the tarball ({tarball.name}) has integrity {integrity_of(data)}, "
        f"not the registry's {release.integrity}"
    )


def fetch(registry: Registry, release: Release, into: Path) -> Path:
    """The release's tarball in the folder ``into``, checked against its integrity."""
    into.mkdir(parents=True, exist_ok=True)
    tarball = registry.pack(release, into)
    if not tarball.is_file():
        raise RegistryError(f"{release.spec}: no tarball at {tarball}")
    check_integrity(tarball, release)
    return tarball


def extract(tarball: Path, files: Collection[str]) -> dict[str, bytes]:
    """The contents of ``files`` (paths inside the package) in one pass through the tarball."""
    wanted = {TARBALL_ROOT + name: name for name in files}
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(tarball, "r|gz") as archive:
            for member in archive:
                if member.name in wanted and member.isfile():
                    stream = archive.extractfile(member)
                    if stream is not None:
                        found[wanted[member.name]] = stream.read()
                    if len(found) == len(wanted):
                        break
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise RegistryError(f"{tarball.name}: not a readable npm tarball ({exc})") from None
    missing = sorted(set(files) - set(found))
    if missing:
        raise RegistryError(f"{tarball.name}: the package has no file {missing[0]}")
    return found
