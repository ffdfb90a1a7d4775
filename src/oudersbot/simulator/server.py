"""The HTTP face of the Bot API: `/bot<token>/<method>` and `/file/bot<token>/<path>`."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiohttp import web

from oudersbot.simulator.botapi import SUCCESS_DESCRIPTIONS, BotApi
from oudersbot.simulator.config import SimulatorConfig, SimulatorStats
from oudersbot.simulator.errors import ApiError, bad_request
from oudersbot.simulator.faults import FaultAction, FaultInjector
from oudersbot.simulator.parsing import read_params
from oudersbot.simulator.validation import MethodValidator, SpecError, SpecValidator

_LOGGER = logging.getLogger(__name__)
_NOT_FOUND = ApiError(404, "Not Found")
_UNAUTHORIZED = ApiError(401, "Unauthorized")


def json_response(body: Any, status: int = 200) -> web.Response:
    """A compact UTF-8 JSON response."""
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return web.Response(body=payload, status=status, content_type="application/json")


class BotApiEndpoint:
    """Authenticates, injects faults, parses, validates and dispatches Bot API requests."""

    def __init__(
        self,
        config: SimulatorConfig,
        api: BotApi,
        validator: SpecValidator,
        stats: SimulatorStats,
        faults: FaultInjector,
    ) -> None:
        self._config = config
        self._api = api
        self._validator = validator
        self._stats = stats
        self._faults = faults
        self._validators: dict[str, MethodValidator] = {
            name: validator.method(name) for name in api.handlers
        }

    def _error(self, error: ApiError) -> web.Response:
        self._stats.count_error(error.error_code)
        return json_response(error.body(), status=error.error_code)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one Bot API call like Telegram does."""
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
        fault = self._faults.take(name)
        if fault is not None:
            if fault.action is FaultAction.DROP:
                return await _drop_connection(request)
            if fault.action is FaultAction.ERROR:
                return self._error(fault.error())
            await asyncio.sleep(fault.delay)
        try:
            params = self._validators[name].validate(raw)
            result = await self._api.handlers[name](params)
        except SpecError as error:
            return self._error(bad_request(error.reason))
        except ApiError as error:
            return self._error(error)
        if self._config.validate_responses:
            try:
                self._validator.validate_result(name, result)
            except SpecError as error:
                _LOGGER.error("simulator answered %s off-spec: %s", name, error.reason)
                return self._error(ApiError(500, f"Internal Server Error: {error.reason}"))
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


async def _drop_connection(request: web.Request) -> web.StreamResponse:
    """Close the connection without answering (the client sees a network error)."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)
