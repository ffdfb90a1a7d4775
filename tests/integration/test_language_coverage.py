"""What the parents of a roster language will get, said to staff in one line: the phrasebook,
machine translation (asked of a local stub of the service), both, or Dutch only."""

from __future__ import annotations

from oudersbot.settings import PACKAGE_DIR
from oudersbot.simulator.translation_services import TranslationServiceStub
from oudersbot.translation.catalog import Words
from oudersbot.translation.coverage import coverage_line, coverage_of
from oudersbot.translation.machine import MachineTranslator, NoTranslator

WORDS = Words.load(PACKAGE_DIR / "locales")


def test_each_outcome_follows_from_the_phrasebook_and_what_the_service_knows() -> None:
    with TranslationServiceStub("microsoft") as stub:
        microsoft = MachineTranslator("microsoft", url=stub.url, api_key="k")
        assert coverage_of("ar", words=WORDS, translator=microsoft).outcome == "phrasebook_machine"
        assert coverage_of("fa", words=WORDS, translator=microsoft).outcome == "machine_only"
        assert coverage_of("am", words=WORDS, translator=microsoft).outcome == "dutch_only"
    with TranslationServiceStub("deepl") as stub:
        deepl = MachineTranslator("deepl", url=stub.url, api_key="k:fx")
        assert coverage_of("ti", words=WORDS, translator=deepl).outcome == "phrasebook_only"
    assert coverage_of("ar", words=WORDS, translator=NoTranslator()).outcome == "phrasebook_only"
    assert coverage_of("nl-BE", words=WORDS, translator=NoTranslator()).outcome == "source"


def test_a_service_that_cannot_be_asked_now_counts_as_knowing_the_language() -> None:
    offline = MachineTranslator("libre", url="http://127.0.0.1:9/", timeout=2)
    found = coverage_of("am", words=WORDS, translator=offline)
    assert (found.outcome, found.machine) == ("machine_only", None)


def test_the_line_staff_read_names_the_language_and_what_parents_get() -> None:
    line = coverage_line("am", words=WORDS, translator=NoTranslator())
    assert line.startswith("Amhaars (am): staat niet in de berichtenbank")
    assert "alles in het Nederlands" in line
