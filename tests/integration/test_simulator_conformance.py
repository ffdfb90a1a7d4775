"""Conformance table: every implemented method, every request encoding, every error shape."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest

from oudersbot.simulator import RateLimits, Simulator, SimulatorConfig
from tests.voice_files import ogg_opus

TOKEN = "123456:TEST"
KEYBOARD = {"inline_keyboard": [[{"text": "Ja", "callback_data": "ja"}]]}


@dataclass
class Case:
    """Valid parameters, a required parameter to leave out, and a wrongly typed value."""

    valid: dict[str, Any]
    missing: str | None = None
    wrong: tuple[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    sim: Simulator
    session: aiohttp.ClientSession
    uid: int
    message_id: int
    query_id: str
    file_id: str = ""

    async def call(
        self, method: str, params: dict[str, Any], encoding: str = "form"
    ) -> tuple[int, dict[str, Any]]:
        url = f"{self.sim.base_url}{TOKEN}/{method}"
        if encoding == "json":
            request = self.session.post(url, json=params)
        elif encoding == "query":
            request = self.session.get(url, params=as_form(params))
        elif encoding == "multipart":
            data = aiohttp.FormData(as_form(params), default_to_multipart=True)
            request = self.session.post(url, data=data)
        else:
            request = self.session.post(url, data=as_form(params))
        async with request as response:
            return response.status, await response.json()


def as_form(params: dict[str, Any]) -> dict[str, str]:
    """Encode like python-telegram-bot: strings as-is, everything else JSON-dumped."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}


def cases(world: World) -> dict[str, Case]:
    chat = {"chat_id": world.uid}
    message = {**chat, "message_id": world.message_id}
    return {
        "getMe": Case({}),
        "getUpdates": Case({"timeout": 0, "limit": 10}, wrong=("limit", "many")),
        "setWebhook": Case({"url": "http://127.0.0.1:9/hook"}, "url", ("max_connections", "lots")),
        "deleteWebhook": Case({}, wrong=("drop_pending_updates", "perhaps")),
        "getWebhookInfo": Case({}),
        "sendMessage": Case({**chat, "text": "Hallo"}, "chat_id", ("disable_notification", "ok?")),
        "sendPhoto": Case(
            {**chat, "photo": "https://school.example/a.jpg"},
            "photo",
            ("caption_entities", {"type": "bold"}),
        ),
        "sendVoice": Case(
            {**chat, "voice": "https://school.example/a.ogg"}, "voice", ("duration", "long")
        ),
        "editMessageText": Case({**message, "text": "Nieuw"}, "text", ("message_id", "first")),
        "editMessageReplyMarkup": Case({**message}, "message_id", ("reply_markup", "[1]")),
        "answerCallbackQuery": Case(
            {"callback_query_id": world.query_id}, "callback_query_id", ("show_alert", "soms")
        ),
        "deleteMessage": Case({**message}, "message_id", ("message_id", "x")),
        "sendChatAction": Case({**chat, "action": "typing"}, "action", ("message_thread_id", "x")),
        "setMyCommands": Case(
            {"commands": [{"command": "start", "description": "Begin"}]},
            "commands",
            ("commands", {"command": "start"}),
        ),
        "getMyCommands": Case({}, wrong=("scope", [])),
        "deleteMyCommands": Case({"language_code": "nl"}, wrong=("scope", "default")),
        "getFile": Case({"file_id": world.file_id}, "file_id", ("file_id", {"id": 1})),
    }


@pytest.fixture
async def world() -> AsyncIterator[World]:
    config = SimulatorConfig(global_rate=None, per_chat_rate=None, validate_responses=True)
    async with Simulator(config) as sim, aiohttp.ClientSession() as session:
        uid = sim.add_user("Conformiteit", language_code="nl")
        probe = World(sim, session, uid, 0, "")
        status, body = await probe.call(
            "sendMessage", {"chat_id": uid, "text": "Kies", "reply_markup": KEYBOARD}
        )
        assert status == 200, body
        message_id = body["result"]["message_id"]
        query_id = await sim.tap(uid, message_id, "ja")
        await sim.send_document(uid, file_name="brief.pdf", mime_type="application/pdf")
        file_id = sim.pending_updates()[-1]["message"]["document"]["file_id"]
        yield World(sim, session, uid, message_id, query_id, file_id)


async def test_the_table_covers_every_implemented_method(world: World) -> None:
    assert sorted(cases(world)) == world.sim.methods


METHODS = sorted(
    [
        "getMe",
        "getUpdates",
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "sendMessage",
        "sendPhoto",
        "sendVoice",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "deleteMessage",
        "sendChatAction",
        "setMyCommands",
        "getMyCommands",
        "deleteMyCommands",
        "getFile",
    ]
)


def assert_bad_request(status: int, body: dict[str, Any], fragment: str = "") -> None:
    assert status == 400, body
    assert set(body) == {"ok", "error_code", "description"}
    assert body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith("Bad Request: ")
    assert fragment in body["description"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("encoding", ["form", "json", "query", "multipart"])
async def test_valid_call_returns_an_on_spec_result(
    world: World, method: str, encoding: str
) -> None:
    case = cases(world)[method]
    status, body = await world.call(method, case.valid, encoding)
    assert status == 200, body
    assert body["ok"] is True and set(body) <= {"ok", "result", "description"}
    world.sim.validator.validate_result(method, body["result"])


@pytest.mark.parametrize("method", METHODS)
async def test_missing_unknown_and_wrongly_typed_parameters(world: World, method: str) -> None:
    case = cases(world)[method]
    status, body = await world.call(method, {**case.valid, "bogus_param": "1"})
    assert_bad_request(status, body, 'unknown parameter "bogus_param"')
    if case.missing is not None:
        params = {k: v for k, v in case.valid.items() if k != case.missing}
        assert_bad_request(*await world.call(method, params))
    if case.wrong is not None:
        name, value = case.wrong
        status, body = await world.call(method, {**case.valid, name: value})
        assert_bad_request(status, body, name)
    assert world.sim.stats.messages_accepted == 1


async def test_multipart_upload_and_attach_reference(world: World) -> None:
    url = f"{world.sim.base_url}{TOKEN}/sendPhoto"
    form = aiohttp.FormData()
    form.add_field("chat_id", str(world.uid))
    form.add_field("photo", b"\x89PNG....", filename="foto.png", content_type="image/png")
    async with world.session.post(url, data=form) as response:
        body = await response.json()
    assert response.status == 200 and body["result"]["photo"][0]["file_id"].startswith("AgAC")
    form = aiohttp.FormData()
    form.add_field("chat_id", str(world.uid))
    form.add_field("voice", "attach://spraak")
    form.add_field("spraak", ogg_opus(3.2), filename="v.ogg", content_type="audio/ogg")
    async with world.session.post(url.replace("sendPhoto", "sendVoice"), data=form) as response:
        body = await response.json()
    assert response.status == 200 and body["result"]["voice"]["mime_type"] == "audio/ogg"
    form = aiohttp.FormData()
    form.add_field("chat_id", str(world.uid))
    form.add_field("voice", "attach://missing")
    form.add_field("other", b"x", filename="x")
    async with world.session.post(url.replace("sendPhoto", "sendVoice"), data=form) as response:
        assert_bad_request(response.status, await response.json(), "attach://missing")


async def test_tokens_methods_and_error_bodies(world: World) -> None:
    base = world.sim.base_url
    async with world.session.get(f"{base}123456:WRONG/getMe") as response:
        assert response.status == 401
        assert await response.json() == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }
    async with world.session.get(f"{base}garbage/getMe") as response:
        assert response.status == 404
    async with world.session.get(f"{base}{TOKEN}/getChatTelepathy") as response:
        assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    async with world.session.get(f"{base}{TOKEN}/GETME") as response:
        assert response.status == 200  # method names are case-insensitive, like Telegram's
    async with world.session.post(
        f"{base}{TOKEN}/getMe", data=b"{", headers={"Content-Type": "application/json"}
    ) as response:
        assert response.status == 400
    async with world.session.get(f"{world.sim.base_file_url}{TOKEN}/photos/x.jpg") as response:
        assert response.status == 404


async def test_flood_error_body_has_retry_after(world: World) -> None:
    world.sim.set_limits(RateLimits(global_rate=None, per_chat_rate=1.0, per_chat_burst=1))
    ok = await world.call("sendMessage", {"chat_id": world.uid, "text": "1"})
    assert ok[0] == 200
    status, body = await world.call("sendMessage", {"chat_id": world.uid, "text": "2"})
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


async def _send_voice(world: World, data: bytes, **fields: str) -> tuple[int, dict[str, Any]]:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(world.uid))
    for name, value in fields.items():
        form.add_field(name, value)
    form.add_field("voice", data, filename="v.ogg", content_type="audio/ogg")
    url = f"{world.sim.base_url}{TOKEN}/sendVoice"
    async with world.session.post(url, data=form) as response:
        return response.status, await response.json()


async def test_send_voice_checks_ogg_opus_and_reports_its_duration(world: World) -> None:
    status, body = await _send_voice(world, ogg_opus(3.2))
    assert status == 200, body
    voice = body["result"]["voice"]
    # Telegram's Voice: the duration read from the OGG file (rounded up to whole seconds).
    assert set(voice) == {"file_id", "file_unique_id", "duration", "mime_type", "file_size"}
    assert (voice["duration"], voice["mime_type"]) == (4, "audio/ogg")
    assert voice["file_size"] == len(ogg_opus(3.2))
    # The sender's own duration wins ("as defined by the sender").
    status, body = await _send_voice(world, ogg_opus(3.2), duration="9")
    assert status == 200 and body["result"]["voice"]["duration"] == 9
    # Sent again by its file_id: the same file, the same duration, nothing uploaded.
    status, again = await world.call("sendVoice", {"chat_id": world.uid, "voice": voice["file_id"]})
    assert status == 200 and again["result"]["voice"]["file_id"] == voice["file_id"]
    assert again["result"]["voice"]["duration"] == 4


@pytest.mark.parametrize(
    "data",
    [b"RIFF....WAVEfmt ", b"OggS" + bytes(40), b"not audio at all", ogg_opus(1)[:20]],
    ids=["wav", "ogg-without-opus", "text", "cut-short"],
)
async def test_send_voice_refuses_what_is_no_voice_message(world: World, data: bytes) -> None:
    accepted = world.sim.stats.messages_accepted
    status, body = await _send_voice(world, data)
    assert status == 400 and body["ok"] is False
    assert body["description"].startswith("Bad Request: wrong file type of the voice message")
    assert world.sim.stats.messages_accepted == accepted
