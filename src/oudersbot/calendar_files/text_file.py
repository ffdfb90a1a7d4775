"""A text file as staff's programs save it, and a spreadsheet export (.csv) read strictly.

Nothing here knows about calendars: `read_table(data, filename)` gives the rows of a CSV with
the physical line each starts on, or every problem found, each with its line and column (the
cell's number, from 1) and a code with details (`TableCode`); a caller turns the codes into its
own staff words. `decode(data)` and `control_characters(text)` serve any text file.

- Encodings: UTF-8 (with or without BOM) first; UTF-16 with a BOM (Excel's "Unicode text");
  else charset-normalizer picks between Windows-1252, Latin-1 and Mac Roman, and Windows-1252
  wins when it cannot tell (what Excel on a Belgian PC saves). Bytes that are no text at all
  are refused.
- The delimiter is what the header line holds most of: ';' (Belgian Excel), ',' or a tab.
- Line endings \\n, \\r\\n and a lone \\r (old Mac) alike.
- Strict quoting: "" inside a quoted cell is one quote. A quoted cell may run over several lines
  (Alt+Enter in Excel), but one that holds the delimiter on a later line swallowed the next rows
  (its quote was never closed) and is refused, as is a quote never closed at all or a quote
  right after a closing one.
- A cell over MAX_CELL characters, and invisible control characters (NUL and the like, which
  PostgreSQL refuses to store) are refused with their line and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import charset_normalizer

# A school's calendar or roster is a few hundred kilobytes at most.
MAX_FILE_BYTES = 5_000_000
# A cell is a date, a name or a title; a longer one is a mistake (or a file that is no table).
MAX_CELL = 2_000
# Past this many problems a file is clearly not a table; the rest is not listed.
MAX_PROBLEMS = 200
DELIMITERS = ";,\t"

# C0 controls but tab, line feed and carriage return; DEL; C1 controls (Latin-1 0x80-0x9F).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WESTERN = ["cp1252", "latin_1", "mac_roman"]

TableCode = Literal[
    "too_big",  # limit (MB)
    "not_text",
    "not_utf8",  # a file with a UTF-8 BOM that is not UTF-8 on this line
    "empty",
    "control_character",  # char ("U+0000")
    "cell_too_long",  # limit
    "open_quote",  # end: the line where the quote closes, or the last line
    "bad_quote",
    "unreadable_row",  # error (the csv module's words)
]


@dataclass(frozen=True)
class TableProblem:
    """One thing wrong: `code` with `params`, at `line` (0: the whole file) and `column` (0: the
    whole line; else the cell's number from 1, or in a plain text file the character's)."""

    code: TableCode
    line: int = 0
    column: int = 0
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """The cells of one record and the physical line it starts on (1 is the first line)."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A CSV read whole: its header (line 1) and the rows after it; blank rows left out."""

    filename: str
    encoding: str
    delimiter: str
    header: Row
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class TableRefused:
    """A CSV that cannot be read, with every problem found (at most MAX_PROBLEMS)."""

    filename: str
    problems: tuple[TableProblem, ...]


def read_table(data: bytes, filename: str) -> Table | TableRefused:
    """The rows of a CSV file's bytes with their line numbers, or every problem in it."""
    text = decode_checked(data)
    if not isinstance(text, tuple):
        return TableRefused(filename, tuple(text))
    content, encoding = text
    first_line = re.split(r"\r\n|\r|\n", content, maxsplit=1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    problems: list[TableProblem] = []
    rows = list(_records(content, delimiter, problems))
    if problems:
        return TableRefused(filename, tuple(problems[:MAX_PROBLEMS]))
    if not rows:
        return TableRefused(filename, (TableProblem("empty"),))
    return Table(filename, encoding, delimiter, rows[0], tuple(rows[1:]))


def decode_checked(data: bytes) -> tuple[str, str] | list[TableProblem]:
    """(text, encoding) of a file's bytes, or why it cannot be read as text."""
    if len(data) > MAX_FILE_BYTES:
        return [TableProblem("too_big", params={"limit": MAX_FILE_BYTES // 1_000_000})]
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            return _not_utf8_lines(data)
    decoded = decode(data)
    if decoded is None:
        return [TableProblem("not_text")]
    if not decoded[0].strip():
        return [TableProblem("empty")]
    return decoded


def decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of bytes saved by an office program; None for bytes that are no text."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(charset_normalizer.from_bytes(data, cp_isolation=_WESTERN))
    if not matches:
        return None
    best = min(match.chaos for match in matches)
    candidates = [match.encoding for match in matches if match.chaos == best]
    # Windows-1252 when it is among the best: Latin-1 reads the same letters, and a tie with
    # Mac Roman is what a short file gives.
    encoding = "cp1252" if "cp1252" in candidates or "latin_1" in candidates else candidates[0]
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return data.decode("latin_1"), "latin_1"


def control_characters(text: str) -> Iterator[TableProblem]:
    """Each line's first invisible control character (a NUL, ...), with its line and column."""
    for number, line in enumerate(text.splitlines(), start=1):
        match = _CONTROL.search(line)
        if match:
            yield _control(number, match.start() + 1, match.group())


def _control(line: int, column: int, char: str) -> TableProblem:
    return TableProblem("control_character", line, column, {"char": f"U+{ord(char):04X}"})


def _not_utf8_lines(data: bytes) -> list[TableProblem]:
    problems = []
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(TableProblem("not_utf8", number))
    return problems[:MAX_PROBLEMS]


def _records(text: str, delimiter: str, problems: list[TableProblem]) -> Iterator[Row]:
    """The non-blank records of the text, checked; problems are added as they are found."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while len(problems) < MAX_PROBLEMS:
        start = reader.line_num + 1
        try:
            record = next(reader, None)
        except csv.Error as exc:
            problems.append(_csv_error(str(exc), start, reader.line_num))
            if reader.line_num < start:
                return  # nothing more could be read
            continue
        if record is None:
            return
        swallowed = [
            i for i, c in enumerate(record, 1) if ("\n" in c or "\r" in c) and delimiter in c
        ]
        if swallowed:
            problems.append(
                TableProblem("open_quote", start, swallowed[0], {"end": reader.line_num})
            )
            continue
        found = len(problems)
        for column, cell in enumerate(record, start=1):
            if len(cell) > MAX_CELL:
                problems.append(TableProblem("cell_too_long", start, column, {"limit": MAX_CELL}))
            elif match := _CONTROL.search(cell):
                problems.append(_control(start, column, match.group()))
        if len(problems) == found and any(cell.strip() for cell in record):
            yield Row(start, tuple(record))


def _csv_error(message: str, start: int, end: int) -> TableProblem:
    """The csv module's error as a problem of the line its record starts on."""
    if "unexpected end of data" in message:
        return TableProblem("open_quote", start, 0, {"end": max(end, start)})
    if "field larger than field limit" in message:
        return TableProblem("cell_too_long", start, 0, {"limit": MAX_CELL})
    if '"' in message:
        return TableProblem("bad_quote", start)
    return TableProblem("unreadable_row", start, 0, {"error": message})
