"""The HTTP face of the Bot API: `/bot<token>/<method>` and `/file/bot<token>/<path>`."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from oudersbot.simulator.botapi import SUCCESS_DESCRIPTIONS, BotApi
from oudersbot.simulator.config import SimulatorConfig, SimulatorStats
from oudersbot.simulator.errors import ApiError, bad_request
from oudersbot.simulator.faults import Fault, FaultAction, FaultInjector
from oudersbot.simulator.ledger import Ledger
from oudersbot.simulator.parsing import read_params
from oudersbot.simulator.state import UserStatus
from oudersbot.simulator.users import UserActions
from oudersbot.simulator.validation import MethodValidator, SpecError, SpecValidator

_LOGGER = logging.getLogger(__name__)
_NOT_FOUND = ApiError(404, "Not Found")
_UNAUTHORIZED = ApiError(401, "Unauthorized")


def json_response(body: Any, status: int = 200) -> web.Response:
    """A compact UTF-8 JSON response."""
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return web.Response(body=payload, status=status, content_type="application/json")


@dataclass(slots=True)
class _Call:
    """One request on its way: the method, the chat it names, what faults did to it."""

    method: str
    chat_id: int | None
    injected: bool = False
    drop_after: bool = False


class BotApiEndpoint:
    """Authenticates, injects faults, parses, validates and dispatches one bot's requests.

    The ledger gets every message a send delivered, and every request naming a chat that was
    refused: an error answer, or a connection a fault dropped.
    """

    def __init__(
        self,
        config: SimulatorConfig,
        api: BotApi,
        validator: SpecValidator,
        stats: SimulatorStats,
        faults: FaultInjector,
        *,
        users: UserActions,
        ledger: Ledger,
    ) -> None:
        self._config = config
        self._api = api
        self._validator = validator
        self._stats = stats
        self._faults = faults
        self._users = users
        self._ledger = ledger
        self._validators: dict[str, MethodValidator] = {
            name: validator.method(name) for name in api.handlers
        }

    def _error(self, error: ApiError) -> web.Response:
        self._stats.count_error(error.error_code)
        return json_response(error.body(), status=error.error_code)

    async def _refuse(
        self, request: web.Request, call: _Call, error: ApiError
    ) -> web.StreamResponse:
        if call.chat_id is not None:
            self._ledger.refused(
                call.chat_id,
                call.method,
                error,
                injected=call.injected,
                answered=not call.drop_after,
            )
        if call.drop_after:
            self._stats.drops_after += 1
            return await _drop_connection(request)
        return self._error(error)

    def _inject(self, call: _Call) -> Fault | None:
        """The armed fault for this request, else a storm's verdict (None: no fault)."""
        fault = self._faults.take(call.method)
        if fault is None and call.chat_id is not None:
            fault = self._faults.draw(call.method, call.chat_id)
        # A delay decides nothing: what follows is the simulator's own answer.
        call.injected = fault is not None and fault.action is not FaultAction.DELAY
        if fault is not None and call.chat_id is not None:
            if fault.action is FaultAction.BLOCK:
                self._users.turn_away(call.chat_id, UserStatus.BLOCKED)
            elif fault.action is FaultAction.CHAT_NOT_FOUND:
                self._users.turn_away(call.chat_id, UserStatus.GONE)
        return fault

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one Bot API call like Telegram does (or as an armed fault or a storm says)."""
        token = request.match_info["token"]
        if token != self._config.bot_token:
            return self._error(_UNAUTHORIZED if ":" in token else _NOT_FOUND)
        name = self._api.by_lower_name.get(request.match_info["method"].lower())
        if name is None:
            self._stats.count_request("<unknown>")
            return self._error(_NOT_FOUND)
        self._stats.count_request(name)
        try:
            raw = await read_params(request)
        except ApiError as error:
            return self._error(error)
        except ConnectionResetError:
            return await _drop_connection(request)
        call = _Call(name, _chat_id(raw))
        fault = self._inject(call)
        if fault is not None:
            if fault.action is FaultAction.DROP_BEFORE:
                self._stats.drops_before += 1
                if call.chat_id is not None:
                    self._ledger.dropped(call.chat_id, name)
                return await _drop_connection(request)
            if fault.action is FaultAction.ERROR:
                return await self._refuse(request, call, fault.error())
            if fault.action is FaultAction.DELAY:
                await asyncio.sleep(fault.delay)
            call.drop_after = fault.action is FaultAction.DROP_AFTER
        try:
            params = self._validators[name].validate(raw)
            result = await self._api.handlers[name](params)
        except SpecError as error:
            return await self._refuse(request, call, bad_request(error.reason))
        except ApiError as error:
            return await self._refuse(request, call, error)
        if self._config.validate_responses:
            try:
                self._validator.validate_result(name, result)
            except SpecError as error:
                _LOGGER.error("simulator answered %s off-spec: %s", name, error.reason)
                return self._error(ApiError(500, f"Internal Server Error: {error.reason}"))
        if name.startswith("send") and isinstance(result, dict):
            self._ledger.arrived(name, result, answered=not call.drop_after)
        if call.drop_after:
            self._stats.drops_after += 1
            return await _drop_connection(request)
        body: dict[str, Any] = {"ok": True, "result": result}
        if name in SUCCESS_DESCRIPTIONS:
            body["description"] = SUCCESS_DESCRIPTIONS[name]
        return json_response(body)

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        """A download of a file_path from getFile: 401 for a wrong token, 404 if unknown."""
        if request.match_info["token"] != self._config.bot_token:
            return self._error(_UNAUTHORIZED)
        content = self._api.download(request.match_info["path"])
        if content is None:
            return self._error(_NOT_FOUND)
        return web.Response(body=content, content_type="application/octet-stream")


def _chat_id(raw: dict[str, Any]) -> int | None:
    """The numeric chat_id a request names, if any (a storm and the ledger go by it)."""
    value = raw.get("chat_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


async def _drop_connection(request: web.Request) -> web.StreamResponse:
    """Close the connection without answering (the client sees a network error)."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)
