"""Whether the school's messages are going out: the senders' heartbeats and the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.delivery.worker import LEASE
from oudersbot.settings import DEFAULT_BOT
from oudersbot.store.outbox import QueueStats, queue_stats
from oudersbot.store.senders import Lease, all_leases

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


@dataclass(frozen=True)
class SenderState:
    """One bot's sender: who holds it, since when, and whether it still beats."""

    lease: Lease
    alive: bool
    beat_age: dt.timedelta


@dataclass(frozen=True)
class SendingStatus:
    """The answer to "are our messages going out?"."""

    senders: tuple[SenderState, ...]
    queue: QueueStats
    now: dt.datetime

    def alive(self, bot: str = DEFAULT_BOT) -> bool:
        """True when a live process sends for this bot."""
        return any(s.alive for s in self.senders if s.lease.bot == bot)

    @property
    def oldest_due_age(self) -> dt.timedelta | None:
        """How long the longest-waiting due send has waited."""
        oldest = self.queue.oldest_due_at
        return None if oldest is None else self.now - oldest


def sending_status(deps: Deps) -> SendingStatus:
    """Every bot's sender and the outbox's counts, now."""
    now = deps.clock.now()
    with deps.db.session() as session:
        leases = all_leases(session)
        queue = queue_stats(session, now=now)
    senders = tuple(
        SenderState(lease, alive=now - lease.beat_at <= LEASE, beat_age=now - lease.beat_at)
        for lease in leases
    )
    return SendingStatus(senders, queue, now)
