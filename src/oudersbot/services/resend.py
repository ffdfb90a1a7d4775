"""Sending again what may not have arrived, because a person decided so.

An unconfirmed delivery (the answer from Telegram was lost, or the sender was killed while
asking) is never sent again by itself: the parent may have it, and two copies confuse. The
brugfiguur sees it on the list and decides; then it goes through the outbox's door again,
from the part that may not have arrived, with the same answer buttons, under the school's
time rules. Sending it again twice is impossible: the first decision wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from oudersbot.delivery.door import Content, SendKind
from oudersbot.domain.rendering import Version
from oudersbot.domain.time_rules import Urgency
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.audience import recipient_of_guardian
from oudersbot.store.models import MessageKind
from oudersbot.store.unconfirmed import mark_resent, unconfirmed_delivery

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


@dataclass(frozen=True)
class Resent:
    """What a resend did: the new message, or why nothing was sent."""

    message_id: int | None
    problem: str | None = None  # not_unconfirmed, not_reachable, too_late
    guardian: str | None = None


def resend_unconfirmed(
    deps: Deps, viewer: Viewer, *, delivery_id: int, urgency: Urgency = Urgency.NORMAL
) -> Resent:
    """Send an unconfirmed delivery again, from the part that may not have arrived. Only the
    brugfiguur (or the administrator) decides; a delivery of another school changes nothing."""
    if not viewer.sees_school:
        raise NotAllowedError(viewer.role)
    school_id, by = viewer.school_id, viewer.name
    with deps.db.session() as session:
        found = unconfirmed_delivery(session, school_id=school_id, delivery_id=delivery_id)
        if found is None:
            return Resent(None, "not_unconfirmed")
        recipient = recipient_of_guardian(session, guardian_id=found.guardian_id)
        if recipient.chat_id is None or recipient.reachability != "joined":
            return Resent(None, "not_reachable", recipient.name)
        moment = deps.outbox.moment(
            session, school_id=school_id, urgency=urgency, latest=found.deadline
        )
        if moment is None:
            return Resent(None, "too_late", recipient.name)
        if not mark_resent(session, delivery_id=delivery_id, by=by):
            return Resent(None, "not_unconfirmed", recipient.name)
        parts = tuple(found.parts[found.parts_sent :]) or tuple(found.parts)
        posted = deps.outbox.put(
            session,
            school_id=school_id,
            content=Content(
                kind=MessageKind(found.message_kind),
                text_nl=found.text_nl,
                pictogram=found.pictogram,
                category=found.category,
                versions={found.language: Version(found.language, found.origin, parts)},
                audience={"resend_of": delivery_id},
                created_by=by,
                # A photo went with the first part only.
                photo=found.photo if found.parts_sent == 0 else None,
                # A voice message goes again as the same voice file (its Telegram file_id).
                voice_of=found.voice_of,
            ),
            to=[replace(recipient, language=found.language)],
            kind=SendKind.RESEND,
            urgency=urgency,
            latest=found.deadline,
            dedupe_key=f"resend:{delivery_id}",
            buttons=lambda _message_id, _r: found.buttons,
        )
        return Resent(posted.message_id, None, recipient.name)
