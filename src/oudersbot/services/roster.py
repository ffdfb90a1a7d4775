"""Importing a class roster: all of a file or nothing of it. A plain import adds and updates; a
complete one (`Scope.SCHOOL` or `Scope.CLASSES`) also marks who is no longer on the list as
left, so they get nothing more, drop off every list and count, and wait for the retention rule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from oudersbot.bootstrap import Deps
from oudersbot.domain.roster import RosterProblem, parse_roster
from oudersbot.domain.roster_changes import RosterChanges, Scope
from oudersbot.domain.roster_file import is_sheet
from oudersbot.domain.roster_plan import Key, RosterPlan, plan_import
from oudersbot.store.roster import (
    add_child,
    add_classes,
    add_guardian,
    cancel_pending,
    known_people,
    link,
    mark_left,
    record_import,
    unlink,
    update_child,
    update_guardian,
)
from oudersbot.store.schools import UnknownSchoolError, get_or_create_school, get_school

__all__ = [
    "ProblemLine",
    "RosterChangedError",
    "RosterReport",
    "Scope",
    "import_roster",
    "preview_roster",
    "problem_lines",
]


class RosterChangedError(RuntimeError):
    """The school's list changed since the file was checked: it would now change something
    else (`report`), so nothing was imported."""

    def __init__(self, report: RosterReport) -> None:
        super().__init__(report.filename)
        self.report = report


@dataclass(frozen=True)
class RosterReport:
    """What an import did (or would do), or why it does nothing."""

    filename: str
    problems: tuple[RosterProblem, ...] = ()
    changes: RosterChanges | None = None

    @property
    def ok(self) -> bool:
        """True when the file can be (or was) imported."""
        return not self.problems and self.changes is not None


def _plan(
    session: Session, school_id: int | None, data: bytes, filename: str, scope: Scope
) -> tuple[RosterReport, RosterPlan | None]:
    parsed = parse_roster(data, filename)
    if not parsed.ok:
        return RosterReport(filename, problems=parsed.problems), None
    children, guardians = (
        ([], []) if school_id is None else known_people(session, school_id=school_id)
    )
    plan = plan_import(
        parsed.rows, filename=filename, children=children, guardians=guardians, scope=scope
    )
    if plan.problems:
        return RosterReport(filename, problems=plan.problems), None
    return RosterReport(filename, changes=plan.changes), plan


def preview_roster(
    deps: Deps, *, data: bytes, filename: str, school: str, scope: Scope = Scope.PART
) -> RosterReport:
    """What importing the file would change, writing nothing."""
    with deps.db.session() as session:
        try:
            school_id: int | None = get_school(session, slug=school).id
        except UnknownSchoolError:
            school_id = None
        report, _ = _plan(session, school_id, data, filename, scope)
        session.rollback()
    return report


def import_roster(
    deps: Deps,
    *,
    data: bytes,
    filename: str,
    school: str,
    school_name: str | None = None,
    scope: Scope = Scope.PART,
    actor: str = "cli",
    expect: RosterChanges | None = None,
) -> RosterReport:
    """Check the whole file, match it to the school's people, then write it in one transaction.
    With `expect` (the change a check showed), a file that would now change anything else is
    not imported: RosterChangedError carries what it would change now."""
    with deps.db.session() as session:
        school_row = get_or_create_school(session, slug=school, name=school_name)
        report, plan = _plan(session, school_row.id, data, filename, scope)
        if plan is None:
            session.rollback()
            return report
        if expect is not None and plan.changes != expect:
            session.rollback()
            raise RosterChangedError(report)
        _write(session, deps, school_row.id, plan, actor)
    return report


def _write(session: Session, deps: Deps, school_id: int, plan: RosterPlan, actor: str) -> None:
    now = deps.clock.now()
    group_ids = add_classes(session, school_id=school_id, names={c.group for c in plan.children})
    child_ids: dict[Key, int] = {}
    new_children = []
    for child in plan.children:
        if child.existing_id is None:
            new_children.append(
                (
                    child.key,
                    add_child(
                        session,
                        school_id=school_id,
                        group_id=group_ids[child.group],
                        first_name=child.first_name,
                        external_id=child.external_id,
                    ),
                )
            )
        else:
            child_ids[child.key] = child.existing_id
        if child.existing_id is not None and child.write:
            update_child(
                session,
                child_id=child.existing_id,
                group_id=group_ids[child.group],
                first_name=child.first_name,
                external_id=child.external_id,
            )
    guardian_ids: dict[Key, int] = {}
    new_guardians = []
    for guardian in plan.guardians:
        if guardian.existing_id is None:
            new_guardians.append(
                (
                    guardian.key,
                    add_guardian(
                        session,
                        school_id=school_id,
                        name=guardian.name,
                        external_id=guardian.external_id,
                        language=guardian.language,
                        phone=guardian.phone,
                    ),
                )
            )
        else:
            guardian_ids[guardian.key] = guardian.existing_id
        if guardian.existing_id is not None and guardian.write:
            update_guardian(
                session,
                guardian_id=guardian.existing_id,
                name=guardian.name,
                external_id=guardian.external_id,
                language=guardian.language,
                phone=guardian.phone,
            )
    session.flush()
    child_ids.update((key, row.id) for key, row in new_children)
    guardian_ids.update((key, row.id) for key, row in new_guardians)
    unlink(session, pairs=plan.links_removed)
    link(session, pairs={(child_ids[c], guardian_ids[g]) for c, g in plan.links_added})
    mark_left(session, child_ids=plan.children_leaving, guardian_ids=plan.guardians_leaving, at=now)
    cancel_pending(session, guardian_ids=plan.guardians_leaving)
    changes = plan.changes
    if changes.changes:
        record_import(
            session,
            school_id=school_id,
            at=now,
            actor=actor,
            detail=(
                f"scope={changes.scope.value} children: new={len(changes.new_children)}"
                f" changed={len(changes.changed_children)} back={len(changes.returned_children)}"
                f" left={len(changes.left_children)}; guardians: new={len(changes.new_guardians)}"
                f" changed={len(changes.changed_guardians)}"
                f" back={len(changes.returned_guardians)} left={len(changes.left_guardians)}"
            ),
        )


STAFF_LANGUAGE = "nl"


@dataclass(frozen=True)
class ProblemLine:
    """One problem of a file as staff read it: where ("lijst.csv, regel 3") and what."""

    where: str
    problem: str


def problem_lines(deps: Deps, report: RosterReport, data: bytes) -> list[ProblemLine]:
    """Why a file cannot be imported, in Dutch, one line per problem (rows for a sheet)."""
    sheet = is_sheet(data, report.filename)
    lines = []
    for problem in report.problems:
        key = "cli.roster.where_row" if sheet else "cli.roster.where"
        if problem.column:
            key += "_column"
        where = deps.words.text(
            STAFF_LANGUAGE, key, file=problem.filename, line=problem.line, column=problem.column
        )
        detail = deps.words.text(
            STAFF_LANGUAGE, f"roster.problem.{problem.code}", **problem.details
        )
        lines.append(ProblemLine(where, detail))
    return lines
