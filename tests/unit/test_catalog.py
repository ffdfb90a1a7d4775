"""The bot's own words: every key the code uses exists, every language keeps the placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from oudersbot.domain.commands import PARENT_COMMANDS as COMMANDS
from oudersbot.settings import PACKAGE_DIR
from oudersbot.translation.catalog import CatalogError, Words
from oudersbot.translation.keys import data_keys, extracted_keys
from oudersbot.translation.keys import main as keys_main
from oudersbot.translation.phrasebook import Phrasebook

LOCALES = PACKAGE_DIR / "locales"
SOURCE = PACKAGE_DIR
PARENT_PREFIXES = (
    "calendar.",
    "category.",
    "picto.",
    "answer.",
    "slip.",
    "prikkel.",
    "message.",
    "join.",
    "language.",
    "button.",
    "inbound.",
    "help.",
    "command.",
    "invite.",
    "privacy.",
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def catalog(language: str) -> dict[str, str]:
    path = LOCALES / language / "LC_MESSAGES" / "oudersbot.po"
    with path.open("rb") as handle:
        return {
            (m.id if isinstance(m.id, str) else m.id[0]): (
                m.string if isinstance(m.string, str) else m.string[0]
            )
            for m in read_po(handle)
            if m.id
        }


def test_every_key_babel_extracts_from_the_code_has_dutch_words() -> None:
    dutch = catalog("nl")
    used = extracted_keys(SOURCE)
    assert {"join.choose_language", "cli.send.queued", "message.original"} <= set(used)
    missing = {k: where for k, where in used.items() if k not in dutch}
    assert missing == {}


def test_every_key_that_follows_from_data_has_dutch_words() -> None:
    dutch = catalog("nl")
    keys = data_keys(Phrasebook.load(PACKAGE_DIR / "messages"), COMMANDS, ("teacher", "liaison"))
    assert {"picto.uitstap", "answer.yes", "category.slip", "cli.slot.amount"} <= keys
    assert sorted(keys - set(dutch)) == []


def test_the_template_for_pybabel_holds_every_needed_key(tmp_path: Path) -> None:
    target = tmp_path / "oudersbot.pot"
    assert keys_main(["keys", str(target)]) == 0
    with target.open("rb") as handle:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert {"picto.uitstap", "answer.help", "cli.send.queued", "help.text"} <= ids
    assert ids <= set(catalog("nl")) | {k + ".plural" for k in catalog("nl")}


LANGUAGES = sorted(
    p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES" / "oudersbot.po").exists()
)


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "nl"])
def test_each_language_covers_the_parent_words_with_the_same_placeholders(language: str) -> None:
    dutch, other = catalog("nl"), catalog(language)
    parent_keys = [k for k in dutch if k.startswith(PARENT_PREFIXES)]
    missing = [k for k in parent_keys if not other.get(k)]
    assert missing == []
    wrong = [k for k in parent_keys if placeholders(other[k]) != placeholders(dutch[k])]
    assert wrong == []


def test_words_fall_back_to_dutch_and_format_slots() -> None:
    words = Words.load(LOCALES)
    assert words.text("nl-BE", "invite.expires", date="1 januari") == "Geldig tot 1 januari"
    assert words.resolve("xx") == "nl"
    assert words.text("xx", "button.stale") == words.text("nl", "button.stale")
    assert words.plural("nl", "cli.send.not_joined", 1).startswith("1 ouder is")
    assert words.plural("nl", "cli.send.not_joined", 3).startswith("3 ouders zijn")


def test_an_unknown_key_is_an_error_not_silence(tmp_path: Path) -> None:
    words = Words.load(LOCALES)
    with pytest.raises(CatalogError):
        words.text("nl", "does.not.exist")
    with pytest.raises(CatalogError, match="no Dutch catalog"):
        Words.load(tmp_path)
