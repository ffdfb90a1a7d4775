"""How a send can fail, in the outbox's own terms (no telegram types below this line)."""

from __future__ import annotations

from typing import Protocol


class DeliveryError(Exception):
    """A send did not go through."""


class FloodWaitError(DeliveryError):
    """Telegram asked us to wait (429 retry_after); the whole bot pauses."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class UnreachableError(DeliveryError):
    """The guardian cannot be reached (blocked the bot, deactivated, chat gone): no retries."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientError(DeliveryError):
    """A network fault or timeout: try again later."""


class RejectedError(DeliveryError):
    """Telegram refused the message itself (a bug of ours): no retries, a person looks."""


class Sender(Protocol):
    """Sends the parts of one message to one chat."""

    async def send(
        self,
        chat_id: int,
        parts: list[str],
        buttons: list[list[list[str]]] | None = None,
        *,
        photo: str | None = None,
    ) -> int:
        """Send every part in order (buttons under the last; with a photo, the first part is
        its caption); the Telegram message id of the first, or a DeliveryError."""
        ...
