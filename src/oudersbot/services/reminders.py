"""Slip reminders: when a planned reminder is due, the guardians of children without an answer
get the slip again, with a reminder line in their language and the buttons of those children.

A reminder row goes from pending to sent (or skipped) in the same transaction that queues its
deliveries, with a conditional UPDATE, so no reminder goes out twice — not with two workers,
not after a restart.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from oudersbot.domain.rendering import TEXT_LIMIT
from oudersbot.domain.slips import QuietHours, decode_tap
from oudersbot.store.models import (
    Delivery,
    DeliveryStatus,
    Guardian,
    Message,
    MessageKind,
    Rendition,
    Reply,
    SlipReminder,
)

if TYPE_CHECKING:
    from datetime import datetime

    from oudersbot.bootstrap import Deps

BATCH = 20


def send_due_reminders(deps: Deps, *, quiet: QuietHours | None = None) -> int:
    """Queue every due reminder (outside quiet hours); the number of reminders queued."""
    now = deps.clock.now()
    if (quiet or QuietHours()).contains(now.astimezone(deps.settings.timezone)):
        return 0
    queued = 0
    with deps.db.session() as session:
        due = session.scalars(
            select(SlipReminder.id)
            .where(SlipReminder.status == "pending", SlipReminder.due_at <= now)
            .order_by(SlipReminder.due_at)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        for reminder_id in due:
            if _remind(session, deps, reminder_id, now):
                queued += 1
    return queued


def _claim(session: Session, reminder_id: int, status: str) -> SlipReminder | None:
    claimed = session.scalar(
        update(SlipReminder)
        .where(SlipReminder.id == reminder_id, SlipReminder.status == "pending")
        .values(status=status)
        .returning(SlipReminder.id)
        .execution_options(synchronize_session=False)
    )
    return session.get(SlipReminder, claimed) if claimed is not None else None


def _remind(session: Session, deps: Deps, reminder_id: int, now: datetime) -> bool:
    reminder = _claim(session, reminder_id, "sent")
    if reminder is None:  # another worker took it
        return False
    slip = session.get(Message, reminder.message_id)
    if slip is None or slip.deadline is None or slip.deadline <= now:
        reminder.status = "skipped"
        return False
    answered = set(
        session.scalars(
            select(Reply.child_id).where(Reply.message_id == slip.id, Reply.answer.is_not(None))
        )
    )
    targets = []
    for delivery, guardian in session.execute(
        select(Delivery, Guardian)
        .join(Guardian, Guardian.id == Delivery.guardian_id)
        .where(
            Delivery.message_id == slip.id,
            # Unconfirmed: it may not have arrived, and a reminder is a new message anyway.
            Delivery.status.in_([DeliveryStatus.SENT.value, DeliveryStatus.UNCONFIRMED.value]),
        )
    ).all():
        if guardian.chat_id is None or guardian.reachability != "joined":
            continue
        rows = [
            row
            for row in delivery.buttons or []
            if (tap := decode_tap(row[0][1])) is not None and tap.child_id not in answered
        ]
        if rows:
            targets.append((delivery, guardian, rows))
    if not targets:
        reminder.status = "skipped"
        return False
    message = Message(
        school_id=slip.school_id,
        kind=MessageKind.REMINDER.value,
        template_id=slip.template_id,
        slots=slip.slots,
        text_nl=slip.text_nl,
        pictogram=slip.pictogram,
        category=slip.category,
        audience=slip.audience,
        created_by=f"reminder:{reminder.rule}",
        created_at=now,
        answers=slip.answers,
        deadline=slip.deadline,
        reminds_of=slip.id,
    )
    session.add(message)
    session.flush()
    originals = {
        r.id: r for r in session.scalars(select(Rendition).where(Rendition.message_id == slip.id))
    }
    renditions: dict[int, Rendition] = {}
    for original in originals.values():
        line = html.escape(deps.words.text(original.language, "slip.reminder"))
        parts = list(original.parts)
        if len(line) + 2 + len(parts[0]) <= TEXT_LIMIT:
            parts[0] = f"<b>{line}</b>\n\n{parts[0]}"
        else:
            parts.insert(0, f"<b>{line}</b>")
        copy = Rendition(
            message_id=message.id, language=original.language, origin=original.origin, parts=parts
        )
        session.add(copy)
        renditions[original.id] = copy
    session.flush()
    session.execute(
        insert(Delivery),
        [
            {
                "school_id": slip.school_id,
                "message_id": message.id,
                "guardian_id": guardian.id,
                "rendition_id": renditions[delivery.rendition_id].id,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "buttons": rows,
            }
            for delivery, guardian, rows in targets
        ],
    )
    reminder.reminder_message_id = message.id
    return True
