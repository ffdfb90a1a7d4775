"""`oudersbot prikkel`: the library, queueing one for a class, the queue and the class view."""

from __future__ import annotations

import click

from oudersbot import reports
from oudersbot.cli.common import (
    STAFF,
    fail,
    parse_local,
    plain,
    problem,
    say,
    school_id,
    staff_deps,
)
from oudersbot.cli.reviews import say_progress
from oudersbot.domain.languages import dutch_name
from oudersbot.domain.slips import SlipError
from oudersbot.services.language_overview import language_lines
from oudersbot.services.messages import DraftError
from oudersbot.services.prikkel_draft import prepare_prikkel
from oudersbot.services.prikkel_queue import cancel as cancel_prikkel
from oudersbot.services.prikkel_queue import queue_prikkel, queued
from oudersbot.services.prikkel_stats import class_view
from oudersbot.store.schools import UnknownGroupError, UnknownSchoolError


@click.group(name="prikkel")
def prikkel_group() -> None:
    """Ouderprikkels: ideas for a conversation at home, never homework."""


@prikkel_group.command(name="library")
@click.option("--thema", "--theme", "theme", default=None)
@click.option("--leeftijd", "--age", "age", type=click.Choice(["kleuter", "lager", "secundair"]))
@click.pass_context
def prikkel_library(ctx: click.Context, theme: str | None, age: str | None) -> None:
    """The prikkels in messages/prikkels/, by theme and age."""
    deps = staff_deps(ctx)
    library = deps.phrasebook.prikkels
    for prikkel in library.choose(theme=theme, age=age):
        dutch = prikkel.wordings["nl"]
        symbol = deps.phrasebook.pictograms.by_key[prikkel.pictogram].symbol
        say(
            deps,
            "cli.prikkel.library_line",
            id=prikkel.id,
            symbol=symbol,
            age=prikkel.age,
            question=dutch.question,
        )
    say(deps, "cli.prikkel.themes", themes=", ".join(library.themes()))
    say_progress(deps)


@prikkel_group.command(name="queue")
@click.option("--class", "group", required=True)
@click.option("--prikkel", "prikkel_id", default=None, help="A library id.")
@click.option("--text", default=None, help="Your own words, instead of the library.")
@click.option("--when", "--wanneer", "when", default=None, help="2026-11-24T15:45")
@click.option(
    "--foto",
    "--photo",
    "photo",
    default=None,
    help="The Telegram file_id of a photo the bot has already sent or received.",
)
@click.option("--yes", is_flag=True, help="Queue without asking after the preview.")
@click.pass_context
def prikkel_queue(
    ctx: click.Context,
    group: str,
    prikkel_id: str | None,
    text: str | None,
    when: str | None,
    photo: str | None,
    yes: bool,
) -> None:
    """Preview a prikkel in every language of the class, then queue it for a good hour."""
    from oudersbot.cli.words import print_findings

    deps = staff_deps(ctx)
    try:
        due = parse_local(when, deps.settings.timezone) if when else None
        draft = prepare_prikkel(
            deps,
            school=deps.settings.school_slug,
            groups=[group],
            prikkel_id=prikkel_id,
            text=text,
            due=due,
            photo=photo,
        )
    except UnknownSchoolError:
        fail(deps, "cli.unknown_school", school=deps.settings.school_slug)
    except UnknownGroupError as exc:
        fail(deps, "cli.unknown_group", group=exc.args[0], groups="")
    except (DraftError, SlipError) as exc:
        fail(deps, "cli.draft_error", error=problem(deps, exc))
    print_findings(deps, draft.text_nl, draft.findings)
    counts: dict[str, int] = {}
    for recipient in draft.recipients:
        counts[recipient.language] = counts.get(recipient.language, 0) + 1
    for language, version in draft.versions.items():
        click.echo()
        say(
            deps,
            "cli.prikkel.preview_header",
            language=dutch_name(language),
            count=counts.get(language, 0),
        )
        for part in version.parts:
            click.echo(plain(part))
    click.echo()
    for line in language_lines(deps.words, draft.versions):
        click.echo(line)
    zone = deps.settings.timezone
    say(
        deps,
        "cli.prikkel.plan",
        when=draft.due.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        count=draft.reaching,
        delayed=draft.delayed,
        paused=draft.paused,
    )
    if draft.photo:
        say(deps, "cli.prikkel.with_photo")
    if not yes and not click.confirm(deps.words.text(STAFF, "cli.prikkel.confirm")):
        say(deps, "cli.send.cancelled")
        return
    message_id = queue_prikkel(deps, draft, created_by="cli")
    say(deps, "cli.prikkel.queued", id=message_id)


@prikkel_group.command(name="list")
@click.option("--class", "group", required=True)
@click.pass_context
def prikkel_list(ctx: click.Context, group: str) -> None:
    """What is queued for the class, soonest first."""
    deps = staff_deps(ctx)
    waiting = queued(deps, school_id=school_id(deps), group=group)
    for line in reports.prikkel_queue_lines(deps.words, STAFF, waiting, deps.settings.timezone):
        click.echo(line)


@prikkel_group.command(name="cancel")
@click.argument("message_id", type=int)
@click.pass_context
def prikkel_cancel(ctx: click.Context, message_id: int) -> None:
    """Cancel a queued prikkel (what was already sent stays sent)."""
    deps = staff_deps(ctx)
    count = cancel_prikkel(deps, school_id=school_id(deps), message_id=message_id)
    say(deps, "cli.prikkel.cancelled", id=message_id, count=count)


@prikkel_group.command(name="stats")
@click.option("--class", "group", required=True)
@click.pass_context
def prikkel_stats(ctx: click.Context, group: str) -> None:
    """Per week, in aggregate only: prikkels sent, families reached, 'we talked about it'."""
    deps = staff_deps(ctx)
    weeks = class_view(deps, school_id=school_id(deps), group=group)
    for line in reports.prikkel_week_lines(deps.words, STAFF, weeks):
        click.echo(line)
