"""`oudersbot slips status` and `oudersbot followup`: who answered, and the liaison's list."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from oudersbot import exports, reports
from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, fail, problem, say, school_id, shell_actor, staff_deps
from oudersbot.cli.conversations import unanswered_lines
from oudersbot.cli.output import echo_lines
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import followup, slip_status, understanding
from oudersbot.services.followup import FOLLOW_UP_ACTIONS, FOLLOW_UP_OUTCOMES, FollowUpError
from oudersbot.services.resend import resend_unconfirmed
from oudersbot.services.viewers import Viewer, admin_viewer


def _viewer(deps: Deps) -> Viewer:
    return admin_viewer(school_id(deps))


@click.group(name="slips")
def slips_group() -> None:
    """Slips (strookjes): who answered what."""


@slips_group.command(name="status")
@click.option("--slip", "--strookje", "slip_id", type=int, default=None, help="Only this slip.")
@click.pass_context
def slips_status(ctx: click.Context, slip_id: int | None) -> None:
    """Per slip and class: answered, not answered, questions, unreachable; then each child."""
    deps = staff_deps(ctx)
    tallies = slip_status.slip_status(deps, _viewer(deps), slip_id=slip_id)
    echo_lines(reports.tally_lines(deps.words, STAFF, tallies, deps.settings.timezone))
    counts = understanding.understanding_counts(deps, _viewer(deps), message_id=slip_id)
    echo_lines(reports.understanding_lines(deps.words, STAFF, counts))


@click.group(name="followup")
def followup_group() -> None:
    """The liaison's follow-up list: children without an answer, with their guardians."""


@followup_group.command(name="list")
@click.option("--slip", "--strookje", "slip_id", type=int, default=None, help="Only this slip.")
@click.option(
    "--export", type=click.Choice(["csv", "xlsx"]), default=None, help="As a CSV or XLSX file."
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--alles", "--all", "show_all", is_flag=True, help="Also what was resolved.")
@click.pass_context
def followup_list(
    ctx: click.Context, slip_id: int | None, export: str | None, out: Path | None, show_all: bool
) -> None:
    """Who to follow up, with language, phone, reachability and attempts; then every message
    that may not have arrived, with its delivery number."""
    deps = staff_deps(ctx)
    overview = followup.followup_overview(deps, _viewer(deps), slip_id=slip_id)
    items = overview.items if show_all else [item for item in overview.items if item.open]
    if export is not None:
        rows = reports.followup_rows(deps.words, STAFF, items, overview.silent_after)
        _export(deps, export, out, rows)
        return
    zone = deps.settings.timezone
    unsure = reports.unconfirmed_lines(deps.words, STAFF, overview.unconfirmed, zone, with_ids=True)
    if items or not (unsure or overview.explain):
        echo_lines(reports.followup_lines(deps.words, STAFF, items, zone, overview.silent_after))
    echo_lines(unsure)
    # The questions nobody answered within the school's answer time (cli/conversations.py).
    echo_lines(unanswered_lines(deps, _viewer(deps)))
    echo_lines(reports.explain_lines(deps.words, STAFF, overview.explain, zone, with_ids=True))


def _export(deps: Deps, kind: str, out: Path | None, rows: list[list[str]]) -> None:
    """The list as a CSV file (to --out, or to the standard output) or an XLSX file."""
    header = deps.words.text(STAFF, "cli.followup.export_header").split(";")
    followup.note_export(deps, _viewer(deps), actor=shell_actor(), kind=kind, rows=len(rows))
    if kind == "xlsx":
        if out is None:
            fail(deps, "cli.followup.xlsx_needs_out")
        title = deps.words.text(STAFF, "cli.followup.sheet_title")
        exports.write_xlsx(out, title, header, rows)
    elif out is None:
        click.echo(exports.csv_bytes(header, rows), nl=False)
        return
    else:
        out.write_bytes(exports.csv_bytes(header, rows))
    say(deps, "cli.followup.written", path=out, count=len(rows))


@followup_group.command(name="record")
@click.option("--slip", "--strookje", "slip_id", type=int, required=True)
@click.option("--guardian", "--ouder", "guardian", required=True, help="Name or number.")
@click.option("--child", "--kind", "child", default=None, help="First name or number.")
@click.option("--action", "--actie", "action", type=click.Choice(FOLLOW_UP_ACTIONS), required=True)
@click.option(
    "--outcome", "--uitkomst", "outcome", type=click.Choice(FOLLOW_UP_OUTCOMES), required=True
)
@click.option(
    "--answer", "--antwoord", "answer", default=None, help="The parent's answer, e.g. 'komt'."
)
@click.option("--note", "--notitie", "note", default=None)
@click.pass_context
def followup_record(
    ctx: click.Context,
    slip_id: int,
    guardian: str,
    child: str | None,
    action: str,
    outcome: str,
    answer: str | None,
    note: str | None,
) -> None:
    """What the liaison did for one guardian about one child, and how it went."""
    deps = staff_deps(ctx)
    viewer = _viewer(deps)
    guardian_id = _guardian_id(deps, viewer, guardian)
    by_number = child is not None and child.strip().isdecimal()
    try:
        followup.record_followup(
            deps,
            viewer,
            slip_id=slip_id,
            guardian_id=guardian_id,
            child_id=int(child) if child is not None and by_number else None,
            child=None if by_number else child,
            action=action,
            outcome=outcome,
            answer=answer,
            note=note,
            actor=shell_actor(),
        )
    except FollowUpError as exc:
        fail(deps, "cli.followup.error", error=problem(deps, exc))
    say(deps, "cli.followup.recorded", slip=slip_id, guardian=guardian)


def _guardian_id(deps: Deps, viewer: Viewer, guardian: str) -> int:
    """A guardian by number, or by name when one guardian has it."""
    if guardian.strip().isdecimal():
        return int(guardian)
    found = followup.find_guardians(deps, viewer.school_id, guardian)
    if not found:
        fail(deps, "cli.followup.unknown_guardian", guardian=guardian)
    if len(found) > 1:
        numbers = ", ".join(map(str, found))
        fail(deps, "cli.followup.several_guardians", guardian=guardian, numbers=numbers)
    return found[0]


@followup_group.command(name="instellen")
@click.option(
    "--stil-na",
    "--silent-after",
    "silent_after",
    type=int,
    required=True,
    help="A joined parent who answered none of their last N slips is 'silent' (1 to 20).",
)
@click.pass_context
def followup_settings(ctx: click.Context, silent_after: int) -> None:
    """Set how the follow-up list calls a parent silent."""
    deps = staff_deps(ctx)
    try:
        followup.set_silent_after(deps, _viewer(deps), slips=silent_after)
    except FollowUpError as exc:
        fail(deps, "cli.followup.error", error=problem(deps, exc))
    say(deps, "cli.followup.silent_after_set", count=silent_after)


@followup_group.command(name="resend")
@click.option("--levering", "--delivery", "delivery_id", type=int, required=True)
@click.option("--nu", "--now", "now", is_flag=True, help="At once, also outside school hours.")
@click.pass_context
def followup_resend(ctx: click.Context, delivery_id: int, now: bool) -> None:
    """Send again a message that may not have arrived (a delivery on the list), once."""
    deps = staff_deps(ctx)
    result = resend_unconfirmed(
        deps, _viewer(deps), delivery_id=delivery_id, urgency=Urgency.NOW if now else Urgency.NORMAL
    )
    click.echo(reports.resend_line(deps.words, STAFF, delivery_id, result))
    if result.problem is not None:
        sys.exit(1)


@followup_group.command(name="explained")
@click.option("--uitleg", "--request", "request_id", type=int, required=True)
@click.pass_context
def followup_explained(ctx: click.Context, request_id: int) -> None:
    """The school explained a message to a family that asked for it ('vroeg om uitleg'): the
    family leaves the open list."""
    deps = staff_deps(ctx)
    done = understanding.record_explained(
        deps, _viewer(deps), request_id=request_id, actor=shell_actor()
    )
    if not done:
        fail(deps, "understanding.explained_unknown", request=request_id)
    say(deps, "understanding.explained_done", request=request_id)
