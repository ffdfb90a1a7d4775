"""The `oudersbot` command: import, invite, send, run. Staff words come from the nl catalog."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import click
from babel.dates import format_date

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, parse_local, problem
from oudersbot.cli.common import fail as _fail
from oudersbot.cli.common import say as _say
from oudersbot.cli.common import staff_deps as _deps
from oudersbot.cli.output import (
    guardian_line,
    print_preview,
    print_recipients,
    write_sheet,
)
from oudersbot.cli.progress import progress
from oudersbot.cli.sending import say_who_sends, staff_moment
from oudersbot.domain.slips import SlipError, parse_answers
from oudersbot.domain.slots import SlotError
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import invites, messages, translation_review
from oudersbot.services.messages import DraftError
from oudersbot.settings import SettingsError
from oudersbot.store.models import Role
from oudersbot.store.schools import UnknownGroupError, UnknownSchoolError


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """oudersbot: school messages every parent understands, on Telegram."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the token
    ctx.ensure_object(dict)


@main.group(name="invites")
def invites_group() -> None:
    """Invites for parents and staff."""


@invites_group.command(name="print")
@click.option("--class", "group", required=True, help="The class, e.g. 3A.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--guardian",
    default=None,
    help="Only this guardian (name, the school's parent id, or #number): a lost letter.",
)
@click.option("--opnieuw", "--reissue", "reissue", is_flag=True, help="New codes, old ones stop.")
@click.option("--iedereen", "--all", "everyone", is_flag=True, help="Also guardians who joined.")
@click.pass_context
def invites_print(
    ctx: click.Context,
    group: str,
    out_dir: Path | None,
    guardian: str | None,
    reissue: bool,
    everyone: bool,
) -> None:
    """Write a printable sheet (HTML and PDF) of new invite codes for a class; one card per
    guardian, naming all their children. An earlier sheet is never overwritten."""
    deps = _deps(ctx)
    school = deps.settings.school_slug
    try:
        batch = invites.issue_guardian_invites(
            deps,
            school=school,
            group=group,
            guardian=guardian,
            include_joined=everyone,
            reissue=reissue,
        )
    except UnknownSchoolError:
        _fail(deps, "cli.unknown_school", school=school)
    except SettingsError as exc:
        _fail(deps, "cli.bot.no_username", bot=exc.value)
    except UnknownGroupError:
        known = ", ".join(invites.group_names(deps, school=school))
        _fail(deps, "cli.unknown_group", group=group, groups=known)
    except invites.UnknownGuardianError:
        _fail(deps, "cli.invites.unknown_guardian", guardian=guardian, group=group)
    except invites.AmbiguousGuardianError as exc:
        lines = [guardian_line(deps, note, with_ref=True) for note in exc.candidates]
        _fail(
            deps,
            "cli.invites.ambiguous_guardian",
            guardian=guardian,
            group=group,
            candidates="; ".join(lines),
        )
    if batch.still_invited:
        names = "; ".join(guardian_line(deps, note) for note in batch.still_invited)
        _say(deps, "cli.invites.still_invited", names=names)
    if batch.stopped:
        names = "; ".join(guardian_line(deps, note) for note in batch.stopped)
        _say(deps, "cli.invites.stopped", names=names)
    if not batch.issued:
        if not (batch.still_invited or batch.stopped):
            _say(deps, "cli.invites.none", group=group)
        return
    with progress(deps, "progress.invites", total=len(batch.issued)) as report:
        write_sheet(
            deps, batch.issued, group, out_dir or deps.settings.data_dir / "invites", report
        )


@invites_group.command(name="staff")
@click.option("--name", required=True)
@click.option(
    "--role", "--rol", type=click.Choice([*(r.value for r in Role), "vertaler"]), required=True
)
@click.option("--class", "groups", multiple=True, help="A class this teacher teaches.")
@click.option("--taal", "--language", "reads", multiple=True, help="A vertaler reads this.")
@click.pass_context
def invites_staff(
    ctx: click.Context, name: str, role: str, groups: tuple[str, ...], reads: tuple[str, ...]
) -> None:
    """A one-time link for a teacher, liaison or vertaler."""
    deps = _deps(ctx)
    school = deps.settings.school_slug
    role = Role.TRANSLATOR.value if role == "vertaler" else role
    if role == Role.TRANSLATOR.value:
        _check_reads(deps, reads)
    try:
        issued = invites.issue_staff_invite(
            deps, school=school, name=name, role=Role(role), groups=list(groups), reads=list(reads)
        )
    except UnknownSchoolError:
        _fail(deps, "cli.unknown_school", school=school)
    except SettingsError as exc:
        _fail(deps, "cli.bot.no_username", bot=exc.value)
    except UnknownGroupError as exc:
        _fail(
            deps,
            "cli.unknown_group",
            group=exc.args[0],
            groups=", ".join(invites.group_names(deps, school=school)),
        )
    date = format_date(issued.expires_at.astimezone(deps.settings.timezone), "long", locale="nl_BE")
    role_label = deps.words.text(STAFF, f"role.{role}")
    _say(deps, "cli.staff_invite", name=name, role=role_label, link=issued.link, date=date)
    if reads and role == Role.TRANSLATOR.value:
        _say(deps, "cli.review.translator_invite", languages=", ".join(sorted(set(reads))))


def _check_reads(deps: Deps, reads: tuple[str, ...]) -> None:
    known = translation_review.all_languages(deps.phrasebook)
    if not reads:
        _fail(deps, "cli.review.no_language")
    for tag in reads:
        if tag not in known:
            _fail(deps, "cli.review.unknown_language", language=tag, languages=", ".join(known))


@main.command()
@click.option("--class", "groups", multiple=True, required=True)
@click.option("--template", "template_id", default=None)
@click.option("--slot", "slot_pairs", multiple=True, help="name=value, e.g. datum=2026-12-03")
@click.option("--text", default=None, help="Dutch text, instead of a template.")
@click.option(
    "--picto",
    default=None,
    help="A pictogram or category: belangrijk, strookje, info, uitstap, ...",
)
@click.option("--category", type=click.Choice(["important", "slip", "info"]), default=None)
@click.option("--answers", "--antwoorden", "answers", default=None, help='A slip: "ja,nee".')
@click.option(
    "--deadline", "--tegen", "deadline", default=None, help="A slip's deadline: 2026-12-01T18:00."
)
@click.option("--yes", is_flag=True, help="Send without asking after the preview.")
@click.option("--preview", "preview_only", is_flag=True, help="Only show the preview.")
@click.option(
    "--nu",
    "--now",
    "now",
    is_flag=True,
    help="Urgent: send at once, also in quiet hours, at weekends and in holidays.",
)
@click.option(
    "--opnieuw", "--again", "again", is_flag=True, help="Send again what was already sent today."
)
@click.pass_context
def send(
    ctx: click.Context,
    groups: tuple[str, ...],
    template_id: str | None,
    slot_pairs: tuple[str, ...],
    text: str | None,
    picto: str | None,
    category: str | None,
    answers: str | None,
    deadline: str | None,
    yes: bool,
    preview_only: bool,
    now: bool,
    again: bool,
) -> None:
    """Preview a message in every language of the audience, then queue it. With --answers and
    --deadline it is a slip that parents answer with one tap. Outside school hours it waits for
    the next allowed moment, unless --nu."""
    deps = _deps(ctx)
    school = deps.settings.school_slug
    slots = dict(pair.split("=", 1) for pair in slot_pairs if "=" in pair)
    try:
        options = parse_answers(answers) if answers is not None else None
        due = parse_local(deadline, deps.settings.timezone) if deadline else None
        draft = messages.prepare_message(
            deps,
            school=school,
            groups=list(groups),
            template_id=template_id,
            slots=slots,
            text=text,
            picto=picto,
            category=category,
            answers=options,
            deadline=due,
        )
    except UnknownSchoolError:
        _fail(deps, "cli.unknown_school", school=school)
    except UnknownGroupError as exc:
        _fail(
            deps,
            "cli.unknown_group",
            group=exc.args[0],
            groups=", ".join(invites.group_names(deps, school=school)),
        )
    except (DraftError, SlotError, SlipError, KeyError) as exc:
        _fail(deps, "cli.draft_error", error=problem(deps, exc))
    from oudersbot.cli.words import print_findings

    print_findings(deps, draft.text_nl, draft.findings)
    print_preview(deps, draft)
    print_recipients(deps, "cli.send.not_joined", draft.not_joined)
    urgency = Urgency.NOW if now else Urgency.NORMAL
    planned = messages.planned_moment(deps, draft, urgency=urgency)
    if planned is None:
        _fail(deps, "cli.send.too_late")
    if planned > deps.clock.now():
        _say(deps, "cli.send.waits", when=staff_moment(deps, planned))
    if preview_only:
        return
    joined = len(draft.recipients) - len(draft.not_joined)
    if not yes and not click.confirm(deps.words.text(STAFF, "cli.send.confirm", count=joined)):
        _say(deps, "cli.send.cancelled")
        return
    report = messages.send_message(deps, draft, created_by="cli", urgency=urgency, again=again)
    if report.duplicate:
        _say(deps, "cli.send.duplicate", id=report.message_id)
        return
    _say(deps, "cli.send.queued", id=report.message_id, count=report.queued)
    print_recipients(deps, "cli.send.unreachable", report.unreachable)
    say_who_sends(deps, report.due)


@main.command()
def demo() -> None:
    """A scripted school day on the simulator, in under a minute."""
    from oudersbot.cli.demo import run_demo

    sys.exit(asyncio.run(run_demo()))


def _register() -> None:
    from oudersbot.cli import calendar as calendar_commands
    from oudersbot.cli import conversations as conversation_commands
    from oudersbot.cli import init as init_commands
    from oudersbot.cli import operate, words
    from oudersbot.cli import prikkels as prikkel_commands
    from oudersbot.cli import privacy as privacy_commands
    from oudersbot.cli import reviews as review_commands
    from oudersbot.cli import roster as roster_commands
    from oudersbot.cli import school as school_commands
    from oudersbot.cli import sending as sending_commands
    from oudersbot.cli import slips as slip_commands
    from oudersbot.cli import speech as speech_commands
    from oudersbot.cli import web as web_commands

    main.add_command(roster_commands.roster_group)
    main.add_command(words.templates_group)
    main.add_command(words.translations_group)
    main.add_command(words.pictograms_group)
    main.add_command(words.check_command)
    main.add_command(slip_commands.slips_group)
    main.add_command(slip_commands.followup_group)
    main.add_command(web_commands.web_command)
    main.add_command(prikkel_commands.prikkel_group)
    main.add_command(review_commands.translators_group)
    main.add_command(review_commands.translations_files_group)
    main.add_command(calendar_commands.calendar_group)
    main.add_command(sending_commands.dispatch)
    main.add_command(sending_commands.run)
    main.add_command(sending_commands.worker)
    main.add_command(sending_commands.status)
    main.add_command(privacy_commands.privacy_group)
    main.add_command(init_commands.init_command)
    main.add_command(operate.migrate)
    main.add_command(school_commands.school_group)
    main.add_command(conversation_commands.conversations_group)
    main.add_command(speech_commands.read_aloud_command)


_register()
