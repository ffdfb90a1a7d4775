"""Slips and what follows them: the answers, a liaison's follow-up, the planned reminders."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


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
    # The child this outcome is about; a sibling's outcome is its own row. None: older rows,
    # recorded for the whole family.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
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
