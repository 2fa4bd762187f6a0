"""Prism, the mock server of the conformance tests: started and stopped on loopback.

Prism (npm ``@stoplight/prism-cli``) serves an OpenAPI description: it validates each request
against it, and answers with a body it generates from the documented schema. The status comes
from ``Prefer: code=N``; ``dynamic=true`` with a ``seed`` gives a random but reproducible
body (``-d`` makes that the default). Problems it finds with a request come back in its
``sl-violations`` header and its log.

Started on a free port of 127.0.0.1, waited for up to ``START_TIMEOUT`` seconds, and stopped
with its whole process group, whatever happens to the tests.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 30.0  # seconds; Prism is up in about one on the cut description
STOP_TIMEOUT = 5.0
LISTENING = "Prism is listening"


class PrismError(RuntimeError):
    """Prism could not be started; the message ends with the tail of its log."""


@dataclass(frozen=True)
class Prism:
    url: str
    log_file: Path
    pid: int

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 25) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(nothing)"


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to Prism's process group, then SIGKILL if it has not gone in STOP_TIMEOUT."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def serving(
    executable: Path, document: Path, log_file: Path, *, attempts: int = 3
) -> Iterator[Prism]:
    """Prism serving ``document`` in dynamic mode, for as long as the block runs."""
    if shutil.which("node") is None:
        raise PrismError("Prism needs Node.js: no `node` on PATH")
    if not executable.exists():
        raise PrismError(f"Prism is not installed at {executable}: run `make prism`")
    for attempt in range(attempts):
        port = free_port()
        command = [str(executable), "mock", str(document), "--dynamic"]
        with log_file.open("wb") as log:
            process = subprocess.Popen(
                [*command, "--host", LOOPBACK, "--port", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while process.poll() is None and time.monotonic() < deadline:
                if LISTENING in log_file.read_text(errors="replace") and _accepts(port):
                    break
                time.sleep(0.05)
            else:
                if process.poll() is None:
                    raise PrismError(
                        f"Prism did not start listening within {START_TIMEOUT:g} s; its log:\n"
                        + _tail(log_file)
                    )
                if attempt + 1 < attempts and "EADDRINUSE" in log_file.read_text(errors="replace"):
                    continue  # the free port was taken in the meantime: another one
                raise PrismError(
                    f"Prism exited with status {process.returncode}; its log:\n" + _tail(log_file)
                )
            yield Prism(f"http://{LOOPBACK}:{port}", log_file, process.pid)
            return
        finally:
            _stop(process)
    raise PrismError(f"Prism found no free port in {attempts} attempts")
