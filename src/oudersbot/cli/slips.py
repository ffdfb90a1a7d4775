"""`oudersbot slips status` and `oudersbot followup`: who answered, and the liaison's list."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, fail, say, staff_deps
from oudersbot.domain.languages import dutch_name
from oudersbot.services import slips
from oudersbot.services.slips import (
    FOLLOW_UP_ACTIONS,
    FOLLOW_UP_OUTCOMES,
    FollowUpError,
    FollowUpItem,
    Viewer,
)
from oudersbot.store.schools import UnknownSchoolError, get_school


def _viewer(deps: Deps) -> Viewer:
    school = deps.settings.school_slug
    try:
        with deps.db.session() as session:
            school_id = get_school(session, slug=school).id
    except UnknownSchoolError:
        fail(deps, "cli.unknown_school", school=school)
    return slips.admin_viewer(deps, school_id)


def _when(deps: Deps, item_deadline: object) -> str:
    from datetime import datetime

    if not isinstance(item_deadline, datetime):
        return "-"
    return item_deadline.astimezone(deps.settings.timezone).strftime("%Y-%m-%d %H:%M")


def _answer(deps: Deps, option: str | None) -> str:
    return deps.words.text(STAFF, f"answer.{option}") if option else "-"


@click.group(name="slips")
def slips_group() -> None:
    """Slips (strookjes): who answered what."""


@slips_group.command(name="status")
@click.option("--slip", "--strookje", "slip_id", type=int, default=None, help="Only this slip.")
@click.pass_context
def slips_status(ctx: click.Context, slip_id: int | None) -> None:
    """Per slip and class: answered, not answered, questions, unreachable; then each child."""
    deps = staff_deps(ctx)
    tallies = slips.slip_status(deps, _viewer(deps), slip_id=slip_id)
    if not tallies:
        say(deps, "cli.slips.none")
        return
    for tally in tallies:
        say(
            deps,
            "cli.slips.tally",
            id=tally.message_id,
            title=tally.title,
            group=tally.group,
            deadline=_when(deps, tally.deadline),
            answered=tally.answered,
            not_answered=tally.not_answered,
            questions=tally.questions,
            unreachable=tally.unreachable,
        )
        for option, count in sorted(tally.by_answer.items()):
            say(deps, "cli.slips.by_answer", answer=_answer(deps, option), count=count)
        for child in tally.children:
            say(deps, "cli.slips.child", child=child.child, answer=_answer(deps, child.answer))


def _rows(deps: Deps, items: list[FollowUpItem]) -> list[list[str]]:
    rows = []
    for item in items:
        for guardian in item.state.guardians:
            done = "; ".join(
                f"{deps.words.text(STAFF, f'cli.action.{action}')}: "
                f"{deps.words.text(STAFF, f'cli.outcome.{outcome}')}"
                for action, outcome in guardian.followups
            )
            rows.append(
                [
                    str(item.message_id),
                    item.state.group,
                    item.state.child,
                    guardian.name,
                    dutch_name(guardian.language),
                    guardian.phone or "",
                    deps.words.text(STAFF, f"cli.reach.{guardian.reach}"),
                    " | ".join(item.state.questions),
                    done,
                    str(guardian.guardian_id),
                ]
            )
    return rows


@click.group(name="followup")
def followup_group() -> None:
    """The liaison's follow-up list: children without an answer, with their guardians."""


@followup_group.command(name="list")
@click.option("--slip", "--strookje", "slip_id", type=int, default=None, help="Only this slip.")
@click.option("--export", type=click.Choice(["csv"]), default=None, help="As a CSV file.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--alles", "--all", "show_all", is_flag=True, help="Also what was followed up.")
@click.pass_context
def followup_list(
    ctx: click.Context, slip_id: int | None, export: str | None, out: Path | None, show_all: bool
) -> None:
    """Who to follow up, with language, phone and reachability; open items first."""
    deps = staff_deps(ctx)
    items = slips.followup_list(deps, _viewer(deps), slip_id=slip_id)
    if not show_all:
        items = [item for item in items if item.open]
    rows = _rows(deps, items)
    if export == "csv":
        header = deps.words.text(STAFF, "cli.followup.csv_header").split(";")
        handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        if out:
            handle.close()
            say(deps, "cli.followup.written", path=out, count=len(rows))
        return
    if not items:
        say(deps, "cli.followup.none")
        return
    current = None
    for item, row in zip([i for i in items for _ in i.state.guardians], rows, strict=True):
        if item.message_id != current:
            current = item.message_id
            say(
                deps,
                "cli.followup.slip",
                id=item.message_id,
                title=item.title,
                deadline=_when(deps, item.deadline),
            )
        say(
            deps,
            "cli.followup.line",
            group=row[1],
            child=row[2],
            guardian=row[3],
            language=row[4],
            phone=row[5] or "-",
            reach=row[6],
            id=row[9],
        )
        if row[7]:
            say(deps, "cli.followup.question", question=row[7])
        if row[8]:
            say(deps, "cli.followup.done", done=row[8])


@followup_group.command(name="record")
@click.option("--slip", "--strookje", "slip_id", type=int, required=True)
@click.option("--guardian", "--ouder", "guardian", required=True, help="Name or number.")
@click.option("--action", "--actie", "action", type=click.Choice(FOLLOW_UP_ACTIONS), required=True)
@click.option(
    "--outcome", "--uitkomst", "outcome", type=click.Choice(FOLLOW_UP_OUTCOMES), required=True
)
@click.option("--answer", "--antwoord", "answer", default=None, help="The parent's answer.")
@click.option("--note", "--notitie", "note", default=None)
@click.pass_context
def followup_record(
    ctx: click.Context,
    slip_id: int,
    guardian: str,
    action: str,
    outcome: str,
    answer: str | None,
    note: str | None,
) -> None:
    """What the liaison did for one guardian, and how it went."""
    deps = staff_deps(ctx)
    viewer = _viewer(deps)
    guardian_id = (
        int(guardian)
        if guardian.isdigit()
        else slips.find_guardian(deps, viewer.school_id, guardian)
    )
    if guardian_id is None:
        fail(deps, "cli.followup.unknown_guardian", guardian=guardian)
    try:
        slips.record_followup(
            deps,
            viewer,
            slip_id=slip_id,
            guardian_id=guardian_id,
            action=action,
            outcome=outcome,
            answer=answer,
            note=note,
        )
    except FollowUpError as exc:
        fail(deps, "cli.followup.error", error=exc)
    say(deps, "cli.followup.recorded", slip=slip_id, guardian=guardian)
