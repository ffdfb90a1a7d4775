"""Issuing one-time invite codes for guardians and staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oudersbot.bootstrap import Deps
from oudersbot.domain.invites import deep_link, hash_code, new_code
from oudersbot.store.models import (
    Child,
    Group,
    Guardian,
    GuardianChild,
    Invite,
    Role,
    Staff,
    StaffGroup,
)
from oudersbot.store.schools import get_groups, get_school


@dataclass(frozen=True)
class IssuedInvite:
    """A fresh code, shown once (on paper) and never stored in the clear."""

    code: str
    link: str
    name: str
    language: str
    children: tuple[str, ...]
    group: str
    expires_at: datetime
    role: str | None = None


def _new_invite(
    deps: Deps, school_id: int, *, guardian_id: int | None = None, staff_id: int | None = None
) -> tuple[str, Invite]:
    now = deps.clock.now()
    code = new_code()
    invite = Invite(
        school_id=school_id,
        code_hash=hash_code(code),
        guardian_id=guardian_id,
        staff_id=staff_id,
        created_at=now,
        expires_at=now + timedelta(days=deps.settings.invite_days),
    )
    return code, invite


@dataclass(frozen=True)
class InviteBatch:
    """New codes, and the guardians left out because their earlier letter still works."""

    issued: list[IssuedInvite]
    still_invited: list[str]


def issue_guardian_invites(
    deps: Deps,
    *,
    school: str,
    group: str,
    guardian: str | None = None,
    include_joined: bool = False,
    reissue: bool = False,
) -> InviteBatch:
    """New codes for a class's guardians who have not joined and hold no working code.

    With `reissue` (or for one named guardian) everyone gets a new code and their older
    unused codes stop working: for a lost letter.
    """
    issued, still_invited = [], []
    now = deps.clock.now()
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        (group_row,) = get_groups(session, school_id=school_row.id, names=[group])
        query = (
            select(Guardian)
            .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
            .join(Child, Child.id == GuardianChild.child_id)
            .where(Child.group_id == group_row.id)
            .order_by(Guardian.name)
            .distinct()
        )
        if guardian is not None:
            query = query.where(Guardian.name == guardian)
        if not include_joined and guardian is None:
            query = query.where(Guardian.chat_id.is_(None))
        open_invites = set(
            session.scalars(
                select(Invite.guardian_id).where(
                    Invite.school_id == school_row.id,
                    Invite.used_at.is_(None),
                    Invite.revoked_at.is_(None),
                    Invite.expires_at > now,
                )
            )
        )
        for row in session.scalars(query):
            if row.id in open_invites and not (reissue or guardian is not None):
                still_invited.append(row.name)
                continue
            _revoke_open(session, now, guardian_id=row.id)
            code, invite = _new_invite(deps, school_row.id, guardian_id=row.id)
            session.add(invite)
            kids = tuple(c.first_name for c in row.children if c.group_id == group_row.id)
            issued.append(
                IssuedInvite(
                    code=code,
                    link=deep_link(deps.settings.bot_username, code),
                    name=row.name,
                    language=row.language,
                    children=kids,
                    group=group_row.name,
                    expires_at=invite.expires_at,
                )
            )
    return InviteBatch(issued, still_invited)


def issue_staff_invite(
    deps: Deps, *, school: str, name: str, role: Role, groups: list[str]
) -> IssuedInvite:
    """A code for a teacher (with their classes) or a liaison."""
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        group_rows = get_groups(session, school_id=school_row.id, names=groups)
        staff = session.scalar(
            select(Staff).where(
                Staff.school_id == school_row.id, Staff.name == name, Staff.role == role.value
            )
        )
        if staff is None:
            staff = Staff(school_id=school_row.id, name=name, role=role.value, language="nl")
            session.add(staff)
            session.flush()
        known = set(
            session.scalars(select(StaffGroup.group_id).where(StaffGroup.staff_id == staff.id))
        )
        for group_row in group_rows:
            if group_row.id not in known:
                session.add(StaffGroup(staff_id=staff.id, group_id=group_row.id))
        _revoke_open(session, deps.clock.now(), staff_id=staff.id)
        code, invite = _new_invite(deps, school_row.id, staff_id=staff.id)
        session.add(invite)
        return IssuedInvite(
            code=code,
            link=deep_link(deps.settings.bot_username, code),
            name=name,
            language="nl",
            children=(),
            group=", ".join(g.name for g in group_rows),
            expires_at=invite.expires_at,
            role=role.value,
        )


def _revoke_open(
    session: Session, now: datetime, *, guardian_id: int | None = None, staff_id: int | None = None
) -> None:
    owner = Invite.guardian_id == guardian_id if guardian_id else Invite.staff_id == staff_id
    session.execute(
        update(Invite)
        .where(owner, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def group_names(deps: Deps, *, school: str) -> list[str]:
    """The classes of a school, in order."""
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        return list(
            session.scalars(
                select(Group.name).where(Group.school_id == school_row.id).order_by(Group.name)
            )
        )
