"""Queue-to-delivery of a prikkel to a class of 30 families in 8 languages, through the running
bot and the simulator at Telegram's limits: seconds from the due time to the last parent.

Target: under 5 s. Figures are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.harness import TOKEN, database, deps_for, joined_school, simulator_process
from oudersbot.bot.app import build_application, running
from oudersbot.clock import ShiftedClock
from oudersbot.services import prikkel_draft, prikkel_queue
from oudersbot.store.outbox import status_counts

FAMILIES = 30
TARGET = 5.0
LEAD = 2.0  # seconds between queueing and the due time
SCHOOL_DAY = datetime(2026, 12, 1, 15, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # a Tuesday


async def run() -> dict[str, float]:
    """Queue for `LEAD` seconds ahead; time from the due time to the last delivery."""
    with database("sqlite") as db, tempfile.TemporaryDirectory() as folder:
        assert db is not None
        async with simulator_process() as (base_url, control_url):
            # A school-day afternoon, whatever the hour the benchmark runs at: the outbox's door
            # holds a prikkel in quiet hours and on weekends.
            deps = deps_for(db, Path(folder), clock=ShiftedClock(SCHOOL_DAY))
            await joined_school(deps, control_url, FAMILIES, per_class=FAMILIES)
            app = build_application(deps, token=TOKEN, base_url=base_url, send_rate=25.0, tick=0.2)
            async with running(app):
                pid = deps.phrasebook.prikkels.choose(theme="lezen")[0].id
                # Prepared for the next school day, then set to fire in LEAD seconds.
                draft = _prepared(deps, pid)
                due = deps.clock.now() + timedelta(seconds=LEAD)
                draft = dataclasses.replace(
                    draft, due=due, due_per_guardian=dict.fromkeys(draft.due_per_guardian, due)
                )
                message_id = prikkel_queue.queue_prikkel(deps, draft)
                due_mono = time.monotonic() + LEAD
                while True:
                    with deps.db.session() as session:
                        counts = status_counts(session, message_id=message_id)
                    if counts.get("sent", 0) >= FAMILIES:
                        break
                    await asyncio.sleep(0.02)
                done = time.monotonic()
            languages = len(draft.versions)
    return {"families": FAMILIES, "languages": languages, "seconds": done - due_mono}


def _prepared(deps: object, pid: str) -> prikkel_draft.PrikkelDraft:
    from oudersbot.bootstrap import Deps

    assert isinstance(deps, Deps)
    school_day = prikkel_draft.default_due(deps, deps.clock.now())
    return prikkel_draft.prepare_prikkel(
        deps, school="bench", groups=["K000"], prikkel_id=pid, due=school_day
    )


def report() -> list[str]:
    """Lines for `make bench`."""
    result = asyncio.run(run())
    return [
        f"Prikkel to {FAMILIES} families in {result['languages']:.0f} languages"
        f" (target < {TARGET:.0f} s from the due time to the last parent)",
        f"  last parent {result['seconds']:.2f} s after the due time"
        f" = {result['seconds'] / TARGET:.2f} of the limit",
    ]


if __name__ == "__main__":
    print("\n".join(report()))
