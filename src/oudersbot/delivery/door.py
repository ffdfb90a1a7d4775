"""The outbox's one front door: every send of every kind is put in here.

A producer hands over the content (a message with one rendition per language), the audience,
the moment it may go out at the earliest, its kind, its urgency and a dedupe key. The door
applies the time rules of the school (quiet hours, weekends, holidays, the school's own free
days, the prikkel dose) and writes the message, its renditions and one delivery row per
guardian, in the producer's transaction. The sender only sends rows that are due; a new kind
of send is a new producer and nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from oudersbot.clock import Clock
from oudersbot.domain.prikkels import DEFAULT_WEEKLY_LIMIT
from oudersbot.domain.reminder_plan import school_free_days
from oudersbot.domain.rendering import Version
from oudersbot.domain.slips import QuietHours
from oudersbot.domain.time_rules import TimeRules, Urgency, prikkel_moment, send_moment
from oudersbot.store import door as rows
from oudersbot.store.audience import Recipient
from oudersbot.store.calendar import active_events, event_of
from oudersbot.store.models import DeliveryStatus, Message, MessageKind, Rendition


class SendKind(StrEnum):
    """What a delivery is, for the time rules, the dose and the staff's counts."""

    MESSAGE = "message"
    SLIP = "slip"
    SLIP_REMINDER = "slip_reminder"
    CALENDAR_REMINDER = "calendar_reminder"
    MONTH_OVERVIEW = "month_overview"
    PRIKKEL = "prikkel"
    # Another prikkel a parent asked for with a tap: an answer, sent at once.
    PRIKKEL_ASKED = "prikkel_asked"
    STAFF_REPLY = "staff_reply"
    VOICE = "voice"
    # A delivery that may not have arrived, sent again because a person decided so.
    RESEND = "resend"


Buttons = list[list[list[str]]]
ButtonMaker = Callable[[int, Recipient], Buttons | None]
"""Rows of [label, callback data] for one guardian, given the new message's id."""


@dataclass(frozen=True)
class Content:
    """What is sent: the message and its version per language (every audience language)."""

    kind: MessageKind
    text_nl: str
    pictogram: str
    category: str
    versions: Mapping[str, Version]
    template_id: str | None = None
    slots: Mapping[str, Any] = field(default_factory=dict)
    audience: Mapping[str, Any] = field(default_factory=dict)
    created_by: str | None = None
    answers: tuple[str, ...] = ()
    deadline: dt.datetime | None = None
    reminds_of: int | None = None
    photo: str | None = None
    voice_of: int | None = None  # a voice message: the message it reads aloud


@dataclass(frozen=True)
class Posted:
    """What the door did with one send."""

    message_id: int
    duplicate: bool = False  # the dedupe key was known: nothing was queued this time
    queued: int = 0
    not_joined: tuple[Recipient, ...] = ()
    unreachable: tuple[Recipient, ...] = ()
    too_late: tuple[Recipient, ...] = ()  # no allowed moment before `latest`
    first_due: dt.datetime | None = None
    last_due: dt.datetime | None = None


def reachable(recipient: Recipient) -> bool:
    """Joined, neither blocked, gone nor stopped, and still on the school's list."""
    unreachable = ("blocked", "gone", "stopped")
    return (
        recipient.chat_id is not None
        and recipient.reachability not in unreachable
        and not recipient.left
    )


class Outbox:
    """The front door. Built once (bootstrap) with the clock and each school's quiet hours."""

    def __init__(
        self, *, clock: Clock, zone: ZoneInfo, quiet_for: Callable[[str], QuietHours]
    ) -> None:
        self._clock = clock
        self._zone = zone
        self._quiet_for = quiet_for

    def rules(self, session: Session, school_id: int) -> TimeRules:
        """A school's time rules: its quiet hours and the free days of its year calendar."""
        slug = rows.school_slug(session, school_id=school_id)
        events = [event_of(row, self._zone) for row in active_events(session, school_id=school_id)]
        return TimeRules(self._zone, self._quiet_for(slug), frozenset(school_free_days(events)))

    def moment(
        self,
        session: Session,
        *,
        school_id: int,
        not_before: dt.datetime | None = None,
        urgency: Urgency = Urgency.NORMAL,
        latest: dt.datetime | None = None,
    ) -> dt.datetime | None:
        """When a send of this urgency would go out (None: not before `latest`)."""
        start = max(not_before or self._clock.now(), self._clock.now())
        return send_moment(self.rules(session, school_id), start, urgency=urgency, latest=latest)

    def plan(
        self,
        session: Session,
        *,
        school_id: int,
        to: Sequence[Recipient],
        kind: SendKind,
        not_before: dt.datetime | None = None,
        urgency: Urgency = Urgency.NORMAL,
        latest: dt.datetime | None = None,
        weekly_limit: int = DEFAULT_WEEKLY_LIMIT,
    ) -> dict[int, dt.datetime | None]:
        """When each reachable guardian's copy would go out (None: not before `latest`)."""
        rules = self.rules(session, school_id)
        start = max(not_before or self._clock.now(), self._clock.now())
        targets = [r.guardian_id for r in to if reachable(r)]
        if kind is SendKind.PRIKKEL and urgency is Urgency.NORMAL:
            taken = rows.prikkel_days(
                session,
                guardian_ids=targets,
                since=start - dt.timedelta(days=7),
                kind=SendKind.PRIKKEL.value,
                zone=self._zone,
            )
            return {
                g: _within(
                    prikkel_moment(rules, start, taken.get(g, set()), limit=weekly_limit), latest
                )
                for g in targets
            }
        moment = send_moment(rules, start, urgency=urgency, latest=latest)
        return dict.fromkeys(targets, moment)

    def put(
        self,
        session: Session,
        *,
        school_id: int,
        content: Content,
        to: Sequence[Recipient],
        kind: SendKind,
        not_before: dt.datetime | None = None,
        urgency: Urgency = Urgency.NORMAL,
        latest: dt.datetime | None = None,
        dedupe_key: str | None = None,
        buttons: ButtonMaker | None = None,
        weekly_limit: int = DEFAULT_WEEKLY_LIMIT,
    ) -> Posted:
        """Store the message and one delivery per guardian, each due at its allowed moment.

        Guardians who never joined or cannot be reached get a row that says so (the school's
        lists show them); a known dedupe key queues nothing and names the earlier message."""
        if dedupe_key is not None:
            earlier = rows.message_with_key(session, school_id=school_id, key=dedupe_key)
            if earlier is not None:
                return Posted(earlier, duplicate=True)
        now = self._clock.now()
        due = self.plan(
            session,
            school_id=school_id,
            to=to,
            kind=kind,
            not_before=not_before,
            urgency=urgency,
            latest=latest,
            weekly_limit=weekly_limit,
        )
        message = Message(
            school_id=school_id,
            kind=content.kind.value,
            template_id=content.template_id,
            slots=dict(content.slots),
            text_nl=content.text_nl,
            pictogram=content.pictogram,
            category=content.category,
            audience=dict(content.audience),
            created_by=content.created_by,
            created_at=now,
            answers=list(content.answers) or None,
            deadline=content.deadline,
            reminds_of=content.reminds_of,
            photo=content.photo,
            voice_of=content.voice_of,
            dedupe_key=dedupe_key,
        )
        renditions = add_renditions(session, message, content.versions)
        bot = rows.school_bot(session, school_id=school_id)
        not_joined, unreachable, too_late, new = [], [], [], []
        moments: list[dt.datetime] = []
        for recipient in to:
            moment = due.get(recipient.guardian_id)
            if recipient.chat_id is None:
                status = DeliveryStatus.NOT_JOINED
                not_joined.append(recipient)
            elif not reachable(recipient):
                status = DeliveryStatus.UNREACHABLE
                unreachable.append(recipient)
            elif moment is None:
                too_late.append(recipient)
                continue
            else:
                status = DeliveryStatus.PENDING
                moments.append(moment)
            new.append(
                rows.NewDelivery(
                    guardian_id=recipient.guardian_id,
                    rendition_id=renditions[recipient.language].id,
                    status=status.value,
                    due_at=moment or now,
                    buttons=buttons(message.id, recipient) if buttons else None,
                )
            )
        rows.insert_deliveries(
            session, school_id=school_id, message_id=message.id, kind=kind.value, bot=bot, rows=new
        )
        return Posted(
            message.id,
            queued=len(moments),
            not_joined=tuple(not_joined),
            unreachable=tuple(unreachable),
            too_late=tuple(too_late),
            first_due=min(moments, default=None),
            last_due=max(moments, default=None),
        )


def _within(moment: dt.datetime, latest: dt.datetime | None) -> dt.datetime | None:
    return None if latest is not None and moment >= latest else moment


def add_renditions(
    session: Session, message: Message, versions: Mapping[str, Version]
) -> dict[str, Rendition]:
    """Store a message and its rendition per language; the renditions by language."""
    session.add(message)
    session.flush()
    renditions = {
        language: Rendition(
            message_id=message.id,
            language=language,
            origin=version.origin,
            parts=list(version.parts),
        )
        for language, version in versions.items()
    }
    session.add_all(renditions.values())
    session.flush()
    return renditions
