"""`oudersbot roster`: the class lists, from a CSV or an Excel file of the school."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, fail, say, shell_actor, staff_deps
from oudersbot.cli.output import print_roster_report
from oudersbot.services import roster
from oudersbot.services.roster import RosterReport, Scope


@click.group(name="roster")
def roster_group() -> None:
    """The class lists."""


@roster_group.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--school-name", default=None, help="The school's name as parents know it.")
@click.option(
    "--volledig",
    "--complete",
    "complete",
    is_flag=True,
    help="The file is the complete list of the whole school: who is not on it has left.",
)
@click.option(
    "--klassen-in-bestand",
    "--classes-in-file",
    "classes_only",
    is_flag=True,
    help="With --volledig: the complete list of only the classes in the file.",
)
@click.option("--yes", is_flag=True, help="Do not ask before marking leavers.")
@click.pass_context
def roster_import(
    ctx: click.Context,
    path: Path,
    school_name: str | None,
    complete: bool,
    classes_only: bool,
    yes: bool,
) -> None:
    """Import a roster (CSV or .xlsx): class, child, guardian, language; optionally phone and
    the school's pupil and parent ids. With --volledig, who is not on the list has left."""
    deps = staff_deps(ctx)
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(deps, "cli.file_unreadable", file=path, error=exc.strerror)
    school = deps.settings.school_slug
    if classes_only and not complete:
        fail(deps, "cli.roster.classes_need_complete")
    scope = Scope.PART
    if complete:
        scope = Scope.CLASSES if classes_only else Scope.SCHOOL
        preview = roster.preview_roster(
            deps, data=data, filename=str(path), school=school, scope=scope
        )
        _stop_on_problems(deps, preview, path, data)
        assert preview.changes is not None
        if scope is Scope.SCHOOL:
            say(deps, "cli.roster.scope.school", file=path.name)
        else:
            say(
                deps,
                "cli.roster.scope.classes",
                file=path.name,
                groups=", ".join(preview.changes.groups),
            )
        print_roster_report(deps, preview, path.name)
        if not preview.changes.changes:
            say(deps, "cli.roster.nothing")
            return
        if not yes:
            if not sys.stdin.isatty():
                fail(deps, "cli.roster.needs_yes")
            if not click.confirm(deps.words.text(STAFF, "cli.roster.confirm")):
                say(deps, "cli.roster.cancelled")
                return
    report = roster.import_roster(
        deps,
        data=data,
        filename=str(path),
        school=school,
        school_name=school_name,
        scope=scope,
        actor=shell_actor(),
    )
    _stop_on_problems(deps, report, path, data)
    if not complete:
        print_roster_report(deps, report, path.name)
    say(deps, "cli.roster.done", file=path.name)


def _stop_on_problems(deps: Deps, report: RosterReport, path: Path, data: bytes) -> None:
    if report.ok:
        return
    say(deps, "cli.roster.failed", file=path)
    for line in roster.problem_lines(deps, report, data):
        click.echo(f"  {line.where}: {line.problem}")
    sys.exit(1)
