"""A calendar or rules file's problems in Dutch for staff, as the command line and the desk
show them: where ("regel 7", "UID abc (Zwemmen)") and what."""

from __future__ import annotations

from oudersbot.calendar_files.rules_file import RulesProblem
from oudersbot.domain.calendar import CalendarProblem, Phrase
from oudersbot.translation.catalog import Words

STAFF_LANGUAGE = "nl"


def phrase_text(words: Words, phrase: Phrase) -> str:
    """Catalog words, with the phrases among their params rendered first."""
    params = {
        name: phrase_text(words, value) if isinstance(value, Phrase) else value
        for name, value in phrase.params.items()
    }
    return words.text(STAFF_LANGUAGE, phrase.key, **params)


def problem_text(words: Words, item: CalendarProblem | RulesProblem) -> str:
    """A calendar or rules file problem in Dutch for staff, without where it is."""
    prefix = "calendar_file" if isinstance(item, CalendarProblem) else "rules_file"
    return phrase_text(words, Phrase(f"{prefix}.{item.code}", item.params))


def where_text(words: Words, item: CalendarProblem | RulesProblem) -> str:
    """Where a problem is, in Dutch ("regel 7", "UID abc (Zwemmen)"); "" for the whole file."""
    if isinstance(item, RulesProblem):
        place = item.where
        if place.table:
            return words.text(STAFF_LANGUAGE, "rules_file.where.table", table=place.table)
        if place.rule and place.kind:
            return words.text(
                STAFF_LANGUAGE, "rules_file.where.rule_kind", rule=place.rule, kind=place.kind
            )
        if place.rule:
            return words.text(STAFF_LANGUAGE, "rules_file.where.rule", rule=place.rule)
        return ""
    kind, _, ref = item.where.partition(":")
    title = item.title
    if kind == "line" and item.column:
        return words.text(
            STAFF_LANGUAGE, "calendar_file.where.line_column", line=ref, column=item.column
        )
    if kind == "line":
        return words.text(STAFF_LANGUAGE, "calendar_file.where.line", line=ref)
    if kind == "uid" and title:
        return words.text(STAFF_LANGUAGE, "calendar_file.where.uid_titled", uid=ref, title=title)
    if kind == "uid":
        return words.text(STAFF_LANGUAGE, "calendar_file.where.uid", uid=ref)
    if kind == "event" and title:
        return words.text(
            STAFF_LANGUAGE, "calendar_file.where.event_titled", number=ref, title=title
        )
    if kind == "event":
        return words.text(STAFF_LANGUAGE, "calendar_file.where.event", number=ref)
    return ""


def problem_line(words: Words, item: CalendarProblem | RulesProblem) -> str:
    """Where and what: "regel 7: De titel ontbreekt." (only what, for the whole file)."""
    where, text = where_text(words, item), problem_text(words, item)
    return f"{where}: {text}" if where else text
