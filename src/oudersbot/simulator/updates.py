"""The bot's incoming updates: a queue read by getUpdates (long polling) or pushed to a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections import deque
from dataclasses import dataclass
from typing import Any

import aiohttp

from oudersbot.simulator.errors import ApiError
from oudersbot.simulator.spec import load_spec
from oudersbot.simulator.state import now

_LOGGER = logging.getLogger(__name__)
FIRST_UPDATE_ID = 500_000_001
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
WEBHOOK_TIMEOUT = aiohttp.ClientTimeout(total=10)


def update_kinds() -> frozenset[str]:
    """Every update type the spec's Update object can carry."""
    fields = load_spec()["types"]["Update"]["fields"]
    return frozenset(field["name"] for field in fields if field["name"] != "update_id")


@dataclass(slots=True)
class Webhook:
    """The webhook set with setWebhook and its delivery state."""

    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    allowed_updates: list[str] | None
    has_custom_certificate: bool
    last_error_date: int | None = None
    last_error_message: str | None = None


class UpdateQueue:
    """Pending updates, confirmed by getUpdates offsets or by successful webhook deliveries."""

    def __init__(self, retry_delay: float = 0.5) -> None:
        self.retry_delay = retry_delay
        self.webhook: Webhook | None = None
        self.delivered = 0
        self._kinds = update_kinds()
        self._allowed = self._kinds - DEFAULT_EXCLUDED
        self._pending: deque[dict[str, Any]] = deque()
        self._ids = itertools.count(FIRST_UPDATE_ID)
        self._waiters: list[asyncio.Future[None]] = []
        self._poll_generation = 0
        self._worker: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def pending_count(self) -> int:
        """How many updates wait for confirmation."""
        return len(self._pending)

    def pending(self) -> list[dict[str, Any]]:
        """A copy of the pending updates."""
        return list(self._pending)

    def push(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update of `kind`; return its update_id, or None if it is not allowed."""
        if kind not in self._allowed:
            return None
        update_id = next(self._ids)
        self._pending.append({"update_id": update_id, kind: payload})
        self._wake()
        return update_id

    def clear(self) -> None:
        """Drop every pending update."""
        self._pending.clear()

    def _set_allowed(self, allowed: list[str]) -> None:
        chosen = self._kinds.intersection(allowed)
        self._allowed = frozenset(chosen) if chosen else self._kinds - DEFAULT_EXCLUDED

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _wait(self, seconds: float | None) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait([waiter], timeout=seconds)
        finally:
            waiter.cancel()
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    async def get_updates(
        self, offset: int | None, limit: int | None, wait: int | None, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """Answer getUpdates: confirm up to `offset`, then long-poll up to `wait` seconds."""
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if allowed is not None:
            self._set_allowed(allowed)
        self._confirm(offset)
        count = min(max(limit or 100, 1), 100)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait or 0, 0)
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._pending:
                return list(itertools.islice(self._pending, count))
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closed or self.webhook is not None:
                return []
            await self._wait(remaining)

    def _confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
            return
        while self._pending and self._pending[0]["update_id"] < offset:
            self._pending.popleft()

    def set_webhook(self, webhook: Webhook, drop_pending: bool) -> None:
        """Switch to webhook delivery (replacing any earlier webhook)."""
        if drop_pending:
            self._pending.clear()
        if webhook.allowed_updates is not None:
            self._set_allowed(webhook.allowed_updates)
        self.webhook = webhook
        self._wake()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._deliver_forever())

    def delete_webhook(self, drop_pending: bool) -> None:
        """Switch back to getUpdates."""
        if drop_pending:
            self._pending.clear()
        self.webhook = None
        self._wake()

    def webhook_info(self) -> dict[str, Any]:
        """The WebhookInfo object."""
        hook = self.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": bool(hook and hook.has_custom_certificate),
            "pending_update_count": len(self._pending),
        }
        if hook is None:
            return info
        info["max_connections"] = hook.max_connections
        if hook.ip_address:
            info["ip_address"] = hook.ip_address
        if hook.allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed)
        if hook.last_error_date is not None and hook.last_error_message is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        return info

    async def _deliver_forever(self) -> None:
        async with aiohttp.ClientSession(timeout=WEBHOOK_TIMEOUT) as session:
            while not self._closed:
                hook = self.webhook
                if hook is None or not self._pending:
                    await self._wait(None)
                    continue
                update = self._pending[0]
                error = await self._post(session, hook, update)
                if error is None:
                    if self._pending and self._pending[0] is update:
                        self._pending.popleft()
                        self.delivered += 1
                    continue
                hook.last_error_date = now()
                hook.last_error_message = error
                _LOGGER.debug("webhook delivery failed: %s", error)
                await asyncio.sleep(self.retry_delay)

    @staticmethod
    async def _post(
        session: aiohttp.ClientSession, hook: Webhook, update: dict[str, Any]
    ) -> str | None:
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        try:
            async with session.post(hook.url, data=body, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return f"Connection failed: {error.__class__.__name__}: {error}"

    async def close(self) -> None:
        """Stop long polls and webhook delivery."""
        self._closed = True
        self._wake()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None
