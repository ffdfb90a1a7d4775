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
    """The request provably never reached Telegram (connection refused, connect timeout): try
    again later."""


class UnconfirmedError(DeliveryError):
    """The request may have reached Telegram but its answer did not come back (read timeout,
    connection reset after sending): the parent may have the message. Never retried by itself;
    a person decides (the brugfiguur's list)."""


class RejectedError(DeliveryError):
    """Telegram refused the message itself (a bug of ours): no retries, a person looks."""


class Sender(Protocol):
    """Sends one part of a message to one chat."""

    async def send_part(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: list[list[list[str]]] | None = None,
        photo: str | None = None,
    ) -> int:
        """Send one HTML text (with a photo: as its caption; with buttons under it); the
        Telegram message id, or a DeliveryError."""
        ...

    async def send_voice(
        self, chat_id: int, voice: bytes | str, *, duration: int
    ) -> tuple[int, str]:
        """Send a voice message, uploading OGG/Opus bytes or naming a file_id Telegram gave
        before; the Telegram message id and the voice's file_id, or a DeliveryError."""
        ...
