"""`SimulatorClient`: the HTTP control API from another process (benchmarks, the demo)."""

from __future__ import annotations

import base64
from types import TracebackType
from typing import Any, Self

import aiohttp

from oudersbot.simulator.errors import SimulatorError


class SimulatorClient:
    """Acts as parents on a simulator running elsewhere, through `/control/...`.

    Use as `async with SimulatorClient("http://127.0.0.1:8081/control") as client:`. It speaks
    to the first bot; `SimulatorClient(url, bot=token)` or `client.for_bot(token)` to another
    bot of the same simulator (a token or a bot id: the number before the colon).
    """

    def __init__(self, control_url: str, *, bot: str | int | None = None) -> None:
        self._root = control_url.rstrip("/")
        self.control_url = self._root if bot is None else f"{self._root}/bots/{_bot_id(bot)}"
        self._session: aiohttp.ClientSession | None = None
        self._parent: SimulatorClient | None = None

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def for_bot(self, bot: str | int) -> SimulatorClient:
        """A client of another bot of the same simulator, sharing this client's session."""
        other = SimulatorClient(self._root, bot=bot)
        other._parent = self._parent or self
        return other

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send one control request; return its result or raise SimulatorError."""
        session = self._parent._session if self._parent is not None else self._session
        if session is None:
            raise RuntimeError("use SimulatorClient as an async context manager")
        async with session.request(method, f"{self.control_url}{path}", json=body) as response:
            if response.content_type != "application/json":  # e.g. no such bot here
                raise SimulatorError(await response.text(), response.status)
            data = await response.json()
        if not data.get("ok"):
            raise SimulatorError(str(data.get("error")), response.status)
        return data["result"]

    async def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> int:
        """Create a user; return their id."""
        body = {
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
            "language_code": language_code,
        }
        result = await self.call("POST", "/users", body)
        return int(result["user_id"])

    async def send_text(
        self, user_id: int, text: str, *, reply_to: int | None = None
    ) -> dict[str, Any]:
        """The user sends text (with `reply_to`, as a reply to that message of their chat);
        returns {"message_id", "update_id"}."""
        body: dict[str, Any] = {"text": text}
        if reply_to is not None:
            body["reply_to_message_id"] = reply_to
        result: dict[str, Any] = await self.call("POST", f"/users/{user_id}/messages", body)
        return result

    async def send_voice(
        self,
        user_id: int,
        *,
        duration: int = 3,
        file_size: int | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """The user sends a voice note; returns {"message_id", "update_id"}."""
        body = {
            "duration": duration,
            "file_size": file_size,
            "caption": caption,
            "reply_to_message_id": reply_to,
        }
        result: dict[str, Any] = await self.call("POST", f"/users/{user_id}/voices", body)
        return result

    async def send_photo(
        self, user_id: int, *, file_size: int | None = None, caption: str | None = None
    ) -> dict[str, Any]:
        """The user sends a photo; returns {"message_id", "update_id"}."""
        body = {"file_size": file_size, "caption": caption}
        result: dict[str, Any] = await self.call("POST", f"/users/{user_id}/photos", body)
        return result

    async def send_document(
        self,
        user_id: int,
        *,
        file_name: str,
        mime_type: str | None,
        file_size: int | None = None,
        content: bytes | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """The user sends a file as a document; returns {"message_id", "update_id"}."""
        body = {
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": file_size,
            "content_base64": base64.b64encode(content).decode() if content is not None else None,
            "caption": caption,
        }
        result: dict[str, Any] = await self.call("POST", f"/users/{user_id}/documents", body)
        return result

    async def tap(self, user_id: int, message_id: int, callback_data: str) -> str:
        """The user taps an existing inline button; returns the callback query id."""
        body = {"message_id": message_id, "callback_data": callback_data}
        result = await self.call("POST", f"/users/{user_id}/taps", body)
        return str(result["callback_query_id"])

    async def forge_callback(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> str:
        """Send a forged callback query; returns its id."""
        body = {"message_id": message_id, "callback_data": callback_data, "chat_id": chat_id}
        result = await self.call("POST", f"/users/{user_id}/forged_taps", body)
        return str(result["callback_query_id"])

    async def callback(self, callback_query_id: str) -> dict[str, Any]:
        """A callback query's record (answered, answer_text, ...)."""
        result: dict[str, Any] = await self.call("GET", f"/callbacks/{callback_query_id}")
        return result

    async def block(self, user_id: int) -> None:
        """The user blocks the bot."""
        await self.call("POST", f"/users/{user_id}/block")

    async def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        await self.call("POST", f"/users/{user_id}/unblock")

    async def deactivate(self, user_id: int) -> None:
        """The user's account is deleted."""
        await self.call("POST", f"/users/{user_id}/deactivate")

    async def inbox(self, user_id: int) -> list[dict[str, Any]]:
        """Every message the bot sent to the user (ReceivedMessage as JSON)."""
        result: list[dict[str, Any]] = await self.call("GET", f"/users/{user_id}/inbox")
        return result

    async def stats(self) -> dict[str, Any]:
        """This bot's counters, limits and config; under "total" the counters of all bots
        summed, under "bots" each bot's counters by bot id (a string)."""
        result: dict[str, Any] = await self.call("GET", "/stats")
        return result

    async def reset_stats(self) -> None:
        """Zero the counters."""
        await self.call("POST", "/stats/reset")

    async def set_limits(self, **limits: Any) -> dict[str, Any]:
        """Change some flood limits (global_rate, global_burst, per_chat_rate, per_chat_burst)."""
        result: dict[str, Any] = await self.call("POST", "/limits", limits)
        return result

    async def inject_fault(self, method: str, **fault: Any) -> dict[str, Any]:
        """Arm a fault (times, action, error_code, description, retry_after, delay)."""
        result: dict[str, Any] = await self.call("POST", "/faults", {"method": method, **fault})
        return result

    async def clear_faults(self) -> None:
        """Disarm every fault and end every storm."""
        await self.call("DELETE", "/faults")

    async def bots(self) -> list[dict[str, Any]]:
        """Every bot of the simulator: bot_id, token, username, first_name, base_url,
        control_url; the first bot first."""
        result: list[dict[str, Any]] = await self.call("GET", "/bots")
        return result

    async def storm(
        self,
        method: str = "*",
        *,
        seed: int = 0,
        p_429: float = 0.0,
        retry_after: int = 1,
        p_403: float = 0.0,
        p_chat_not_found: float = 0.0,
        p_drop_before: float = 0.0,
        p_drop_after: float = 0.0,
    ) -> dict[str, Any]:
        """Start a storm on this bot's requests to chats (see `oudersbot.simulator.storm`);
        returns the storm with its "counts"."""
        body = {
            "method": method,
            "seed": seed,
            "p_429": p_429,
            "retry_after": retry_after,
            "p_403": p_403,
            "p_chat_not_found": p_chat_not_found,
            "p_drop_before": p_drop_before,
            "p_drop_after": p_drop_after,
        }
        result: dict[str, Any] = await self.call("POST", "/storms", body)
        return result

    async def storms(self) -> list[dict[str, Any]]:
        """The storms raging, each with "counts" of what it dealt ("none" for no harm)."""
        result: list[dict[str, Any]] = await self.call("GET", "/storms")
        return result

    async def calm(self) -> None:
        """End every storm (chats a storm blocked or lost stay so)."""
        await self.call("DELETE", "/storms")

    async def ledger(self) -> dict[int, dict[str, Any]]:
        """Per chat id: {"chat_id", "received": [...], "refused": [...]} (see `ledger.py`)."""
        result = await self.call("GET", "/ledger")
        return {int(chat_id): chat for chat_id, chat in result["chats"].items()}

    async def chat_ledger(self, user_id: int) -> dict[str, Any]:
        """One chat's {"chat_id", "received": [...], "refused": [...]}."""
        result: dict[str, Any] = await self.call("GET", f"/users/{user_id}/ledger")
        return result

    async def clear_ledger(self) -> None:
        """Forget the ledger (users and inboxes stay)."""
        await self.call("DELETE", "/ledger")

    async def reset(self) -> None:
        """Forget everything (users, messages, updates, counters, faults)."""
        await self.call("POST", "/reset")


def _bot_id(bot: str | int) -> int:
    """A bot's id from its token or its id."""
    return int(str(bot).split(":", 1)[0])
