"""A scripted HTTP/1.1 server on 127.0.0.1, for tests that need real sockets.

The server runs an asyncio loop in a thread of its own, so that the sync and the async client
can both talk to it. It answers each request it receives with the next :class:`Reply` of its
script (then with its ``default``), and records every request it received, complete with the
connection it came on, so that tests can assert exact request counts.

A reply can misbehave on purpose: answer late (``delay``), cut its body off after a number of
bytes and close (``send_only``), or close the connection without answering (``drop``).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import socket
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    """Seconds to wait, after reading the request, before answering."""
    send_only: int | None = None
    """Send only this many bytes of the body (the Content-Length still announces all of it),
    then close the connection."""
    drop: bool = False
    """Close the connection after reading the request, without answering."""

    @classmethod
    def json(
        cls, status: int, data: Any, headers: Mapping[str, str] | None = None, **options: Any
    ) -> Reply:
        content = data if isinstance(data, bytes) else json.dumps(data).encode()
        return cls(
            status,
            {"content-type": "application/json; charset=utf-8", **(headers or {})},
            content,
            **options,
        )

    def encode(self) -> bytes:
        headers = {"content-length": str(len(self.body)), **self.headers}
        lines = [f"HTTP/1.1 {self.status} {http.HTTPStatus(self.status).phrase}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        body = self.body if self.send_only is None else self.body[: self.send_only]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


UNSCRIPTED = Reply.json(599, {"message": "the test server has no reply scripted for this request"})


@dataclass(frozen=True)
class Received:
    """One request the server read completely."""

    method: str
    target: str
    headers: Mapping[str, str]
    """Names lower-cased."""
    body: bytes
    connection: int
    """Which connection it came on: 0 for the first the server accepted, and so on."""


def free_port() -> int:
    """A loopback port that nothing listens on (at the time of asking)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


class LoopbackServer:
    """An HTTP/1.1 server on ``127.0.0.1`` answering with a script (see the module docs)."""

    def __init__(
        self, script: Iterable[Reply] = (), *, default: Reply = UNSCRIPTED, port: int = 0
    ) -> None:
        self.requests: list[Received] = []
        self.connections = 0
        self.peak_in_flight = 0
        self.port = port
        self._script = deque(script)
        self._default = default
        self._in_flight = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def started(self) -> bool:
        return self._server is not None

    def start(self) -> LoopbackServer:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="loopback-server")
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), loop).result(timeout=5)
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if self._server is not None:
            asyncio.run_coroutine_threadsafe(self._close(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()
        self._loop = self._thread = self._server = None

    def __enter__(self) -> LoopbackServer:
        return self if self.started else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def _open(self) -> None:
        self._server = await asyncio.start_server(self._serve, LOOPBACK, self.port, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        assert self._server is not None
        self._server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._server.wait_closed()
        await asyncio.sleep(0)  # let the transports finish closing

    def _next_reply(self) -> Reply:
        return self._script.popleft() if self._script else self._default

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        connection = self.connections
        self.connections += 1
        try:
            while await self._exchange(reader, writer, connection):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            pass  # the server is stopping: end quietly, so that asyncio has nothing to report
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: int
    ) -> bool:
        """Read one request and answer it; False when the connection is done."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False  # the client closed the connection between requests
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.requests.append(Received(method, target, headers, body, connection))
        reply = self._next_reply()
        self._in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
        try:
            await asyncio.sleep(reply.delay)
        finally:
            self._in_flight -= 1
        if reply.drop:
            return False
        writer.write(reply.encode())
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        return reply.send_only is None


@contextlib.contextmanager
def served_from_another_process(reply: Reply) -> Iterator[tuple[str, dict[str, int]]]:
    """A server answering ``reply`` to every request, in a process of its own: it then shares
    neither the GIL nor the memory (as tracemalloc sees it) of the client under test.

    Yields its URL and a dict that holds, once the block has ended, the server's counts:
    ``requests``, ``connections`` and ``peak_in_flight``.
    """
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "reply.json"
        script.write_text(
            json.dumps(
                {
                    "status": reply.status,
                    "headers": dict(reply.headers),
                    "body": reply.body.decode("latin-1"),
                    "delay": reply.delay,
                }
            )
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.loopback", str(script)],
            cwd=Path(__file__).resolve().parent.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        stats: dict[str, int] = {}
        try:
            assert process.stdout is not None
            port = int(process.stdout.readline())
            yield f"http://{LOOPBACK}:{port}", stats
        finally:
            output, _ = process.communicate("", timeout=10)
        stats.update(json.loads(output))


def _serve_until_stdin_closes(script: Path) -> None:
    data = json.loads(script.read_text())
    reply = Reply(data["status"], data["headers"], data["body"].encode("latin-1"), data["delay"])
    with LoopbackServer(default=reply) as server:
        print(server.port, flush=True)
        sys.stdin.read()
    stats = {
        "requests": len(server.requests),
        "connections": server.connections,
        "peak_in_flight": server.peak_in_flight,
    }
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    _serve_until_stdin_closes(Path(sys.argv[1]))
