"""A message read aloud: one voice file per message and language, made once, sent to many."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


class VoiceRendition(Base):
    """A message's rendition in one language, spoken (OGG/Opus), with the file_id each bot
    got from Telegram at its first upload: every later send names that file_id.

    Derived from a school message, not from a person: nothing personal is in it."""

    __tablename__ = "voice_rendition"
    __table_args__ = (UniqueConstraint("message_id", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    language: Mapped[str] = mapped_column(String(35))
    voice: Mapped[str] = mapped_column(String(32))  # the eSpeak NG voice that read it
    ogg: Mapped[bytes] = mapped_column(LargeBinary)
    duration_ms: Mapped[int]
    # bot name -> Telegram file_id (a file_id belongs to the bot that uploaded it)
    file_ids: Mapped[dict[str, str]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
