"""Reading roster files: everything right, or every problem named by line and column."""

from __future__ import annotations

from pathlib import Path

from oudersbot.domain.roster import parse_roster

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


def test_wrong_encoding_names_the_line() -> None:
    data = "klas,kind,ouder,taal\n3A,Amira,Fatima,ar\n3A,Émile,Zoë,fr\n".encode("cp1252")
    assert codes(data) == [(3, None, "not_utf8")]


def test_an_empty_file_and_a_header_only_file_are_problems() -> None:
    assert codes(b"") == [(1, None, "empty_file")]
    assert codes(b"klas,kind,ouder,taal\n") == [(2, None, "no_rows")]


def test_quoted_fields_with_commas_keep_line_numbers_right() -> None:
    data = b'klas,kind,ouder,taal\n3A,Amira,"El Amrani, Fatima",ar\n3A,Emre,,tr\n'
    assert codes(data) == [(3, "ouder", "empty")]
