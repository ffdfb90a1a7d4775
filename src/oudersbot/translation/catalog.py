"""The bot's own words (buttons, greetings, confirmations) from the gettext catalogs in locales/."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from oudersbot.domain.languages import SOURCE_LANGUAGE, base_language

DOMAIN = "oudersbot"


class CatalogError(ValueError):
    """A catalog is missing, malformed or incomplete."""


def _load(path: Path, locale: str) -> tuple[gettext.GNUTranslations, frozenset[str]]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale.replace("-", "_"), domain=DOMAIN)
    keys = frozenset(
        str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id and m.string
    )
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer), keys


@dataclass(frozen=True)
class Words:
    """Every language's catalog; the locale is always a parameter, never global state."""

    catalogs: dict[str, gettext.GNUTranslations]
    keys: dict[str, frozenset[str]]

    @classmethod
    def load(cls, locales_dir: Path) -> Words:
        """Read locales/<lang>/LC_MESSAGES/oudersbot.po for every language present."""
        catalogs: dict[str, gettext.GNUTranslations] = {}
        keys: dict[str, frozenset[str]] = {}
        for po in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            language = po.parts[-3]
            catalogs[language], keys[language] = _load(po, language)
        if SOURCE_LANGUAGE not in catalogs:
            raise CatalogError(f"no Dutch catalog in {locales_dir}")
        return cls(catalogs, keys)

    @property
    def languages(self) -> list[str]:
        """The languages that have a catalog."""
        return sorted(self.catalogs)

    def resolve(self, language: str) -> str:
        """The catalog used for a tag: exact, then the base language, then Dutch."""
        if language in self.catalogs:
            return language
        base = base_language(language)
        return base if base in self.catalogs else SOURCE_LANGUAGE

    def has(self, language: str, key: str) -> bool:
        """True when the language's own catalog translates this key."""
        return key in self.keys.get(self.resolve(language), frozenset())

    def text(self, language: str, key: str, /, **slots: Any) -> str:
        """The words for a key in a language (Dutch when that language lacks them)."""
        lang = self.resolve(language)
        if not self.has(lang, key):
            lang = SOURCE_LANGUAGE
        template = self.catalogs[lang].gettext(key)
        if template == key and key not in self.keys[SOURCE_LANGUAGE]:
            raise CatalogError(f"no words for {key!r} in any catalog")
        return template.format(**slots) if slots else template

    def plural(self, language: str, key: str, count: int, /, **slots: Any) -> str:
        """Words that depend on a number (the catalog's msgid_plural is the key + '.plural')."""
        lang = self.resolve(language)
        if not self.has(lang, key):
            lang = SOURCE_LANGUAGE
        template = self.catalogs[lang].ngettext(key, f"{key}.plural", count)
        return template.format(count=count, **slots)
