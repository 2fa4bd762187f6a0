"""An npm registry of tarballs the tests build, for the upstream tests (tests/test_upstream.py).

:class:`LocalRegistry` is a folder of ``npm pack``-style tarballs (``package/...``) with the
facts a registry publishes about each (version, time, integrity). It is a
``generator.drift.registry.Registry`` itself, and :func:`serve` puts it on 127.0.0.1 as an
npm registry (packument and tarballs), so that the real ``npm`` client can be pointed at it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tarfile
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.drift.provenance import read_provenance
from generator.drift.registry import RegistryError, Release
from generator.drift.report import record_provenance
from tests.synthetic_upstream import ROOT

PACKAGE = "@octokit/openapi"
TRANSCRIBED_FROM = "generated/api.github.com.json"


def sri(data: bytes) -> str:
    """Written out here rather than taken from the module under test."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball(files: Mapping[str, bytes], name: str = PACKAGE, version: str = "0.0.0") -> bytes:
    """A gzipped tarball laid out as npm packs one (every file under ``package/``)."""
    manifest = json.dumps({"name": name, "version": version}).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, data in {"package.json": manifest, **files}.items():
            info = tarfile.TarInfo(f"package/{path}")
            info.size = len(data)
            info.mtime = 499162500  # npm's fixed date: the same files give the same bytes
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@dataclass(frozen=True)
class Published:
    version: str
    time: str
    path: Path
    integrity: str  # what the registry claims, normally the tarball's own


class LocalRegistry:
    def __init__(self, root: Path, package: str = PACKAGE):
        self.root = root
        self.package = package
        self.releases: dict[str, Published] = {}
        self.latest: str | None = None
        self.packed: list[str] = []  # versions whose tarball was asked for
        root.mkdir(parents=True, exist_ok=True)

    def publish(
        self, version: str, files: Mapping[str, bytes], time: str = "2030-01-01T00:00:00.000Z"
    ) -> Published:
        data = tarball(files, self.package, version)
        path = self.root / f"{self.package.lstrip('@').replace('/', '-')}-{version}.tgz"
        path.write_bytes(data)
        self.releases[version] = published = Published(version, time, path, sri(data))
        self.latest = version
        return published

    def tamper(self, version: str, integrity: str) -> None:
        """Make the registry claim another integrity for ``version`` than its tarball has."""
        self.releases[version] = replace(self.releases[version], integrity=integrity)

    # -- the Registry protocol -------------------------------------------------------------

    def release(self, package: str, version: str | None = None) -> Release:
        wanted = version or self.latest
        if package != self.package or wanted not in self.releases:
            raise RegistryError(f"npm view {package}@{version or 'latest'} failed: E404")
        found = self.releases[wanted]
        return Release(package, found.version, found.time, found.integrity)

    def pack(self, release: Release, into: Path) -> Path:
        self.packed.append(release.version)
        source = self.releases[release.version].path
        return Path(shutil.copy(source, into / source.name))

    # -- as npm's registry API -------------------------------------------------------------

    def packument(self, base_url: str) -> dict[str, object]:
        tail = self.package.split("/")[-1]
        return {
            "name": self.package,
            "dist-tags": {"latest": self.latest} if self.latest else {},
            "versions": {
                found.version: {
                    "name": self.package,
                    "version": found.version,
                    "dist": {
                        "tarball": f"{base_url}{self.package}/-/{tail}-{found.version}.tgz",
                        "integrity": found.integrity,
                    },
                }
                for found in self.releases.values()
            },
            "time": {found.version: found.time for found in self.releases.values()},
        }


@contextmanager
def serve(registry: LocalRegistry) -> Iterator[str]:
    """Serve ``registry`` on 127.0.0.1 as an npm registry; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = urllib.parse.unquote(self.path.split("?", 1)[0]).lstrip("/")
            if path == registry.package:
                body = json.dumps(registry.packument(base_url)).encode()
                self.answer(200, "application/json", body)
                return
            version = path.rsplit("-", 1)[-1].removesuffix(".tgz")
            if path.startswith(registry.package + "/-/") and version in registry.releases:
                registry.packed.append(version)
                self.answer(
                    200, "application/octet-stream", registry.releases[version].path.read_bytes()
                )
                return
            self.answer(404, "application/json", b'{"error": "Not found"}')

        def answer(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Project:
    spec: Path
    into: Path  # .upstream/
    registry: LocalRegistry
    files: Mapping[str, bytes]  # the pinned release's files

    @property
    def provenance(self) -> bytes:
        return (self.spec / "provenance.yaml").read_bytes()


def pinned_project(root: Path, files: Mapping[str, bytes], version: str, time: str) -> Project:
    """A copy of spec/ transcribed from ``files`` (published as ``version``) and pinned to it."""
    registry = LocalRegistry(root / "registry")
    registry.publish(version, files, time)
    spec_dir = root / "spec"
    shutil.copytree(ROOT / "spec", spec_dir)
    (root / "transcribed.json").write_bytes(files[TRANSCRIBED_FROM])
    source = {**read_provenance(spec_dir).source, "version": version}
    pinned = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    record_provenance(spec_dir, str(root / "transcribed.json"), None, pin=(source, pinned))
    return Project(spec_dir, root / ".upstream", registry, files)
