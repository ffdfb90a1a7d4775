"""deep-translator's LibreTranslate provider against a local stub server (never the internet)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from oudersbot.translation.machine import DeepTranslator, NoTranslator, TranslationUnavailableError


class StubLibreTranslate(BaseHTTPRequestHandler):
    """Answers POST /translate like LibreTranslate; the behaviour is set on the server."""

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        server = self.server
        query = parse_qs(urlparse(self.path).query)
        server.calls.append({k: v[0] for k, v in query.items()})  # type: ignore[attr-defined]
        mode = server.mode  # type: ignore[attr-defined]
        if mode == "slow":
            time.sleep(1.0)
        if mode == "quota":
            self.send_response(429)
            self.end_headers()
            return
        body = json.dumps({"translatedText": f"<{query['target'][0]}> {query['q'][0]}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def stub() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubLibreTranslate)
    server.calls = []  # type: ignore[attr-defined]
    server.mode = "ok"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


def test_text_goes_through_the_provider_with_base_language_codes(stub: ThreadingHTTPServer) -> None:
    translator = DeepTranslator("libre", url=url_of(stub), api_key="sleutel")
    assert translator.translate("Tomorrow is gym.", source="en-GB", target="pl") == (
        "<pl> Tomorrow is gym."
    )
    (call,) = stub.calls  # type: ignore[attr-defined]
    assert (call["source"], call["target"], call["api_key"]) == ("en", "pl", "sleutel")


def test_deep_translators_libre_list_has_no_dutch_so_dutch_falls_back(
    stub: ThreadingHTTPServer,
) -> None:
    translator = DeepTranslator("libre", url=url_of(stub), api_key="sleutel")
    with pytest.raises(TranslationUnavailableError, match="does not translate"):
        translator.translate("Morgen is er turnen.", source="nl", target="uk")
    assert stub.calls == []  # type: ignore[attr-defined]


def test_a_refusing_provider_means_unavailable_not_a_crash(stub: ThreadingHTTPServer) -> None:
    stub.mode = "quota"  # type: ignore[attr-defined]
    with pytest.raises(TranslationUnavailableError, match="libre"):
        DeepTranslator("libre", url=url_of(stub), api_key="k").translate(
            "Hello", source="en", target="fr"
        )


def test_a_slow_provider_times_out(stub: ThreadingHTTPServer) -> None:
    stub.mode = "slow"  # type: ignore[attr-defined]
    with pytest.raises(TranslationUnavailableError, match="no answer"):
        DeepTranslator("libre", url=url_of(stub), api_key="k", timeout=0.2).translate(
            "Hello", source="en", target="fr"
        )


def test_an_unreachable_provider_and_no_provider_are_unavailable() -> None:
    with pytest.raises(TranslationUnavailableError):
        DeepTranslator("libre", url="http://127.0.0.1:9/", api_key="k", timeout=5).translate(
            "Hello", source="en", target="fr"
        )
    with pytest.raises(TranslationUnavailableError):
        NoTranslator().translate("Hallo", source="nl", target="fr")
