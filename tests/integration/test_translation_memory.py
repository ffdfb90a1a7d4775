"""Free text is machine-translated once per language, kept, and corrected by staff.

The provider is deep-translator's MyMemory, whose HTTP calls go through a proxy that is a
local stub (oudersbot.simulator.translator): never the internet.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services import messages
from oudersbot.services.roster import import_roster
from oudersbot.settings import Settings
from oudersbot.simulator.translator import MyMemoryStub
from oudersbot.store.db import Database
from oudersbot.translation.machine import MachineTranslator
from oudersbot.translation.memory import TranslationMemoryError

TWELVE = ["fr", "en", "ar", "tr", "pl", "ro", "uk", "bg", "ru", "es", "pt", "so"]


def roster_in(languages: list[str], per_language: int = 3) -> bytes:
    lines = ["klas,kind,ouder,taal"]
    for index, language in enumerate(languages * per_language):
        lines.append(f"4A,Kind{index},Ouder {index},{language}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def stub() -> Iterator[MyMemoryStub]:
    with MyMemoryStub() as running:
        yield running


@pytest.fixture
def school_deps(
    settings: Settings, database: Database, clock: FixedClock, stub: MyMemoryStub
) -> Deps:
    translator = MachineTranslator("mymemory", proxy=stub.proxy, timeout=5, concurrency=4)
    deps = bootstrap(settings, clock=clock, translator=translator, db=database)
    report = import_roster(
        deps, data=roster_in(["nl", *TWELVE]), filename="4a.csv", school="demo", school_name="X"
    )
    assert report.ok, report.problems
    return deps


def school_id(deps: Deps) -> int:
    return messages.prepare_message(deps, school="demo", groups=["4A"], text="x").school_id


def test_a_message_in_twelve_languages_costs_twelve_calls_and_a_resend_none(
    school_deps: Deps, stub: MyMemoryStub
) -> None:
    text = "Morgen gaan we naar het bos. Uw kind draagt laarzen."
    draft = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    assert len(draft.recipients) == 13 * 3
    assert sorted(c.target.split("-")[0] for c in stub.state.calls) == sorted(TWELVE)
    french = draft.versions["fr"]
    assert french.origin == "machine" and french.status == "machine"
    assert "&lt;fr-FR&gt; Morgen gaan we naar het bos." in french.parts[0]
    assert school_deps.words.text("fr", "message.machine_translated") in french.parts[0]

    again = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    assert len(stub.state.calls) == 12
    assert again.versions["fr"].parts == french.parts


def test_languages_are_translated_side_by_side_but_never_more_than_the_limit(
    school_deps: Deps, stub: MyMemoryStub
) -> None:
    stub.state.latency = 0.1
    messages.prepare_message(school_deps, school="demo", groups=["4A"], text="Vrijdag is er sport.")
    assert len(stub.state.calls) == 12
    assert 2 <= stub.state.max_in_flight <= 4


def test_an_unavailable_provider_gives_dutch_and_a_line_in_their_language_then_recovers(
    school_deps: Deps, stub: MyMemoryStub
) -> None:
    stub.state.mode = "quota"
    text = "De schoolpoort gaat om 08:15 open."
    draft = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    turkish = draft.versions["tr"]
    assert turkish.origin == "none"
    assert text in turkish.parts[0]
    assert school_deps.words.text("tr", "message.no_translation") in turkish.parts[0]
    assert school_deps.memory.entries(school_id=draft.school_id) == []

    stub.state.mode = "ok"
    later = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    assert later.versions["tr"].origin == "machine"


def test_a_staff_correction_wins_over_the_machine_and_is_labelled_as_a_translation(
    school_deps: Deps, stub: MyMemoryStub
) -> None:
    text = "Woensdag is er geen school."
    draft = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    (entry,) = school_deps.memory.entries(school_id=draft.school_id, language="pl")
    assert (entry.origin, entry.provider, entry.reviewed) == ("machine", "mymemory", False)

    school_deps.memory.edit(
        school_id=draft.school_id, entry_id=entry.id, text="W środę nie ma szkoły.", by="juf Els"
    )
    calls = len(stub.state.calls)
    corrected = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    polish = corrected.versions["pl"]
    assert "W środę nie ma szkoły." in polish.parts[0]
    assert (polish.origin, polish.status) == ("human", "reviewed")
    assert school_deps.words.text("pl", "message.translated") in polish.parts[0]
    assert school_deps.words.text("pl", "message.machine_translated") not in polish.parts[0]
    assert len(stub.state.calls) == calls


def test_approving_a_machine_translation_marks_it_reviewed(school_deps: Deps) -> None:
    text = "Donderdag gaan we zwemmen."
    sid = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text).school_id
    (entry,) = school_deps.memory.entries(school_id=sid, language="ro")
    school_deps.memory.approve(school_id=sid, entry_id=entry.id, by="meester Tom")
    assert school_deps.memory.entries(school_id=sid, language="ro", unreviewed=True) == []
    again = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    assert (again.versions["ro"].origin, again.versions["ro"].status) == ("machine", "reviewed")


def test_corrections_name_an_existing_entry_of_this_school_and_are_not_empty(
    school_deps: Deps,
) -> None:
    sid = school_id(school_deps)
    with pytest.raises(TranslationMemoryError, match="no translation with number 999"):
        school_deps.memory.edit(school_id=sid, entry_id=999, text="x", by="juf")
    (entry, *_) = school_deps.memory.entries(school_id=sid)
    with pytest.raises(TranslationMemoryError, match="empty"):
        school_deps.memory.edit(school_id=sid, entry_id=entry.id, text="  ", by="juf")
    with pytest.raises(TranslationMemoryError, match="no translation"):
        school_deps.memory.approve(school_id=sid + 1, entry_id=entry.id, by="juf")


def test_a_text_over_the_providers_limit_is_sent_in_sentences_and_joined_again(
    school_deps: Deps, stub: MyMemoryStub
) -> None:
    sentence = "Op maandag gaan we met de hele klas naar de bibliotheek in de stad. "
    text = (sentence * 40).strip() + "\nTot dan!"
    draft = messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    english = [c for c in stub.state.calls if c.target.startswith("en")]
    assert len(english) > 1
    assert all(len(c.text) < 500 for c in english)
    assert all(c.text.endswith((".", "!")) for c in english)
    body = "".join(draft.versions["en"].parts)
    assert body.count("Op maandag gaan we") == 80  # 40 translated, 40 in the Dutch original
    assert body.count("&lt;en-GB&gt;") == len(english)


def test_markup_from_the_provider_is_shown_as_text(school_deps: Deps) -> None:
    draft = messages.prepare_message(
        school_deps, school="demo", groups=["4A"], text="Neem <b>brood</b> & water mee."
    )
    spanish = draft.versions["es"].parts[0]
    assert "&lt;b&gt;brood&lt;/b&gt; &amp; water" in spanish
    assert "<b>brood</b>" not in spanish


def test_the_memory_survives_a_restart(
    school_deps: Deps, stub: MyMemoryStub, settings: Settings, database: Database, tmp_path: Path
) -> None:
    text = "Maandag is het rapport."
    messages.prepare_message(school_deps, school="demo", groups=["4A"], text=text)
    restarted = bootstrap(
        settings,
        clock=school_deps.clock,
        translator=MachineTranslator("mymemory", proxy=stub.proxy),
        db=database,
    )
    messages.prepare_message(restarted, school="demo", groups=["4A"], text=text)
    assert len(stub.state.calls) == 12
