"""The follow-up's pure rules: a guardian's reach, the words staff type for an answer, a number a
parent types, text made safe for a terminal and cells made safe for a spreadsheet."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from oudersbot.domain.answers import options_named, typed_number
from oudersbot.domain.reach import Reach, reach_of
from oudersbot.exports import csv_bytes, neutralised, write_xlsx
from oudersbot.reports import clean


@pytest.mark.parametrize(
    ("reachability", "recent", "n", "expected"),
    [
        ("not_joined", [], 3, Reach.NEVER_JOINED),
        ("blocked", [True], 3, Reach.BLOCKED),
        ("gone", [], 3, Reach.BLOCKED),
        ("stopped", [True, True, True], 3, Reach.BLOCKED),
        ("joined", [False, False, False], 3, Reach.SILENT),
        ("joined", [False, False, False, True], 3, Reach.SILENT),  # only the last N count
        ("joined", [False, False, True], 3, Reach.REACHED),
        ("joined", [False, False], 3, Reach.REACHED),  # two slips say nothing yet
        ("joined", [], 3, Reach.REACHED),
        ("joined", [False], 1, Reach.SILENT),
    ],
)
def test_a_guardians_reach_has_four_states(
    reachability: str, recent: list[bool], n: int, expected: Reach
) -> None:
    assert reach_of(reachability, recent, n) is expected


def test_only_silent_and_reached_get_messages_through_the_bot() -> None:
    assert {r for r in Reach if r.through_the_bot} == {Reach.SILENT, Reach.REACHED}


LABELS = {
    "coming": "Ja, ik kom",
    "not_coming": "Nee, ik kan niet",
    "question": "Ik heb een vraag",
    "yes": "Ja",
    "no": "Nee",
}


@pytest.mark.parametrize(
    ("typed", "options", "expected"),
    [
        ("komt", ("coming", "not_coming"), ("coming",)),
        ("Komt niet", ("coming", "not_coming"), ("not_coming",)),
        ("ja, ik kom!", ("coming", "not_coming"), ("coming",)),
        ("JA", ("coming", "not_coming"), ("coming",)),
        ("nee", ("coming", "not_coming", "question"), ("not_coming",)),
        ("coming", ("coming", "not_coming"), ("coming",)),  # the key still works
        ("ja", ("yes", "no"), ("yes",)),
        ("nee", ("yes", "no"), ("no",)),
        ("vraag", ("yes", "no", "question"), ("question",)),
        ("misschien", ("yes", "no"), ()),
        ("komt", ("yes", "no"), ()),  # a word of an option the slip does not have
        ("", ("yes", "no"), ()),
    ],
)
def test_staff_name_an_answer_in_the_dutch_words_they_see(
    typed: str, options: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert options_named(typed, options, LABELS) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", 1),
        (" 2 ", 2),
        ("01", 1),
        ("١", 1),  # Arabic-Indic
        ("۲", 2),  # Persian
        ("１", 1),  # full width
        ("+1", None),
        ("-1", None),
        ("1.", None),
        ("nr 1", None),
        ("123", None),  # a number, not a button
        ("", None),
        ("ja", None),
    ],
)
def test_a_number_a_parent_types_is_read_in_any_script(typed: str, expected: int | None) -> None:
    assert typed_number(typed) == expected


def test_control_characters_are_stripped_but_newlines_tabs_and_accents_stay() -> None:
    assert clean("Zoë \x1b[2J\x1b[31mÇelik\x1b[0m") == "Zoë Çelik"
    assert clean("a\x1b]8;;http://x\x07link\x1b]8;;\x07b") == "alinkb"
    assert clean("bell\x07 nul\x00 del\x7f c1\x9b") == "bell nul del c1"
    assert clean("regel 1\nregel\t2\r") == "regel 1\nregel\t2"
    assert clean("فاطمة العمراني") == "فاطمة العمراني"


DANGEROUS = ['=HYPERLINK("http://x","klik")', "+32 470 12 34 56", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("cell", DANGEROUS + ["\tx", "\rx"])
def test_a_cell_that_could_be_a_formula_gets_a_leading_apostrophe(cell: str) -> None:
    assert neutralised(cell) == "'" + cell
    assert neutralised("Zoë Çelik") == "Zoë Çelik"


def test_a_csv_export_has_a_bom_semicolons_and_no_formulas() -> None:
    data = csv_bytes(["naam", "telefoon"], [["Zoë Çelik", "+32 470"], ["=1+1", "@SUM(A1)"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "naam;telefoon",
        "Zoë Çelik;'+32 470",
        "'=1+1;'@SUM(A1)",
    ]


def test_an_xlsx_export_holds_text_only_with_excels_own_apostrophe() -> None:
    target = io.BytesIO()
    write_xlsx(target, "Opvolgen", ["naam", "vraag"], [["Zoë Çelik", DANGEROUS[0]], DANGEROUS[1:3]])
    sheet = load_workbook(io.BytesIO(target.getvalue())).active
    assert sheet is not None and sheet.title == "Opvolgen"
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells] == ["naam", "vraag", "Zoë Çelik", *DANGEROUS[:3]]
    assert all(c.data_type == "s" for c in cells)  # never "f", a formula
    assert [c.quotePrefix for c in cells] == [False, False, False, True, True, True]
