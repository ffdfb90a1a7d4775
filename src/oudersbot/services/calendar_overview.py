"""The month at a glance: one line per event, with its pictogram and date, in each language.

The seed's "herhaal in een maandkalender": on the first school day of the month each family
gets the month's events of its own children's classes and of the whole school.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from babel.dates import format_date

from oudersbot.domain.languages import (
    SOURCE_LANGUAGE,
    babel_locale_name,
    is_rtl,
    is_source_language,
    normalize,
)
from oudersbot.domain.pictograms import Category
from oudersbot.domain.rendering import MessageView, Version, render_html
from oudersbot.store.models import CalendarEventRow

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


def overview_versions(
    deps: Deps,
    school_id: int,
    year: int,
    month: int,
    rows: list[CalendarEventRow],
    languages: set[str],
) -> dict[str, Version]:
    """The overview of these events in each language (and Dutch)."""
    zone = deps.settings.timezone
    wanted = sorted(languages | {SOURCE_LANGUAGE})
    titles = {}
    for row in rows:
        if row.template_id is None:
            foreign = [lang for lang in wanted if not is_source_language(lang)]
            titles[row.id] = deps.memory.translate(
                school_id=school_id, text=row.title, languages=foreign
            )
    versions = {}
    for lang in wanted:
        locale = babel_locale_name(lang)
        lines = []
        for row in rows:
            template = deps.phrasebook.templates.get(row.template_id or "")
            if template is not None:
                picto = deps.phrasebook.pictograms.resolve(template.pictogram)
                label = deps.words.text(lang, f"picto.{picto.key}")
            else:
                picto = deps.phrasebook.pictograms.resolve("kalender")
                found = titles[row.id].get(normalize(lang))
                label = found.text if found is not None and found.text else row.title
            day = format_date(row.starts_at.astimezone(zone).date(), "EEE d MMM", locale=locale)
            lines.append(f"{picto.symbol} {day} — {label}")
        heading = deps.words.text(
            lang,
            "calendar.overview",
            month=format_date(dt.date(year, month, 1), "LLLL yyyy", locale=locale),
        )
        view = MessageView(
            mark=Category.INFO.mark,
            category_label=deps.words.text(lang, f"category.{Category.INFO.value}"),
            symbol=deps.phrasebook.pictograms.resolve("kalender").symbol,
            topic_label=deps.words.text(lang, "picto.kalender"),
            body=heading + "\n\n" + "\n".join(lines),
            rtl=is_rtl(lang),
            translation_note=None,
        )
        versions[lang] = Version(lang, "phrasebook", tuple(render_html(view)))
    return versions
