"""The desk's "Klaslijst", for the school's administrator: the classes with their counts, a
roster file checked before it changes anything (services/roster.py, as `oudersbot roster
import`), and a class's invite sheet as a PDF (services/invites.py, as `oudersbot invites
print`). Everything is scoped to the administrator's own school."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.domain.roster_changes import RosterChanges
from oudersbot.printing import render_invite_pdf
from oudersbot.services import roster
from oudersbot.services.invites import invite_cards, issue_guardian_invites, sheet_basename
from oudersbot.services.roster import (
    ProblemLine,
    RosterChangedError,
    RosterReport,
    Scope,
    problem_lines,
)
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.models import Role
from oudersbot.store.roster import ClassCount, class_counts, class_of_school
from oudersbot.store.schools import school_by_id

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

__all__ = [
    "ClassCount",
    "InvitePdf",
    "ProblemLine",
    "RosterChangedError",
    "RosterChanges",
    "RosterReport",
    "Scope",
    "invite_pdf",
    "apply_roster",
    "check_roster",
    "classes",
    "problem_lines",
]


@dataclass(frozen=True)
class InvitePdf:
    """A class's invite sheet: the PDF and its file name; `cards` 0 when nobody needed a new
    letter (`still_invited` hold a working one, `stopped` said /stop)."""

    filename: str
    data: bytes
    cards: int
    still_invited: int = 0
    stopped: int = 0


def _school_slug(deps: Deps, viewer: Viewer) -> str:
    """The administrator's school; anyone else may not."""
    if viewer.role != Role.ADMIN.value:
        raise NotAllowedError(viewer.role)
    with deps.db.session() as session:
        return school_by_id(session, school_id=viewer.school_id).slug


def classes(deps: Deps, viewer: Viewer) -> list[ClassCount]:
    """The school's classes, by name, with their counts."""
    _school_slug(deps, viewer)
    with deps.db.session() as session:
        return class_counts(session, school_id=viewer.school_id)


def check_roster(
    deps: Deps, viewer: Viewer, *, data: bytes, filename: str, scope: Scope
) -> tuple[RosterReport, list[roster.ProblemLine]]:
    """What importing the file would change, or its problems in Dutch; writes nothing."""
    slug = _school_slug(deps, viewer)
    report = roster.preview_roster(deps, data=data, filename=filename, school=slug, scope=scope)
    return report, roster.problem_lines(deps, report, data)


def apply_roster(
    deps: Deps,
    viewer: Viewer,
    *,
    data: bytes,
    filename: str,
    scope: Scope,
    expect: RosterChanges | None,
) -> tuple[RosterReport, list[roster.ProblemLine]]:
    """Import the file (all of it or, with any problem, nothing), in the audit log as done at
    the desk by this administrator; only if it still changes what the check showed (`expect`),
    else RosterChangedError and nothing imported."""
    slug = _school_slug(deps, viewer)
    report = roster.import_roster(
        deps,
        data=data,
        filename=filename,
        school=slug,
        scope=scope,
        actor=f"desk:{viewer.name}",
        expect=expect,
    )
    return report, roster.problem_lines(deps, report, data)


def invite_pdf(deps: Deps, viewer: Viewer, *, group_id: int, reissue: bool) -> InvitePdf | None:
    """New invite codes for a class of the school, on a printable PDF sheet (one card per
    guardian, as `oudersbot invites print`); None for a class id of any other school. With
    `reissue` every guardian who has not joined gets a new code and older ones stop working."""
    slug = _school_slug(deps, viewer)
    with deps.db.session() as session:
        group = class_of_school(session, school_id=viewer.school_id, group_id=group_id)
    if group is None:
        return None
    batch = issue_guardian_invites(deps, school=slug, group=group, reissue=reissue)
    base = sheet_basename(group, deps.clock.now().astimezone(deps.settings.timezone))
    if not batch.issued:
        return InvitePdf(f"{base}.pdf", b"", 0, len(batch.still_invited), len(batch.stopped))
    cards, labels = invite_cards(deps, batch.issued, group, school=slug)
    pdf = render_invite_pdf(cards, labels)
    return InvitePdf(
        f"{base}.pdf", pdf.data, len(cards), len(batch.still_invited), len(batch.stopped)
    )
