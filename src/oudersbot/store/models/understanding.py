"""A parent's 'Begrepen' or 'Uitleg graag' under a school message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


class Understanding(Base):
    """One guardian's reaction to one message: the latest tap counts, with its times. 'Please
    explain' puts the family on the brugfiguur's list until the brugfiguur records that it was
    explained (or the parent taps 'understood' after all)."""

    __tablename__ = "understanding"
    __table_args__ = (UniqueConstraint("message_id", "guardian_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), index=True)
    reaction: Mapped[str] = mapped_column(String(16))  # domain.understanding.Reaction
    first_at: Mapped[datetime]  # the first tap
    tapped_at: Mapped[datetime]  # the latest tap
    taps: Mapped[int] = mapped_column(Integer, default=1)
    # The latest 'please explain', and when (and by whom) the brugfiguur recorded it explained.
    explain_at: Mapped[datetime | None]
    explained_at: Mapped[datetime | None]
    explained_by: Mapped[str | None] = mapped_column(String(200))
