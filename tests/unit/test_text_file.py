"""`text_file.read_table`: a CSV as office programs save it, rows with their line numbers, or
every problem with line and column."""

from __future__ import annotations

import pytest

from oudersbot.calendar_files.text_file import (
    MAX_CELL,
    MAX_FILE_BYTES,
    Row,
    Table,
    TableProblem,
    TableRefused,
    decode,
    read_table,
)

BELGIAN = "datum;titel;klas\n4/12/2026;Sinterklaasfeest – Lagere school;3A\n5/12/2026;Café €2;3B\n"


def table(data: bytes) -> Table:
    read = read_table(data, "kalender.csv")
    assert isinstance(read, Table), read
    return read


def refused(data: bytes) -> list[TableProblem]:
    read = read_table(data, "kalender.csv")
    assert isinstance(read, TableRefused), read
    assert read.filename == "kalender.csv"
    return list(read.problems)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_each_encoding_and_delimiter_reads_the_same_rows(encoding: str, delimiter: str) -> None:
    text = BELGIAN.replace(";", delimiter)
    if encoding == "latin-1":
        text = text.replace("–", "-").replace("€", "EUR")  # Latin-1 has neither
    read = table(text.encode(encoding))
    assert read.delimiter == delimiter
    assert read.header == Row(1, ("datum", "titel", "klas"))
    assert [row.cells[1] for row in read.rows] == [
        "Sinterklaasfeest – Lagere school"
        if encoding != "latin-1"
        else "Sinterklaasfeest - Lagere school",
        "Café €2" if encoding != "latin-1" else "Café EUR2",
    ]


def test_utf8_comes_first_and_windows_1252_when_it_cannot_be_told() -> None:
    assert decode("café".encode()) == ("café", "utf-8")
    assert decode("café".encode("cp1252")) == ("café", "cp1252")
    assert decode("Sinterklaas – café €".encode("cp1252")) == ("Sinterklaas – café €", "cp1252")
    assert decode("Crêpes bakken en café chantant\r".encode("mac_roman"))[0] == (  # type: ignore[index]
        "Crêpes bakken en café chantant\r"
    )


def test_bytes_that_are_no_text_are_refused() -> None:
    assert refused(bytes(range(256)) * 4) == [TableProblem("not_text")]
    assert refused(b"x" * (MAX_FILE_BYTES + 1)) == [
        TableProblem("too_big", params={"limit": MAX_FILE_BYTES // 1_000_000})
    ]
    assert refused(b" \n\r\n") == [TableProblem("empty")]


def test_lines_end_in_lf_crlf_or_a_lone_cr_alike() -> None:
    for ending in ("\n", "\r\n", "\r"):
        read = table(BELGIAN.replace("\n", ending).encode())
        assert [row.line for row in read.rows] == [2, 3]


def test_doubled_quotes_in_a_quoted_cell_are_one_quote() -> None:
    read = table(b'datum;titel\n3/12/2026;"Toneel ""De Leeuw""; deel 2"\n')
    assert read.rows == (Row(2, ("3/12/2026", 'Toneel "De Leeuw"; deel 2')),)


def test_a_quoted_cell_over_two_lines_is_read_and_moves_the_next_line() -> None:
    read = table(b'datum;titel\n3/12/2026;"Sinterklaas\nop school"\n4/12/2026;Fotodag\n')
    assert read.rows == (
        Row(2, ("3/12/2026", "Sinterklaas\nop school")),
        Row(4, ("4/12/2026", "Fotodag")),
    )


def test_an_unclosed_quote_that_swallows_the_next_rows_is_refused_with_its_line() -> None:
    data = b'datum;titel;klas\n3/12/2026;"Uitstap;3A\n4/12/2026;Fotodag;3B\n5/12/2026;Sint;3A\n'
    assert refused(data) == [TableProblem("open_quote", 2, 0, {"end": 4})]
    closed_later = b'datum;titel;klas\n3/12/2026;"Uitstap;3A\n4/12/2026;Fotodag";3B\n'
    assert refused(closed_later) == [TableProblem("open_quote", 2, 2, {"end": 3})]


def test_a_quote_after_a_closing_quote_is_refused() -> None:
    assert refused(b'datum;titel\n3/12/2026;"Toneel" De Leeuw\n') == [TableProblem("bad_quote", 2)]


def test_a_nul_or_another_control_character_is_refused_with_line_and_column() -> None:
    data = b"datum;titel\n3/12/2026;Uit\x00stap\n4/12/2026;Foto\x1bdag\n"
    assert refused(data) == [
        TableProblem("control_character", 2, 2, {"char": "U+0000"}),
        TableProblem("control_character", 3, 2, {"char": "U+001B"}),
    ]


@pytest.mark.parametrize("size", [MAX_CELL + 1, 140_000])
def test_an_oversized_cell_is_refused_with_its_line(size: int) -> None:
    data = b"datum;titel\n3/12/2026;" + b"x" * size + b"\n4/12/2026;Fotodag\n"
    [problem] = refused(data)
    assert (problem.code, problem.line, problem.params) == ("cell_too_long", 2, {"limit": MAX_CELL})


def test_blank_rows_are_left_out() -> None:
    assert table(b"datum;titel\n;\n\n3/12/2026;Foto\n").rows == (Row(4, ("3/12/2026", "Foto")),)
