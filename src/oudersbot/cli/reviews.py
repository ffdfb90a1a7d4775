"""`oudersbot vertalers` and `oudersbot vertalingen`: the school's second-reader rule, and the
drafts of one language as a PO file for a professional translator (and back)."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import fail, say, school_id, staff_deps
from oudersbot.services import translation_review
from oudersbot.services.translation_review import TEMPLATE, DraftItem


@click.group(name="vertalers")
def translators_group() -> None:
    """Vertalers: parents or staff who review the draft translations."""


@translators_group.command(name="instellen")
@click.option("--tweede-lezer", "second", type=click.Choice(["ja", "nee"]), required=True)
@click.pass_context
def translators_settings(ctx: click.Context, second: str) -> None:
    """Does a correction wait for a second vertaler's approval?"""
    deps = staff_deps(ctx)
    school_id(deps)
    translation_review.set_school_second_reader(
        deps, school=deps.settings.school_slug, required=second == "ja"
    )
    if second == "ja":
        say(deps, "cli.review.second_reader_on")
    else:
        say(deps, "cli.review.second_reader_off")


@click.group(name="vertalingen")
def translations_files_group() -> None:
    """The draft translations as a PO file, for a professional translator."""


def _language(deps: Deps, language: str) -> str:
    known = translation_review.all_languages(deps.phrasebook)
    if language not in known:
        fail(deps, "cli.review.unknown_language", language=language, languages=", ".join(known))
    return language


def _context(item: DraftItem) -> str:
    return f"{item.kind}:{item.item_id}"


@translations_files_group.command(name="export")
@click.option("--taal", "--language", "language", required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def translations_export(ctx: click.Context, language: str, out: Path) -> None:
    """Every draft of a language, with the school's current text, as a PO file."""
    deps = staff_deps(ctx)
    sid = school_id(deps)
    _language(deps, language)
    done = translation_review.school_outcomes(deps, school_id=sid, language=language)
    catalog = Catalog(locale=language.replace("-", "_"), project="oudersbot", fuzzy=False)
    for item in translation_review.drafts(deps.phrasebook, language):
        outcome = done.get(item.key)
        text = outcome.text if outcome is not None and outcome.text else item.text
        reviewed = outcome is not None and outcome.reviewed
        catalog.add(item.dutch, text, context=_context(item), flags=() if reviewed else ("fuzzy",))
    with out.open("wb") as handle:
        write_po(handle, catalog, width=0)
    say(deps, "cli.review.exported", count=len(catalog), file=str(out))


@translations_files_group.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--taal", "--language", "language", required=True)
@click.pass_context
def translations_import(ctx: click.Context, path: Path, language: str) -> None:
    """A translator's PO file: an unchanged text approves the draft, a changed one corrects it;
    an entry still marked fuzzy is skipped. One problem and nothing of the file is imported."""
    deps = staff_deps(ctx)
    sid = school_id(deps)
    _language(deps, language)
    items = {_context(i): i for i in translation_review.drafts(deps.phrasebook, language)}
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as exc:
        fail(deps, "cli.review.bad_po", file=str(path), line=getattr(exc, "lineno", 1), problem=exc)
    texts: dict[tuple[str, str], str] = {}
    for message in catalog:
        if not message.id:
            continue
        line = message.lineno
        item = items.get(message.context or "")
        if item is None or isinstance(message.string, tuple):
            problem = deps.words.text("nl", "cli.review.po_unknown", context=message.context)
            fail(deps, "cli.review.bad_po", file=str(path), line=line, problem=problem)
        text = str(message.string or "").strip()
        if not text or message.fuzzy:  # still "fuzzy": the translator did not finish it
            continue
        if item.kind == TEMPLATE and translation_review.slot_names(
            text
        ) != translation_review.slot_names(item.dutch):
            problem = deps.words.text(
                "nl",
                "cli.review.po_slots",
                slots=", ".join(sorted(translation_review.slot_names(item.dutch))) or "-",
            )
            fail(deps, "cli.review.bad_po", file=str(path), line=line, problem=problem)
        texts[(item.kind, item.item_id)] = text
    approved, corrected = translation_review.record_from_file(
        deps, school_id=sid, language=language, texts=texts
    )
    say(deps, "cli.review.imported", approved=approved, corrected=corrected, file=str(path))


def say_progress(deps: Deps) -> None:
    """`ar 3/106, fr 0/106, ...`: per language, drafts the school reviewed / drafts shipped
    (nothing when the school is not set up yet)."""
    per_language = translation_review.school_progress(deps, school=deps.settings.school_slug)
    if per_language is None:
        return
    line = ", ".join(f"{lang} {done}/{total}" for lang, (done, total) in per_language.items())
    say(deps, "cli.review.progress", progress=line)
