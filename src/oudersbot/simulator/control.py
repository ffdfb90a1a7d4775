"""The HTTP control API under `/control/`: everything the Python control API does, as JSON.

Every answer is `{"ok": true, "result": ...}` or `{"ok": false, "error": "..."}` with an HTTP
status of 400 (bad input), 404 (unknown user, message or query) or 409 (user cannot act).

`/control/...` acts on the first bot; `/control/bots/<bot id>/...` offers the same routes for
each bot (the bot id is the number before the colon of its token).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, fields
from typing import Any

from aiohttp import web

from oudersbot.simulator.controllable import Controllable
from oudersbot.simulator.errors import ApiError, SimulatorError
from oudersbot.simulator.faults import Fault
from oudersbot.simulator.ratelimit import RateLimits
from oudersbot.simulator.storm import STORM_FIELDS, Storm

ControlHandler = Callable[[web.Request], Awaitable[Any]]
_LIMIT_FIELDS = {field.name for field in fields(RateLimits)}
_FAULT_FIELDS = {field.name for field in fields(Fault)}


def _reply(body: dict[str, Any], status: int = 200) -> web.Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=text, status=status, content_type="application/json")


def _endpoint(handler: ControlHandler) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def wrapped(request: web.Request) -> web.Response:
        try:
            return _reply({"ok": True, "result": await handler(request)})
        except SimulatorError as error:
            return _reply({"ok": False, "error": str(error)}, error.status)
        except ApiError as error:
            return _reply({"ok": False, "error": error.description}, 400)
        except (KeyError, TypeError, ValueError) as error:
            return _reply({"ok": False, "error": f"bad control request: {error!r}"}, 400)

    return wrapped


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        data = await request.json()
    except ValueError:
        raise SimulatorError("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise SimulatorError("the body must be a JSON object")
    return data


def _field(data: dict[str, Any], name: str, kind: type, *, optional: bool = False) -> Any:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise SimulatorError(f'"{name}" must be a {kind.__name__}')
    return value


def _user_id(request: web.Request) -> int:
    try:
        return int(request.match_info["user_id"])
    except ValueError:
        raise SimulatorError("the user id must be an integer", 404) from None


class ControlApi:
    """Handlers of the control routes; each answers with the Python API's result as JSON."""

    def __init__(self, sim: Controllable) -> None:
        self.sim = sim

    async def config(self, request: web.Request) -> Any:
        """GET /control/config: the settings, limits in force and root URL."""
        sim = self.sim
        return {**sim.config.to_dict(), "limits": asdict(sim.limits), "url": sim.url}

    async def add_user(self, request: web.Request) -> Any:
        """POST /control/users {first_name, last_name?, username?, language_code?}."""
        data = await _body(request)
        user_id = self.sim.add_user(
            _field(data, "first_name", str),
            _field(data, "last_name", str, optional=True),
            _field(data, "username", str, optional=True),
            _field(data, "language_code", str, optional=True),
        )
        return {"user_id": user_id}

    async def list_users(self, request: web.Request) -> Any:
        """GET /control/users."""
        return [user.to_dict() for user in self.sim.users()]

    async def get_user(self, request: web.Request) -> Any:
        """GET /control/users/{user_id}."""
        return self.sim.user(_user_id(request)).to_dict()

    async def send_text(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/messages {text, reply_to_message_id?}."""
        data = await _body(request)
        sent = await self.sim.send_text(
            _user_id(request),
            _field(data, "text", str),
            reply_to=_field(data, "reply_to_message_id", int, optional=True),
        )
        return sent.to_dict()

    async def send_voice(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/voices {duration?, file_size?, caption?,
        reply_to_message_id?}."""
        data = await _body(request)
        duration = _field(data, "duration", int, optional=True)
        sent = await self.sim.send_voice(
            _user_id(request),
            duration=3 if duration is None else duration,
            file_size=_field(data, "file_size", int, optional=True),
            caption=_field(data, "caption", str, optional=True),
            reply_to=_field(data, "reply_to_message_id", int, optional=True),
        )
        return sent.to_dict()

    async def send_photo(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/photos {file_size?, caption?}."""
        data = await _body(request)
        sent = await self.sim.send_photo(
            _user_id(request),
            file_size=_field(data, "file_size", int, optional=True) or 120_000,
            caption=_field(data, "caption", str, optional=True),
        )
        return sent.to_dict()

    async def send_document(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/documents {file_name, mime_type?, file_size?,
        content_base64?, caption?}."""
        data = await _body(request)
        encoded = _field(data, "content_base64", str, optional=True)
        try:
            content = base64.b64decode(encoded, validate=True) if encoded is not None else None
        except binascii.Error:
            raise SimulatorError('"content_base64" must be base64') from None
        sent = await self.sim.send_document(
            _user_id(request),
            file_name=_field(data, "file_name", str),
            mime_type=_field(data, "mime_type", str, optional=True),
            file_size=_field(data, "file_size", int, optional=True),
            content=content,
            caption=_field(data, "caption", str, optional=True),
        )
        return sent.to_dict()

    async def tap(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/taps {message_id, callback_data}."""
        data = await _body(request)
        query_id = await self.sim.tap(
            _user_id(request), _field(data, "message_id", int), _field(data, "callback_data", str)
        )
        return {"callback_query_id": query_id}

    async def forge(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/forged_taps {message_id, callback_data, chat_id?}."""
        data = await _body(request)
        query_id = await self.sim.forge_callback(
            _user_id(request),
            _field(data, "message_id", int),
            _field(data, "callback_data", str),
            _field(data, "chat_id", int, optional=True),
        )
        return {"callback_query_id": query_id}

    async def block(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/block."""
        self.sim.block(_user_id(request))
        return self.sim.user(_user_id(request)).to_dict()

    async def unblock(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/unblock."""
        self.sim.unblock(_user_id(request))
        return self.sim.user(_user_id(request)).to_dict()

    async def deactivate(self, request: web.Request) -> Any:
        """POST /control/users/{user_id}/deactivate."""
        self.sim.deactivate(_user_id(request))
        return self.sim.user(_user_id(request)).to_dict()

    async def inbox(self, request: web.Request) -> Any:
        """GET /control/users/{user_id}/inbox: every message the bot sent there."""
        return [message.to_dict() for message in self.sim.inbox(_user_id(request))]

    async def chat_action(self, request: web.Request) -> Any:
        """GET /control/users/{user_id}/chat_action: the last sendChatAction action."""
        return {"action": self.sim.chat_action(_user_id(request))}

    async def callback(self, request: web.Request) -> Any:
        """GET /control/callbacks/{query_id}: was the query answered, and how."""
        return self.sim.callback(request.match_info["query_id"]).to_dict()

    async def commands(self, request: web.Request) -> Any:
        """POST /control/commands {scope?, language_code?}: the bot's commands there."""
        data = await _body(request)
        scope = _field(data, "scope", dict, optional=True)
        return self.sim.commands(scope, _field(data, "language_code", str, optional=True) or "")

    async def updates(self, request: web.Request) -> Any:
        """GET /control/updates: updates not yet confirmed or delivered."""
        return self.sim.pending_updates()

    async def webhook(self, request: web.Request) -> Any:
        """GET /control/webhook: the WebhookInfo."""
        return self.sim.webhook_info()

    async def stats(self, request: web.Request) -> Any:
        """GET /control/stats: this bot's counters, limits and config; `total`: the counters
        summed over every bot; `bots`: each bot's counters by bot id."""
        total = self.sim.total_stats.to_dict()
        del total["limits"]  # each bot has its own
        return {
            **self.sim.stats.to_dict(),
            "config": self.sim.config.to_dict(),
            "total": total,
            "bots": {str(bot.config.bot_id): bot.stats.to_dict() for bot in self.sim.bots},
        }

    async def reset_stats(self, request: web.Request) -> Any:
        """POST /control/stats/reset."""
        self.sim.reset_stats()
        return True

    async def get_limits(self, request: web.Request) -> Any:
        """GET /control/limits."""
        return asdict(self.sim.limits)

    async def set_limits(self, request: web.Request) -> Any:
        """POST /control/limits {global_rate?, global_burst?, per_chat_rate?, per_chat_burst?}."""
        data = await _body(request)
        unknown = set(data) - _LIMIT_FIELDS
        if unknown:
            raise SimulatorError(f"unknown limit fields: {sorted(unknown)}")
        limits = RateLimits(**{**asdict(self.sim.limits), **data})
        self.sim.set_limits(limits)
        return asdict(limits)

    async def add_fault(self, request: web.Request) -> Any:
        """POST /control/faults {method, times?, action?, error_code?, description?, ...}."""
        data = await _body(request)
        unknown = set(data) - _FAULT_FIELDS
        if unknown:
            raise SimulatorError(f"unknown fault fields: {sorted(unknown)}")
        fault = Fault(**data)
        self.sim.inject_fault(fault)
        return fault.to_dict()

    async def list_faults(self, request: web.Request) -> Any:
        """GET /control/faults: the faults still armed."""
        return [fault.to_dict() for fault in self.sim.faults()]

    async def clear_faults(self, request: web.Request) -> Any:
        """DELETE /control/faults."""
        self.sim.clear_faults()
        return True

    async def reset(self, request: web.Request) -> Any:
        """POST /control/reset: forget users, messages, updates, counters and faults."""
        await self.sim.reset()
        return True

    async def bots(self, request: web.Request) -> Any:
        """GET /control/bots: every bot served here, the first bot first."""
        return [
            {
                "bot_id": bot.config.bot_id,
                "token": bot.config.bot_token,
                "username": bot.config.bot_username,
                "first_name": bot.config.bot_first_name,
                "base_url": bot.base_url,
                "control_url": f"{bot.url}/control/bots/{bot.config.bot_id}",
            }
            for bot in self.sim.bots
        ]

    async def start_storm(self, request: web.Request) -> Any:
        """POST /control/storms {method?, seed?, p_429?, retry_after?, p_403?,
        p_chat_not_found?, p_drop_before?, p_drop_after?}: start (or replace) a storm."""
        data = await _body(request)
        unknown = set(data) - set(STORM_FIELDS)
        if unknown:
            raise SimulatorError(f"unknown storm fields: {sorted(unknown)}")
        storm = Storm(**data)
        self.sim.storm(storm)
        return storm.to_dict()

    async def list_storms(self, request: web.Request) -> Any:
        """GET /control/storms: the storms raging, with `counts` of what each dealt."""
        return [storm.to_dict() for storm in self.sim.storms()]

    async def calm(self, request: web.Request) -> Any:
        """DELETE /control/storms: end every storm."""
        self.sim.calm()
        return True

    async def ledger(self, request: web.Request) -> Any:
        """GET /control/ledger: {now, chats: {chat id: {chat_id, received, refused}}}."""
        chats = {str(chat_id): chat.to_dict() for chat_id, chat in self.sim.ledger().items()}
        return {"now": self.sim.clock(), "chats": chats}

    async def chat_ledger(self, request: web.Request) -> Any:
        """GET /control/users/{user_id}/ledger: {chat_id, received, refused} of one chat."""
        return self.sim.chat_ledger(_user_id(request)).to_dict()

    async def clear_ledger(self, request: web.Request) -> Any:
        """DELETE /control/ledger: forget the ledger (users and inboxes stay)."""
        self.sim.clear_ledger()
        return True

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes."""
        table: list[tuple[str, str, ControlHandler]] = [
            ("GET", "/control/config", self.config),
            ("POST", "/control/users", self.add_user),
            ("GET", "/control/users", self.list_users),
            ("GET", "/control/users/{user_id}", self.get_user),
            ("POST", "/control/users/{user_id}/messages", self.send_text),
            ("POST", "/control/users/{user_id}/photos", self.send_photo),
            ("POST", "/control/users/{user_id}/voices", self.send_voice),
            ("POST", "/control/users/{user_id}/documents", self.send_document),
            ("POST", "/control/users/{user_id}/taps", self.tap),
            ("POST", "/control/users/{user_id}/forged_taps", self.forge),
            ("POST", "/control/users/{user_id}/block", self.block),
            ("POST", "/control/users/{user_id}/unblock", self.unblock),
            ("POST", "/control/users/{user_id}/deactivate", self.deactivate),
            ("GET", "/control/users/{user_id}/inbox", self.inbox),
            ("GET", "/control/users/{user_id}/chat_action", self.chat_action),
            ("GET", "/control/callbacks/{query_id}", self.callback),
            ("POST", "/control/commands", self.commands),
            ("GET", "/control/updates", self.updates),
            ("GET", "/control/webhook", self.webhook),
            ("GET", "/control/stats", self.stats),
            ("POST", "/control/stats/reset", self.reset_stats),
            ("GET", "/control/limits", self.get_limits),
            ("POST", "/control/limits", self.set_limits),
            ("POST", "/control/faults", self.add_fault),
            ("GET", "/control/faults", self.list_faults),
            ("DELETE", "/control/faults", self.clear_faults),
            ("POST", "/control/reset", self.reset),
            ("GET", "/control/bots", self.bots),
            ("POST", "/control/storms", self.start_storm),
            ("GET", "/control/storms", self.list_storms),
            ("DELETE", "/control/storms", self.calm),
            ("GET", "/control/ledger", self.ledger),
            ("DELETE", "/control/ledger", self.clear_ledger),
            ("GET", "/control/users/{user_id}/ledger", self.chat_ledger),
        ]
        return [web.route(method, path, _endpoint(handler)) for method, path, handler in table]


def control_routes(sim: Controllable) -> list[web.RouteDef]:
    """The aiohttp routes of the control API of `sim`."""
    return ControlApi(sim).routes()
