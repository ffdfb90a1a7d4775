"""The shipped catalogue: enough templates for a school year, in every language, consistent."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from oudersbot.domain.languages import is_rtl
from oudersbot.domain.slots import SlotError, SlotType, format_slot, parse_slot
from oudersbot.settings import PACKAGE_DIR
from oudersbot.translation.phrasebook import Phrasebook, PhrasebookError
from oudersbot.translation.pictogram_images import PictogramImages, openmoji_name

MESSAGES = PACKAGE_DIR / "messages"
LANGUAGES = {"nl", "fr", "en", "ar", "tr", "pl", "ro", "bg", "uk", "ru", "es", "pt"}
LANGUAGES |= {"so", "prs", "ps", "ti"}
BOOK = Phrasebook.load(MESSAGES)
SAMPLE = {
    SlotType.DATE: "2026-12-03",
    SlotType.TIME: "08:30",
    SlotType.AMOUNT: "12,50",
    SlotType.PLACE: "Brugge",
    SlotType.ITEM: "een handdoek",
    SlotType.TEXT: "woensdag",
}


def test_the_catalogue_covers_a_school_year() -> None:
    assert len(BOOK.templates) >= 40
    needed = {"uitstap", "zwemmen", "turnkledij", "vrije-dag", "studiedag", "vakantie"}
    needed |= {"rapport", "oudercontact", "fotodag", "geld", "lunchpakket", "luizen", "ziek"}
    needed |= {"schoolfeest", "inschrijven", "nieuw-schooljaar", "tussendoortje", "bibliotheek"}
    assert needed <= set(BOOK.templates)


@pytest.mark.parametrize("template_id", sorted(BOOK.templates))
def test_every_template_is_in_every_language_with_a_status(template_id: str) -> None:
    template = BOOK.templates[template_id]
    assert set(template.wordings) >= LANGUAGES
    assert template.wordings["nl"].status == "reviewed"
    assert all(w.status in ("reviewed", "draft") for w in template.wordings.values())
    assert template.title and template.pictogram in BOOK.pictograms.by_key


@pytest.mark.parametrize("template_id", sorted(BOOK.templates))
def test_every_template_fills_in_every_language(template_id: str) -> None:
    template = BOOK.templates[template_id]
    values = template.parse_slots({name: SAMPLE[kind] for name, kind in template.slots.items()})
    for language, wording in template.wordings.items():
        text = template.fill(wording.text, values, language)
        assert "{" not in text and "}" not in text
        assert len(text) < 1000
        if SlotType.AMOUNT in template.slots.values():
            assert "12,50" in text or "12.50" in text or "١٢٫٥٠" in text or "۱۲٫۵۰" in text


def test_slips_have_answers_and_only_slips_do() -> None:
    for template in BOOK.templates.values():
        assert template.expects_answer == (template.category.value == "slip"), template.id
    assert BOOK.templates["oudercontact"].answers == ("coming", "not_coming", "question")


def test_slots_read_as_each_locale_writes_them() -> None:
    day = parse_slot(SlotType.DATE, "2026-12-03")
    assert format_slot(SlotType.DATE, day, "fr") == "jeudi 3 décembre 2026"
    assert format_slot(SlotType.DATE, day, "nl") == "donderdag 3 december 2026"
    assert "2026" in format_slot(SlotType.DATE, day, "ar") or "٢٠٢٦" in format_slot(
        SlotType.DATE, day, "ar"
    )
    assert format_slot(SlotType.AMOUNT, Decimal("12.5"), "nl") == "€\xa012,50"
    assert format_slot(SlotType.AMOUNT, Decimal("12.5"), "en") == "€12.50"
    assert format_slot(SlotType.TIME, dt.time(8, 30), "nl") == "08:30"
    assert is_rtl("ar") and is_rtl("prs") and is_rtl("ps") and not is_rtl("ti")


@pytest.mark.parametrize(
    ("kind", "raw", "problem"),
    [
        (SlotType.DATE, "3 december", "not a valid date"),
        (SlotType.DATE, "2026-02-30", "not a valid date"),
        (SlotType.TIME, "25:00", "not a valid time"),
        (SlotType.AMOUNT, "-5", "not an amount a parent can pay"),
        (SlotType.AMOUNT, "vijf euro", "not a valid amount"),
        (SlotType.PLACE, "x" * 201, "at most 200"),
        (SlotType.PLACE, "   ", "empty"),
    ],
)
def test_a_slot_value_of_the_wrong_kind_is_refused(kind: SlotType, raw: str, problem: str) -> None:
    with pytest.raises(SlotError, match=problem):
        parse_slot(kind, raw)


def test_one_pictogram_per_kind_with_its_own_symbol_and_an_image() -> None:
    symbols = [p.symbol for p in BOOK.pictograms.by_key.values()]
    assert len(symbols) == len(set(symbols))
    images = PictogramImages.installed(None)
    found = {key: images.find(p) for key, p in BOOK.pictograms.by_key.items()}
    assert all(image is not None and image.source == "openmoji" for image in found.values())
    assert openmoji_name("ℹ️") == "2139.svg"


def test_a_schools_own_pictogram_image_comes_first(tmp_path: Path) -> None:
    (tmp_path / "uitstap.png").write_bytes(b"\x89PNG")
    images = PictogramImages.installed(tmp_path)
    own = images.find(BOOK.pictograms.by_key["uitstap"])
    assert own is not None and (own.source, own.path.name) == ("school", "uitstap.png")
    other = images.find(BOOK.pictograms.by_key["zwemmen"])
    assert other is not None and other.source == "openmoji"


def copy_messages(tmp_path: Path) -> Path:
    target = tmp_path / "messages"
    shutil.copytree(MESSAGES, target)
    return target


@pytest.mark.parametrize(
    ("symbol", "problem"),
    [("🪮", "from Emoji 15"), ("HB", "not one standard emoji"), ("🚌🚌", "not one standard")],
)
def test_a_pictogram_that_phones_cannot_show_fails_at_start_up(
    tmp_path: Path, symbol: str, problem: str
) -> None:
    messages = copy_messages(tmp_path)
    path = messages / "pictograms.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + f'\n[[pictogram]]\nkey = "x"\nsymbol = "{symbol}"\n'
        'category = "info"\n',
        encoding="utf-8",
    )
    with pytest.raises(PhrasebookError, match=rf"pictograms\.toml: pictogram 'x'.*{problem}"):
        Phrasebook.load(messages)


def test_two_kinds_sharing_a_symbol_fail_at_start_up(tmp_path: Path) -> None:
    messages = copy_messages(tmp_path)
    path = messages / "pictograms.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[[pictogram]]\nkey = "bus"\nsymbol = "🚌"\n'
        'category = "info"\n',
        encoding="utf-8",
    )
    with pytest.raises(PhrasebookError, match="'uitstap' and 'bus' share"):
        Phrasebook.load(messages)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('answers = ["ja", "nee"]\ncategory = "slip"\n', "unknown answer option 'ja'"),
        ('answers = ["yes"]\ncategory = "slip"\n', "2 to 5 different options"),
        ('answers = ["yes", "no"]\n', "category must be 'slip'"),
        ('title = ""\n', "needs a title"),
    ],
)
def test_a_template_with_bad_answers_or_no_title_fails(
    tmp_path: Path, extra: str, problem: str
) -> None:
    messages = copy_messages(tmp_path)
    title = "" if "title" in extra else 'title = "T"\n'
    (messages / "templates" / "kapot.toml").write_text(
        f'id = "kapot"\n{title}pictogram = "info"\n{extra}[text.nl]\ntext = "Hallo."\n',
        encoding="utf-8",
    )
    with pytest.raises(PhrasebookError, match=rf"kapot\.toml: .*{problem}"):
        Phrasebook.load(messages)


def test_a_broken_file_and_an_unknown_language_name_the_file(tmp_path: Path) -> None:
    messages = copy_messages(tmp_path)
    broken = messages / "templates" / "kapot.toml"
    broken.write_text('id = "kapot\ntitle = "T"\n', encoding="utf-8")
    with pytest.raises(PhrasebookError, match=r"kapot\.toml"):
        Phrasebook.load(messages)
    broken.write_text(
        'id = "kapot"\ntitle = "T"\npictogram = "info"\n[text.nl]\ntext = "Hallo."\n'
        '[text.xx-qq]\ntext = "Hallo."\n',
        encoding="utf-8",
    )
    with pytest.raises(PhrasebookError, match=r"kapot\.toml: .*xx"):
        Phrasebook.load(messages)
