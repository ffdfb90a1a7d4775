"""What a parent can do about their own data in the bot: see it (/mijngegevens) and stop (/stop).

A parent's own chat is their proof of identity: only the guardians linked to the chat that asks
are shown or stopped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.domain.stopping import StopTap, decode_stop
from oudersbot.store.erasure import stop_chat
from oudersbot.store.members import guardians_of_chat
from oudersbot.store.privacy import GuardianRecord, guardian_record

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)


def own_records(deps: Deps, *, chat_id: int) -> list[GuardianRecord]:
    """Everything stored about the guardians linked to this chat (one per school at most)."""
    with deps.db.session() as session:
        return [
            guardian_record(session, guardian_id=g.id)
            for g in guardians_of_chat(session, chat_id=chat_id)
        ]


@dataclass(frozen=True)
class StopAsked:
    """Whom a /stop would stop: the guardian id the buttons carry, and their language."""

    guardian_id: int
    language: str


def ask_stop(deps: Deps, *, chat_id: int) -> StopAsked | None:
    """The guardian behind the chat, to ask them to confirm; None when the chat is nobody's."""
    with deps.db.session() as session:
        guardians = guardians_of_chat(session, chat_id=chat_id)
        if not guardians:
            return None
        first = min(guardians, key=lambda g: g.id)
        return StopAsked(first.id, first.language)


@dataclass(frozen=True)
class StopResult:
    """What a tap on a /stop button did."""

    accepted: bool  # False: forged, stale or not theirs; nothing changed
    stopped: bool
    language: str | None = None


def answer_stop(deps: Deps, *, chat_id: int, data: str) -> StopResult:
    """Stop the chat's guardians when the tap is "yes" for a guardian linked to this chat."""
    tap: StopTap | None = decode_stop(data)
    with deps.db.session() as session:
        guardians = guardians_of_chat(session, chat_id=chat_id)
        if tap is None or tap.guardian_id not in {g.id for g in guardians}:
            log.warning("refused stop button %r from chat %s", data, chat_id)
            return StopResult(False, False, guardians[0].language if guardians else None)
        language = next(g.language for g in guardians if g.id == tap.guardian_id)
        if not tap.confirmed:
            return StopResult(True, False, language)
        stopped = stop_chat(session, chat_id=chat_id, now=deps.clock.now())
        log.info("chat stopped: guardians %s", [g.id for g in stopped])
        return StopResult(True, True, language)
