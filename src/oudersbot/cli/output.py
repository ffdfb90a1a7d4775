"""What the CLI and the demo print alike: an import's report, invite sheets, a message's
preview in every language, and the guardians the school should follow up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from babel.dates import format_date

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, plain, say
from oudersbot.domain.languages import babel_locale_name, dutch_name, is_rtl
from oudersbot.printing import InviteCard, InviteSheet, SheetLabels, write_invite_sheet
from oudersbot.services import roster
from oudersbot.services.invites import IssuedInvite
from oudersbot.services.language_overview import language_lines
from oudersbot.services.messages import Draft
from oudersbot.store.audience import Recipient
from oudersbot.store.schools import get_school


def print_roster_report(deps: Deps, report: roster.RosterReport, filename: str) -> None:
    """What an import did, with the languages it found."""
    say(
        deps,
        "cli.roster.imported",
        file=filename,
        groups=report.groups,
        children=report.children,
        created=report.guardians_created,
        updated=report.guardians_updated,
        unchanged=report.guardians_unchanged,
    )
    languages = ", ".join(f"{dutch_name(t)} {n}" for t, n in sorted(report.languages.items()))
    say(deps, "cli.roster.languages", languages=languages)


def write_sheet(
    deps: Deps,
    issued: list[IssuedInvite],
    group: str,
    folder: Path,
    report: Callable[..., None] | None = None,
) -> InviteSheet:
    """Write and announce the invites of one class, each in its guardian's language and Dutch;
    `report(done)` after each card (the sheet itself is written after the last)."""
    tz = deps.settings.timezone
    cards = []
    for item in issued:
        locale = babel_locale_name(item.language)
        expires = format_date(item.expires_at.astimezone(tz), "long", locale=locale)
        cards.append(
            InviteCard(
                link=item.link,
                guardian_name=item.name,
                children=item.children,
                class_name=item.group,
                language_tag=item.language,
                rtl=is_rtl(item.language),
                instruction=deps.words.text(item.language, "invite.instruction"),
                instruction_nl=deps.words.text(STAFF, "invite.instruction"),
                expires_label=deps.words.text(item.language, "invite.expires", date=expires),
            )
        )
        if report is not None:
            report(len(cards))
    title = deps.words.text(STAFF, "cli.sheet.title", group=group)
    with deps.db.session() as session:
        school_name = get_school(session, slug=deps.settings.school_slug).name
    labels = SheetLabels(title=title, school_name=school_name)
    sheet = write_invite_sheet(cards, labels, folder, f"uitnodigingen-{group}")
    say(
        deps,
        "cli.invites.written",
        count=len(cards),
        group=group,
        html=sheet.html_path,
        pdf=sheet.pdf_path,
    )
    for warning in sheet.warnings:
        say(deps, "cli.invites.font_warning", warning=warning)
    return sheet


def print_preview(deps: Deps, draft: Draft) -> None:
    """Every language version, as the parents will read it, with how many get it; then which
    languages are reviewed, machine-translated or fall back to Dutch, and why."""
    counts: dict[str, int] = {}
    for recipient in draft.recipients:
        counts[recipient.language] = counts.get(recipient.language, 0) + 1
    for language, version in draft.versions.items():
        origin = deps.words.text(STAFF, f"cli.send.origin.{version.origin}")
        if version.status:
            status = deps.words.text(STAFF, f"cli.send.status.{version.status}")
            origin = f"{origin}, {status}"
        click.echo()
        say(
            deps,
            "cli.send.preview_header",
            language=dutch_name(language),
            count=counts.get(language, 0),
            origin=origin,
        )
        for part in version.parts:
            click.echo(plain(part))
    lines = language_lines(deps.words, draft.versions)
    if lines:
        click.echo()
    for line in lines:
        click.echo(line)


def print_recipients(deps: Deps, key: str, recipients: list[Recipient]) -> None:
    """A list of guardians the school should follow up, with language and phone."""
    if not recipients:
        return
    click.echo()
    click.echo(deps.words.plural(STAFF, key, len(recipients)))
    for r in recipients:
        phone = f", {r.phone}" if r.phone else ""
        say(
            deps,
            "cli.send.recipient",
            name=r.name,
            language=dutch_name(r.language),
            children=", ".join(r.children),
            phone=phone,
        )
