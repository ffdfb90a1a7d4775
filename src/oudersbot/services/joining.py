"""Linking a Telegram chat to a guardian or staff member, and what a linked chat may change."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from oudersbot.bootstrap import Deps
from oudersbot.domain.invites import (
    HolderState,
    InviteProblem,
    InviteState,
    ThrottlePolicy,
    hash_code,
    judge_holder,
    judge_invite,
    looks_like_code,
)
from oudersbot.domain.languages import UnknownLanguageError, normalize
from oudersbot.store.invites import forget_throttle, invite_by_hash, throttle_of, use_invite
from oudersbot.store.members import (
    Member,
    guardian_member,
    guardians_of_chat,
    members_of_chat,
    school_languages,
    staff_member,
    staff_of_chat,
    unlink_other_guardians,
    unlink_other_staff,
)
from oudersbot.store.models import Guardian, InboundText, Invite, JoinThrottle, School, Staff

log = logging.getLogger(__name__)
POLICY = ThrottlePolicy()


@dataclass(frozen=True)
class JoinOutcome:
    """A linked member, or the reason nothing was linked (and the languages to explain it in).

    `already_joined`: the chat sent the code it joined with once more, and is still linked
    (a parent scanning their letter again); `member` is who it is linked to.
    """

    member: Member | None
    problem: InviteProblem | None = None
    wait: timedelta = timedelta(0)
    languages: tuple[str, ...] = ()
    already_joined: bool = False


def redeem_invite(deps: Deps, *, chat_id: int, code: str, bot: str | None = None) -> JoinOutcome:
    """Use a code once: link the chat, or say kindly why not; wrong codes slow a chat down.
    With `bot`, only a code of a school that speaks through that bot counts: another school's
    code is unknown here (its parents join through their school's own bot)."""
    now = deps.clock.now()
    with deps.db.session() as session:
        throttle = throttle_of(session, chat_id=chat_id)
        if throttle and throttle.blocked_until and throttle.blocked_until > now:
            languages = tuple(school_languages(session, None))
            wait = throttle.blocked_until - now
            return JoinOutcome(None, InviteProblem.SLOWED_DOWN, wait, languages)
        invite = (
            invite_by_hash(session, code_hash=hash_code(code)) if looks_like_code(code) else None
        )
        if invite is not None and bot is not None and bot_of_school(session, invite) != bot:
            log.info("chat %s sent a code of a school on another bot", chat_id)
            invite = None
        problem = _judge(session, invite, chat_id, now)
        if problem is InviteProblem.USED and invite is not None:
            own = _still_linked(session, invite, chat_id)
            if own is not None:
                log.info("chat %s sent its own used code again", chat_id)
                return JoinOutcome(own, already_joined=True)
        if (
            problem is None
            and invite is not None
            and not use_invite(session, invite_id=invite.id, chat_id=chat_id, now=now)
        ):
            problem = InviteProblem.USED
        if problem is not None or invite is None:
            languages = tuple(school_languages(session, invite.school_id if invite else None))
            wait = _count_failure(session, chat_id, throttle, now)
            log.debug("join refused for chat %s: %s", chat_id, problem)
            return JoinOutcome(None, problem or InviteProblem.UNKNOWN, wait, languages)
        if throttle is not None:
            forget_throttle(session, throttle=throttle)
        member = _link(session, invite, chat_id, now)
        log.debug("chat %s linked to %s %s", chat_id, member.kind, member.id)
        return JoinOutcome(member)


def bot_of_school(session: Session, invite: Invite) -> str:
    """The name of the bot the invite's school speaks through."""
    return session.get_one(School, invite.school_id).bot


def _judge(
    session: Session, invite: Invite | None, chat_id: int, now: datetime
) -> InviteProblem | None:
    """The code's own state first, then its guardian's: a leaver, or a letter from before a
    /stop, links nothing. Someone else's used code says only that it is used."""
    if invite is None:
        return InviteProblem.UNKNOWN
    problem = judge_invite(InviteState(invite.expires_at, invite.used_at, invite.revoked_at), now)
    own_used = problem is InviteProblem.USED and invite.used_by_chat_id == chat_id
    if invite.guardian_id is not None and (problem is None or own_used):
        guardian = session.get_one(Guardian, invite.guardian_id)
        holder = HolderState(left_at=guardian.left_at, stopped_at=guardian.stopped_at)
        return judge_holder(holder, invite.created_at) or problem
    return problem


def _still_linked(session: Session, invite: Invite, chat_id: int) -> Member | None:
    """The member this chat joined as with this very code, when it is linked still."""
    if invite.used_by_chat_id != chat_id:
        return None
    if invite.guardian_id is not None:
        guardian = session.get_one(Guardian, invite.guardian_id)
        return guardian_member(session, guardian) if guardian.chat_id == chat_id else None
    staff = session.get_one(Staff, invite.staff_id)
    return staff_member(session, staff) if staff.chat_id == chat_id else None


def _count_failure(
    session: Session, chat_id: int, throttle: JoinThrottle | None, now: datetime
) -> timedelta:
    if throttle is None or now - throttle.window_start > POLICY.window:
        if throttle is None:
            throttle = JoinThrottle(chat_id=chat_id, failures=0, window_start=now)
            session.add(throttle)
        throttle.failures, throttle.window_start = 0, now
    throttle.failures += 1
    wait = POLICY.wait_after(throttle.failures)
    throttle.blocked_until = now + wait if wait else None
    return wait


def _link(session: Session, invite: Invite, chat_id: int, now: datetime) -> Member:
    if invite.guardian_id is not None:
        # One chat is one guardian per school: a newer code moves the chat.
        unlink_other_guardians(
            session, school_id=invite.school_id, chat_id=chat_id, guardian_id=invite.guardian_id
        )
        session.flush()
        guardian = session.get_one(Guardian, invite.guardian_id)
        guardian.chat_id, guardian.reachability, guardian.joined_at = chat_id, "joined", now
        guardian.stopped_at = None  # a letter made after the /stop: the parent is back
        session.flush()
        return guardian_member(session, guardian)
    unlink_other_staff(
        session, school_id=invite.school_id, chat_id=chat_id, staff_id=invite.staff_id
    )
    session.flush()
    staff = session.get_one(Staff, invite.staff_id)
    staff.chat_id, staff.joined_at = chat_id, now
    session.flush()
    return staff_member(session, staff)


def identify(deps: Deps, *, chat_id: int, bot: str | None = None) -> list[Member]:
    """Everyone linked to a chat (in the schools on `bot`, when given)."""
    with deps.db.session() as session:
        return members_of_chat(session, chat_id, bot)


def set_language(
    deps: Deps, *, chat_id: int, language: str, bot: str | None = None
) -> list[Member]:
    """The parent's own choice of language; it wins over the roster from now on."""
    try:
        tag = normalize(language)
    except UnknownLanguageError:
        return []
    with deps.db.session() as session:
        for guardian in guardians_of_chat(session, chat_id=chat_id, bot=bot):
            guardian.language, guardian.language_source = tag, "parent"
        for staff in staff_of_chat(session, chat_id=chat_id, bot=bot):
            staff.language = tag
        session.flush()
        return members_of_chat(session, chat_id, bot)


def record_inbound_text(
    deps: Deps, *, chat_id: int, text: str, bot: str | None = None
) -> list[Member]:
    """Keep what a parent wrote, exactly as written, and say who wrote it."""
    with deps.db.session() as session:
        members = members_of_chat(session, chat_id, bot)
        guardian = next((m for m in members if m.kind == "guardian"), None)
        session.add(
            InboundText(
                school_id=guardian.school_id if guardian else None,
                guardian_id=guardian.id if guardian else None,
                chat_id=chat_id,
                text=text,
                received_at=deps.clock.now(),
            )
        )
        return members
