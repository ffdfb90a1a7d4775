"""A roster file as a table of text cells, each line or row with its number: CSV (UTF-8 with or
without BOM, else cp1252 or Latin-1; `;` or `,`; any line ending) or Excel (.xlsx). What makes
a file unreadable is a `RosterProblem` named by line (row) and column, never an exception."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any, Literal

from charset_normalizer import from_bytes

from oudersbot.domain.roster_headers import REQUIRED, column_of

# The longest cell we read: Python's csv limit (Excel itself stops at 32,767 characters).
CELL_LIMIT = 131_072
# Encodings a Flemish school's CSV comes in besides UTF-8: Excel's "CSV" on Windows is cp1252.
_LEGACY = ("cp1252", "latin_1")
_XLSX_MAGIC = b"PK\x03\x04"
_HEADER_SEARCH = 10  # lines in which the header is looked for

RosterCode = Literal[
    "not_text",
    "not_xlsx",
    "empty_file",
    "no_rows",
    "nul_byte",
    "cell_too_long",
    "unterminated_quote",
    "duplicate_column",
    "missing_columns",
    "empty",
    "unknown_language",
    "bad_phone",
    "disagree_language",
    "disagree_phone",
    "child_id_twice",
    "guardian_id_twice",
    "same_child_name",
    "existing_child_ambiguous",
    "existing_guardian_ambiguous",
    "existing_guardian_other_phone",
]


@dataclass(frozen=True)
class RosterProblem:
    """One thing wrong with the file, where it is (a line of a CSV, a row of a sheet); `code`
    names the words in the catalog (roster.problem.<code>)."""

    filename: str
    line: int
    column: str | None
    code: RosterCode
    details: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """The header and the lines of a file as text; `rows` are (line or row number, cells)."""

    filename: str
    header_line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sheet: bool  # Excel: numbers are rows, not lines


def is_sheet(data: bytes, filename: str) -> bool:
    """True for an Excel workbook (its places are rows), False for CSV text (lines)."""
    return data.startswith(_XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm"))


def read_table(data: bytes, filename: str) -> tuple[Table | None, list[RosterProblem]]:
    """The file as a table, or what stops it from being read."""
    if is_sheet(data, filename):
        return _read_xlsx(data, filename)
    return _read_csv(data, filename)


def _decode(data: bytes) -> str | None:
    """UTF-8 (strict, BOM or not) first; UTF-16 with its BOM (Excel's "Unicode text"); else
    the legacy encoding charset-normalizer finds."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    best = from_bytes(data, cp_isolation=list(_LEGACY)).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("latin_1")  # every byte is a Latin-1 character


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, filename: str) -> tuple[Table | None, list[RosterProblem]]:
    text = _decode(data)
    if text is None:  # pragma: no cover - Latin-1 decodes every byte
        return None, [RosterProblem(filename, 1, None, "not_text")]
    lines = text.splitlines()
    nul = [
        RosterProblem(filename, number, None, "nul_byte")
        for number, line in enumerate(lines, start=1)
        if "\x00" in line
    ]
    if nul:
        return None, nul
    if not text.strip():
        return None, [RosterProblem(filename, 1, None, "empty_file")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]), strict=True)
    records: list[tuple[int, tuple[str, ...]]] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            code: RosterCode = (
                "cell_too_long" if "field limit" in str(exc) else "unterminated_quote"
            )
            details: dict[str, str | int] = {"limit": CELL_LIMIT} if code == "cell_too_long" else {}
            return None, [RosterProblem(filename, start, None, code, details)]
        # A record's number is the line it starts on (a quoted cell may hold line breaks).
        records.append((start, tuple(record)))
    return _table(filename, records, sheet=False)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in a cell: 12345, not 12345.0
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, filename: str) -> tuple[Table | None, list[RosterProblem]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None, [RosterProblem(filename, 1, None, "not_xlsx")]
    try:
        sheets = []
        for sheet in book.worksheets:
            rows = [
                (number, tuple(_cell_text(v) for v in values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            sheets.append(rows)
    finally:
        book.close()
    chosen = next(
        (rows for rows in sheets if any(_has_required(c) for _, c in rows[:_HEADER_SEARCH])), None
    )
    if chosen is None:
        chosen = sheets[0] if sheets else []
    problems = [
        RosterProblem(filename, number, _letter(index), "cell_too_long", {"limit": CELL_LIMIT})
        for number, cells in chosen
        for index, cell in enumerate(cells)
        if len(cell) > CELL_LIMIT
    ]
    problems += [
        RosterProblem(filename, number, _letter(index), "nul_byte")
        for number, cells in chosen
        for index, cell in enumerate(cells)
        if "\x00" in cell
    ]
    if problems:
        return None, problems
    return _table(filename, chosen, sheet=True)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _has_required(header: tuple[str, ...]) -> bool:
    found = {column_of(cell) for cell in header}
    return all(key in found for key in REQUIRED)


def _table(
    filename: str, records: list[tuple[int, tuple[str, ...]]], *, sheet: bool
) -> tuple[Table | None, list[RosterProblem]]:
    records = [(number, cells) for number, cells in records if any(c.strip() for c in cells)]
    if not records:
        return None, [RosterProblem(filename, 1, None, "empty_file")]
    # The header is the first line with our columns among the first few (an export may start
    # with a title or a date), else the first line that is not empty.
    start = next(
        (i for i, (_, cells) in enumerate(records[:_HEADER_SEARCH]) if _has_required(cells)), 0
    )
    records = records[start:]
    header_line, header = records[0]
    trimmed = list(header)
    while trimmed and not trimmed[-1].strip():
        trimmed.pop()
    problems = []
    seen: dict[str, int] = {}
    for index, name in enumerate(trimmed):
        key = column_of(name) or name.strip().casefold()
        if not key:
            continue
        if key in seen:
            problems.append(
                RosterProblem(
                    filename,
                    header_line,
                    name.strip(),
                    "duplicate_column",
                    {"earlier": trimmed[seen[key]].strip()},
                )
            )
        else:
            seen[key] = index
    if problems:
        return None, problems
    return Table(filename, header_line, tuple(trimmed), tuple(records[1:]), sheet), []
