"""Issuing one-time invite codes for guardians and staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from oudersbot.bootstrap import Deps
from oudersbot.domain.invites import deep_link, hash_code, new_code
from oudersbot.store.invites import guardians_with_open_invite, revoke_open_invites
from oudersbot.store.models import Invite, Role, Staff, StaffGroup
from oudersbot.store.roster import guardians_of_class
from oudersbot.store.schools import class_names, get_groups, get_school
from oudersbot.store.staff import find_staff, taught_group_ids


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
        guardians = guardians_of_class(
            session,
            group_id=group_row.id,
            name=guardian,
            not_joined=not include_joined and guardian is None,
        )
        open_invites = guardians_with_open_invite(session, school_id=school_row.id, now=now)
        for row in guardians:
            if row.id in open_invites and not (reissue or guardian is not None):
                still_invited.append(row.name)
                continue
            revoke_open_invites(session, now=now, guardian_id=row.id)
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
        staff = find_staff(session, school_id=school_row.id, name=name, role=role.value)
        if staff is None:
            staff = Staff(school_id=school_row.id, name=name, role=role.value, language="nl")
            session.add(staff)
            session.flush()
        known = taught_group_ids(session, staff_id=staff.id)
        for group_row in group_rows:
            if group_row.id not in known:
                session.add(StaffGroup(staff_id=staff.id, group_id=group_row.id))
        revoke_open_invites(session, now=deps.clock.now(), staff_id=staff.id)
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


def group_names(deps: Deps, *, school: str) -> list[str]:
    """The classes of a school, in order."""
    with deps.db.session() as session:
        return class_names(session, school_id=get_school(session, slug=school).id)
