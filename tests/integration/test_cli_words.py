"""`oudersbot templates`, `translations` and `pictograms`, as staff type them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.services import messages
from oudersbot.simulator.translator import MyMemoryStub
from oudersbot.store.db import Database
from oudersbot.translation.machine import MachineTranslator
from tests.conftest import import_fixture_roster, make_settings


@pytest.fixture
def stub() -> Iterator[MyMemoryStub]:
    with MyMemoryStub() as running:
        yield running


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock, stub: MyMemoryStub) -> Deps:
    settings = make_settings(tmp_path, school_slug="demo")
    translator = MachineTranslator("mymemory", proxy=stub.proxy)
    deps = bootstrap(settings, clock=clock, translator=translator, db=database)
    import_fixture_roster(deps)
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def test_templates_list_names_each_template_with_what_to_fill_and_its_review_state(
    school: Deps,
) -> None:
    result = run(school, "templates", "list")
    assert result.exit_code == 0
    assert "uitstap  🔴 🚌  Uitstap met de klas" in result.output
    assert "In te vullen: datum (datum), plaats (plaats)" in result.output
    assert "Antwoorden: Ja, ik kom / Nee, ik kan niet / Ik heb een vraag" in result.output
    assert "16 talen: 1 nagelezen, 15 nog na te lezen" in result.output
    assert f"{len(school.phrasebook.templates)} sjablonen." in result.output


def test_templates_show_fills_the_slots_per_language_as_parents_read_it(school: Deps) -> None:
    result = run(
        school,
        "templates",
        "show",
        "uitstap",
        "--slot",
        "datum=2026-12-03",
        "--slot",
        "plaats=Brugge",
        "--taal",
        "fr",
        "--taal",
        "ar",
    )
    assert result.exit_code == 0, result.output
    assert "— Frans (nog na te lezen) —" in result.output
    assert "Le jeudi 3 décembre 2026, nous allons avec la classe à Brugge." in result.output
    assert "— Arabisch (nog na te lezen) —" in result.output
    assert "We gaan op donderdag 3 december 2026 met de klas naar Brugge." in result.output


def test_templates_show_without_values_shows_the_wordings_and_what_to_fill(school: Deps) -> None:
    result = run(school, "templates", "show", "oudercontact", "--taal", "tr")
    assert result.exit_code == 0
    assert "Vul in met --slot naam=waarde: datum (datum), uur (uur)" in result.output
    assert "{datum}" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["send", "--class", "3A", "--template", "geld", "--slot", "bedrag=-3"]
            + ["--slot", "item=een boek", "--slot", "datum=2026-12-01"],
            "'bedrag': '-3' is geen bedrag dat ouders kunnen betalen.",
        ),
        (["send", "--class", "3A", "--text", "Hallo", "--picto", "raket"], "'raket' ken ik niet"),
        (["send", "--class", "3A", "--template", "uitstap"], "heeft ook nodig: datum, plaats"),
        (["send", "--class", "3A"], "een sjabloon (--template) of een tekst (--text)"),
    ],
)
def test_send_explains_bad_input_in_dutch_and_queues_nothing(
    school: Deps, args: list[str], words: str
) -> None:
    result = run(school, *args, "--yes")
    assert result.exit_code == 1
    assert words in result.output
    assert "Kan het bericht niet maken: " in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["templates", "show", "dinosaurus"], "Onbekend sjabloon 'dinosaurus'"),
        (
            ["templates", "show", "uitstap", "--slot", "datum=morgen", "--slot", "plaats=X"],
            "'datum': 'morgen' is geen datum. Schrijf zo: 2026-12-03.",
        ),
        (["templates", "show", "uitstap", "--taal", "klingon"], "Taal 'klingon' ken ik niet"),
        (["translations", "approve", "42"], "no translation with number 42"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_code_1(
    school: Deps, args: list[str], words: str
) -> None:
    result = run(school, *args)
    assert result.exit_code == 1
    assert words in result.output


def test_translations_can_be_listed_corrected_and_approved(
    school: Deps, stub: MyMemoryStub
) -> None:
    assert "Er staan nog geen vertalingen" in run(school, "translations", "list").output
    first = messages.prepare_message(
        school, school="demo", groups=["3A"], text="Vrijdag is er sport."
    )
    listing = run(school, "translations", "list", "--taal", "tr").output
    assert "Turks  automatisch vertaald (mymemory), niet nagelezen" in listing
    assert "nl: Vrijdag is er sport." in listing
    entry = school.memory.entries(school_id=first.school_id, language="tr")[0]

    fixed = run(school, "translations", "edit", str(entry.id), "--tekst", "Cuma günü spor var.")
    assert f"Vertaling #{entry.id} is verbeterd" in fixed.output
    assert "verbeterd door school" in run(school, "translations", "list").output

    draft = messages.prepare_message(
        school, school="demo", groups=["3A"], text="Vrijdag is er sport."
    )
    assert "Cuma günü spor var." in draft.versions["tr"].parts[0]

    other = school.memory.entries(school_id=first.school_id, language="ar")[0]
    approved = run(school, "translations", "approve", str(other.id), "--door", "Fatima")
    assert f"Vertaling #{other.id} is nagelezen" in approved.output
    unreviewed = run(school, "translations", "list", "--nalezen").output
    assert unreviewed.count("#") == 1 and "Oekraïens" in unreviewed


def test_pictograms_list_shows_mark_symbol_label_and_image(school: Deps) -> None:
    result = run(school, "pictograms", "list")
    assert "🔴 🚌  uitstap: Uitstap  (beeld van OpenMoji, CC BY-SA 4.0:" in result.output
    assert len(result.output.splitlines()) == len(school.phrasebook.pictograms.by_key)


def test_check_names_each_finding_with_line_column_and_a_plainer_word(school: Deps) -> None:
    text = "De kostprijs zal op de maandelijkse factuur verrekend worden.\nKom met drie."
    result = run(school, "check", text, "--soort", "uitstap")
    assert result.exit_code == 0
    assert "Hele tekst: dit bericht mist een datum." in result.output
    assert "Regel 1, teken 4: 'kostprijs' is een moeilijk woord. Eenvoudiger: prijs." in (
        result.output
    )
    assert "Regel 1, teken 45: lijdende vorm 'verrekend worden'." in result.output
    assert "Regel 2, teken 9: 'drie' is een getal in woorden." in result.output
    assert "opmerkingen. Het zijn tips" in result.output


def test_check_of_plain_text_and_of_a_file(school: Deps, tmp_path: Path) -> None:
    assert "Geen opmerkingen" in run(school, "check", "We zetten het op de rekening.").output
    letter = tmp_path / "brief.txt"
    letter.write_text("De kleuters mogen fruit meebrengen.", encoding="utf-8")
    result = run(school, "check", "--bestand", str(letter))
    assert "Regel 1, teken 1: 'De kleuters'" in result.output
    assert "1 opmerking. Het is een tip" in result.output


def test_check_json_gives_each_finding_with_its_offsets_for_scripts(school: Deps) -> None:
    text = "De brief is verstuurd (vergeet het strookje niet). Breng a.u.b. eventueel fruit mee."
    result = run(school, "check", "--json", text)
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    assert [f["kind"] for f in findings] == [
        "passive",
        "bracketed_message",
        "jargon",
        "vague_word",
    ]
    for finding in findings:
        assert set(finding) == {"kind", "start", "end", "excerpt", "suggestion"}
        assert text[finding["start"] : finding["end"]] == finding["excerpt"]
    assert findings[2]["suggestion"] == "alstublieft"
    assert json.loads(run(school, "check", "--json", "Uw kind brengt fruit mee.").output) == []


def test_check_names_the_new_findings_in_dutch(school: Deps) -> None:
    result = run(school, "check", "De betaling gebeurt binnenkort (breng het geld mee).")
    assert "'De betaling gebeurt' is naamwoordstijl." in result.output
    assert "'binnenkort' is vaag." in result.output
    assert "'(breng het geld mee)' is een tweede boodschap tussen haakjes." in result.output


def test_check_without_text_or_with_an_unknown_kind_says_so(school: Deps) -> None:
    assert "Geef een tekst" in run(school, "check").output
    assert "Soort 'raket' ken ik niet" in run(school, "check", "Hallo.", "--soort", "raket").output


def test_send_shows_the_check_before_the_preview_and_still_sends(school: Deps) -> None:
    result = run(
        school,
        "send",
        "--class",
        "3A",
        "--text",
        "Het CLB komt <op bezoek> & kijkt naar de ogen.",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    check_at = result.output.index("'CLB' is vakjargon")
    preview_at = result.output.index("— Arabisch")
    assert check_at < preview_at
    assert "Het CLB komt <op bezoek> & kijkt naar de ogen." in result.output
    assert "staat klaar voor" in result.output


def test_a_text_over_telegrams_limit_is_refused_and_nothing_is_queued(school: Deps) -> None:
    result = run(school, "send", "--class", "3A", "--text", "Lang. " * 800, "--yes")
    assert result.exit_code == 1
    assert "De tekst heeft 4799 tekens. Eén bericht houdt er hoogstens 4096." in result.output
    with school.db.session() as session:
        from sqlalchemy import func, select

        from oudersbot.store.models import Delivery, Message

        assert session.scalar(select(func.count()).select_from(Message)) == 0
        assert session.scalar(select(func.count()).select_from(Delivery)) == 0
