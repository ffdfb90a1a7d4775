"""Reading roster files: everything right, or every problem named by line and column."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from oudersbot.domain.roster import parse_roster
from oudersbot.domain.roster_file import RosterCode
from oudersbot.domain.roster_headers import BY_NAME, HEADERS, column_of, header_key

FIXTURE = Path(__file__).parents[1] / "fixtures" / "roster_3a_3b.csv"


def codes(data: bytes) -> list[tuple[int, str | None, str]]:
    """The problems of a file as (line, column, code)."""
    return [(p.line, p.column, p.code) for p in parse_roster(data, "lijst.csv").problems]


def test_a_good_file_gives_every_row_with_normalized_languages() -> None:
    parsed = parse_roster(FIXTURE.read_bytes(), "roster.csv")
    assert parsed.ok
    assert len(parsed.rows) == 10
    first = parsed.rows[0]
    assert (first.line, first.group, first.child, first.guardian) == (
        2,
        "3A",
        "Amira",
        "Fatima El Amrani",
    )
    assert first.language == "ar"
    assert first.phone == "+32470123456"
    assert parsed.rows[4].language == "nl-BE"


def test_excel_style_semicolons_and_bom_are_read() -> None:
    data = "\ufeffKlas;Kind;Ouder;Taal\n3A;Amira;Fatima;AR\n".encode()
    parsed = parse_roster(data, "export.csv")
    assert parsed.ok
    assert parsed.rows[0].language == "ar"


def test_missing_column_is_named_on_line_1() -> None:
    problems = parse_roster(b"klas,kind,ouder\n3A,Amira,Fatima\n", "lijst.csv").problems
    assert [(p.line, p.code) for p in problems] == [(1, "missing_columns")]
    assert problems[0].details["missing"] == "taal"


def test_every_problem_is_reported_with_line_and_column() -> None:
    data = (
        b"klas,kind,ouder,taal,telefoon\n"
        b"3A,Amira,Fatima,ar,\n"
        b"3A,,Youssef,nl,\n"
        b"3A,Emre,Ayse,xx-klingon,\n"
        b"3A,Olena,Iryna,uk,call me\n"
        b"3B,Sami,Fatima,fr,\n"
    )
    assert codes(data) == [
        (3, "kind", "empty"),
        (4, "taal", "unknown_language"),
        (5, "telefoon", "bad_phone"),
        (6, "taal", "disagree_language"),
    ]


def test_same_guardian_with_different_phones_disagrees() -> None:
    data = b"klas,kind,ouder,taal,telefoon\n3A,A,Fatima,ar,0470111111\n3B,B,Fatima,ar,0470222222\n"
    problems = parse_roster(data, "lijst.csv").problems
    assert [(p.line, p.column, p.code) for p in problems] == [(3, "telefoon", "disagree_phone")]
    assert problems[0].details["earlier_line"] == 2


def test_identical_repeated_guardian_rows_are_fine() -> None:
    data = b"klas,kind,ouder,taal\n3A,Amira,Fatima,ar\n3B,Sami,Fatima,ar\n"
    assert parse_roster(data, "lijst.csv").ok


def test_an_empty_file_and_a_header_only_file_are_problems() -> None:
    assert codes(b"") == [(1, None, "empty_file")]
    assert codes(b"klas,kind,ouder,taal\n") == [(2, None, "no_rows")]


def test_quoted_fields_with_commas_keep_line_numbers_right() -> None:
    data = b'klas,kind,ouder,taal\n3A,Amira,"El Amrani, Fatima",ar\n3A,Emre,,tr\n'
    assert codes(data) == [(3, "ouder", "empty")]


def xlsx(*sheets: list[list[object]]) -> bytes:
    """A workbook with these sheets, as openpyxl writes it."""
    book = Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Blad{number + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_header_name_belongs_to_one_column_only() -> None:
    names = [header_key(name) for aliases in HEADERS.values() for name in aliases]
    assert len(names) == len(set(names)) == len(BY_NAME)
    assert column_of("Leerling_ID") == column_of("leerling-id") == "child_id"
    assert column_of("Stamboeknummer") == column_of("Pupil ID") == "child_id"
    assert column_of("Contact ID") == column_of("relatienummer") == "guardian_id"
    assert column_of("intern nummer") == column_of("Internal number") == "child_id"
    assert column_of("id") is None and column_of("naam") is None and column_of("nummer") is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_utf8_cp1252_and_latin1_with_commas_or_semicolons_are_read(
    encoding: str, delimiter: str
) -> None:
    text = "klas,kind,ouder,taal\n3A,Émile,Zoë Müller,fr\n3A,Noël,François Dupré,fr\n"
    parsed = parse_roster(text.replace(",", delimiter).encode(encoding), "lijst.csv")
    assert parsed.ok, parsed.problems
    assert [(r.child, r.guardian) for r in parsed.rows] == [
        ("Émile", "Zoë Müller"),
        ("Noël", "François Dupré"),
    ]


def test_a_cp1252_euro_sign_and_curly_quotes_are_not_read_as_latin1() -> None:
    text = "klas;kind;ouder;taal\n3A;Ann’s;Zoë – €;nl\n"
    parsed = parse_roster(text.encode("cp1252"), "lijst.csv")
    assert parsed.ok and parsed.rows[0].guardian == "Zoë – €"


def test_excels_unicode_text_utf16_with_tabs_is_read() -> None:
    parsed = parse_roster(
        "klas\tkind\touder\ttaal\r\n3A\tZoë\tŞule\ttr\r\n".encode("utf-16"), "x.txt"
    )
    assert parsed.ok and (parsed.rows[0].child, parsed.rows[0].guardian) == ("Zoë", "Şule")


def test_old_mac_line_endings_are_lines() -> None:
    parsed = parse_roster(b"klas,kind,ouder,taal\r3A,Amira,Fatima,ar\r3B,Sami,Fatima,ar\r", "x.csv")
    assert [(r.line, r.child) for r in parsed.rows] == [(2, "Amira"), (3, "Sami")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"klas,kind,ouder,taal\n3A,Am\x00ira,Fatima,ar\n", (2, None, "nul_byte")),
        (
            b'klas,kind,ouder,taal\n3A,Amira,Fatima,ar\n3A,"Sami,Fatima,ar\n3B,x,y,nl\n',
            (3, None, "unterminated_quote"),
        ),
        (
            b"klas,kind,ouder,taal\n3A,Amira,Fatima,ar\n3A," + b"x" * 131_073 + b",Fatima,ar\n",
            (3, None, "cell_too_long"),
        ),
        (b"klas,kind,ouder,taal,class\n3A,Amira,Fatima,ar,3A\n", (1, "class", "duplicate_column")),
        (
            b"klas,kind,ouder,taal,opmerking,Opmerking\n3A,Amira,Fatima,ar,,\n",
            (1, "Opmerking", "duplicate_column"),
        ),
    ],
)
def test_a_file_that_cannot_be_read_safely_is_one_named_problem(
    data: bytes, expected: tuple[int, str | None, RosterCode]
) -> None:
    assert codes(data) == [expected]


def test_phones_are_stored_as_e164_and_an_invalid_number_is_a_problem() -> None:
    data = (
        b"klas,kind,ouder,taal,gsm\n"
        b"3A,Amira,Fatima,ar,0470 12 34 56\n"
        b"3A,Emre,Ayse,tr,+31 6 12345678\n"
        b"3A,Jan,Katrien,nl,0470 12\n"
    )
    assert codes(data) == [(4, "gsm", "bad_phone")]
    ok = parse_roster(data.rsplit(b"3A,Jan", 1)[0], "x.csv")
    assert [r.phone for r in ok.rows] == ["+32470123456", "+31612345678"]


def test_the_headers_of_a_school_administration_with_ids_are_read() -> None:
    data = (
        b"Leerling ID;Klasgroep;Voornaam leerling;Contact ID;Naam ouder;Thuistaal;GSM\n"
        b"1001;3A;Adam;501;Samira Benali;ar;0470 11 11 11\n"
        b"1002;3A;Adam;502;Tom Claes;nl;0470 22 22 22\n"
        b"1001;3A;Adam;503;Karim Benali;ar;\n"
    )
    parsed = parse_roster(data, "informat.csv")
    assert parsed.ok and parsed.has_child_ids and parsed.has_guardian_ids
    assert [(r.child_id, r.guardian_id, r.group) for r in parsed.rows] == [
        ("1001", "501", "3A"),
        ("1002", "502", "3A"),
        ("1001", "503", "3A"),
    ]


def test_an_empty_id_and_one_id_for_two_people_are_problems() -> None:
    data = (
        b"leerlingnummer,klas,kind,ouder id,ouder,taal\n"
        b"1001,3A,Adam,501,Samira,ar\n"
        b"1001,3B,Sara,502,Tom,nl\n"
        b",3A,Lina,501,Samira Benali,ar\n"
    )
    assert codes(data) == [
        (3, "leerlingnummer", "child_id_twice"),
        (4, "leerlingnummer", "empty"),
    ]
    data = b"klas,kind,ouder id,ouder,taal\n3A,Adam,501,Samira,ar\n3B,Sara,501,Tom,ar\n"
    assert codes(data) == [(3, "ouder id", "guardian_id_twice")]


def test_without_ids_the_same_first_name_again_in_a_class_with_another_parent_is_refused() -> None:
    data = (
        b"klas,kind,ouder,taal\n"
        b"3A,Adam,Samira Benali,ar\n"
        b"3A,Sara,Tom Claes,nl\n"
        b"3A,Adam,Tom Claes,nl\n"
    )
    problems = parse_roster(data, "x.csv").problems
    assert [(p.line, p.code, p.details["earlier_line"]) for p in problems] == [
        (4, "same_child_name", 2)
    ]


def test_a_childs_lines_together_are_one_child_with_two_parents_and_siblings_share_a_parent() -> (
    None
):
    data = (
        b"klas,kind,ouder,taal,telefoon\n"
        b"3A,Adam,Samira Benali,ar,0470111111\n"
        b"3A,Adam,Karim Benali,ar,\n"
        b"5B,Lina,Samira Benali,ar,0470111111\n"
        b"3A,Adam,Samira Benali,ar,\n"
        b"3B,Adam,Tom Claes,nl,\n"
    )
    parsed = parse_roster(data, "x.csv")
    assert parsed.ok, parsed.problems
    assert len({r.child_key for r in parsed.rows}) == 3
    assert len({r.guardian_key for r in parsed.rows}) == 3


def test_an_excel_sheet_is_read_with_rows_named_by_their_excel_row_number() -> None:
    data = xlsx(
        [["Notities"], ["niets"]],
        [
            ["Klas", "Kind", "Ouder", "Taal", "GSM", "Leerlingnummer"],
            ["3A", "Amira", "Fatima El Amrani", "ar", 470123456, 1001],
            [None, None, None, None, None, None],
            ["3A", "Emre", "", "tr", None, 1002],
        ],
    )
    assert [(p.line, p.column, p.code) for p in parse_roster(data, "lijst.xlsx").problems] == [
        (4, "Ouder", "empty")
    ]
    good = xlsx(
        [
            ["Klas", "Kind", "Ouder", "Taal", "GSM", "Leerlingnummer"],
            ["3A", "Amira", "Fatima", "ar", 470123456, 1001],
        ]
    )
    row = parse_roster(good, "lijst.xlsx").rows[0]
    assert (row.line, row.phone, row.child_id) == (2, "+32470123456", "1001")


def test_a_broken_excel_file_is_one_problem() -> None:
    assert [(p.line, p.code) for p in parse_roster(b"PK\x03\x04broken", "lijst.xlsx").problems] == [
        (1, "not_xlsx")
    ]


def test_every_problem_code_has_dutch_words() -> None:
    from typing import get_args

    from oudersbot.settings import PACKAGE_DIR
    from oudersbot.translation.catalog import Words

    words = Words.load(PACKAGE_DIR / "locales")
    for code in get_args(RosterCode):
        assert words.has("nl", f"roster.problem.{code}"), code
