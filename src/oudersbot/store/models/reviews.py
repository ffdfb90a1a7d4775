"""A vertaler's verdict on one shipped draft translation, for one school."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


class Verdict(StrEnum):
    """Approved as it stands (or a correction approved), or corrected."""

    APPROVED = "approved"
    CORRECTED = "corrected"


class TranslationReview(Base):
    """One review: a template or prikkel (``kind``, ``item_id``) in one language.

    The reviewer is named by staff id only; erasing that staff member sets it to NULL and
    keeps the reviewed text, which is the school's, not the person's.
    """

    __tablename__ = "translation_review"
    __table_args__ = (Index("ix_translation_review_school_id_language", "school_id", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "template" or "prikkel"
    item_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(35))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    verdict: Mapped[str] = mapped_column(String(16))
    # The corrected text (a template keeps its {slots}); None for an approval.
    text: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
