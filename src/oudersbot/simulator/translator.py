"""A local stand-in for a translation provider, for the tests and the benchmarks.

deep-translator's MyMemory provider calls http://api.mymemory.translated.net/get and accepts a
proxy; pointing that proxy (OUDERSBOT_TRANSLATOR_PROXY) at this server makes every call land
here instead of on the internet. It answers like MyMemory, marks its output with the target
language, counts calls, and can be slow, refuse (quota) or fail.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlparse


@dataclass
class ProviderCall:
    """One translation request as the provider saw it."""

    text: str
    source: str
    target: str
    started: float
    finished: float = 0.0


@dataclass
class StubState:
    """What the stub does and what it saw."""

    latency: float = 0.0
    mode: str = "ok"  # ok, quota, broken
    calls: list[ProviderCall] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        state = self.server.state
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        source, _, target = query.get("langpair", "|").partition("|")
        call = ProviderCall(query.get("q", ""), source, target, time.monotonic())
        with state.lock:
            state.calls.append(call)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            if state.latency:
                time.sleep(state.latency)
            if state.mode == "quota":
                self._reply(429, {"responseDetails": "quota"})
            elif state.mode == "broken":
                self._reply(500, {"responseDetails": "broken"})
            else:
                translated = f"<{target}> {call.text}"
                self._reply(200, {"responseData": {"translatedText": translated}, "matches": []})
        finally:
            with state.lock:
                state.in_flight -= 1
                call.finished = time.monotonic()

    def _reply(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: StubState


class MyMemoryStub:
    """Run with `with MyMemoryStub(latency=0.2) as stub:`; `stub.proxy` is the proxy URL."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.state = StubState(latency=latency)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def proxy(self) -> str:
        """The URL to give as the provider's HTTP proxy."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> MyMemoryStub:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
