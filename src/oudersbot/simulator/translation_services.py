"""Local stand-ins for the official translation services, for the tests and the benchmarks.

Each speaks one service's wire format on 127.0.0.1 at a free port (an aiohttp server on its own
thread), so the real client code (the `deepl` package, our Microsoft and LibreTranslate clients)
runs against it through the provider's URL setting, never the internet. Every answer marks its
output with the target language; a stub counts calls and can refuse (quota), fail or be slow.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

# What each service says it translates (a realistic excerpt; Somali and Tigrinya are missing
# from DeepL on purpose, Dutch is everywhere).
DEEPL_SOURCES = ["AR", "BG", "EN", "ES", "FR", "NL", "PL", "PT", "RO", "RU", "TR", "UK"]
DEEPL_TARGETS = [
    "AR",
    "BG",
    "EN-GB",
    "EN-US",
    "ES",
    "FR",
    "NL",
    "PL",
    "PT-BR",
    "PT-PT",
    "RO",
    "RU",
    "TR",
    "UK",
]
MICROSOFT_LANGUAGES = [
    "ar",
    "bg",
    "en",
    "es",
    "fa",
    "fr",
    "nl",
    "pl",
    "prs",
    "ps",
    "pt",
    "pt-pt",
    "ro",
    "ru",
    "so",
    "ti",
    "tr",
    "uk",
]
LIBRE_LANGUAGES = ["ar", "bg", "en", "es", "fr", "nl", "pl", "pt", "ro", "ru", "tr", "uk"]


@dataclass
class ServiceCall:
    """One translation request as the service saw it."""

    text: str
    source: str
    target: str
    key: str | None


@dataclass
class ServiceState:
    """What the stub does and what it saw."""

    mode: str = "ok"  # ok, quota, broken, slow
    latency: float = 0.0
    failing_targets: set[str] = field(default_factory=set)
    calls: list[ServiceCall] = field(default_factory=list)
    language_lists: int = 0


class TranslationServiceStub:
    """`with TranslationServiceStub("deepl") as stub:` then point the client at `stub.url`."""

    def __init__(self, kind: str) -> None:
        if kind not in ("deepl", "microsoft", "libre"):
            raise ValueError(f"no stub for {kind!r}")
        self.kind = kind
        self.state = ServiceState()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._port = 0

    @property
    def url(self) -> str:
        """The base URL to give the client (OUDERSBOT_TRANSLATOR_URL)."""
        return f"http://127.0.0.1:{self._port}/"

    def __enter__(self) -> TranslationServiceStub:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        routes = {
            "deepl": [
                web.get("/v2/languages", self._deepl_languages),
                web.post("/v2/translate", self._deepl_translate),
            ],
            "microsoft": [
                web.get("/languages", self._microsoft_languages),
                web.post("/translate", self._microsoft_translate),
            ],
            "libre": [
                web.get("/languages", self._libre_languages),
                web.post("/translate", self._libre_translate),
            ],
        }
        app.add_routes(routes[self.kind])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def _answer(
        self, call: ServiceCall, ok: Any, refusal: tuple[int, Any]
    ) -> web.StreamResponse:
        self.state.calls.append(call)
        if self.state.latency or self.state.mode == "slow":
            await asyncio.sleep(self.state.latency or 1.0)
        if self.state.mode == "quota":
            return web.json_response(refusal[1], status=refusal[0])
        if self.state.mode == "broken" or call.target.lower() in self.state.failing_targets:
            return web.json_response({"error": {"code": 400000, "message": "broken"}}, status=400)
        return web.json_response(ok)

    # DeepL: form or JSON bodies, "DeepL-Auth-Key <key>", 456 when the quota is spent.
    async def _deepl_languages(self, request: web.Request) -> web.StreamResponse:
        self.state.language_lists += 1
        form = parse_qs(await request.text())  # the deepl package sends a body with its GET
        wanted = request.query.get("type") or form.get("type", [""])[0]
        codes = DEEPL_TARGETS if wanted == "target" else DEEPL_SOURCES
        return web.json_response([{"language": code, "name": code} for code in codes])

    async def _deepl_translate(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        key = request.headers.get("Authorization", "").removeprefix("DeepL-Auth-Key ")
        text, target = body["text"][0], body["target_lang"]
        call = ServiceCall(text, body.get("source_lang", ""), target, key)
        translated = f"<{target}> {text}"
        ok = {
            "translations": [
                {
                    "detected_source_language": call.source,
                    "text": translated,
                    "billed_characters": len(text),
                }
            ]
        }
        return await self._answer(call, ok, (456, {"message": "Quota exceeded"}))

    # Microsoft Translator v3: the key in Ocp-Apim-Subscription-Key, 429001 for the quota.
    async def _microsoft_languages(self, request: web.Request) -> web.StreamResponse:
        self.state.language_lists += 1
        table = {code: {"name": code, "nativeName": code} for code in MICROSOFT_LANGUAGES}
        return web.json_response({"translation": table})

    async def _microsoft_translate(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        target = request.query["to"]
        key = request.headers.get("Ocp-Apim-Subscription-Key")
        call = ServiceCall(body[0]["Text"], request.query.get("from", ""), target, key)
        ok = [{"translations": [{"text": f"<{target}> {call.text}", "to": target}]}]
        quota = {"error": {"code": 429001, "message": "The server rejected the request"}}
        return await self._answer(call, ok, (429, quota))

    # LibreTranslate: JSON or form bodies, the key in the body as api_key.
    async def _libre_languages(self, request: web.Request) -> web.StreamResponse:
        self.state.language_lists += 1
        return web.json_response(
            [{"code": code, "name": code, "targets": LIBRE_LANGUAGES} for code in LIBRE_LANGUAGES]
        )

    async def _libre_translate(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        call = ServiceCall(body["q"], body["source"], body["target"], body.get("api_key"))
        ok = {"translatedText": f"<{call.target}> {call.text}"}
        return await self._answer(call, ok, (429, {"error": "Slowdown: too many requests"}))
