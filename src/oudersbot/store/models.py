"""The tables. Every row belongs to a school, so one deployment can serve a city."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from oudersbot.store.types import AwareDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: AwareDateTime(), dict[str, Any]: JSON}


class Role(StrEnum):
    """What a staff member may do."""

    TEACHER = "teacher"
    LIAISON = "liaison"


class Reachability(StrEnum):
    """Can the bot reach this guardian?"""

    NOT_JOINED = "not_joined"
    JOINED = "joined"
    BLOCKED = "blocked"
    GONE = "gone"


class DeliveryStatus(StrEnum):
    """Where one message to one guardian stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    NOT_JOINED = "not_joined"
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    CANCELLED = "cancelled"
    # The worker was killed while its request to Telegram was under way: the parent may or may
    # not have it. Never sent again (a parent must not get a message twice); staff can see it.
    UNCONFIRMED = "unconfirmed"


class MessageKind(StrEnum):
    """What kind of thing a message is; slips, prikkels and reminders come with their issues."""

    MESSAGE = "message"
    SLIP = "slip"
    PRIKKEL = "prikkel"
    REMINDER = "reminder"


class School(Base):
    """One school."""

    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")


class Group(Base):
    """A class (klas)."""

    __tablename__ = "school_group"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))


class GuardianChild(Base):
    """A guardian of a child; a child may have several, a guardian several children."""

    __tablename__ = "guardian_child"
    __table_args__ = (Index("ix_guardian_child_child_id", "child_id"),)  # a child's guardians
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)


class Child(Base):
    """A pupil, by first name only: the bot needs no more."""

    __tablename__ = "child"
    __table_args__ = (UniqueConstraint("group_id", "first_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_group.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    group: Mapped[Group] = relationship(lazy="joined")


class Guardian(Base):
    """A parent or other caregiver, with their own language."""

    __tablename__ = "guardian"
    __table_args__ = (
        UniqueConstraint("school_id", "name"),
        UniqueConstraint("school_id", "chat_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(35))
    # "roster" until the parent picks a language in the bot; their own choice then wins.
    language_source: Mapped[str] = mapped_column(String(16), default="roster")
    phone: Mapped[str | None] = mapped_column(String(32))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    reachability: Mapped[str] = mapped_column(String(16), default=Reachability.NOT_JOINED)
    joined_at: Mapped[datetime | None]
    # The parent paused prikkels (/pauze); messages and slips still come.
    prikkels_paused: Mapped[bool] = mapped_column(default=False)
    children: Mapped[list[Child]] = relationship(secondary="guardian_child", lazy="selectin")


class Staff(Base):
    """A teacher or liaison (brugfiguur)."""

    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("school_id", "name", "role"),
        UniqueConstraint("school_id", "chat_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(35), default="nl")
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    joined_at: Mapped[datetime | None]


class StaffGroup(Base):
    """A class a teacher teaches."""

    __tablename__ = "staff_group"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_group.id"), primary_key=True)


class Invite(Base):
    """A one-time join code; only its hash is kept."""

    __tablename__ = "invite"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    revoked_at: Mapped[datetime | None]


class JoinThrottle(Base):
    """Wrong codes per chat, to slow down guessing."""

    __tablename__ = "join_throttle"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime]
    blocked_until: Mapped[datetime | None]


class Message(Base):
    """One thing to tell, with one pictogram; written before anything is sent."""

    __tablename__ = "message"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=MessageKind.MESSAGE)
    template_id: Mapped[str | None] = mapped_column(String(100))
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text_nl: Mapped[str] = mapped_column(Text)
    pictogram: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16))
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    # A slip: the answer options (keys of domain.answers) and the deadline.
    answers: Mapped[list[str] | None] = mapped_column(JSON)
    deadline: Mapped[datetime | None]
    # A reminder: the slip it reminds of.
    reminds_of: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    # A prikkel: the Telegram file_id of the photo sent with it, if any.
    photo: Mapped[str | None] = mapped_column(String(255))


class Rendition(Base):
    """A message as rendered for one language: rendered once, sent to many."""

    __tablename__ = "rendition"
    __table_args__ = (UniqueConstraint("message_id", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    language: Mapped[str] = mapped_column(String(35))
    origin: Mapped[str] = mapped_column(String(16))
    parts: Mapped[list[str]] = mapped_column(JSON)


class Delivery(Base):
    """One message to one guardian: the outbox row."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("message_id", "guardian_id"),
        Index("ix_delivery_due", "status", "next_attempt_at"),
        Index("ix_delivery_school_status", "school_id", "status"),  # e.g. unconfirmed ones
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), index=True)
    rendition_id: Mapped[int] = mapped_column(ForeignKey("rendition.id"))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    # Set, and committed, just before the request to Telegram; cleared with its outcome. A
    # row whose worker died with this set may have reached the parent: it is not sent again.
    send_started_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Answer buttons of a slip, rows of [label, callback data], in the guardian's language.
    buttons: Mapped[list[Any] | None] = mapped_column(JSON)


class InboundText(Base):
    """Free text a parent sent; kept as typed (escaped only when shown)."""

    __tablename__ = "inbound_text"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]


class TranslationOrigin(StrEnum):
    """Where a translation came from, in order of trust: a person, the phrasebook, a machine."""

    HUMAN = "human"
    PHRASEBOOK = "phrasebook"
    MACHINE = "machine"


class TranslationEntry(Base):
    """The translation memory: one text in one language, translated once and reused."""

    __tablename__ = "translation_entry"
    __table_args__ = (UniqueConstraint("school_id", "source_hash", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    source_hash: Mapped[str] = mapped_column(String(64))
    source_language: Mapped[str] = mapped_column(String(35))
    source_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str | None] = mapped_column(String(64))
    reviewed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(200))


class ReplySource(StrEnum):
    """How an answer reached us."""

    BUTTON = "button"
    TEXT = "text"
    LIAISON = "liaison"


class Reply(Base):
    """One answer to a slip for one child; every answer is kept, the latest counts."""

    __tablename__ = "reply"
    __table_args__ = (
        Index("ix_reply_slip_child", "message_id", "child_id", "received_at"),
        UniqueConstraint("tap_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"))
    answer: Mapped[str | None] = mapped_column(String(32))  # an option key; None: a question
    text: Mapped[str | None] = mapped_column(Text)  # a parent's own words, as typed
    text_nl: Mapped[str | None] = mapped_column(Text)  # the same, translated for staff
    source: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    tap_id: Mapped[str | None] = mapped_column(String(64))  # Telegram's callback query id
    received_at: Mapped[datetime]


class FollowUp(Base):
    """A liaison's action for one guardian and one slip, with its outcome."""

    __tablename__ = "follow_up"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"))
    action: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]


class SlipReminder(Base):
    """A planned reminder of a slip, a row before its time comes; sent at most once."""

    __tablename__ = "slip_reminder"
    __table_args__ = (
        UniqueConstraint("message_id", "rule"),
        Index("ix_slip_reminder_due", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    rule: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sent, skipped
    reminder_message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))


class PrikkelFeedback(Base):
    """A parent's tap under a prikkel ("we talked about it", "another idea"): counted, in
    aggregate, never chased."""

    __tablename__ = "prikkel_feedback"
    __table_args__ = (UniqueConstraint("message_id", "guardian_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"))
    kind: Mapped[str] = mapped_column(String(16))  # talked, another
    at: Mapped[datetime]


class EventStatus(StrEnum):
    """Whether an imported calendar event still stands."""

    ACTIVE = "active"
    REMOVED = "removed"  # no longer in the school's calendar file


class CalendarEventRow(Base):
    """One occurrence of an event of the school's year calendar, as last imported."""

    __tablename__ = "calendar_event"
    __table_args__ = (UniqueConstraint("school_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    key: Mapped[str] = mapped_column(String(300))  # UID, UID/date, or a CSV row's key
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(100))  # template id or "event"
    template_id: Mapped[str | None] = mapped_column(String(100))
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    groups: Mapped[list[str]] = mapped_column(JSON)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    all_day: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # changes when the event changes
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.ACTIVE)
    imported_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PlannedStatus(StrEnum):
    """Where a planned send stands; only PLANNED rows are ever claimed."""

    PLANNED = "planned"
    QUEUED = "queued"  # its delivery is in the outbox
    SKIPPED = "skipped"  # not reachable, or the event passed
    CANCELLED = "cancelled"  # by staff, or the event changed or went


class PlannedSend(Base):
    """A reminder (or a month overview) for one guardian, a row before its time comes.

    `key` names what is sent: "e<event id>:<rule>" or "m:<YYYY-MM>" for the month overview."""

    __tablename__ = "planned_send"
    __table_args__ = (
        UniqueConstraint("school_id", "key", "guardian_id"),
        Index("ix_planned_send_due", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_event.id"), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), index=True)
    due_at: Mapped[datetime]
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=PlannedStatus.PLANNED)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    changed_by: Mapped[str | None] = mapped_column(String(200))  # staff who moved or cancelled it
    updated_at: Mapped[datetime]
