"""`Controllable`: what the HTTP control API (`control`) needs of a simulator.

`Simulator` is the one implementation; the control API is written against this protocol so
that it does not import the simulator that serves it. The methods are documented on `Simulator`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from oudersbot.simulator.config import SimulatorConfig, SimulatorStats
from oudersbot.simulator.faults import Fault
from oudersbot.simulator.ledger import ChatLedger
from oudersbot.simulator.ratelimit import RateLimits
from oudersbot.simulator.state import CallbackQueryRecord, ReceivedMessage, SimUser
from oudersbot.simulator.storm import Storm
from oudersbot.simulator.users import SentText


class Controllable(Protocol):
    """The simulator's Python control API, as the control routes call it."""

    @property
    def config(self) -> SimulatorConfig: ...

    @property
    def url(self) -> str: ...

    # -- acting as parents

    def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> int: ...

    def user(self, user_id: int) -> SimUser: ...

    def users(self) -> list[SimUser]: ...

    async def send_text(
        self, user_id: int, text: str, *, reply_to: int | None = None
    ) -> SentText: ...

    async def send_voice(
        self,
        user_id: int,
        *,
        duration: int = 3,
        file_size: int | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> SentText: ...

    async def send_photo(
        self, user_id: int, *, file_size: int = 120_000, caption: str | None = None
    ) -> SentText: ...

    async def send_document(
        self,
        user_id: int,
        *,
        file_name: str,
        mime_type: str | None,
        file_size: int | None = None,
        content: bytes | None = None,
        caption: str | None = None,
    ) -> SentText: ...

    async def tap(self, user_id: int, message_id: int, callback_data: str) -> str: ...

    async def forge_callback(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> str: ...

    def callback(self, callback_query_id: str) -> CallbackQueryRecord: ...

    def block(self, user_id: int) -> None: ...

    def unblock(self, user_id: int) -> None: ...

    def deactivate(self, user_id: int) -> None: ...

    def inbox(self, user_id: int) -> list[ReceivedMessage]: ...

    def chat_action(self, user_id: int) -> str | None: ...

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]: ...

    def pending_updates(self) -> list[dict[str, Any]]: ...

    def webhook_info(self) -> dict[str, Any]: ...

    # -- statistics, limits, faults

    @property
    def stats(self) -> SimulatorStats: ...

    def reset_stats(self) -> None: ...

    @property
    def limits(self) -> RateLimits: ...

    def set_limits(self, limits: RateLimits) -> None: ...

    def inject_fault(self, fault: Fault) -> None: ...

    def faults(self) -> list[Fault]: ...

    def clear_faults(self) -> None: ...

    async def reset(self) -> None: ...

    # several bots on one port
    @property
    def base_url(self) -> str: ...

    @property
    def bots(self) -> Sequence[Controllable]: ...

    def bot(self, name: str | int) -> Controllable: ...

    @property
    def total_stats(self) -> SimulatorStats: ...

    # storms and the ledger
    def storm(self, storm: Storm) -> None: ...

    def storms(self) -> list[Storm]: ...

    def calm(self) -> None: ...

    def ledger(self) -> dict[int, ChatLedger]: ...

    def chat_ledger(self, chat_id: int) -> ChatLedger: ...

    def clear_ledger(self) -> None: ...

    def clock(self) -> float: ...
