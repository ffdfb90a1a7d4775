"""The school's year calendar as imported, and the reminders planned from it per guardian."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


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
