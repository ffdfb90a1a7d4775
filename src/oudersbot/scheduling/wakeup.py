"""The one wake-up path: every few seconds, and at the moment the next send is due.

A wake beats the sender's leases, lets the producers that work from a plan put what became
due through the outbox's door (slip reminders, calendar reminders, month overviews; once a
day, first, each school's retention), and kicks the sender. The database is the source of
truth: the scheduler (python-telegram-bot's JobQueue, APScheduler 3, in the bot; a plain loop
in `oudersbot worker`) holds nothing but "look again at this moment", so after a stop of any
length the first wake sends what became due meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from oudersbot.services.due import next_due, queue_due

if TYPE_CHECKING:
    from telegram.ext import CallbackContext, JobQueue

    from oudersbot.bootstrap import Deps
    from oudersbot.delivery.worker import SendWorker

log = logging.getLogger(__name__)

TICK_JOB = "oudersbot-tick"
WAKE_JOB = "oudersbot-wake"
TICK = 2.0


class Waker:
    """What one wake does, for the bot's JobQueue and for the worker's loop alike."""

    def __init__(self, deps: Deps, worker: SendWorker, *, tick: float = TICK) -> None:
        self.deps = deps
        self.worker = worker
        self.tick = tick
        self._producing = asyncio.Lock()
        self._waking: asyncio.Task[None] | None = None

    async def wake(self) -> float | None:
        """Beat, queue what is due, kick the sender; seconds until the next due send, if it
        comes before the next tick."""
        await self.worker.beat()
        if not self.worker.holding:
            return None  # another process sends (and plans); this one stands by
        if not self._producing.locked():
            async with self._producing:
                queued = await asyncio.to_thread(queue_due, self.deps)
            if queued:
                log.info("queued %d planned sends", queued)
        self.worker.kick()
        upcoming = await asyncio.to_thread(next_due, self.deps)
        if upcoming is None:
            return None
        # Seconds on the injected clock, so a test clock and the wall clock both work. A row
        # that is due but held (quiet hours, a weekend) waits for a tick, not a busy loop.
        delay = (upcoming - self.deps.clock.now()).total_seconds()
        return delay if 0 < delay < self.tick else None

    def poke(self, then: Callable[[float | None], None]) -> None:
        """Wake in the background unless a wake is under way (a job returns at once, so the
        scheduler never skips or piles up ticks); `then` gets the delay to the next due send."""
        if self._waking is None or self._waking.done():
            self._waking = asyncio.create_task(self._wake_then(then), name="oudersbot-wake")

    async def _wake_then(self, then: Callable[[float | None], None]) -> None:
        then(await self.wake())

    async def close(self) -> None:
        """Let a wake under way finish (before the sender stops)."""
        if self._waking is not None:
            await asyncio.gather(self._waking, return_exceptions=True)


def install(job_queue: JobQueue[Any], waker: Waker) -> None:
    """The bot's wakes: a tick every `waker.tick` seconds, and one at the next due moment."""
    job_queue.run_repeating(_tick, interval=waker.tick, first=0.1, name=TICK_JOB, data=waker)


async def _tick(context: CallbackContext[Any, Any, Any, Any]) -> None:
    assert context.job is not None and context.job_queue is not None
    waker, job_queue = cast(Waker, context.job.data), context.job_queue

    def wake_again(delay: float | None) -> None:
        for job in job_queue.get_jobs_by_name(WAKE_JOB):
            job.schedule_removal()
        if delay is not None:
            job_queue.run_once(_tick, when=delay, name=WAKE_JOB, data=waker)

    waker.poke(wake_again)


async def run_forever(waker: Waker, stop: asyncio.Event) -> None:
    """`oudersbot worker`: the same wakes in a plain loop, until `stop` is set."""
    while not stop.is_set():
        delay = await waker.wake()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay if delay is not None else waker.tick):
                await stop.wait()
