"""A parent's short thanks or ok is an acknowledgement, in every language we support; a real
question never is."""

from __future__ import annotations

import tomllib

import pytest

from oudersbot.domain.acknowledgements import Acknowledgements
from oudersbot.settings import PACKAGE_DIR
from oudersbot.translation.acknowledgements import FILE_NAME, load_acknowledgements

MATCHER = load_acknowledgements(PACKAGE_DIR / "messages")


@pytest.mark.parametrize(
    "text",
    [
        "👍",
        "👍🏽",
        "👍👍",
        "❤️",
        "👌",
        "🙏🏻 ❤",
        "ok",
        "OK!",
        "oké",
        "Oke 👍",
        "merci",
        "Dank u",
        "dankjewel",
        "Bedankt!",
        "tamam",
        "Teşekkürler",
        "shukran",
        "شكرا",
        "شكراً!",
        "dziękuję",
        "mulțumesc",
        "Спасибо!",
        "дякую",
        "благодаря",
        "gracias",
        "Obrigado",
        "thanks",
        "Thank you!",
        "mahadsanid",
        "የቐንየለይ",
        "تشکر",
        "مننه",
    ],
)
def test_a_short_thanks_or_ok_is_an_acknowledgement(text: str) -> None:
    assert MATCHER.matches(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok maar hoe laat moeten we er zijn?",
        "Is er morgen zwemmen?",
        "👍 maar Emre is ziek",
        "merci, mais il est malade",
        "1",
        "😡",
        "dank u " * 10,
        "?",
    ],
)
def test_a_question_or_other_words_are_not(text: str) -> None:
    assert not MATCHER.matches(text)


def test_every_supported_language_has_its_list() -> None:
    with (PACKAGE_DIR / "messages" / FILE_NAME).open("rb") as handle:
        phrases = tomllib.load(handle)["phrases"]
    languages = sorted(p.name for p in (PACKAGE_DIR / "locales").iterdir() if p.is_dir())
    assert sorted(phrases) == languages
    assert all(phrases[language] for language in languages)


def test_without_a_list_only_emoji_count() -> None:
    empty = Acknowledgements.of(())
    assert empty.matches("👍") and not empty.matches("ok")
