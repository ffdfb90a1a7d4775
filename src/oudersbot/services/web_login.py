"""Logging in to the staff desk without a password: /web in Telegram gives a staff member a
one-time link (128+ random bits, only its hash kept, valid 10 minutes, used once) that opens a
session; the session's secret lives in an HttpOnly cookie, and only its hash in the database."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from oudersbot.services.viewers import Viewer
from oudersbot.store.audit import record as audit
from oudersbot.store.staff import staff_member, staff_of_chat
from oudersbot.store.web import (
    add_login_link,
    add_session,
    end_session,
    forget_old,
    live_session,
    use_login_link,
)

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

LINK_VALID = timedelta(minutes=10)
SESSION_LONGEST = timedelta(hours=12)
TOKEN_BYTES = 32  # 256 random bits, for links and sessions alike
LOGIN_PATH = "/login"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoginLink:
    """A link just issued: the address to open and until when."""

    url: str
    token: str
    valid_minutes: int


def issue_link(deps: Deps, *, chat_id: int) -> LoginLink | None:
    """A one-time link for the staff member behind this chat; None (nothing issued) for a
    parent or anyone else."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = deps.clock.now()
    with deps.db.session() as session:
        staff = staff_of_chat(session, chat_id=chat_id)
        if staff is None:
            return None
        add_login_link(
            session,
            school_id=staff.school_id,
            staff_id=staff.staff_id,
            token_hash=_hash(token),
            now=now,
            expires_at=now + LINK_VALID,
        )
    url = f"{deps.settings.web_url}{LOGIN_PATH}/{token}"
    return LoginLink(url, token, int(LINK_VALID.total_seconds() // 60))


def open_session(deps: Deps, *, link_token: str) -> str | None:
    """Use a link: the new session's secret (for the cookie), or None when the link is
    unknown, used or expired."""
    now = deps.clock.now()
    session_token = secrets.token_urlsafe(TOKEN_BYTES)
    with deps.db.session() as session:
        staff_id = use_login_link(session, token_hash=_hash(link_token), now=now)
        if staff_id is None:
            return None
        staff = staff_member(session, staff_id=staff_id)
        if staff is None:
            return None
        add_session(
            session,
            school_id=staff.school_id,
            staff_id=staff.staff_id,
            token_hash=_hash(session_token),
            now=now,
            expires_at=now + SESSION_LONGEST,
        )
        audit(session, staff.school_id, now, staff.name, "web.login", None, None)
        forget_old(session, before=now - SESSION_LONGEST)
    return session_token


@dataclass(frozen=True)
class DeskUser:
    """Who is behind a desk session: the bot's Viewer (the same rules) and their staff id."""

    staff_id: int
    viewer: Viewer


def user_of_session(deps: Deps, *, session_token: str) -> DeskUser | None:
    """The staff member of a live session (and it counts as seen now); None when the session
    is unknown, ended, idle too long, past its end, or its staff member is gone."""
    now = deps.clock.now()
    idle = timedelta(minutes=deps.settings.web_idle_minutes)
    with deps.db.session() as session:
        found = live_session(
            session, token_hash=_hash(session_token), now=now, idle_since=now - idle
        )
        if found is None:
            return None
        staff = staff_member(session, staff_id=found.staff_id)
        if staff is None or staff.school_id != found.school_id:
            return None
        # Counting every page as "seen" would write on every request; a minute is precise
        # enough for an idle timeout of many minutes.
        if now - found.last_seen_at > timedelta(minutes=1):
            found.last_seen_at = now
    viewer = Viewer(staff.school_id, staff.role, staff.group_ids, staff.name)
    return DeskUser(staff.staff_id, viewer)


def close_session(deps: Deps, *, session_token: str) -> None:
    """Logout."""
    with deps.db.session() as session:
        end_session(session, token_hash=_hash(session_token), now=deps.clock.now())
