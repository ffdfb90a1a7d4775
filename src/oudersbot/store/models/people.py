"""The school and its people: classes, children, guardians, staff, and the codes to join."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from oudersbot.settings import DEFAULT_BOT
from oudersbot.store.models.base import Base


class Role(StrEnum):
    """What a staff member may do."""

    TEACHER = "teacher"
    LIAISON = "liaison"
    # A parent or staff member who reads one or more languages and reviews the drafts.
    TRANSLATOR = "translator"
    # The school's administrator (secretariat, direction): the whole school, its roster,
    # calendar and invites; the same as the command line's administrator.
    ADMIN = "admin"


class Reachability(StrEnum):
    """Can the bot reach this guardian?"""

    NOT_JOINED = "not_joined"
    JOINED = "joined"
    BLOCKED = "blocked"
    GONE = "gone"
    # The parent sent /stop and confirmed: the chat is unlinked, nothing more is sent.
    STOPPED = "stopped"


class School(Base):
    """One school."""

    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")
    # The Telegram bot that speaks for this school (a name in the settings' bot tokens); several
    # schools may share one. Telegram limits each bot, so the outbox is paced per bot.
    bot: Mapped[str] = mapped_column(String(64), default=DEFAULT_BOT, server_default=DEFAULT_BOT)
    # A joined guardian who answered none of the school's last N slips is "silent" on the
    # liaison's list.
    silent_after_slips: Mapped[int] = mapped_column(default=3, server_default="3")
    # Retention, in school years (a school year ends on 31 August): a leaver's personal data,
    # and the messages and answers of everyone.
    keep_leavers_years: Mapped[int] = mapped_column(default=1, server_default="1")
    keep_history_years: Mapped[int] = mapped_column(default=2, server_default="2")
    # A vertaler's correction is used only after a second vertaler approved it.
    translation_second_reader: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A parent's question without a staff answer after this many school hours lands on the
    # brugfiguur's list.
    answer_within_hours: Mapped[int] = mapped_column(default=24, server_default="24")


class Group(Base):
    """A class (klas)."""

    __tablename__ = "school_group"
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))


class GuardianChild(Base):
    """A guardian of a child; a child may have several, a guardian several children."""

    __tablename__ = "guardian_child"
    __table_args__ = (Index("ix_guardian_child_child_id", "child_id"),)  # a child's guardians
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)


class Child(Base):
    """A pupil, by first name only: the bot needs no more.

    Two children may share a first name in one class: the school's own pupil id (when the roster
    has one) tells them apart, never the name alone.
    """

    __tablename__ = "child"
    __table_args__ = (
        UniqueConstraint("school_id", "external_id"),
        Index("ix_child_group_id_first_name", "group_id", "first_name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_group.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    # The pupil id of the school's administration (Informat, Wisa, Smartschool), if it gave one.
    external_id: Mapped[str | None] = mapped_column(String(64))
    # Not on the school's complete list any more: nothing is sent, no list or count shows them,
    # and the retention rule removes them later.
    left_at: Mapped[datetime | None]
    group: Mapped[Group] = relationship(lazy="joined")


class Guardian(Base):
    """A parent or other caregiver, with their own language."""

    __tablename__ = "guardian"
    __table_args__ = (
        UniqueConstraint("school_id", "external_id"),
        UniqueConstraint("school_id", "chat_id"),
        Index("ix_guardian_school_id_name", "school_id", "name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The parent id of the school's administration, if the roster gave one.
    external_id: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(35))
    # "roster" until the parent picks a language in the bot; their own choice then wins.
    language_source: Mapped[str] = mapped_column(String(16), default="roster")
    phone: Mapped[str | None] = mapped_column(String(32))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    reachability: Mapped[str] = mapped_column(String(16), default=Reachability.NOT_JOINED)
    joined_at: Mapped[datetime | None]
    # The parent paused prikkels (/pauze); messages and slips still come.
    prikkels_paused: Mapped[bool] = mapped_column(default=False)
    # "I prefer to listen" (/taal): each school message comes with its voice message too.
    prefers_listening: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When the parent stopped (/stop, confirmed); the chat id is gone from then on.
    stopped_at: Mapped[datetime | None]
    # None of their children is on the school's complete list any more (see Child.left_at).
    left_at: Mapped[datetime | None]
    children: Mapped[list[Child]] = relationship(secondary="guardian_child", lazy="selectin")


class Staff(Base):
    """A teacher or liaison (brugfiguur)."""

    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("school_id", "name", "role"),
        UniqueConstraint("school_id", "chat_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(35), default="nl")
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    joined_at: Mapped[datetime | None]
    # A vertaler: the languages they read, comma-separated (e.g. "ar,fr").
    reads: Mapped[str | None] = mapped_column(String(120))


class StaffGroup(Base):
    """A class a teacher teaches."""

    __tablename__ = "staff_group"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_group.id"), primary_key=True)


class Invite(Base):
    """A one-time join code; only its hash is kept."""

    __tablename__ = "invite"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    revoked_at: Mapped[datetime | None]


class JoinThrottle(Base):
    """Wrong codes per chat, to slow down guessing."""

    __tablename__ = "join_throttle"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime]
    blocked_until: Mapped[datetime | None]
