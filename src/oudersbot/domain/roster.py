"""Reading a class roster (CSV or Excel) into checked rows, with every problem named by line
(row) and column, and refusing rows that could be two different people.

Identity: when the file has the school's own ids (pupil id, parent id), they say who is who.
Without them a child is its first name in its class, and the lines of one child are written
together (a child with two parents is two lines in a row); the same first name again further
down the class, with another parent, could be a second child and is refused: never a silent
merge. A guardian is their name; the same name with another phone could be someone else and is
refused too. The same name with the same phone on two lines is one guardian with two children.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

from oudersbot.domain.languages import UnknownLanguageError, normalize
from oudersbot.domain.roster_file import RosterCode, RosterProblem, Table, read_table
from oudersbot.domain.roster_headers import HEADERS, REQUIRED, ColumnKey, column_of, printed

__all__ = ["RosterParse", "RosterProblem", "RosterRow", "parse_roster", "phone_e164"]

DEFAULT_REGION = "BE"


@dataclass(frozen=True)
class RosterRow:
    """One checked line: a guardian of a child in a class."""

    line: int
    group: str
    child: str
    guardian: str
    language: str
    phone: str | None  # E.164
    child_id: str | None = None  # the school's pupil id
    guardian_id: str | None = None  # the school's parent id

    @property
    def child_key(self) -> tuple[str, ...]:
        """Who the child is in this file: its pupil id, else its class and first name."""
        if self.child_id is not None:
            return ("id", self.child_id)
        return ("name", self.group, self.child.casefold())

    @property
    def guardian_key(self) -> tuple[str, ...]:
        """Who the guardian is in this file: their parent id, else their name."""
        if self.guardian_id is not None:
            return ("id", self.guardian_id)
        return ("name", self.guardian.casefold())


@dataclass(frozen=True)
class RosterParse:
    """The rows of a file, or the problems that stop it from being imported."""

    rows: tuple[RosterRow, ...]
    problems: tuple[RosterProblem, ...]
    has_child_ids: bool = False
    has_guardian_ids: bool = False

    @property
    def ok(self) -> bool:
        """True when the file may be imported."""
        return not self.problems


def phone_e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """A phone number as E.164 (+32470123456), or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_roster(data: bytes, filename: str, *, region: str = DEFAULT_REGION) -> RosterParse:
    """Check a roster file completely; rows only when there is no problem at all."""
    table, problems = read_table(data, filename)
    if table is None:
        return RosterParse((), tuple(problems))
    columns: dict[ColumnKey, int] = {}
    for index, name in enumerate(table.header):
        key = column_of(name)
        if key is not None:
            columns.setdefault(key, index)
    missing = [printed(key) for key in REQUIRED if key not in columns]
    if missing:
        details: dict[str, str | int] = {
            "missing": ", ".join(missing),
            "found": ", ".join(h for h in table.header if h.strip()),
        }
        problem = RosterProblem(filename, table.header_line, None, "missing_columns", details)
        return RosterParse((), (problem,))
    if not table.rows:
        return RosterParse((), (RosterProblem(filename, table.header_line + 1, None, "no_rows"),))
    rows: list[RosterRow] = []
    for line, record in table.rows:
        row, row_problems = _row(table, columns, line, record, region)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    names = {key: table.header[index].strip() for key, index in columns.items()}
    problems.extend(_identity_problems(filename, rows, names))
    if problems:
        return RosterParse((), tuple(sorted(problems, key=lambda p: p.line)))
    return RosterParse(tuple(rows), (), "child_id" in columns, "guardian_id" in columns)


def _row(
    table: Table,
    columns: dict[ColumnKey, int],
    line: int,
    record: tuple[str, ...],
    region: str,
) -> tuple[RosterRow | None, list[RosterProblem]]:
    filename = table.filename

    def cell(key: ColumnKey) -> str:
        index = columns.get(key)
        return record[index].strip() if index is not None and index < len(record) else ""

    def where(key: ColumnKey) -> str:
        return table.header[columns[key]].strip() if key in columns else printed(key)

    values = {key: cell(key) for key in HEADERS}
    problems = [
        RosterProblem(filename, line, where(key), "empty")
        for key in (*REQUIRED, "child_id", "guardian_id")
        if key in columns and not values[key]
    ]
    language = values["language"]
    if language:
        try:
            language = normalize(language)
        except UnknownLanguageError:
            problems.append(
                RosterProblem(
                    filename, line, where("language"), "unknown_language", {"value": language}
                )
            )
    phone: str | None = None
    if values["phone"]:
        phone = phone_e164(values["phone"], region)
        if phone is None:
            problems.append(
                RosterProblem(
                    filename, line, where("phone"), "bad_phone", {"value": values["phone"]}
                )
            )
    if problems:
        return None, problems
    return (
        RosterRow(
            line,
            values["class"],
            values["child"],
            values["guardian"],
            language,
            phone,
            values["child_id"] or None,
            values["guardian_id"] or None,
        ),
        [],
    )


def _identity_problems(
    filename: str, rows: list[RosterRow], names: dict[ColumnKey, str]
) -> list[RosterProblem]:
    """Rows that would make one person of two, or two of one (`names`: the file's headers)."""
    problems: list[RosterProblem] = []
    guardians: dict[tuple[str, ...], RosterRow] = {}
    children: dict[tuple[str, ...], RosterRow] = {}
    # Without pupil ids: per class and first name, the guardians of the lines read so far, and
    # whether the child's block of lines is the one being read.
    blocks: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    previous: tuple[str, ...] | None = None
    for row in rows:
        earlier = guardians.get(row.guardian_key)
        if earlier is None:
            guardians[row.guardian_key] = row
        else:
            problems.extend(_guardian_disagreements(filename, earlier, row, names))
        if row.child_id is not None:
            first = children.setdefault(row.child_key, row)
            if (first.group, first.child) != (row.group, row.child):
                problems.append(
                    _twice(filename, "child_id_twice", first, row, names["child_id"], row.child_id)
                )
            continue
        key = row.child_key
        block = blocks.get(key)
        if block is None or previous == key:
            blocks.setdefault(key, set()).add(row.guardian_key)
        elif row.guardian_key not in block:
            first = children[key]
            problems.append(
                RosterProblem(
                    filename,
                    row.line,
                    names["child"],
                    "same_child_name",
                    {"child": row.child, "group": row.group, "earlier_line": first.line},
                )
            )
        children.setdefault(key, row)
        previous = key
    return problems


def _twice(
    filename: str, code: RosterCode, first: RosterRow, row: RosterRow, column: str, value: str
) -> RosterProblem:
    """One id on two lines that name different people."""
    return RosterProblem(
        filename, row.line, column, code, {"value": value, "earlier_line": first.line}
    )


def _guardian_disagreements(
    filename: str, earlier: RosterRow, row: RosterRow, names: dict[ColumnKey, str]
) -> list[RosterProblem]:
    found = []
    if row.guardian_id is not None and earlier.guardian.casefold() != row.guardian.casefold():
        found.append(
            _twice(
                filename, "guardian_id_twice", earlier, row, names["guardian_id"], row.guardian_id
            )
        )
    if earlier.language != row.language:
        found.append(
            RosterProblem(
                filename,
                row.line,
                names["language"],
                "disagree_language",
                {
                    "guardian": row.guardian,
                    "value": row.language,
                    "earlier": earlier.language,
                    "earlier_line": earlier.line,
                },
            )
        )
    if earlier.phone != row.phone and earlier.phone and row.phone:
        found.append(
            RosterProblem(
                filename,
                row.line,
                names["phone"],
                "disagree_phone",
                {
                    "guardian": row.guardian,
                    "value": row.phone,
                    "earlier": earlier.phone,
                    "earlier_line": earlier.line,
                },
            )
        )
    return found
