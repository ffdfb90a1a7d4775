"""Vertalers review the shipped drafts for their school (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.services import invites, joining, translation_review
from oudersbot.services.messages import prepare_message
from oudersbot.services.translation_review import ReviewError
from oudersbot.store.db import Database
from oudersbot.store.models import Role
from tests.conftest import import_fixture_roster, make_settings

CORRECTED = "يوم {datum} يذهب الصف إلى المكتبة. نص مصحح."


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    return deps


def _vertaler(deps: Deps, name: str, chat_id: int, languages: list[str]) -> int:
    issued = invites.issue_staff_invite(
        deps, school="demo", name=name, role=Role.TRANSLATOR, groups=[], reads=languages
    )
    member = joining.redeem_invite(deps, chat_id=chat_id, code=issued.code).member
    assert member is not None and member.role == "translator"
    return member.id


def _arabic_text(deps: Deps) -> str:
    draft = prepare_message(
        deps, school="demo", groups=["3A"], template_id="bibliotheek", slots={"datum": "2026-12-10"}
    )
    return "\n".join(draft.versions["ar"].parts)


def test_a_draft_says_conceptvertaling_until_a_vertaler_approves_it(school: Deps) -> None:
    assert "مسودة ترجمة" in _arabic_text(school)
    lina = _vertaler(school, "Lina", 501, ["ar"])
    first = translation_review.next_draft(school, staff_id=lina)
    assert first is not None and first.language == "ar"
    translation_review.record(
        school, staff_id=lina, school_id=1, kind="template", item_id="bibliotheek", language="ar"
    )
    text = _arabic_text(school)
    assert "مسودة ترجمة" not in text and "ترجمة من الهولندية" in text
    done, total = translation_review.progress(school, school_id=1)["ar"]
    assert done == 1 and total > 40


def test_a_correction_wins_and_waits_for_a_second_reader_when_the_school_asks(
    school: Deps,
) -> None:
    assert run(school, "vertalers", "instellen", "--tweede-lezer", "ja").exit_code == 0
    lina = _vertaler(school, "Lina", 501, ["ar"])
    omar = _vertaler(school, "Omar", 502, ["ar"])
    translation_review.record(
        school,
        staff_id=lina,
        school_id=1,
        kind="template",
        item_id="bibliotheek",
        language="ar",
        correction=CORRECTED,
    )
    assert "نص مصحح" not in _arabic_text(school)  # waits for a second vertaler
    # Lina is not asked again about her own correction; Omar gets it, corrected, to approve.
    nxt = translation_review.next_draft(school, staff_id=omar)
    assert nxt is not None and nxt.item_id == "bibliotheek" and "نص مصحح" in nxt.text
    translation_review.record(
        school, staff_id=omar, school_id=1, kind="template", item_id="bibliotheek", language="ar"
    )
    assert "نص مصحح" in _arabic_text(school)


def test_only_a_vertaler_of_that_language_and_school_may_review(school: Deps) -> None:
    lina = _vertaler(school, "Lina", 501, ["ar"])
    with pytest.raises(ReviewError):  # not her language
        translation_review.record(
            school,
            staff_id=lina,
            school_id=1,
            kind="template",
            item_id="bibliotheek",
            language="tr",
        )
    with pytest.raises(ReviewError):  # another school
        translation_review.record(
            school,
            staff_id=lina,
            school_id=2,
            kind="template",
            item_id="bibliotheek",
            language="ar",
        )
    with pytest.raises(ReviewError):  # the slots must stay
        translation_review.record(
            school,
            staff_id=lina,
            school_id=1,
            kind="template",
            item_id="bibliotheek",
            language="ar",
            correction="بدون تاريخ",
        )
    assert translation_review.progress(school, school_id=1)["ar"][0] == 0


def test_invite_a_vertaler_at_the_shell_and_see_progress(school: Deps) -> None:
    result = run(school, "invites", "staff", "--rol", "vertaler", "--taal", "ar", "--name", "Lina")
    assert result.exit_code == 0 and "Vertaler voor: ar" in result.output
    bad = CliRunner().invoke(
        main, ["invites", "staff", "--rol", "vertaler", "--name", "X"], obj={"deps": school}
    )
    assert bad.exit_code != 0 and "--taal" in bad.output
    listed = run(school, "templates", "list")
    assert "Nagelezen door vertalers van deze school, per taal:" in listed.output
    assert " ar 0/" in listed.output
    library = run(school, "prikkel", "library")
    assert " ar 0/" in library.output


def test_po_export_and_import_and_a_bad_file_imports_nothing(school: Deps, tmp_path: Path) -> None:
    out = tmp_path / "ar.po"
    assert run(school, "vertalingen", "export", "--taal", "ar", "--out", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert 'msgctxt "template:bibliotheek"' in text and "#, fuzzy" in text
    bad = tmp_path / "bad.po"
    bad.write_text(
        text.replace('msgctxt "template:bibliotheek"', 'msgctxt "template:nope"'), encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["vertalingen", "import", str(bad), "--taal", "ar"], obj={"deps": school}
    )
    assert result.exit_code != 0
    assert "bad.po, regel" in result.output and "template:nope" in result.output
    assert translation_review.progress(school, school_id=1)["ar"][0] == 0
    result = run(school, "vertalingen", "import", str(out), "--taal", "ar")
    assert result.exit_code == 0 and "0 goedgekeurd, 0 verbeterd" in result.output  # all fuzzy
    finished = text.replace("#, fuzzy, ", "#, ").replace("#, fuzzy\n", "")  # translator is done
    out.write_text(finished, encoding="utf-8")
    result = run(school, "vertalingen", "import", str(out), "--taal", "ar")
    assert result.exit_code == 0 and "0 verbeterd" in result.output
    done, total = translation_review.progress(school, school_id=1)["ar"]
    assert done == total
