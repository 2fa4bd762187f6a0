"""A vendored copy of the package works with nothing but httpx installed.

The copy is made with `make vendor` into a downstream project (as a sub-package, which the
package's relative imports allow), a fresh virtual environment gets `httpx` alone, the
downstream code type-checks strictly against the copy's `py.typed`, and it creates a codespace
against a server on loopback, with the sync client and with the async one (whose waits use
anyio, which comes with httpx).

Strictly means both checkers users run: mypy --strict, and pyright in strict mode over the
whole project, the vendored copy included (a project's own configuration decides what its
checker reports there, so the copy must be clean under the strictest one). ``USAGE`` uses
every typed surface of the client and pins the types it sees with ``assert_type``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.conftest import FIXTURES, ROOT

DOWNSTREAM_APP = '''\
"""A downstream project's use of its vendored client."""

import asyncio
import json
import sys

from ._vendor.github_codespaces import AsyncClient, Client, NotFoundError, RetryPolicy
from ._vendor.github_codespaces.models import Codespace, CodespaceState


def create(base_url: str, token: str) -> Codespace:
    with Client(token, base_url=base_url) as client:
        response = client.codespaces.with_response.create_with_repo_for_authenticated_user(
            "octo-org", "hello-world", geo="UsWest", machine="standardLinux32gb"
        )
        if response.status_code != 201:
            raise SystemExit(f"expected 201, got {response.status_code}")
        return response.parsed


def missing(base_url: str, token: str) -> str:
    with Client(token, base_url=base_url) as client:
        try:
            client.codespaces.create_with_repo_for_authenticated_user("octo-org", "gone")
        except NotFoundError as error:
            return error.status_code.__str__()
    return "no error"


async def create_after_a_rate_limit(base_url: str, token: str) -> int:
    policy = RetryPolicy(wait_scale=0.01)
    async with AsyncClient(token, base_url=base_url, retry_policy=policy) as client:
        namespace = client.codespaces.with_response
        response = await namespace.create_with_repo_for_authenticated_user(
            "octo-org", "rate-limited"
        )
        return response.retries_taken


if __name__ == "__main__":
    codespace = create(sys.argv[1], sys.argv[2])
    state_is_enum = isinstance(codespace.state, CodespaceState)
    result = {
        "name": codespace.name,
        "owner": codespace.repository.owner.login,
        "state_is_enum": state_is_enum,
        "missing": missing(sys.argv[1], sys.argv[2]),
        "async_retries": asyncio.run(create_after_a_rate_limit(sys.argv[1], sys.argv[2])),
    }
    print(json.dumps(result))
'''

USAGE = '''\
"""Downstream code on every typed surface of the vendored client; it type-checks strictly."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from typing import Any

from ._vendor.github_codespaces import (
    APIResponse,
    APIStatusError,
    AsyncClient,
    BadRequestError,
    Client,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    Unset,
)
from ._vendor.github_codespaces.models import (
    BasicError,
    Codespace,
    CodespaceMachine,
    CodespaceState,
    ScimError,
    ServiceUnavailable,
    SimpleUser,
)

if sys.version_info >= (3, 11):
    from typing import assert_type
else:
    from typing_extensions import assert_type


def fields(codespace: Codespace) -> dict[str, Any]:
    assert_type(codespace.name, str)
    assert_type(codespace.created_at, datetime)
    assert_type(codespace.state, CodespaceState | str)
    assert_type(codespace.display_name, str | Unset | None)
    assert_type(codespace.machine, CodespaceMachine | None)
    assert_type(codespace.owner, SimpleUser)
    assert_type(codespace.repository.owner.login, str)
    data = codespace.to_dict()
    assert_type(data, dict[str, Any])
    assert Codespace.from_dict(data) == codespace
    return {"name": codespace.name, "login": codespace.repository.owner.login}


def create(client: Client) -> Codespace:
    codespace = client.codespaces.create_with_repo_for_authenticated_user(
        "octo-org", "hello-world", geo="UsWest"
    )
    assert_type(codespace, Codespace)
    return codespace


def create_with_response(client: Client) -> int:
    response = client.codespaces.with_response.create_with_repo_for_authenticated_user(
        "octo-org", "hello-world"
    )
    assert_type(response, APIResponse[Codespace])
    assert_type(response.parsed, Codespace)
    assert_type(response.request_id, str | None)
    return response.status_code


def error_message(client: Client, repo: str) -> str:
    try:
        client.codespaces.create_with_repo_for_authenticated_user("octo-org", repo)
    except NotFoundError as error:
        assert_type(error.body, BasicError | None)
        message = error.body.message if error.body is not None else "no body"
        assert_type(message, str | Unset)
        return f"{error.status_code} {message}"
    except BadRequestError as error:
        assert_type(error.body, BasicError | ScimError | None)
    except ServiceUnavailableError as error:
        assert_type(error.body, ServiceUnavailable | None)
    except RateLimitError as error:
        assert_type(error.retry_after, float | None)
        assert_type(error.body, object | None)
    except APIStatusError as error:
        assert_type(error.body, object | None)
        assert_type(error.request_id, str | None)
    return "no error"


async def create_async(base_url: str, token: str) -> Codespace:
    async with AsyncClient(token, base_url=base_url) as client:
        response = await client.codespaces.with_response.create_with_repo_for_authenticated_user(
            "octo-org", "hello-world"
        )
        assert_type(response, APIResponse[Codespace])
        codespace = await client.codespaces.create_with_repo_for_authenticated_user(
            "octo-org", "hello-world"
        )
        assert_type(codespace, Codespace)
        return codespace


if __name__ == "__main__":
    base_url, token = sys.argv[1], sys.argv[2]
    with Client(token, base_url=base_url) as client:
        result = {
            **fields(create(client)),
            "status": create_with_response(client),
            "missing": error_message(client, "gone"),
            "async": fields(asyncio.run(create_async(base_url, token))),
        }
    print(json.dumps(result))
'''

# The downstream project's pyright configuration: strict, over everything in it.
PYRIGHT_CONFIG = {"typeCheckingMode": "strict", "pythonVersion": "3.10"}


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []
    body = (FIXTURES / "codespace.json").read_bytes()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        self.requests.append(
            {
                "path": self.path,
                "headers": dict(self.headers),
                "body": json.loads(self.rfile.read(length)),
            }
        )
        found = self.path in (
            "/repos/octo-org/hello-world/codespaces",
            "/repos/octo-org/rate-limited/codespaces",
        )
        # The first request for the rate-limited repository is answered 429, Retry-After: 1.
        limited = [r["path"] for r in self.requests].count(self.path) == 1 and (
            "rate-limited" in self.path
        )
        payload = self.body if found and not limited else b'{"message": "Not Found"}'
        self.send_response(429 if limited else 201 if found else 404)
        if limited:
            self.send_header("retry-after", "1")
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.requests = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _pinned(name: str) -> str:
    text = (ROOT / "requirements" / "dev.txt").read_text()
    match = re.search(rf"^{name}==(\S+)$", text, re.MULTILINE | re.IGNORECASE)
    assert match, f"{name} is not pinned in requirements/dev.txt"
    return match.group(1)


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        command, cwd=cwd, env=clean, capture_output=True, text=True, timeout=600, check=False
    )


def test_a_vendored_copy_works_with_httpx_alone(tmp_path: Path, server: str) -> None:
    project = tmp_path / "downstream"
    package = project / "downstream_app"
    vendor = package / "_vendor"
    made = _run(["make", "--no-print-directory", "vendor", f"DEST={vendor}"], ROOT)
    assert made.returncode == 0, made.stdout + made.stderr
    for init in (package / "__init__.py", vendor / "__init__.py"):
        init.write_text("")
    (package / "py.typed").write_text("")
    (package / "app.py").write_text(DOWNSTREAM_APP)
    (package / "usage.py").write_text(USAGE)
    assert (vendor / "github_codespaces" / "py.typed").is_file()

    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    # VENDOR_PYTHON runs the downstream project on another interpreter than the toolchain's
    # (CI: every Python the package claims, 3.10 included).
    interpreter = os.environ.get("VENDOR_PYTHON", sys.executable)
    assert _run([interpreter, "-m", "venv", str(venv)], tmp_path).returncode == 0
    installed = _run(
        [str(python), "-m", "pip", "install", "--quiet", f"httpx=={_pinned('httpx')}"], tmp_path
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    frozen = _run([str(python), "-m", "pip", "freeze"], tmp_path).stdout.lower()
    packages = {
        line.split("==")[0].replace("_", "-") for line in frozen.splitlines() if "==" in line
    }
    assert packages <= {
        "httpx",
        "httpcore",
        "h11",
        "anyio",
        "idna",
        "certifi",
        "sniffio",
        "typing-extensions",
        "exceptiongroup",  # anyio's backport of ExceptionGroup, on Python 3.10
    }
    assert {"httpx", "anyio"} <= packages

    # Strict type checking of the downstream code against the vendored copy, in that environment.
    mypy = Path(sys.executable).parent / "mypy"
    checked = _run(
        [
            str(mypy),
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",  # the oldest Python the package claims
            "--python-executable",
            str(python),
            "-p",
            "downstream_app",
        ],
        project,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    checked = _pyright(project, venv)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    ran = _run([str(python), "-m", "downstream_app.app", server, "vendored-token"], project)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    result = json.loads(ran.stdout)
    fixture = json.loads((FIXTURES / "codespace.json").read_text())
    assert result == {
        "name": fixture["name"],
        "owner": fixture["repository"]["owner"]["login"],
        "state_is_enum": True,
        "missing": "404",
        "async_retries": 1,
    }
    first = _Handler.requests[0]
    assert first["path"] == "/repos/octo-org/hello-world/codespaces"
    assert first["headers"]["Authorization"] == "Bearer vendored-token"
    assert first["body"] == {"geo": "UsWest", "machine": "standardLinux32gb"}

    used = _run([str(python), "-m", "downstream_app.usage", server, "vendored-token"], project)
    assert used.returncode == 0, used.stdout + used.stderr
    seen = {"name": fixture["name"], "login": fixture["repository"]["owner"]["login"]}
    assert json.loads(used.stdout) == {
        **seen,
        "status": 201,
        "missing": "404 Not Found",
        "async": seen,
    }


def _pyright(project: Path, venv: Path) -> subprocess.CompletedProcess[str]:
    """pyright, strict, over the downstream project, with the imports of ``venv``."""
    installed = _run(["make", "--no-print-directory", "node-tools"], ROOT)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    config = {**PYRIGHT_CONFIG, "venvPath": str(venv.parent), "venv": venv.name}
    (project / "pyrightconfig.json").write_text(json.dumps(config))
    return _run([str(ROOT / "node_modules" / ".bin" / "pyright")], project)
