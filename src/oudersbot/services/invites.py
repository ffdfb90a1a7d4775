"""Issuing one-time invite codes for guardians and staff."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from oudersbot.bootstrap import Deps
from oudersbot.domain.invites import deep_link, hash_code, new_code
from oudersbot.domain.languages import is_rtl
from oudersbot.printing import InviteCard, SheetLabels, sheet_date
from oudersbot.store.invites import (
    guardians_with_open_invite,
    invite_holders_of_class,
    revoke_open_invites,
)
from oudersbot.store.models import Guardian, Invite, Role, Staff, StaffGroup
from oudersbot.store.schools import class_names, get_groups, get_school
from oudersbot.store.staff import find_staff, taught_group_ids

OWN_ID_PREFIX = "#"


@dataclass(frozen=True)
class ChildOnCard:
    """A child named on an invite: first name and class."""

    first_name: str
    group: str


@dataclass(frozen=True)
class IssuedInvite:
    """A fresh code, shown once (on paper) and never stored in the clear."""

    code: str
    link: str
    name: str
    language: str
    children: tuple[ChildOnCard, ...]
    """Every child of the guardian on the school's list, in every class."""
    group: str
    """The class whose sheet it is printed on (a staff member's classes)."""
    expires_at: datetime
    role: str | None = None
    guardian_id: int | None = None


@dataclass(frozen=True)
class GuardianNote:
    """A guardian of the class who gets no new letter this time, and why is the list it is on."""

    guardian_id: int
    name: str
    children: tuple[ChildOnCard, ...]
    external_id: str | None = None

    @property
    def ref(self) -> str:
        """What `--guardian` takes to name exactly this guardian."""
        return self.external_id or f"{OWN_ID_PREFIX}{self.guardian_id}"


class UnknownGuardianError(LookupError):
    """No guardian of a child of the class (on the list) has that name or school id."""


class AmbiguousGuardianError(LookupError):
    """Several guardians of the class share that name: the school's id tells them apart."""

    def __init__(self, who: str, candidates: list[GuardianNote]) -> None:
        super().__init__(who)
        self.candidates = candidates


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
    """New codes, and the guardians left out: their earlier letter still works, or they
    stopped (a parent's /stop is respected until they ask the school for a letter)."""

    issued: list[IssuedInvite]
    still_invited: list[GuardianNote] = field(default_factory=list)
    stopped: list[GuardianNote] = field(default_factory=list)


def _children_on_card(guardian: Guardian) -> tuple[ChildOnCard, ...]:
    current = sorted(
        (c for c in guardian.children if c.left_at is None),
        key=lambda c: (c.group.name, c.first_name, c.id),
    )
    return tuple(ChildOnCard(c.first_name, c.group.name) for c in current)


def _note(guardian: Guardian) -> GuardianNote:
    return GuardianNote(
        guardian.id, guardian.name, _children_on_card(guardian), guardian.external_id
    )


def _only(guardians: list[Guardian], who: str) -> Guardian:
    """The one guardian called `who`: the school's parent id, ``#`` and our own id (for a
    school without ids), or a name in any case."""
    who = who.strip()
    by_id = [g for g in guardians if g.external_id is not None and g.external_id == who]
    if not by_id and who.startswith(OWN_ID_PREFIX):
        by_id = [g for g in guardians if f"{OWN_ID_PREFIX}{g.id}" == who]
    found = by_id or [g for g in guardians if g.name.strip().casefold() == who.casefold()]
    if not found:
        raise UnknownGuardianError(who)
    if len(found) > 1:
        raise AmbiguousGuardianError(who, [_note(g) for g in found])
    return found[0]


def issue_guardian_invites(
    deps: Deps,
    *,
    school: str,
    group: str,
    guardian: str | None = None,
    include_joined: bool = False,
    reissue: bool = False,
) -> InviteBatch:
    """New codes for a class's guardians who have not joined, not stopped, and hold no working
    code; each card names all their children, in every class.

    A guardian holds one working code at most: a new one voids their older unused ones. With
    `reissue` ("new letters for this class") everyone gets a new code; one named `guardian`
    (a name or the school's parent id) always does, also after a /stop: for a lost letter,
    or a parent who wants to come back.
    """
    issued: list[IssuedInvite] = []
    batch = InviteBatch(issued)
    now = deps.clock.now()
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        username = deps.settings.username_of(school_row.bot)  # the school's own bot, or main
        (group_row,) = get_groups(session, school_id=school_row.id, names=[group])
        holders = invite_holders_of_class(
            session, group_id=group_row.id, not_joined=not include_joined and guardian is None
        )
        if guardian is not None:
            holders = [_only(holders, guardian)]
        open_invites = guardians_with_open_invite(session, school_id=school_row.id, now=now)
        for row in holders:
            if guardian is None and row.stopped_at is not None:
                batch.stopped.append(_note(row))
                continue
            if row.id in open_invites and not (reissue or guardian is not None):
                batch.still_invited.append(_note(row))
                continue
            revoke_open_invites(session, now=now, guardian_id=row.id)
            code, invite = _new_invite(deps, school_row.id, guardian_id=row.id)
            session.add(invite)
            issued.append(
                IssuedInvite(
                    code=code,
                    link=deep_link(username, code),
                    name=row.name,
                    language=row.language,
                    children=_children_on_card(row),
                    group=group_row.name,
                    expires_at=invite.expires_at,
                    guardian_id=row.id,
                )
            )
    return batch


def issue_staff_invite(
    deps: Deps,
    *,
    school: str,
    name: str,
    role: Role,
    groups: list[str],
    reads: list[str] | None = None,
) -> IssuedInvite:
    """A code for a teacher (with their classes), a liaison, or a vertaler (with the
    languages they read)."""
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        username = deps.settings.username_of(school_row.bot)
        group_rows = get_groups(session, school_id=school_row.id, names=groups)
        staff = find_staff(session, school_id=school_row.id, name=name, role=role.value)
        if staff is None:
            staff = Staff(school_id=school_row.id, name=name, role=role.value, language="nl")
            session.add(staff)
            session.flush()
        if reads:
            staff.reads = ",".join(sorted(set(reads)))
        known = taught_group_ids(session, staff_id=staff.id)
        for group_row in group_rows:
            if group_row.id not in known:
                session.add(StaffGroup(staff_id=staff.id, group_id=group_row.id))
        revoke_open_invites(session, now=deps.clock.now(), staff_id=staff.id)
        code, invite = _new_invite(deps, school_row.id, staff_id=staff.id)
        session.add(invite)
        return IssuedInvite(
            code=code,
            link=deep_link(username, code),
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


STAFF_LANGUAGE = "nl"


def children_on_card(deps: Deps, item: IssuedInvite) -> tuple[str, ...]:
    """The children's names as printed; with their classes when they are in several."""
    if len({child.group for child in item.children}) <= 1:
        return tuple(child.first_name for child in item.children)
    return tuple(
        deps.words.text(
            item.language, "invite.child_in_class", child=child.first_name, group=child.group
        )
        for child in item.children
    )


def invite_cards(
    deps: Deps,
    issued: list[IssuedInvite],
    group: str,
    *,
    school: str,
    report: Callable[..., None] | None = None,
) -> tuple[list[InviteCard], SheetLabels]:
    """The cards of one class's sheet, each in its guardian's language and Dutch, and the
    sheet's title and school name (the command line and the desk print the same sheet);
    `report(done)` after each card."""
    tz = deps.settings.timezone
    cards = []
    for item in issued:
        expires = sheet_date(item.expires_at.astimezone(tz).date(), item.language)
        cards.append(
            InviteCard(
                link=item.link,
                guardian_name=item.name,
                children=children_on_card(deps, item),
                class_name=item.group,
                language_tag=item.language,
                rtl=is_rtl(item.language),
                instruction=deps.words.text(item.language, "invite.instruction"),
                instruction_nl=deps.words.text(STAFF_LANGUAGE, "invite.instruction"),
                expires_label=deps.words.text(item.language, "invite.expires", date=expires),
            )
        )
        if report is not None:
            report(len(cards))
    title = deps.words.text(STAFF_LANGUAGE, "cli.sheet.title", group=group)
    with deps.db.session() as session:
        school_name = get_school(session, slug=school).name
    return cards, SheetLabels(title=title, school_name=school_name)


def sheet_basename(group: str, moment: datetime) -> str:
    """``uitnodigingen-3A-2026-12-05-0930``: the class and the local minute of printing, so a
    new sheet never takes the name of one already handed out. Anything in a class name that
    does not belong in a file name becomes ``-``."""
    safe = re.sub(r"[^\w-]+", "-", group, flags=re.UNICODE).strip("-") or "klas"
    return f"uitnodigingen-{safe}-{moment:%Y-%m-%d-%H%M}"
