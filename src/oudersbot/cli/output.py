"""What the CLI and the demo print alike: an import's report, invite sheets, a message's
preview in every language, and the guardians the school should follow up."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import click

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, plain, say
from oudersbot.domain.languages import dutch_name
from oudersbot.printing import InviteSheet, write_invite_sheet
from oudersbot.reports import clean
from oudersbot.services import roster
from oudersbot.services.invites import GuardianNote, IssuedInvite, invite_cards, sheet_basename
from oudersbot.services.language_overview import language_lines
from oudersbot.services.messages import Draft
from oudersbot.store.audience import Recipient
from oudersbot.translation.coverage import coverage_line, coverage_of

_NAMES_SHOWN = 20  # names per line of an import's changes; the rest is counted


def print_roster_report(deps: Deps, report: roster.RosterReport, filename: str) -> None:
    """What an import did (or would do): new, changed, back, left, unchanged, and languages."""
    changes = report.changes
    if changes is None:
        return
    say(
        deps,
        "cli.roster.imported",
        file=filename,
        groups=len(changes.groups),
        children=changes.children,
        guardians=changes.guardians,
    )
    for name in (
        "new_children",
        "changed_children",
        "returned_children",
        "left_children",
        "new_guardians",
        "changed_guardians",
        "returned_guardians",
        "left_guardians",
    ):
        names: tuple[str, ...] = getattr(changes, name)
        if names:
            shown = ", ".join(names[:_NAMES_SHOWN])
            if len(names) > _NAMES_SHOWN:
                more = deps.words.text(STAFF, "cli.roster.more", count=len(names) - _NAMES_SHOWN)
                shown = f"{shown} {more}"
            say(deps, f"cli.roster.change.{name}", count=len(names), names=shown)
    say(
        deps,
        "cli.roster.unchanged",
        children=changes.unchanged_children,
        guardians=changes.unchanged_guardians,
    )
    languages = ", ".join(f"{dutch_name(t)} {n}" for t, n in sorted(changes.languages.items()))
    say(deps, "cli.roster.languages", languages=languages)
    for tag in sorted(changes.languages):
        found = coverage_of(tag, words=deps.words, translator=deps.translator)
        if not found.phrasebook:  # outside the phrasebook: say what those parents will get
            click.echo(coverage_line(tag, words=deps.words, translator=deps.translator))


def guardian_line(deps: Deps, note: GuardianNote, *, with_ref: bool = False) -> str:
    """A guardian as staff know them: name and children with their classes (and, to tell
    namesakes apart, what `--guardian` takes for them)."""
    children = ", ".join(
        deps.words.text(STAFF, "cli.invites.child", child=c.first_name, group=c.group)
        for c in note.children
    )
    line = deps.words.text(STAFF, "cli.invites.guardian", name=note.name, children=children)
    if with_ref:
        line = deps.words.text(STAFF, "cli.invites.guardian_ref", guardian=line, ref=note.ref)
    return line


def write_sheet(
    deps: Deps,
    issued: list[IssuedInvite],
    group: str,
    folder: Path,
    report: Callable[..., None] | None = None,
) -> InviteSheet:
    """Write and announce the invites of one class, each in its guardian's language and Dutch;
    an earlier sheet is never overwritten; `report(done)` after each card (the sheet itself is
    written after the last)."""
    cards, labels = invite_cards(
        deps, issued, group, school=deps.settings.school_slug, report=report
    )
    tz = deps.settings.timezone
    basename = sheet_basename(group, deps.clock.now().astimezone(tz))
    sheet = write_invite_sheet(cards, labels, folder, basename)
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
    lines = language_lines(deps.words, draft.versions, read_aloud=True)
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
            name=clean(r.name),
            language=dutch_name(r.language),
            children=clean(", ".join(r.children)),
            phone=phone,
        )


def echo_lines(lines: Iterable[str]) -> None:
    """Print lines for staff, without the control characters a parent's name or words might
    carry (a terminal would act on an escape sequence: colours, a cleared screen, a link)."""
    for line in lines:
        click.echo(clean(line))
