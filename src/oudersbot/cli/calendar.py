"""`oudersbot calendar`: import the year calendar, see what is planned, cancel or move it."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click
from babel.dates import format_date

from oudersbot.bootstrap import Deps
from oudersbot.calendar_files.rules_file import RulesFileError
from oudersbot.cli.common import fail, parse_local, problem, say, staff_deps
from oudersbot.cli.progress import progress
from oudersbot.domain.calendar import CalendarFileError
from oudersbot.domain.languages import dutch_name
from oudersbot.domain.slips import SlipError
from oudersbot.services import calendar_import, calendar_view
from oudersbot.services.calendar_problems import (
    problem_line,
    problem_text,
    where_text,
)
from oudersbot.services.messages import DraftError
from oudersbot.store.schools import UnknownSchoolError

# A file with more problems than this is shown with the first ones and a count of the rest.
SHOWN_PROBLEMS = 50


@click.group(name="calendar")
def calendar_group() -> None:
    """The school's year calendar and the reminders planned from it."""


@calendar_group.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def calendar_import_command(ctx: click.Context, path: Path) -> None:
    """Read an .ics or .csv calendar; plan its reminders. All of it, or nothing."""
    deps = staff_deps(ctx)
    school = deps.settings.school_slug
    try:
        with progress(deps, "progress.calendar"):
            report = calendar_import.import_calendar(deps, school=school, path=path)
    except CalendarFileError as exc:
        say(deps, "cli.calendar.bad_file", file=exc.source, count=len(exc.problems))
        for item in exc.problems[:SHOWN_PROBLEMS]:
            where = where_text(deps.words, item) or exc.source
            text = problem_text(deps.words, item)
            say(deps, "cli.calendar.problem_line", where=where, problem=text)
        if len(exc.problems) > SHOWN_PROBLEMS:
            say(deps, "cli.calendar.more_problems", count=len(exc.problems) - SHOWN_PROBLEMS)
        raise SystemExit(1) from None
    except RulesFileError as exc:
        _bad_rules(deps, exc)
    except UnknownSchoolError:
        fail(deps, "cli.unknown_school", school=school)
    print_import_report(deps, path.name, report)


def print_import_report(deps: Deps, name: str, report: calendar_import.ImportReport) -> None:
    """What an import changed, in events and in planned reminders."""
    say(
        deps,
        "cli.calendar.imported",
        file=name,
        added=report.added,
        changed=report.changed,
        unchanged=report.unchanged,
        removed=report.removed,
    )
    for event in report.in_holidays:
        say(deps, "cli.calendar.in_holiday", event=event)
    if report.plan is not None:
        _say_plan(deps, report.plan)


def _bad_rules(deps: Deps, exc: RulesFileError) -> NoReturn:
    lines = "\n".join(problem_line(deps.words, item) for item in exc.problems)
    fail(deps, "cli.calendar.bad_rules", problems=lines, file=str(exc.path))


def _say_plan(deps: Deps, plan: calendar_import.PlanReport) -> None:
    say(
        deps,
        "cli.calendar.planned",
        added=plan.added,
        moved=plan.moved,
        cancelled=plan.cancelled,
        kept=plan.kept,
    )


@calendar_group.command(name="plan")
@click.pass_context
def calendar_plan(ctx: click.Context) -> None:
    """Plan again after a roster change or new rules (a new guardian gets the reminders too)."""
    deps = staff_deps(ctx)
    try:
        with progress(deps, "progress.planning"):
            plan = calendar_import.replan(deps, school=deps.settings.school_slug)
    except RulesFileError as exc:
        _bad_rules(deps, exc)
    _say_plan(deps, plan)


@calendar_group.command(name="upcoming")
@click.option("--days", "--dagen", "days", type=click.IntRange(1, 400), default=14)
@click.pass_context
def calendar_upcoming(ctx: click.Context, days: int) -> None:
    """What goes out in the next days: per day, audience and languages."""
    deps = staff_deps(ctx)
    items = calendar_view.upcoming(deps, school=deps.settings.school_slug, days=days)
    if not items:
        say(deps, "cli.calendar.nothing", days=days)
        return
    print_upcoming(deps, items)


def print_upcoming(deps: Deps, items: list[calendar_view.Upcoming]) -> None:
    """Planned sends per day: time, what, for whom, in which languages, and the key to act on."""
    zone = deps.settings.timezone
    day = None
    for item in items:
        local = item.due.astimezone(zone)
        if local.date() != day:
            day = local.date()
            click.echo(format_date(day, "EEEE d MMMM y", locale="nl_BE"))
        languages = ", ".join(f"{dutch_name(tag)} {n}" for tag, n in sorted(item.languages.items()))
        say(
            deps,
            "cli.calendar.line",
            time=local.strftime("%H:%M"),
            title=item.title,
            rule=item.rule,
            groups=" ".join(item.groups) or "-",
            guardians=item.guardians,
            joined=item.joined,
            languages=languages,
            key=item.key,
        )
        if item.changed_by:
            say(deps, "cli.calendar.changed_by", who=item.changed_by)


@calendar_group.command(name="cancel")
@click.argument("key")
@click.pass_context
def calendar_cancel(ctx: click.Context, key: str) -> None:
    """Cancel one planned reminder (its key from `calendar upcoming`) for everyone."""
    deps = staff_deps(ctx)
    try:
        count = calendar_view.cancel_planned(
            deps, school=deps.settings.school_slug, key=key, by="cli"
        )
    except DraftError as exc:
        fail(deps, "cli.draft_error", error=problem(deps, exc))
    say(deps, "cli.calendar.cancelled", key=key, count=count)


@calendar_group.command(name="move")
@click.argument("key")
@click.option("--to", "--naar", "to", required=True, help="2026-12-02T17:00")
@click.pass_context
def calendar_move(ctx: click.Context, key: str, to: str) -> None:
    """Move one planned reminder to another moment, before its event."""
    deps = staff_deps(ctx)
    try:
        moment = parse_local(to, deps.settings.timezone)
        count = calendar_view.move_planned(
            deps, school=deps.settings.school_slug, key=key, to=moment, by="cli"
        )
    except (DraftError, SlipError) as exc:
        fail(deps, "cli.draft_error", error=problem(deps, exc))
    say(
        deps,
        "cli.calendar.moved",
        key=key,
        count=count,
        when=moment.strftime("%Y-%m-%d %H:%M"),
    )
