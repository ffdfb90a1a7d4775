"""Slip reminders: when a planned reminder is due, the guardians of children without an answer
get the slip again, with a reminder line in their language and the buttons of those children.

A reminder row goes from pending to sent (or skipped) in the same transaction that queues its
deliveries, with a conditional UPDATE, so no reminder goes out twice — not with two workers,
not after a restart.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from oudersbot.delivery.door import Content, SendKind
from oudersbot.domain.rendering import TEXT_LIMIT, Version
from oudersbot.domain.slips import decode_tap
from oudersbot.store.audience import Recipient, recipient_from
from oudersbot.store.models import Message, MessageKind
from oudersbot.store.reminders import (
    answered_children,
    claim_reminder,
    delivered_to,
    due_reminders,
    renditions_of,
)
from oudersbot.store.roster import left_children

if TYPE_CHECKING:
    from datetime import datetime

    from oudersbot.bootstrap import Deps

BATCH = 20


def send_due_reminders(deps: Deps) -> int:
    """Queue every due reminder whose school's time rules allow a send now (a reminder due in
    quiet hours, on a weekend or a free day waits, so an answer given meanwhile still counts);
    the number of reminders queued."""
    now = deps.clock.now()
    queued = 0
    with deps.db.session() as session:
        due = due_reminders(session, now=now, limit=BATCH)
        for reminder in due:
            rules = deps.outbox.rules(session, reminder.school_id)
            allowed = rules.earliest(now)
            if allowed > now and (reminder.deadline is None or allowed < reminder.deadline):
                continue  # not yet: the sweep after `allowed` takes it
            if _remind(session, deps, reminder.id, now):
                queued += 1
    return queued


def _remind(session: Session, deps: Deps, reminder_id: int, now: datetime) -> bool:
    reminder = claim_reminder(session, reminder_id=reminder_id, status="sent")
    if reminder is None:  # another worker took it
        return False
    slip = session.get(Message, reminder.message_id)
    if slip is None or slip.deadline is None or slip.deadline <= now:
        reminder.status = "skipped"
        return False
    # Children with an answer, and children who have left the school, need no reminder.
    answered = answered_children(session, slip_id=slip.id)
    answered |= left_children(session, school_id=slip.school_id)
    targets: dict[int, tuple[Recipient, list[Any]]] = {}
    for delivery, guardian in delivered_to(session, slip_id=slip.id):
        if guardian.chat_id is None or guardian.reachability != "joined" or guardian.left_at:
            continue
        rows = [
            row
            for row in delivery.buttons or []
            if (tap := decode_tap(row[0][1])) is not None and tap.child_id not in answered
        ]
        if rows:
            targets[guardian.id] = (recipient_from(guardian), rows)
    if not targets:
        reminder.status = "skipped"
        return False
    versions = {}
    for original in renditions_of(session, message_id=slip.id):
        line = html.escape(deps.words.text(original.language, "slip.reminder"))
        first, *rest = original.parts
        if len(line) + 2 + len(first) <= TEXT_LIMIT:
            parts = (f"<b>{line}</b>\n\n{first}", *rest)
        else:
            parts = (f"<b>{line}</b>", first, *rest)
        versions[original.language] = Version(original.language, original.origin, parts)
    posted = deps.outbox.put(
        session,
        school_id=slip.school_id,
        content=Content(
            kind=MessageKind.REMINDER,
            text_nl=slip.text_nl,
            pictogram=slip.pictogram,
            category=slip.category,
            versions=versions,
            template_id=slip.template_id,
            slots=slip.slots,
            audience=slip.audience,
            created_by=f"reminder:{reminder.rule}",
            answers=tuple(slip.answers or ()),
            deadline=slip.deadline,
            reminds_of=slip.id,
        ),
        to=[recipient for recipient, _ in targets.values()],
        kind=SendKind.SLIP_REMINDER,
        latest=slip.deadline,
        dedupe_key=f"slip:{slip.id}:{reminder.rule}",
        buttons=lambda _message_id, r: targets[r.guardian_id][1],
    )
    reminder.reminder_message_id = posted.message_id
    if not posted.queued:
        reminder.status = "skipped"
        return False
    return True
