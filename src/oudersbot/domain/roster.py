"""Reading a class roster (CSV) into checked rows, with every problem named by line and column."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from oudersbot.domain.languages import UnknownLanguageError, normalize

# Column names a school may use; the first of each tuple is what we print.
COLUMNS: dict[str, tuple[str, ...]] = {
    "class": ("klas", "class", "group", "groep"),
    "child": ("kind", "child", "leerling", "voornaam kind", "child first name"),
    "guardian": ("ouder", "guardian", "parent", "naam ouder", "guardian name"),
    "language": ("taal", "language", "thuistaal", "lang"),
    "phone": ("telefoon", "phone", "gsm", "tel"),
}
REQUIRED = ("class", "child", "guardian", "language")
_PHONE = re.compile(r"^\+?[0-9 ./()-]{6,20}$")


@dataclass(frozen=True)
class RosterRow:
    """One checked line: a guardian of a child in a class."""

    line: int
    group: str
    child: str
    guardian: str
    language: str
    phone: str | None


@dataclass(frozen=True)
class RosterProblem:
    """One thing wrong with the file, where it is; `code` names the words in the catalog."""

    filename: str
    line: int
    column: str | None
    code: str
    details: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class RosterParse:
    """The rows of a file, or the problems that stop it from being imported."""

    rows: tuple[RosterRow, ...]
    problems: tuple[RosterProblem, ...]

    @property
    def ok(self) -> bool:
        """True when the file may be imported."""
        return not self.problems


def _decode(data: bytes, filename: str) -> tuple[str | None, list[RosterProblem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    problems = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                RosterProblem(
                    filename,
                    number,
                    None,
                    "not_utf8",
                    {"byte": exc.start + 1},
                )
            )
    return None, problems


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        cleaned = name.strip().lower()
        for key, aliases in COLUMNS.items():
            if cleaned in aliases and key not in found:
                found[key] = index
    return found


def _clean_phone(raw: str) -> str:
    digits = re.sub(r"[ ./()-]", "", raw)
    return digits


def parse_roster(data: bytes, filename: str) -> RosterParse:
    """Check a roster file completely; rows only when there is no problem at all."""
    text, problems = _decode(data, filename)
    if text is None:
        return RosterParse((), tuple(problems))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.split("\n", 1)[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        return RosterParse((), (RosterProblem(filename, 1, None, "empty_file"),))
    columns = _header_map(header)
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        details: dict[str, str | int] = {"missing": ", ".join(missing), "found": ", ".join(header)}
        return RosterParse((), (RosterProblem(filename, 1, None, "missing_columns", details),))

    rows: list[RosterRow] = []
    seen: dict[str, RosterRow] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        row_problems: list[RosterProblem] = []

        def cell(key: str, record: list[str] = record) -> str:
            index = columns.get(key)
            return record[index].strip() if index is not None and index < len(record) else ""

        values = {key: cell(key) for key in COLUMNS}
        for key in REQUIRED:
            if not values[key]:
                row_problems.append(RosterProblem(filename, line, COLUMNS[key][0], "empty"))
        language = values["language"]
        if language:
            try:
                language = normalize(language)
            except UnknownLanguageError:
                row_problems.append(
                    RosterProblem(
                        filename,
                        line,
                        COLUMNS["language"][0],
                        "unknown_language",
                        {"value": values["language"]},
                    )
                )
        phone = values["phone"] or None
        if phone is not None:
            if _PHONE.match(phone):
                phone = _clean_phone(phone)
            else:
                row_problems.append(
                    RosterProblem(
                        filename, line, COLUMNS["phone"][0], "bad_phone", {"value": phone}
                    )
                )
        if row_problems:
            problems.extend(row_problems)
            continue
        row = RosterRow(line, values["class"], values["child"], values["guardian"], language, phone)
        earlier = seen.get(row.guardian.casefold())
        if earlier is not None:
            problems.extend(_disagreements(filename, earlier, row))
        else:
            seen[row.guardian.casefold()] = row
        rows.append(row)
    if not rows and not problems:
        problems.append(RosterProblem(filename, 2, None, "no_rows"))
    if problems:
        return RosterParse((), tuple(problems))
    return RosterParse(tuple(rows), ())


def _disagreements(filename: str, earlier: RosterRow, row: RosterRow) -> list[RosterProblem]:
    found = []
    if earlier.language != row.language:
        found.append(
            RosterProblem(
                filename,
                row.line,
                COLUMNS["language"][0],
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
                COLUMNS["phone"][0],
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
