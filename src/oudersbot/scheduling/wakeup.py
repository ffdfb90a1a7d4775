"""APScheduler wakes the calendar: at the next due time, and on a periodic sweep.

The database is the source of truth: every planned send is a row before its time comes, and
the scheduler (python-telegram-bot's JobQueue, APScheduler 3) holds nothing but "look again at
this moment". After a stop of any length the first sweep sends what became due meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from oudersbot.services.calendar_send import next_due, send_due_calendar

if TYPE_CHECKING:
    from telegram.ext import ContextTypes, JobQueue

    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)

SWEEP_JOB = "calendar-sweep"
WAKE_JOB = "calendar-wake"
SWEEP_INTERVAL = 60.0


def start(
    job_queue: JobQueue[Any],
    deps: Deps,
    *,
    after_queue: Callable[[], None],
    sweep_interval: float = SWEEP_INTERVAL,
) -> None:
    """Sweep now and every `sweep_interval` seconds; each sweep sets the next wake-up."""
    job_queue.run_repeating(
        _sweep,
        interval=sweep_interval,
        first=0.1,
        name=SWEEP_JOB,
        data=(deps, after_queue, sweep_interval),
    )


async def _sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue what is due, tell the outbox, and wake again when the next send is due."""
    assert context.job is not None and context.job_queue is not None
    data: tuple[Deps, Callable[[], None], float] = context.job.data  # type: ignore[assignment]
    deps, after_queue, interval = data
    queued = await asyncio.to_thread(send_due_calendar, deps)
    if queued:
        log.info("calendar: queued %d planned sends", queued)
        after_queue()
    upcoming = await asyncio.to_thread(next_due, deps)
    for job in context.job_queue.get_jobs_by_name(WAKE_JOB):
        job.schedule_removal()
    if upcoming is None:
        return
    # Seconds on the injected clock, so a test clock and the wall clock both work. A row that is
    # due but held (quiet hours, a weekend) waits for the sweep instead of waking us in a loop.
    delay = (upcoming - deps.clock.now()).total_seconds()
    if 0 < delay < interval:
        context.job_queue.run_once(_sweep, when=delay, name=WAKE_JOB, data=context.job.data)
