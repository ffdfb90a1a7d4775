"""Staff lists as files a spreadsheet opens well: CSV (UTF-8 with a byte order mark, so Excel
shows "Zoë Çelik" and not "ZoÃ« Ã‡elik"; semicolons, as Excel expects in Belgium) and XLSX.

Names and parents' questions come from outside, so no cell may become a formula (OWASP, "CSV
injection"): in a CSV file a cell that starts with =, +, -, @, a tab or a carriage return gets
a leading apostrophe; in an XLSX file every cell is written as text, and such a cell also gets
Excel's own leading apostrophe (the cell's quote prefix), so that editing it later does not
turn it into a formula either, while its text stays as it was ("+32 470 12 34 56").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
XLSX_SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet's name


def looks_like_formula(cell: str) -> bool:
    """True when a spreadsheet could read the cell as a formula."""
    return cell.startswith(FORMULA_STARTS)


def neutralised(cell: str) -> str:
    """The cell as text a spreadsheet never runs: a leading apostrophe when it could."""
    return "'" + cell if looks_like_formula(cell) else cell


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """The rows as a CSV file: UTF-8 with a byte order mark, semicolons, no formulas."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=CSV_DELIMITER)
    writer.writerow([neutralised(c) for c in header])
    writer.writerows([neutralised(c) for c in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def write_xlsx(
    target: Path | BinaryIO, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    """The rows as one sheet of an XLSX workbook, every cell text, none a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title[:XLSX_SHEET_TITLE_LIMIT]
    for row in [header, *rows]:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            value = cell.value
            if not isinstance(value, str):
                continue
            # openpyxl takes a string that starts with "=" for a formula: make it text again.
            cell.data_type = TYPE_STRING
            if looks_like_formula(value):
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    book.save(target)
