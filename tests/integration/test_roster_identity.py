"""Who is who on a re-import: the school's own ids first, names only when they cannot be two
people; a row that could be two people is refused, never merged (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import Workbook
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps
from oudersbot.cli import main
from oudersbot.services.roster import RosterReport, import_roster
from oudersbot.store.models import Child, Guardian, GuardianChild

FIXTURE = Path(__file__).parents[1] / "fixtures" / "roster_3a_3b.csv"
WITH_IDS = (
    "Leerling ID;Klas;Voornaam leerling;Contact ID;Naam ouder;Thuistaal;GSM\n"
    "1001;3A;Adam;501;Samira Benali;ar;0470 11 11 11\n"
    "1001;3A;Adam;502;Karim Benali;ar;\n"
    "1002;3A;Adam;503;Tom Claes;nl;0470 22 22 22\n"
    "1003;3B;Lina;501;Samira Benali;ar;0470 11 11 11\n"
)


def load(deps: Deps, text: str, name: str = "lijst.csv") -> RosterReport:
    return import_roster(deps, data=text.encode(), filename=name, school="demo")


def children_of(deps: Deps) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Per pupil id: (class, first name, guardian names)."""
    with deps.db.session() as s:
        found: dict[str, list[tuple[str, str, list[str]]]] = {}
        for child in s.scalars(select(Child).order_by(Child.id)):
            names = sorted(
                s.scalars(
                    select(Guardian.name)
                    .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
                    .where(GuardianChild.child_id == child.id)
                )
            )
            found.setdefault(child.external_id or "-", []).append(
                (child.group.name, child.first_name, names)
            )
        return found


def test_two_adams_with_their_own_ids_are_two_children_each_with_their_own_parents(
    deps: Deps,
) -> None:
    report = load(deps, WITH_IDS)
    assert report.ok, report.problems
    assert children_of(deps) == {
        "1001": [("3A", "Adam", ["Karim Benali", "Samira Benali"])],
        "1002": [("3A", "Adam", ["Tom Claes"])],
        "1003": [("3B", "Lina", ["Samira Benali"])],
    }
    with deps.db.session() as s:
        samira = s.scalars(select(Guardian).where(Guardian.external_id == "501")).one()
        assert samira.phone == "+32470111111"


def test_with_ids_a_renamed_child_who_moved_class_stays_the_same_child_with_its_parents(
    deps: Deps,
) -> None:
    load(deps, WITH_IDS)
    with deps.db.session() as s:
        before = s.scalars(select(Child.id).where(Child.external_id == "1001")).one()
    moved = WITH_IDS.replace("1001;3A;Adam", "1001;4A;Adem").replace(
        "501;Samira Benali", "501;Samira Benali-Peeters"
    )
    report = load(deps, moved)
    assert report.changes is not None
    assert report.changes.changed_children == ("Adem (4A)",)
    assert report.changes.changed_guardians == ("Samira Benali-Peeters",)
    assert report.changes.new_children == report.changes.new_guardians == ()
    with deps.db.session() as s:
        assert s.scalars(select(Child.id).where(Child.external_id == "1001")).one() == before
    assert children_of(deps)["1001"] == [("4A", "Adem", ["Karim Benali", "Samira Benali-Peeters"])]


def test_the_same_file_with_ids_again_changes_nothing(deps: Deps) -> None:
    load(deps, WITH_IDS)
    again = load(deps, WITH_IDS)
    assert again.changes is not None and again.changes.changes == 0
    assert (again.changes.unchanged_children, again.changes.unchanged_guardians) == (3, 3)


def test_a_school_that_adds_ids_later_keeps_its_children_and_parents(deps: Deps) -> None:
    load(deps, FIXTURE.read_text(encoding="utf-8"))
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    numbered = ["leerlingnummer," + lines[0]] + [
        f"{1000 + n},{line}" for n, line in enumerate(lines[1:])
    ]
    # Amira's two lines are one child: one pupil number for both.
    numbered[2] = numbered[2].replace("1001,", "1000,")
    report = load(deps, "\n".join(numbered) + "\n")
    assert report.ok, report.problems
    assert report.changes is not None and report.changes.new_children == ()
    with deps.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Child)) == 9
        assert s.scalar(select(func.count()).where(Child.external_id.is_(None))) == 0


def test_a_name_that_matches_two_known_children_is_refused_and_nothing_is_imported(
    deps: Deps,
) -> None:
    load(deps, WITH_IDS)
    report = load(deps, "klas,kind,ouder,taal\n3B,Mila,Els,nl\n3A,Adam,Nieuwe Ouder,nl\n")
    assert [(p.line, p.code) for p in report.problems] == [(3, "existing_child_ambiguous")]
    with deps.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Child)) == 3
    # A parent of one of them says which Adam it is.
    ok = load(deps, "klas,kind,ouder,taal\n3A,Adam,Tom Claes,nl\n")
    assert ok.changes is not None and ok.changes.changes == 0


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def test_the_cli_names_both_lines_of_two_children_that_could_be_one(
    deps: Deps, tmp_path: Path
) -> None:
    path = tmp_path / "klas.csv"
    path.write_text(
        "klas,kind,ouder,taal\n3A,Adam,Samira Benali,ar\n3A,Sara,Tom Claes,nl\n"
        "3A,Adam,Tom Claes,nl\n",
        encoding="utf-8",
    )
    result = run(deps, "roster", "import", str(path))
    assert result.exit_code == 1
    assert "niets ingelezen" in result.output
    assert f"{path}, regel 4, kolom 'kind': Adam in klas 3A staat ook op regel 2" in result.output
    assert "leerlingnummer" in result.output and "Adam B." in result.output


def test_the_cli_reads_an_excel_file_and_names_rows(deps: Deps, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Klas", "Kind", "Ouder", "Taal", "GSM"])
    sheet.append(["3A", "Amira", "Fatima El Amrani", "ar", "0470 12 34 56"])
    sheet.append(["3A", "Emre", "Ayşe Yılmaz", "tr", "12"])
    out = io.BytesIO()
    book.save(out)
    path = tmp_path / "klas.xlsx"
    path.write_bytes(out.getvalue())
    result = run(deps, "roster", "import", str(path))
    assert result.exit_code == 1
    assert f"{path}, rij 3, kolom 'GSM': geen telefoonnummer: '12'" in result.output
    sheet.delete_rows(3)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    result = run(deps, "roster", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "klas.xlsx: 1 klassen, 1 kinderen, 1 ouders." in result.output
    with deps.db.session() as s:
        assert s.scalars(select(Guardian.phone)).one() == "+32470123456"


def test_a_language_outside_the_phrasebook_is_read_and_staff_are_told_what_it_gets(
    deps: Deps, tmp_path: Path
) -> None:
    path = tmp_path / "klas.csv"
    path.write_text(
        "klas,kind,ouder,taal\n3A,Selam,Hiwot Tesfaye,am\n3A,Sara,Tom Claes,nl\n",
        encoding="utf-8",
    )
    result = run(deps, "roster", "import", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    amharic = [line for line in lines if "(am)" in line]
    assert len(amharic) == 1 and "Nederlands" in amharic[0]  # no translator in the tests
    assert not any("(nl)" in line for line in lines)  # Dutch needs no such line
