"""What parents tap under a prikkel, counted in aggregate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


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
