"""Templates and pictograms are data, checked at start-up with the file and the problem."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from oudersbot.domain.slots import SlotError, SlotType, format_slot, parse_slot
from oudersbot.settings import PACKAGE_DIR
from oudersbot.translation.phrasebook import Phrasebook, PhrasebookError

MESSAGES = PACKAGE_DIR / "messages"


def test_the_shipped_phrasebook_loads_with_dutch_for_every_template() -> None:
    book = Phrasebook.load(MESSAGES)
    assert "uitstap" in book.templates
    for template in book.templates.values():
        assert template.wordings["nl"].status == "reviewed"
        assert template.pictogram in book.pictograms.by_key


def test_pictograms_resolve_by_key_and_by_dutch_category_name() -> None:
    book = Phrasebook.load(MESSAGES)
    assert book.pictograms.resolve("uitstap").symbol == "🚌"
    assert book.pictograms.resolve("belangrijk").key == "important"
    assert book.pictograms.resolve("strookje").key == "slip"
    with pytest.raises(KeyError, match="unknown pictogram"):
        book.pictograms.resolve("dinosaurus")


def copy_messages(tmp_path: Path) -> Path:
    target = tmp_path / "messages"
    shutil.copytree(MESSAGES, target)
    return target


def test_a_translation_with_a_wrong_slot_fails_naming_the_file(tmp_path: Path) -> None:
    messages = copy_messages(tmp_path)
    (messages / "templates" / "kapot.toml").write_text(
        'id = "kapot"\ntitle = "T"\npictogram = "info"\n[slots]\ndatum = "date"\n'
        '[text.nl]\ntext = "Op {datum} is er school."\n'
        '[text.fr]\nstatus = "draft"\ntext = "Le {date} il y a école."\n',
        encoding="utf-8",
    )
    with pytest.raises(PhrasebookError, match=r"kapot\.toml.*text\.fr.*slots"):
        Phrasebook.load(messages)


def test_an_unknown_pictogram_or_missing_dutch_fails(tmp_path: Path) -> None:
    messages = copy_messages(tmp_path)
    bad = messages / "templates" / "zonder.toml"
    bad.write_text('id = "zonder"\ntitle = "T"\npictogram = "raket"\n[text.nl]\ntext = "Hallo"\n')
    with pytest.raises(PhrasebookError, match="unknown pictogram 'raket'"):
        Phrasebook.load(messages)
    bad.write_text('id = "zonder"\ntitle = "T"\npictogram = "info"\n[text.fr]\ntext = "Bonjour"\n')
    with pytest.raises(PhrasebookError, match="no Dutch text"):
        Phrasebook.load(messages)


def test_a_bad_status_fails(tmp_path: Path) -> None:
    messages = copy_messages(tmp_path)
    (messages / "templates" / "x.toml").write_text(
        'id = "x"\ntitle = "T"\npictogram = "info"\n[text.nl]\ntext = "Hallo"\nstatus = "ok"\n'
    )
    with pytest.raises(PhrasebookError, match="status"):
        Phrasebook.load(messages)


def test_slots_are_typed_and_checked() -> None:
    book = Phrasebook.load(MESSAGES)
    trip = book.templates["uitstap"]
    values = trip.parse_slots({"datum": "2026-12-03", "plaats": "de zoo van Antwerpen"})
    assert values["datum"] == dt.date(2026, 12, 3)
    with pytest.raises(SlotError, match="needs plaats"):
        trip.parse_slots({"datum": "2026-12-03"})
    with pytest.raises(SlotError, match="no slot kleur"):
        trip.parse_slots({"datum": "2026-12-03", "plaats": "x", "kleur": "rood"})
    with pytest.raises(SlotError, match="datum"):
        trip.parse_slots({"datum": "3 december", "plaats": "x"})


def test_slots_read_naturally_in_each_language() -> None:
    day = dt.date(2026, 12, 3)
    assert format_slot(SlotType.DATE, day, "nl") == "donderdag 3 december 2026"
    assert format_slot(SlotType.DATE, day, "fr") == "jeudi 3 décembre 2026"
    assert "2026" in format_slot(SlotType.DATE, day, "tr")
    assert format_slot(SlotType.TIME, dt.time(8, 30), "nl") == "08:30"
    assert format_slot(SlotType.AMOUNT, Decimal("12.5"), "nl-BE") == "€\xa012,50"
    assert format_slot(SlotType.AMOUNT, Decimal("12.5"), "fr") == "12,50\xa0€"
    assert parse_slot(SlotType.AMOUNT, "€\xa012,50") == Decimal("12.50")
