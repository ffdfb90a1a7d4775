"""Who sends for a bot: one process at a time, proven alive by its heartbeat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from oudersbot.store.models.base import Base


class SenderLease(Base):
    """Which process sends for a bot, and its heartbeat: one sender per bot at a time.

    A process holds a bot's lease while it beats; another takes it over once the beat is older
    than the lease, or at once when the holder is a dead process on the same host."""

    __tablename__ = "sender_lease"
    bot: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))  # host:pid:random, unique per process
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # run, worker, dispatch
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
