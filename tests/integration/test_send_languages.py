"""At send time staff see which languages are machine-translated, which are read by a person,
which fall back to Dutch, and why (the translation service is a local stub of DeepL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.cli.common import school_id
from oudersbot.clock import FixedClock
from oudersbot.simulator.translation_services import TranslationServiceStub
from oudersbot.store.db import Database
from oudersbot.translation.machine import MachineTranslator, NoTranslator
from tests.conftest import import_fixture_roster, make_settings

TEXT = "Morgen gaan we naar het bos. Uw kind draagt laarzen."


@pytest.fixture
def deepl() -> Iterator[TranslationServiceStub]:
    with TranslationServiceStub("deepl") as stub:
        yield stub


@pytest.fixture
def school(
    tmp_path: Path, database: Database, clock: FixedClock, deepl: TranslationServiceStub
) -> Deps:
    settings = make_settings(tmp_path, school_slug="demo")
    translator = MachineTranslator("deepl", url=deepl.url, api_key="sleutel:fx", timeout=5)
    deps = bootstrap(settings, clock=clock, translator=translator, db=database)
    import_fixture_roster(deps)
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def test_a_failing_service_is_named_per_language_in_the_preview(
    school: Deps, deepl: TranslationServiceStub
) -> None:
    deepl.state.failing_targets = {"ar", "tr"}
    result = run(school, "send", "--class", "3A", "--text", TEXT, "--preview")
    assert result.exit_code == 0, result.output
    assert "Automatisch vertaald, door niemand nagelezen: Oekraïens (uk)." in result.output
    assert (
        "Vertaling mislukt voor: Arabisch (ar), Turks (tr) — die ouders krijgen het Nederlands"
        " met de melding 'nog niet vertaald'." in result.output
    )


def test_a_corrected_translation_counts_as_read_by_a_person(
    school: Deps, deepl: TranslationServiceStub
) -> None:
    run(school, "send", "--class", "3A", "--text", TEXT, "--preview")
    (entry,) = school.memory.entries(school_id=school_id(school), language="uk")
    run(school, "translations", "edit", str(entry.id), "--tekst", "Завтра ми йдемо до лісу.")
    result = run(school, "send", "--class", "3A", "--text", TEXT, "--preview")
    assert "Vertaling nagelezen door een mens: Oekraïens (uk)." in result.output
    assert "Automatisch vertaald, door niemand nagelezen: Arabisch (ar), Turks (tr)." in (
        result.output
    )


def test_without_a_service_staff_read_that_none_is_set_up(
    tmp_path: Path, database: Database, clock: FixedClock
) -> None:
    settings = make_settings(tmp_path, school_slug="demo")
    deps = bootstrap(settings, clock=clock, translator=NoTranslator(), db=database)
    import_fixture_roster(deps)
    result = run(deps, "send", "--class", "3B", "--text", TEXT, "--preview")
    assert "Geen vertaaldienst ingesteld (OUDERSBOT_TRANSLATOR)" in result.output
