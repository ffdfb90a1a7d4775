"""The translation memory: a text translated once per language, and where it came from."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


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
