"""A parent's conversation with the school: their messages and the staff's answers, and the
copies the staff got on their phone (so a Telegram reply to one finds its conversation)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


class ConversationStatus(StrEnum):
    """Whose turn it is."""

    OPEN = "open"  # the parent wrote last and waits for the school
    ANSWERED = "answered"  # a staff member answered the last question
    HANDLED = "handled"  # a staff member marked it handled without an answer


class Direction(StrEnum):
    """Who wrote a message of a conversation."""

    PARENT = "parent"
    STAFF = "staff"


class ConversationKind(StrEnum):
    """What a parent sent: words, a short thanks, or something that is no text."""

    TEXT = "text"
    ACKNOWLEDGEMENT = "acknowledgement"
    VOICE = "voice"
    PHOTO = "photo"
    STICKER = "sticker"
    DOCUMENT = "document"
    VIDEO = "video"
    OTHER = "other"


class Conversation(Base):
    """One guardian's ongoing conversation with one school."""

    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("school_id", "guardian_id"),
        Index("ix_conversation_school_id_status", "school_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ConversationStatus.OPEN)
    started_at: Mapped[datetime]
    # The first parent message not answered yet; None when the school answered the last one.
    waiting_since: Mapped[datetime | None]
    last_message_at: Mapped[datetime]
    # Who marked the parent's last question handled without an answer, and when (HANDLED only).
    handled_by: Mapped[str | None] = mapped_column(String(200))
    handled_at: Mapped[datetime | None]


class ConversationMessage(Base):
    """One message of a conversation, from the parent or from staff; kept as written."""

    __tablename__ = "conversation_message"
    __table_args__ = (
        UniqueConstraint(
            "conversation_id",
            "telegram_message_id",
            "direction",
            name="uq_conversation_message_telegram",  # the default name is too long
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16), default=ConversationKind.TEXT)
    # The original words (a caption for a photo; None for a voice note without words).
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    # The parent's words in Dutch, or the staff's answer in the parent's language; None: not
    # translated (no provider, or it failed): staff see the original with a clear mark.
    translated: Mapped[str | None] = mapped_column(Text)
    # A voice note, photo, sticker or file: Telegram's file_id (the file itself is not kept).
    file_id: Mapped[str | None] = mapped_column(String(255))
    # The children it is about (their ids), and the slip it was asked about, if one was open.
    child_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    slip_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    # Staff answers: who wrote it, and the outbox message that carries it to the parent.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    staff_name: Mapped[str | None] = mapped_column(String(200))
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    # The parent's Telegram message (a replayed update is recorded once), or the staff's reply.
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime]


class ConversationNotice(Base):
    """A parent's message as one staff member got it in Telegram: their reply to it answers."""

    __tablename__ = "conversation_notice"
    __table_args__ = (UniqueConstraint("chat_id", "telegram_message_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    conversation_message_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_message.id", name="fk_conversation_notice_message"), index=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    telegram_message_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
