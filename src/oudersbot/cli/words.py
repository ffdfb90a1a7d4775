"""`oudersbot templates`, `translations` and `pictograms`: the words parents will read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

import click

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, fail, plain, problem, say, school_id, staff_deps
from oudersbot.cli.reviews import say_progress
from oudersbot.domain.languages import UnknownLanguageError, dutch_name, normalize
from oudersbot.domain.plain_language import Finding, check
from oudersbot.domain.slots import SlotError
from oudersbot.services.check_lines import finding_lines
from oudersbot.services.messages import DraftError, preview_template
from oudersbot.translation.memory import TranslationMemoryError
from oudersbot.translation.phrasebook import Template
from oudersbot.translation.pictogram_images import PictogramImages


def _language(deps: Deps, tag: str) -> str:
    try:
        return normalize(tag)
    except UnknownLanguageError:
        fail(deps, "cli.unknown_language", language=tag)


def _slot_list(deps: Deps, template: Template) -> str:
    return ", ".join(
        f"{name} ({deps.words.text(STAFF, f'cli.slot.{kind.value}')})"
        for name, kind in template.slots.items()
    )


def _answers(deps: Deps, template: Template) -> str:
    return " / ".join(deps.words.text(STAFF, f"answer.{a}") for a in template.answers)


@click.group(name="templates")
def templates_group() -> None:
    """The standard messages in messages/templates/."""


@templates_group.command(name="list")
@click.pass_context
def templates_list(ctx: click.Context) -> None:
    """Every template: id, pictogram, title, what to fill in, answers, review status."""
    deps = staff_deps(ctx)
    book = deps.phrasebook
    for template in sorted(book.templates.values(), key=lambda t: t.id):
        symbol = book.pictograms.by_key[template.pictogram].symbol
        drafts = sorted(lang for lang, w in template.wordings.items() if w.status == "draft")
        say(
            deps,
            "cli.templates.line",
            id=template.id,
            mark=template.category.mark,
            symbol=symbol,
            title=template.title,
        )
        if template.slots:
            say(deps, "cli.templates.slots", slots=_slot_list(deps, template))
        if template.answers:
            say(deps, "cli.templates.answers", answers=_answers(deps, template))
        say(
            deps,
            "cli.templates.languages",
            count=len(template.wordings),
            reviewed=len(template.wordings) - len(drafts),
            draft=len(drafts),
        )
    say(deps, "cli.templates.count", count=len(book.templates))
    say_progress(deps)


@templates_group.command(name="show")
@click.argument("template_id")
@click.option("--slot", "slot_pairs", multiple=True, help="name=value, e.g. datum=2026-12-03")
@click.option("--taal", "--language", "languages", multiple=True, help="Only these languages.")
@click.pass_context
def templates_show(
    ctx: click.Context, template_id: str, slot_pairs: tuple[str, ...], languages: tuple[str, ...]
) -> None:
    """One template in every language; filled in and as parents see it when --slot is given."""
    deps = staff_deps(ctx)
    template = deps.phrasebook.templates.get(template_id)
    if template is None:
        fail(
            deps,
            "cli.unknown_template",
            template=template_id,
            templates=", ".join(sorted(deps.phrasebook.templates)),
        )
    wanted = [_language(deps, tag) for tag in languages] or list(template.wordings)
    slots = dict(pair.split("=", 1) for pair in slot_pairs if "=" in pair)
    say(
        deps,
        "cli.templates.show_header",
        title=template.title,
        id=template.id,
        category=deps.words.text(STAFF, f"category.{template.category.value}"),
    )
    if template.answers:
        say(deps, "cli.templates.answers", answers=_answers(deps, template))
    if template.slots and set(slots) != set(template.slots):
        say(deps, "cli.templates.fill_hint", slots=_slot_list(deps, template))
        for language in wanted:
            wording = template.wording_for(language)
            status = wording[1].status if wording else "missing"
            click.echo()
            say(
                deps,
                "cli.templates.language_header",
                language=dutch_name(language),
                status=deps.words.text(STAFF, f"cli.templates.status.{status}"),
            )
            click.echo(wording[1].text if wording else "")
        return
    try:
        versions = preview_template(deps, template.id, languages=wanted, slots=slots)
    except (DraftError, SlotError) as exc:
        fail(deps, "cli.draft_error", error=problem(deps, exc))
    for language, version in versions.items():
        status = version.status or "reviewed"
        click.echo()
        say(
            deps,
            "cli.templates.language_header",
            language=dutch_name(language),
            status=deps.words.text(STAFF, f"cli.templates.status.{status}"),
        )
        for part in version.parts:
            click.echo(plain(part))


@click.group(name="translations")
def translations_group() -> None:
    """The translation memory: machine translations kept, corrected and approved by staff."""


@translations_group.command(name="list")
@click.option("--taal", "--language", "language", default=None, help="Only this language.")
@click.option("--nalezen", "--unreviewed", "unreviewed", is_flag=True, help="Only unreviewed.")
@click.pass_context
def translations_list(ctx: click.Context, language: str | None, unreviewed: bool) -> None:
    """What the memory holds, newest first, with where each translation came from."""
    deps = staff_deps(ctx)
    tag = _language(deps, language) if language else None
    entries = deps.memory.entries(school_id=school_id(deps), language=tag, unreviewed=unreviewed)
    if not entries:
        say(deps, "cli.translations.none")
        return
    tz = deps.settings.timezone
    for entry in entries:
        if entry.origin == "human":
            state = deps.words.text(STAFF, "cli.translations.state.human", by=entry.updated_by)
        elif entry.reviewed:
            state = deps.words.text(STAFF, "cli.translations.state.reviewed", by=entry.updated_by)
        else:
            state = deps.words.text(
                STAFF, "cli.translations.state.machine", provider=entry.provider or "?"
            )
        say(
            deps,
            "cli.translations.line",
            id=entry.id,
            language=dutch_name(entry.language),
            state=state,
            when=entry.updated_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        )
        click.echo(f"    nl: {entry.source_text}")
        click.echo(f"    {entry.language}: {entry.text}")


@translations_group.command(name="edit")
@click.argument("entry_id", type=int)
@click.option("--tekst", "--text", "text", default=None, help="The corrected translation.")
@click.option("--door", "--by", "by", default="school", help="Who corrected it.")
@click.pass_context
def translations_edit(ctx: click.Context, entry_id: int, text: str | None, by: str) -> None:
    """Correct a translation; parents get the correction from now on."""
    deps = staff_deps(ctx)
    school = school_id(deps)
    try:
        if text is None:
            current = deps.memory.get(school_id=school, entry_id=entry_id)
            text = click.edit(current.text) or ""
        deps.memory.edit(school_id=school, entry_id=entry_id, text=text, by=by)
    except TranslationMemoryError as exc:
        fail(deps, "cli.translations.error", error=exc)
    say(deps, "cli.translations.edited", id=entry_id)


@translations_group.command(name="approve")
@click.argument("entry_id", type=int)
@click.option("--door", "--by", "by", default="school", help="Who read it.")
@click.pass_context
def translations_approve(ctx: click.Context, entry_id: int, by: str) -> None:
    """Mark a machine translation as read and approved by someone who speaks the language."""
    deps = staff_deps(ctx)
    try:
        deps.memory.approve(school_id=school_id(deps), entry_id=entry_id, by=by)
    except TranslationMemoryError as exc:
        fail(deps, "cli.translations.error", error=exc)
    say(deps, "cli.translations.approved", id=entry_id)


@click.group(name="pictograms")
def pictograms_group() -> None:
    """One pictogram per kind of message, the same everywhere."""


@pictograms_group.command(name="list")
@click.pass_context
def pictograms_list(ctx: click.Context) -> None:
    """Every pictogram with its colour mark, its Dutch label and its image, if any."""
    deps = staff_deps(ctx)
    images = PictogramImages.installed(deps.settings.pictogram_dir)
    for picto in deps.phrasebook.pictograms.by_key.values():
        image = images.find(picto)
        where = (
            deps.words.text(STAFF, f"cli.pictograms.image.{image.source}", path=image.path)
            if image
            else deps.words.text(STAFF, "cli.pictograms.image.none")
        )
        label_key = f"picto.{picto.key}"
        if not deps.words.has(STAFF, label_key):
            label_key = f"category.{picto.category.value}"
        say(
            deps,
            "cli.pictograms.line",
            mark=picto.category.mark,
            symbol=picto.symbol,
            key=picto.key,
            label=deps.words.text(STAFF, label_key),
            image=where,
        )


def print_findings(deps: Deps, text: str, findings: Sequence[Finding]) -> None:
    """The plain-language findings, each with its line and column in the text."""
    for line in finding_lines(deps.words, STAFF, text, findings):
        click.echo(line)


@click.command(name="check")
@click.argument("text", required=False)
@click.option(
    "--bestand", "--file", "path", type=click.File(encoding="utf-8"), help="Check a text file."
)
@click.option("--soort", "--kind", "kind", default=None, help="The pictogram: uitstap, geld, …")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the findings as JSON, for the web desk and scripts.",
)
@click.pass_context
def check_command(
    ctx: click.Context, text: str | None, path: TextIO | None, kind: str | None, as_json: bool
) -> None:
    """Check Dutch text for plain language (B1) before sending; it warns, it never blocks."""
    deps = staff_deps(ctx)
    body = path.read() if path is not None else text
    if not body or not body.strip():
        fail(deps, "check.nothing")
    if kind is not None and kind not in deps.phrasebook.pictograms.by_key:
        fail(deps, "check.unknown_kind", kind=kind)
    findings = check(body, deps.lexicon, kind=kind)
    if as_json:
        click.echo(findings_json(findings))
    else:
        print_findings(deps, body, findings)


def findings_json(findings: Sequence[Finding]) -> str:
    """The findings as a JSON list: kind, start, end (character offsets), excerpt, suggestion."""
    rows = [
        {
            "kind": f.kind.value,
            "start": f.start,
            "end": f.end,
            "excerpt": f.excerpt,
            "suggestion": f.suggestion,
        }
        for f in findings
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)
