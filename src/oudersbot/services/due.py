"""The producers that work from a plan: what became due goes through the outbox's door."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from oudersbot.services import retention
from oudersbot.services.calendar_send import send_due_calendar
from oudersbot.services.reminders import send_due_reminders
from oudersbot.store.outbox import next_delivery_due
from oudersbot.store.planned import next_planned_due
from oudersbot.store.reminders import next_reminder_due

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


def queue_due(deps: Deps) -> int:
    """Put every due slip reminder, calendar reminder and month overview in the outbox; how
    many guardians' sends were queued (a reminder counts once). Once a day per school, first
    what the school no longer keeps goes (retention)."""
    retention.run_daily(deps)
    return send_due_reminders(deps) + send_due_calendar(deps)


def next_due(deps: Deps) -> dt.datetime | None:
    """When the next planned thing is due: a reminder, a calendar send or a waiting delivery."""
    with deps.db.session() as session:
        moments = [
            next_reminder_due(session),
            next_planned_due(session),
            next_delivery_due(session, after=deps.clock.now()),
        ]
    return min((m for m in moments if m is not None), default=None)
