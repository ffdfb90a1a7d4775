"""`oudersbot gesprekken`: the open conversations with parents, longest waiting first, and
the school's answer time (after it, a question is on the brugfiguur's list)."""

from __future__ import annotations

import click

from oudersbot import conversation_reports
from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, fail, say, staff_deps
from oudersbot.cli.output import echo_lines
from oudersbot.services import conversation_list
from oudersbot.services.viewers import Viewer, admin_viewer
from oudersbot.store.schools import UnknownSchoolError, get_school


def _viewer(deps: Deps, school: str | None) -> Viewer:
    slug = school or deps.settings.school_slug
    try:
        with deps.db.session() as session:
            return admin_viewer(get_school(session, slug=slug).id)
    except UnknownSchoolError:
        fail(deps, "cli.unknown_school", school=slug)


def unanswered_lines(deps: Deps, viewer: Viewer) -> list[str]:
    """The follow-up list's section of questions without an answer in time."""
    found = conversation_list.unanswered(deps, viewer)
    return conversation_reports.unanswered_lines(deps.words, STAFF, found, deps.settings.timezone)


@click.group(name="gesprekken", invoke_without_command=True)
@click.option("--school", default=None, help="The school's short name (else OUDERSBOT_SCHOOL).")
@click.pass_context
def conversations_group(ctx: click.Context, school: str | None) -> None:
    """Open conversations with parents, longest waiting first: who, class, waiting since (in
    school hours), the first words in Dutch."""
    ctx.ensure_object(dict)["school"] = school
    if ctx.invoked_subcommand is not None:
        return
    deps = staff_deps(ctx)
    found = conversation_list.waiting_list(deps, _viewer(deps, school))
    echo_lines(conversation_reports.waiting_lines(deps.words, STAFF, found, deps.settings.timezone))


@conversations_group.command(name="antwoordtijd")
@click.argument("hours", type=int, required=False)
@click.pass_context
def answer_time(ctx: click.Context, hours: int | None) -> None:
    """The school's answer time in school hours; with HOURS, set it (1 to 200). A question
    without an answer after it is on the brugfiguur's list."""
    deps = staff_deps(ctx)
    viewer = _viewer(deps, ctx.obj.get("school"))
    if hours is None:
        found = conversation_list.waiting_list(deps, viewer)
        say(deps, "cli.conversations.answer_time_is", hours=found.answer_within)
        return
    try:
        conversation_list.set_answer_time(deps, viewer, hours=hours)
    except conversation_list.AnswerTimeError:
        fail(
            deps,
            "cli.conversations.answer_time_bad",
            low=conversation_list.MIN_HOURS,
            high=conversation_list.MAX_HOURS,
        )
    say(deps, "cli.conversations.answer_time_set", hours=hours)


@conversations_group.command(name="toon")
@click.argument("number", type=int)
@click.pass_context
def show(ctx: click.Context, number: int) -> None:
    """One conversation, both sides with their times (NUMBER: 'nr.' in the list)."""
    deps = staff_deps(ctx)
    found = conversation_list.thread(
        deps, _viewer(deps, ctx.obj.get("school")), conversation_id=number
    )
    if found is None:
        fail(deps, "cli.conversations.unknown", number=number)
    echo_lines(conversation_reports.thread_lines(deps.words, STAFF, found, deps.settings.timezone))
