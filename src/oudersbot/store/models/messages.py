"""What is sent and what comes in: a message, its renditions, one delivery per guardian, and a
parent's free text."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.settings import DEFAULT_BOT
from oudersbot.store.models.base import Base


class DeliveryStatus(StrEnum):
    """Where one message to one guardian stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    NOT_JOINED = "not_joined"
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    CANCELLED = "cancelled"
    # Telegram may or may not have it (the answer was lost, or the worker was killed while
    # asking): never sent again by itself; the brugfiguur's list shows it, a person decides.
    UNCONFIRMED = "unconfirmed"
    # An unconfirmed delivery a person chose to send again (the new copy is its own delivery).
    RESENT = "resent"


class MessageKind(StrEnum):
    """What kind of thing a message is; slips, prikkels and reminders come with their issues."""

    MESSAGE = "message"
    SLIP = "slip"
    PRIKKEL = "prikkel"
    REMINDER = "reminder"
    VOICE = "voice"


class Message(Base):
    """One thing to tell, with one pictogram; written before anything is sent."""

    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("school_id", "dedupe_key"),)
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
    # The producer's name for this send ("slip:12:morning", a hash of a staff command, ...):
    # putting the same key in the outbox twice queues nothing the second time.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    # A voice message: the message it reads aloud (its voice_rendition in the language).
    voice_of: Mapped[int | None] = mapped_column(ForeignKey("message.id"))


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
        Index("ix_delivery_due", "bot", "status", "next_attempt_at"),
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
    # What kind of send this is (delivery.door.SendKind) and which bot sends it.
    kind: Mapped[str] = mapped_column(String(24), default="message", server_default="message")
    bot: Mapped[str] = mapped_column(String(64), default=DEFAULT_BOT, server_default=DEFAULT_BOT)
    # How many parts of the rendition Telegram has confirmed: a retry sends only the rest, and
    # an unconfirmed delivery names the part that may not have arrived.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class InboundText(Base):
    """Free text a parent sent; kept as typed (escaped only when shown)."""

    __tablename__ = "inbound_text"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
