"""The desk's "Kalender", for the school's administrator: a calendar file checked before it
changes anything (services/calendar_import.py, as `oudersbot calendar import`), the planned
sends to come, and moving or cancelling one (services/calendar_view.py, as `oudersbot calendar
move / cancel`: the planned rows change, and the scheduler still hands them to the one door
into the outbox). Everything is scoped to the administrator's own school."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.calendar_files.rules_file import RulesFileError
from oudersbot.domain.calendar import CalendarFileError
from oudersbot.domain.slips import SlipError, parse_moment
from oudersbot.services import calendar_import, calendar_view
from oudersbot.services.calendar_import import CalendarChangedError, ImportReport
from oudersbot.services.calendar_problems import problem_text, where_text
from oudersbot.services.calendar_view import PlanChangeError, Upcoming
from oudersbot.services.messages import DraftError
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.models import Role
from oudersbot.store.schools import school_by_id

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

STAFF_LANGUAGE = "nl"
UPCOMING_DAYS = 60

__all__ = [
    "UPCOMING_DAYS",
    "CalendarChangedError",
    "CalendarCheck",
    "ImportReport",
    "NotPlannedError",
    "PlanChangeError",
    "Upcoming",
    "apply_calendar",
    "cancel_send",
    "check_calendar",
    "move_send",
    "upcoming_sends",
]


class NotPlannedError(LookupError):
    """No planned send of this school under that key (another school's, or a made-up one)."""


@dataclass(frozen=True)
class CalendarProblemLine:
    """One problem of a calendar (or rules) file: where ("regel 7"; "" for the whole file)
    and what, in Dutch."""

    where: str
    problem: str


@dataclass(frozen=True)
class CalendarCheck:
    """What a calendar file would change (or did), or why it changes nothing."""

    filename: str
    report: ImportReport | None
    problems: tuple[CalendarProblemLine, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file can be (or was) imported."""
        return self.report is not None and not self.problems

    @property
    def changes(self) -> int:
        """Events and planned sends it changes (0: nothing to apply)."""
        report = self.report
        if report is None:
            return 0
        plan = report.plan
        planned = (plan.added + plan.moved + plan.cancelled) if plan is not None else 0
        return report.added + report.changed + report.removed + planned


def _school_slug(deps: Deps, viewer: Viewer) -> str:
    """The administrator's school; anyone else may not."""
    if viewer.role != Role.ADMIN.value:
        raise NotAllowedError(viewer.role)
    with deps.db.session() as session:
        return school_by_id(session, school_id=viewer.school_id).slug


def _import(
    deps: Deps,
    viewer: Viewer,
    data: bytes,
    filename: str,
    dry_run: bool,
    expect: ImportReport | None = None,
) -> CalendarCheck:
    slug = _school_slug(deps, viewer)
    words = deps.words
    try:
        report = calendar_import.import_calendar_data(
            deps, school=slug, data=data, name=filename, dry_run=dry_run, expect=expect
        )
    except CalendarFileError as exc:
        lines = tuple(
            CalendarProblemLine(where_text(words, p) or exc.source, problem_text(words, p))
            for p in exc.problems
        )
        return CalendarCheck(filename, None, lines)
    except RulesFileError as exc:
        lines = tuple(
            CalendarProblemLine(where_text(words, p) or exc.path.name, problem_text(words, p))
            for p in exc.problems
        )
        return CalendarCheck(filename, None, lines)
    return CalendarCheck(filename, report)


def check_calendar(deps: Deps, viewer: Viewer, *, data: bytes, filename: str) -> CalendarCheck:
    """What importing the file would change, or its problems; writes nothing."""
    return _import(deps, viewer, data, filename, dry_run=True)


def apply_calendar(
    deps: Deps, viewer: Viewer, *, data: bytes, filename: str, expect: ImportReport | None
) -> CalendarCheck:
    """Import the file: its events and their planned reminders (all of it, or nothing); only
    if it still changes what the check showed (`expect`), else CalendarChangedError."""
    return _import(deps, viewer, data, filename, dry_run=False, expect=expect)


def upcoming_sends(deps: Deps, viewer: Viewer, *, days: int = UPCOMING_DAYS) -> list[Upcoming]:
    """The school's planned sends due in the next `days` days, soonest first."""
    slug = _school_slug(deps, viewer)
    return calendar_view.upcoming(deps, school=slug, days=days)


def _by(viewer: Viewer) -> str:
    return f"desk:{viewer.name}"


def cancel_send(deps: Deps, viewer: Viewer, *, key: str) -> int:
    """Cancel a planned send of the school for everyone it would reach (how many); another
    school's key or an unknown one raises NotPlannedError."""
    slug = _school_slug(deps, viewer)
    try:
        return calendar_view.cancel_planned(deps, school=slug, key=key, by=_by(viewer))
    except PlanChangeError as exc:
        if exc.code == "not_planned":
            raise NotPlannedError(key) from None
        raise


def move_send(deps: Deps, viewer: Viewer, *, key: str, to: str) -> int:
    """Move a planned send of the school to `to` as staff type it (2026-12-02T17:00, in the
    school's zone): not in the past, not in quiet hours, before its event; a DraftError or a
    SlipError says why not. Another school's key raises NotPlannedError."""
    slug = _school_slug(deps, viewer)
    # Another school's key (or one no longer planned) is not found, whatever the moment.
    if not calendar_view.has_planned(deps, school=slug, key=key):
        raise NotPlannedError(key)
    moment = parse_moment(to, deps.settings.timezone)
    try:
        return calendar_view.move_planned(deps, school=slug, key=key, to=moment, by=_by(viewer))
    except PlanChangeError as exc:
        if exc.code == "not_planned":
            raise NotPlannedError(key) from None
        raise


def problem_of(deps: Deps, exc: DraftError | SlipError) -> str:
    """Why a move cannot be done, in Dutch (the words of `oudersbot calendar move`)."""
    if isinstance(exc, DraftError):
        return deps.words.text(STAFF_LANGUAGE, f"draft.{exc.code}", **exc.params)
    return deps.words.text(STAFF_LANGUAGE, "web.calendar.bad_moment")
