"""The sending side of a process: one lease per bot, a heartbeat, a dispatcher per held bot.

Why a lease per bot rather than a rate limiter shared through the database: Telegram limits
each bot, and keeping a bot's pace (30 messages a second overall, about one a second per chat,
the pauses a 429 asks for) needs one view of everything that bot sends. One process at a time
sends for a bot; the others stand by and take over within one lease (15 s) when its heartbeat
stops, or at once when the holder is a dead process on the same host. More workers give a
deployment availability and serve several bots (schools) side by side; one bot's throughput is
capped by Telegram, not by us. The lease lives in the database, so it works the same on
SQLite and PostgreSQL and `oudersbot status` can show it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from oudersbot.clock import Clock
from oudersbot.delivery.dispatcher import Dispatcher, DispatchStats
from oudersbot.delivery.errors import Sender
from oudersbot.store.db import Database
from oudersbot.store.senders import (
    Lease,
    beat,
    claim_free_lease,
    current_lease,
    release_lease,
    take_over_lease,
)

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=15)
BEAT_EVERY = 5.0


class SenderBusyError(RuntimeError):
    """Another live process sends for this bot."""

    def __init__(self, lease: Lease) -> None:
        super().__init__(f"bot {lease.bot} is sent by {lease.role} pid {lease.pid} on {lease.host}")
        self.lease = lease


def process_is_dead(lease: Lease, host: str) -> bool:
    """True when the holder is a process on this host that no longer exists."""
    if lease.host != host or lease.pid <= 0:
        return False
    try:
        os.kill(lease.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


@dataclass
class _Bot:
    name: str
    dispatcher: Dispatcher
    held: bool = False
    draining: asyncio.Task[DispatchStats] | None = None
    totals: DispatchStats = field(default_factory=DispatchStats)


class SendWorker:
    """Holds the leases it can, beats, and drains the outbox of each bot it holds."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        senders: Mapping[str, Sender],
        *,
        role: str,
        rate: float | None,
        lease: timedelta = LEASE,
    ) -> None:
        self._db = db
        self._clock = clock
        self._lease = lease
        self.role = role
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.holder = f"{self.host}:{self.pid}:{secrets.token_hex(4)}"
        self._stopped = False
        self._bots = {
            name: _Bot(name, Dispatcher(db, sender, clock, bot=name, rate=rate))
            for name, sender in senders.items()
        }

    @property
    def holding(self) -> list[str]:
        """The bots this process sends for now."""
        return [name for name, bot in self._bots.items() if bot.held]

    def _mine(self, bot: str, now: datetime) -> Lease:
        return Lease(bot, self.holder, self.host, self.pid, self.role, now, now)

    def _try_take(self, bot: str) -> Lease | None:
        """Take a bot's lease if it is free or its holder is dead; else the live holder."""
        now = self._clock.now()
        with self._db.session() as session:
            if claim_free_lease(session, lease=self._mine(bot, now)):
                return None
            current = current_lease(session, bot=bot)
            if current is None or current.holder == self.holder:
                return None
            stale = current.beat_at < now - self._lease
            if not (stale or process_is_dead(current, self.host)):
                return current
            if take_over_lease(session, old=current, new=self._mine(bot, now)):
                log.warning(
                    "took over sending for bot %s from %s pid %d (no heartbeat since %s)",
                    bot,
                    current.role,
                    current.pid,
                    current.beat_at.isoformat(timespec="seconds"),
                )
                return None
            return current_lease(session, bot=bot)

    async def start(self, *, exclusive: bool) -> None:
        """With `exclusive` (the bot, `dispatch`): take every lease, and a bot whose lease a live
        process holds is an error (one line, and the caller stops). Otherwise (a worker): take
        one free lease now and one more at each beat, so workers started together share the
        bots instead of the first one taking them all."""
        if not exclusive:
            await self._take_one_more()
            return
        for name, bot in self._bots.items():
            holder = await asyncio.to_thread(self._try_take, name)
            if holder is not None:
                await self.stop()
                raise SenderBusyError(holder)
            await self._took(bot)

    async def _take_one_more(self) -> None:
        """Take the first bot whose lease is free or whose holder died, if any."""
        for name, bot in self._bots.items():
            if bot.held:
                continue
            holder = await asyncio.to_thread(self._try_take, name)
            if holder is None:
                await self._took(bot)
                return

    async def _took(self, bot: _Bot) -> None:
        bot.held = True
        # What a dead predecessor held goes back to the queue now, or becomes unconfirmed.
        await bot.dispatcher.take_over()

    async def beat(self) -> None:
        """Renew the leases held, then take one more bot that is free or whose holder died."""
        if self._stopped:
            return
        now = self._clock.now()
        for name, bot in self._bots.items():
            if bot.held and not await asyncio.to_thread(self._beat, name, now):
                bot.held = False
                log.error("lost the lease of bot %s to another process; stopped sending", name)
        await self._take_one_more()

    def _beat(self, bot: str, now: datetime) -> bool:
        with self._db.session() as session:
            return beat(session, bot=bot, holder=self.holder, now=now)

    def kick(self) -> None:
        """Start draining every held bot that is not draining already; returns at once."""
        if self._stopped:
            return
        for bot in self._bots.values():
            if bot.held and (bot.draining is None or bot.draining.done()):
                bot.draining = asyncio.create_task(
                    self._drain_one(bot), name=f"oudersbot-send-{bot.name}"
                )

    async def _drain_one(self, bot: _Bot) -> DispatchStats:
        stats = await bot.dispatcher.drain()
        for name in ("sent", "retried", "unreachable", "failed", "unconfirmed", "flood_waits"):
            setattr(bot.totals, name, getattr(bot.totals, name) + getattr(stats, name))
        if stats.handled:
            log.info("bot %s: %s", bot.name, stats)
        return stats

    async def drain(self) -> DispatchStats:
        """Send what is due for every held bot until nothing is due (the `dispatch` command)."""
        self.kick()
        await self.idle()
        total = DispatchStats()
        for bot in self._bots.values():
            for name in ("sent", "retried", "unreachable", "failed", "unconfirmed", "flood_waits"):
                setattr(total, name, getattr(total, name) + getattr(bot.totals, name))
        return total

    async def idle(self) -> None:
        """Wait until no bot is draining."""
        tasks = [b.draining for b in self._bots.values() if b.draining is not None]
        if tasks:
            await asyncio.gather(*tasks)

    async def stop(self) -> None:
        """Finish the batch being sent, then give the leases up so a successor starts at once."""
        self._stopped = True
        for bot in self._bots.values():
            bot.dispatcher.ask_stop()
        await self.idle()
        for name, bot in self._bots.items():
            if bot.held:
                await asyncio.to_thread(self._release, name)
                bot.held = False

    def _release(self, bot: str) -> None:
        with self._db.session() as session:
            release_lease(session, bot=bot, holder=self.holder)
