"""The prikkel library: enough nudges per theme and age, in every language, checked at start-up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oudersbot.domain.plain_language import FindingKind, check
from oudersbot.settings import PACKAGE_DIR
from oudersbot.translation.phrasebook import Phrasebook
from oudersbot.translation.plain_lexicon import load_lexicon
from oudersbot.translation.prikkels import PrikkelError

MESSAGES = PACKAGE_DIR / "messages"
BOOK = Phrasebook.load(MESSAGES)
LIBRARY = BOOK.prikkels
LANGUAGES = {"nl", "fr", "en", "ar", "tr", "pl", "ro", "bg", "uk", "ru", "es", "pt", "so"}
LANGUAGES |= {"prs", "ps", "ti"}
STRICT = {FindingKind.JARGON, FindingKind.PASSIVE, FindingKind.LONG_SENTENCE}
STRICT |= {FindingKind.NUMBER_IN_WORDS, FindingKind.INDIRECT}


def test_the_library_covers_the_seeds_themes_and_every_age_band() -> None:
    assert len(LIBRARY.prikkels) >= 60
    seed_themes = {"welkom", "feest", "uitstap", "lezen", "rekenen", "natuur", "gevoelens"}
    assert seed_themes | {"klasthema"} <= set(LIBRARY.themes())
    for theme in LIBRARY.themes():
        assert LIBRARY.choose(theme=theme, age="kleuter"), theme
        assert LIBRARY.choose(theme=theme, age="lager"), theme
    assert LIBRARY.choose(age="secundair")


@pytest.mark.parametrize("prikkel_id", sorted(LIBRARY.prikkels))
def test_every_prikkel_is_in_every_language_and_the_dutch_is_plain(prikkel_id: str) -> None:
    prikkel = LIBRARY.prikkels[prikkel_id]
    assert set(prikkel.wordings) >= LANGUAGES
    dutch = prikkel.wordings["nl"]
    assert dutch.status == "reviewed"
    lexicon = load_lexicon(MESSAGES / "plain-language.toml")
    text = "\n".join(filter(None, (dutch.context, dutch.question, dutch.tip)))
    found = [f for f in check(text, lexicon) if f.kind in STRICT]
    assert found == [], (text, found)


def test_choose_filters_by_theme_and_age() -> None:
    chosen = LIBRARY.choose(theme="rekenen", age="kleuter")
    assert chosen and all(p.theme == "rekenen" and p.age == "kleuter" for p in chosen)
    assert [p.id for p in chosen] == sorted(p.id for p in chosen)


def copy_messages(tmp_path: Path) -> Path:
    target = tmp_path / "messages"
    shutil.copytree(MESSAGES, target)
    return target


PRIKKEL = """theme = "test"
[[prikkel]]
id = "test-een"
age = "{age}"
pictogram = "{picto}"
[prikkel.text.nl]
status = "reviewed"
context = "We tellen tot 10."
question = "Vraag aan uw kind: wat tel je graag?"
tip = "Tel samen de borden."
[prikkel.text.fr]
status = "{status}"
context = "Nous comptons jusqu'à 10."
question = "Demandez à votre enfant : qu'aimes-tu compter ?"
{tip}
"""


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"age": "baby"}, "age must be one of kleuter, lager, secundair"),
        ({"picto": "raket"}, "unknown pictogram 'raket'"),
        ({"status": "klaar"}, r"\[text.fr\] status must be reviewed or draft"),
        ({"tip": ""}, r"\[text.fr\] must have a tip exactly when the Dutch has one"),
    ],
)
def test_a_bad_prikkel_fails_at_start_up_naming_file_and_prikkel(
    tmp_path: Path, fields: dict[str, str], problem: str
) -> None:
    messages = copy_messages(tmp_path)
    values = {"age": "kleuter", "picto": "rekenen", "status": "draft", "tip": 'tip = "Tel."'}
    (messages / "prikkels" / "test.toml").write_text(
        PRIKKEL.format(**{**values, **fields}), encoding="utf-8"
    )
    with pytest.raises(PrikkelError, match=rf"test\.toml: prikkel test-een: {problem}"):
        Phrasebook.load(messages)


def test_a_duplicate_id_or_broken_toml_fails(tmp_path: Path) -> None:
    messages = copy_messages(tmp_path)
    first = next(iter(LIBRARY.prikkels))
    body = PRIKKEL.format(age="lager", picto="lezen", status="draft", tip='tip = "Lees."')
    (messages / "prikkels" / "zz.toml").write_text(
        body.replace('"test-een"', f'"{first}"'), encoding="utf-8"
    )
    with pytest.raises(PrikkelError, match=f"zz.toml: prikkel id '{first}' is used twice"):
        Phrasebook.load(messages)
    (messages / "prikkels" / "zz.toml").write_text('theme = "x\n', encoding="utf-8")
    with pytest.raises(PrikkelError, match=r"zz\.toml"):
        Phrasebook.load(messages)
