"""The dispatcher: sends due outbox rows at Telegram's pace and records every outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiolimiter import AsyncLimiter

from oudersbot.clock import Clock
from oudersbot.counters import FLOOD_WAITS
from oudersbot.delivery.errors import (
    DeliveryError,
    FloodWaitError,
    RejectedError,
    Sender,
    TransientError,
    UnconfirmedError,
    UnreachableError,
)
from oudersbot.delivery.voice_uploads import VoiceUploads
from oudersbot.domain.retry import backoff, gives_up
from oudersbot.store.db import Database
from oudersbot.store.models import DEFAULT_BOT, DeliveryStatus
from oudersbot.store.outbox import (
    Claimed,
    Released,
    claim_due,
    mark_started,
    record_results,
    release_claims,
    renew_lease,
)

log = logging.getLogger(__name__)
_REACHABILITY = {"blocked": "blocked", "deactivated": "gone", "chat_not_found": "gone"}


@dataclass
class DispatchStats:
    """What one drain of the outbox did."""

    sent: int = 0
    retried: int = 0
    unreachable: int = 0
    failed: int = 0
    unconfirmed: int = 0
    flood_waits: int = 0

    @property
    def handled(self) -> int:
        """Every delivery that got an outcome."""
        return self.sent + self.retried + self.unreachable + self.failed + self.unconfirmed


class Dispatcher:
    """Claims one bot's due deliveries in batches and sends them part by part, never faster
    than `rate` per second; every part's outcome is recorded, so only what did not go out is
    tried again, and a part that may have arrived is never sent again by itself."""

    def __init__(
        self,
        db: Database,
        sender: Sender,
        clock: Clock,
        *,
        bot: str = DEFAULT_BOT,
        rate: float | None = 28.0,
        concurrency: int = 64,
        lease: timedelta = timedelta(seconds=15),
        flush_every: float = 0.2,
        per_chat_interval: float = 1.0,
        batch_size: int | None = None,
    ) -> None:
        self._db = db
        self._bot = bot
        self._sender = sender
        self._clock = clock
        # Small buckets (a tenth of a second's worth) keep the pace even: no bursts for Telegram.
        self._limiter = AsyncLimiter(max(1.0, rate / 10), 0.1) if rate else None
        # About two seconds of sending per claim, under a short lease that this worker renews
        # while it holds the rows (a flood wait may last long): after a crash, what the dead
        # process held is free again within one lease, not minutes later.
        self._batch = batch_size or max(20, min(1000, int((rate or 500) * 2)))
        self._held: set[int] = set()
        self._written = asyncio.Event()
        self._stopping = False
        self._concurrency = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._flush_every = flush_every
        self._per_chat_interval = per_chat_interval
        self._resume_at = 0.0
        self._chat_ready: dict[int, float] = {}
        # One delivery at a time per chat (per batch), so its requests stay a second apart.
        self._chat_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._pending_rows: list[dict[str, Any]] = []
        self._pending_unreachable: dict[int, str] = {}
        # Parts about to be sent (delivery id: part index), their start to be committed together.
        self._starting: dict[int, int] = {}
        self._started: asyncio.Future[set[int]] | None = None
        self._stop_asked = False
        self._voice = VoiceUploads(db, sender, bot)
        self.stats = DispatchStats()

    async def take_over(self) -> Released:
        """For the only sender on a database, at its start: every delivery a killed predecessor
        held goes back to the queue now, or, if its request had started, becomes unconfirmed."""
        released = await asyncio.to_thread(self._release_all)
        if released.unconfirmed:
            log.warning(
                "%d deliveries were under way when the last sender stopped; they may have"
                " reached the parent and are not sent again (status unconfirmed)",
                released.unconfirmed,
            )
        return released

    def _release_all(self) -> Released:
        with self._db.session() as session:
            return release_claims(session, now=self._clock.now(), bot=self._bot, all_held=True)

    async def drain(self) -> DispatchStats:
        """Send until nothing is due (or a stop is asked); returns what this drain did."""
        self.stats = DispatchStats()
        self._stop_asked = False
        while not self._stop_asked and await self.run_once():
            pass
        return self.stats

    def ask_stop(self) -> None:
        """End the drain after the batch in hand (a clean shutdown)."""
        self._stop_asked = True

    async def run_once(self) -> int:
        """Claim one batch and send it; the number of deliveries claimed."""
        claimed = await asyncio.to_thread(self._claim)
        if not claimed:
            return 0
        now = asyncio.get_running_loop().time()
        self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}
        self._chat_locks = defaultdict(asyncio.Lock)
        self._held = {item.delivery_id for item in claimed}
        self._written = asyncio.Event()
        self._stopping = False
        flusher = asyncio.create_task(self._flush_periodically())
        try:
            await asyncio.gather(*(self._deliver(item) for item in claimed))
        finally:
            # Never cancel the flusher: a write cut off halfway could lose outcomes. Ask it to
            # write what is left and stop.
            self._stopping = True
            self._written.set()
            await flusher
        return len(claimed)

    def _claim(self) -> list[Claimed]:
        with self._db.session() as session:
            return claim_due(
                session, now=self._clock.now(), limit=self._batch, lease=self._lease, bot=self._bot
            )

    async def _flush_periodically(self) -> None:
        loop = asyncio.get_running_loop()
        renew_at = loop.time() + self._lease.total_seconds() / 3
        while True:
            # Write as soon as a send needs recording, with everything else that is waiting
            # (one commit for many), or after flush_every at the latest.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._flush_every):
                    await self._written.wait()
            self._written.clear()
            stopping = self._stopping
            await self._flush()
            if stopping:
                return
            if loop.time() >= renew_at and self._held:
                renew_at = loop.time() + self._lease.total_seconds() / 3
                held = list(self._held)
                until = self._clock.now() + self._lease
                await asyncio.to_thread(self._renew, held, until)

    def _renew(self, ids: list[int], until: datetime) -> None:
        with self._db.session() as session:
            renew_lease(session, ids, until)

    async def _flush(self) -> None:
        rows, self._pending_rows = self._pending_rows, []
        unreachable, self._pending_unreachable = self._pending_unreachable, {}
        starting, self._starting = self._starting, {}
        started, self._started = self._started, None
        if not (rows or unreachable or starting):
            return
        try:
            held = await asyncio.to_thread(
                self._write, rows, unreachable, starting, self._clock.now()
            )
        except Exception as exc:
            # Outcomes wait for the next write; a request whose start is not on record does
            # not go out (its row goes back to the queue when the lease ends).
            self._pending_rows[:0] = rows
            self._pending_unreachable = {**unreachable, **self._pending_unreachable}
            if started is not None:
                started.set_exception(exc)
            if self._stopping:
                raise
            log.exception("could not write to the outbox; trying again")
            return
        if started is not None:
            started.set_result(held)

    def _write(
        self,
        rows: list[dict[str, Any]],
        unreachable: dict[int, str],
        starting: dict[int, int],
        now: datetime,
    ) -> set[int]:
        with self._db.session() as session:
            record_results(session, rows, unreachable)
            return mark_started(session, starting, now) if starting else set()

    async def _start(self, delivery_id: int, part: int) -> bool:
        """Put on record that this part goes out now; False if it must not go out."""
        if self._started is None:
            self._started = asyncio.get_running_loop().create_future()
        started = self._started
        self._starting[delivery_id] = part
        self._written.set()
        try:
            return delivery_id in await started
        except Exception:  # logged by the flusher
            return False

    async def _wait_turn(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        # A flood wait may be extended while we sleep, so look again after each sleep.
        delay = max(self._resume_at, self._chat_ready.get(chat_id, 0.0)) - loop.time()
        while delay > 0:
            await asyncio.sleep(delay)
            delay = max(self._resume_at, self._chat_ready.get(chat_id, 0.0)) - loop.time()
        if self._limiter is not None:
            await self._limiter.acquire()

    async def _deliver(self, item: Claimed) -> None:
        # The chat's lock first: a chat waiting for its turn does not hold a sending slot.
        async with self._chat_locks[item.chat_id], self._concurrency:
            row: dict[str, Any] = {
                "id": item.delivery_id,
                "claimed_until": None,
                "send_started_at": None,
            }
            done = item.parts_sent
            last = len(item.parts) - 1
            try:
                for index in range(item.parts_sent, len(item.parts)):
                    await self._wait_turn(item.chat_id)
                    if not await self._start(item.delivery_id, index):
                        self._held.discard(item.delivery_id)
                        return
                    # The second counts from the request itself: putting its start on record
                    # may take most of a second on a busy disk.
                    self._chat_ready[item.chat_id] = (
                        asyncio.get_running_loop().time() + self._per_chat_interval
                    )
                    if item.voice is not None:  # a message read aloud: one voice message
                        message_id = await self._voice.send(
                            item.chat_id, item.voice, item.voice_file
                        )
                    else:
                        message_id = await self._sender.send_part(
                            item.chat_id,
                            item.parts[index],
                            buttons=item.buttons if index == last else None,
                            photo=item.photo if index == 0 else None,
                        )
                    if index == 0:
                        row["telegram_message_id"] = message_id
                    done = index + 1
            except DeliveryError as exc:
                row.update(self._failed(item, exc, done))
            else:
                self.stats.sent += 1
                row.update(
                    status=DeliveryStatus.SENT,
                    attempts=item.attempts + 1,
                    sent_at=self._clock.now(),
                    error=None,
                )
            row["parts_sent"] = done
            self._held.discard(item.delivery_id)
            self._pending_rows.append(row)
            # Written at the flusher's next turn, with whatever else waits: one commit for many.
            self._written.set()

    def _failed(self, item: Claimed, exc: DeliveryError, done: int) -> dict[str, Any]:
        """What a failed part means for its delivery; only parts after `done` go out again."""
        now = self._clock.now()
        attempts = item.attempts + 1
        if isinstance(exc, UnreachableError):
            self.stats.unreachable += 1
            self._pending_unreachable[item.guardian_id] = _REACHABILITY.get(exc.reason, "gone")
            return {"status": DeliveryStatus.UNREACHABLE, "error": exc.reason}
        if isinstance(exc, UnconfirmedError):
            self.stats.unconfirmed += 1
            log.warning("delivery %s part %d: no answer from Telegram", item.delivery_id, done + 1)
            return {"status": DeliveryStatus.UNCONFIRMED, "attempts": attempts, "error": str(exc)}
        if isinstance(exc, RejectedError):
            self.stats.failed += 1
            log.error("Telegram rejected delivery %s: %s", item.delivery_id, exc)
            return {"status": DeliveryStatus.FAILED, "attempts": attempts, "error": str(exc)}
        if gives_up(attempts):
            self.stats.failed += 1
            return {"status": DeliveryStatus.FAILED, "attempts": attempts, "error": str(exc)}
        if isinstance(exc, FloodWaitError):
            self.stats.flood_waits += 1
            FLOOD_WAITS.labels(bot=self._bot).inc()
            self._resume_at = max(
                self._resume_at, asyncio.get_running_loop().time() + exc.retry_after
            )
            log.warning("Telegram asks to wait %.0fs", exc.retry_after)
            wait = timedelta(seconds=exc.retry_after)
        else:
            assert isinstance(exc, TransientError), exc
            self.stats.retried += 1
            wait = backoff(attempts, jitter=random.random())  # noqa: S311 - spreading, not secrecy
        return {
            "status": DeliveryStatus.PENDING,
            "attempts": attempts,
            "next_attempt_at": now + wait,
            "error": str(exc),
        }
