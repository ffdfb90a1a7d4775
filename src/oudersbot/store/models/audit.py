"""The audit log: which staff member changed or looked at whose personal data, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


class AuditEntry(Base):
    """One staff action on personal data. It names the guardian by id only, so an erase
    leaves the fact that something happened and nothing of the person."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_school_id_at", "school_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))  # a staff name, or "cli:<user>" at the shell
    action: Mapped[str] = mapped_column(String(48))  # e.g. privacy.export, roster.import
    subject: Mapped[str | None] = mapped_column(String(64))  # e.g. guardian:12
    detail: Mapped[str | None] = mapped_column(Text)  # counts and options, never personal data
