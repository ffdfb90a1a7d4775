"""Languages as BCP 47 tags: validation, native names, writing direction (via Babel)."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

SOURCE_LANGUAGE = "nl"

# BCP 47 tags that CLDR files under another name.
_ALIASES = {"prs": "fa_AF", "fa-af": "fa_AF"}


class UnknownLanguageError(ValueError):
    """The tag is not a language Babel (CLDR) knows."""


@lru_cache(maxsize=512)
def locale_for(tag: str) -> Locale:
    """The Babel locale for a BCP 47 tag such as 'ar', 'nl-BE' or 'uk'."""
    cleaned = tag.strip()
    if not cleaned:
        raise UnknownLanguageError("empty language code")
    alias = _ALIASES.get(cleaned.lower())
    try:
        return Locale.parse(alias or cleaned.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise UnknownLanguageError(f"unknown language code {tag!r}") from exc


def normalize(tag: str) -> str:
    """The canonical spelling of a tag: 'AR' -> 'ar', 'nl_be' -> 'nl-BE'."""
    cleaned = tag.strip()
    locale = locale_for(cleaned)
    if cleaned.lower() in _ALIASES:
        return cleaned.lower()
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    return "-".join(parts)


def base_language(tag: str) -> str:
    """The language part of a tag: 'nl-BE' -> 'nl'."""
    return tag.split("-")[0].lower()


def is_source_language(tag: str) -> bool:
    """True for Dutch in any region: the school's own language needs no translation."""
    return base_language(tag) == SOURCE_LANGUAGE


def native_name(tag: str) -> str:
    """The language's name in its own language and script: 'ar' -> 'العربية'."""
    locale = locale_for(tag)
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def dutch_name(tag: str) -> str:
    """The language's name in Dutch, for staff: 'ar' -> 'Arabisch'."""
    name = locale_for(tag).get_display_name(Locale("nl")) or tag
    return name[:1].upper() + name[1:]


def is_rtl(tag: str) -> bool:
    """True when the language is written right to left."""
    return bool(locale_for(tag).character_order == "right-to-left")


def babel_locale_name(tag: str) -> str:
    """The locale identifier Babel's formatters take ('nl_BE')."""
    return str(locale_for(tag))
