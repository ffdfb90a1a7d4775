"""Real-world-like calendars (Google, Outlook, Apple, Excel on a Belgian PC, ...) are read; the
same files broken in a few hundred seeded random ways are read or refused with a listed
problem in Dutch: the reader never raises anything else."""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo

import pytest

from oudersbot.calendar_files.calendar_file import read_calendar, read_calendar_bytes
from oudersbot.calendar_files.common import MAX_KEY, MAX_TITLE
from oudersbot.cli.calendar import problem_line
from oudersbot.domain.calendar import CalendarCode, CalendarEvent, CalendarFileError
from oudersbot.services.calendar_import import filled_slots
from oudersbot.translation.catalog import Words
from oudersbot.translation.phrasebook import Phrasebook

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "calendars"
ZONE = ZoneInfo("Europe/Brussels")
WINDOW = (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
GROUPS = ("3A", "3B")
BOOK = Phrasebook.load(ROOT / "src" / "oudersbot" / "messages")
TEMPLATES = {
    template_id: {name: kind.value for name, kind in template.slots.items()}
    for template_id, template in BOOK.templates.items()
}
WORDS = Words.load(ROOT / "src" / "oudersbot" / "locales")
SEED = 20261205
CASES = 400
CODES = set(get_args(CalendarCode))


def read(data: bytes, name: str) -> list[CalendarEvent]:
    kind: Literal["ics", "csv"] = "ics" if name.endswith(".ics") else "csv"
    return read_calendar_bytes(
        data,
        source=name,
        kind=kind,
        zone=ZONE,
        window=WINDOW,
        groups=GROUPS,
        templates=TEMPLATES,
    )


# What each export in the corpus holds: (local start, title, classes, template), in order.
EXPECTED: dict[str, list[tuple[str, str, tuple[str, ...], str | None]]] = {
    "apple-export.ics": [
        ("2026-10-01 10:00", "Turnen 3B", ("school",), None),
        ("2026-10-08 10:00", "Turnen 3B", ("school",), None),
        ("2026-10-16 10:00", "Turnen 3B (verplaatst)", ("school",), None),
        ("2026-10-22 10:00", "Turnen 3B", ("school",), None),
        ("2026-10-29 10:00", "Turnen 3B", ("school",), None),
        ("2026-11-05 10:00", "Turnen 3B", ("school",), None),
        ("2027-04-01 00:00", "Paasontbijt", ("school",), None),
    ],
    "excel-belgie-cp1252.csv": [
        ("2026-12-04 09:00", "Sinterklaasfeest – Lagere school", ("school",), None),
        ("2026-12-18 14:00", "Kerstmarkt in het café", ("school",), None),
        ("2027-01-15 00:00", "Zwemmen", ("3A",), "zwemmen"),
        ("2027-02-03 08:30", 'Uitstap "De Zoo"', ("3B",), "uitstap"),
    ],
    "excel-unicode-text.csv": [
        ("2026-11-12 10:00", "Voorleesuur – oma’s en opa’s", ("3A",), None),
    ],
    "excel-utf8-bom.csv": [
        ("2026-09-01 08:25", "Eerste schooldag", ("school",), None),
        ("2026-10-23 00:00", "Grootouderfeest – kleuters & lagere", ("school",), None),
        ("2026-12-22 00:00", "Kerstfeest", ("3A", "3B"), None),
    ],
    "google-export.ics": [
        *[
            (f"{day} 09:00", "Zwemmen 3A", ("3A",), None)
            for day in (
                "2026-10-06",
                "2026-10-13",
                "2026-10-20",
                "2026-10-27",
                "2026-11-10",  # 3 November is left out (EXDATE)
                "2026-11-17",
                "2026-11-24",
                "2026-12-01",
            )
        ],
        ("2026-12-04 00:00", "Sinterklaas op school", ("school",), None),
        ("2026-12-08 09:00", "Zwemmen 3A", ("3A",), None),
        ("2026-12-15 09:00", "Zwemmen 3A", ("3A",), None),
        ("2027-02-04 08:30", "Uitstap naar Technopolis", ("3B",), "uitstap"),
    ],
    "google-sheets.csv": [
        ("2026-10-05 13:30", 'Theater "Roodkapje", voor 3A en 3B', ("3A", "3B"), None),
        ("2026-11-16 00:00", "Pedagogische studiedag", ("school",), None),
        ("2027-03-19 09:00", "Fotodag", ("school",), None),
    ],
    "libreoffice-latin1-tabs.csv": [
        ("2026-10-07 00:00", "Bibliotheek", ("3A",), None),
        ("2026-10-08 00:00", "Café pédagogique", ("3B",), None),
    ],
    "mac-roman.csv": [
        ("2026-11-09 00:00", "Crêpes bakken", ("3A",), None),
        ("2026-11-10 00:00", "Café chantant", ("3B",), None),
    ],
    "old-mac-cr.csv": [
        ("2026-11-09 00:00", "Schoolfotograaf", ("3B",), None),
        ("2026-11-10 00:00", "Crêpes bakken", ("3A",), None),
    ],
    "outlook-export.ics": [
        ("2026-11-11 00:00", "Wapenstilstand – geen school", ("school",), None),
        ("2027-03-15 17:00", "Oudercontact", ("3A",), None),
    ],
}


def test_the_corpus_is_every_export_we_expect() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_export_reads_whole_and_right(name: str) -> None:
    events = read_calendar(
        CORPUS / name, zone=ZONE, window=WINDOW, groups=GROUPS, templates=TEMPLATES
    )
    assert [
        (f"{e.start:%Y-%m-%d %H:%M}", e.title, e.groups, e.template_id) for e in events
    ] == EXPECTED[name]
    assert_sound(events)


def assert_sound(events: list[CalendarEvent]) -> None:
    """What an imported event must be, so that storing and sending it cannot fail."""
    for event in events:
        assert event.title.strip() and len(event.title) <= MAX_TITLE
        assert "\x00" not in event.title
        assert len(event.key) <= MAX_KEY
        assert event.start.tzinfo is not None
        template = BOOK.templates.get(event.template_id or "")
        if template is not None and set(filled_slots(template.slots, event)) == set(template.slots):
            template.parse_slots(filled_slots(template.slots, event))
    assert len({event.key for event in events}) == len(events)


# --- the mutator -------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [data]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    return b"".join(lines[: at + 1] + [lines[at]] * rng.randint(1, 3) + lines[at + 1 :])


def remove_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    ends = [i for i, line in enumerate(lines) if line.upper().startswith(b"END:")]
    at = rng.choice(ends) if ends and rng.random() < 0.6 else rng.randrange(len(lines))
    return b"".join(lines[:at] + lines[at + 1 :])


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines)


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    changed = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if changed:
            changed[rng.randrange(len(changed))] = rng.randrange(256)
    return bytes(changed)


def insert(rng: random.Random, data: bytes, what: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + what + data[at:]


def insert_nul(rng: random.Random, data: bytes) -> bytes:
    return insert(rng, data, b"\x00")


def insert_quote(rng: random.Random, data: bytes) -> bytes:
    return insert(rng, data, rng.choice([b'"', b'""', b'"\n', b";", b",", b"\t"]))


def huge_value(rng: random.Random, data: bytes) -> bytes:
    size = rng.choice([300, 2_001, 140_000, 300_000])
    filler = rng.choice([b"x", b"\xc3\xa9", b";", b'"', b"9"])
    return insert(rng, data, filler * size)


def bomb(rng: random.Random, data: bytes) -> bytes:
    rule = rng.choice(
        [
            b"RRULE:FREQ=DAILY;INTERVAL=0",
            b"RRULE:FREQ=DAILY;BYHOUR=" + b",".join(b"%d" % h for h in range(24)),
            b"RRULE:FREQ=MINUTELY",
            b"RRULE:FREQ=YEARLY;INTERVAL=-3",
            b"RRULE:FREQ=DAILY;COUNT=999999999",
            b"RDATE:"
            + b",".join(b"2026%02d%02dT090000" % (m, d) for m in (10, 11) for d in range(1, 29)),
            b"RRULE:FREQ=WEEKLY;BYDAY=XX",
            b"EXDATE:not-a-date",
        ]
    )
    lines = _lines(data)
    starts = [i for i, line in enumerate(lines) if line.upper().startswith(b"DTSTART")]
    at = rng.choice(starts) if starts else rng.randrange(len(lines))
    return b"".join(lines[: at + 1] + [rule + b"\r\n"] + lines[at + 1 :])


def reencode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    encoding = rng.choice(["cp1252", "latin-1", "utf-16", "utf-8-sig", "mac_roman"])
    return text.encode(encoding, "replace")


def garbage(rng: random.Random, data: bytes) -> bytes:
    chars = string.printable + "éèçàü€–’\u200b\ufeff\x85"
    line = "".join(rng.choice(chars) for _ in range(rng.randint(1, 80)))
    return insert(rng, data, line.encode("utf-8") + b"\n")


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    truncate,
    duplicate_line,
    remove_line,
    swap_lines,
    flip_bytes,
    insert_nul,
    insert_quote,
    huge_value,
    bomb,
    reencode,
    garbage,
]


def fuzzed_cases() -> list[tuple[str, str, bytes]]:
    rng = random.Random(SEED)
    originals = {path.name: path.read_bytes() for path in sorted(CORPUS.iterdir())}
    cases = []
    for number in range(CASES):
        name = rng.choice(sorted(originals))
        data = originals[name]
        applied = []
        for _ in range(rng.randint(1, 3)):
            mutation = rng.choice(MUTATIONS)
            data = mutation(rng, data)
            applied.append(mutation.__name__)
        cases.append((f"{number}-{name}-{'+'.join(applied)}", name, data))
    return cases


def test_every_mutated_calendar_is_read_or_refused_with_dutch_problems() -> None:
    outcomes = {"read": 0, "refused": 0}
    for case, name, data in fuzzed_cases():
        try:
            events = read(data, name)
        except CalendarFileError as refused:
            outcomes["refused"] += 1
            assert refused.problems, case
            for found in refused.problems:
                assert found.code in CODES, case
                words = problem_line(WORDS, found)  # every detail fills its sentence
                assert words and "calendar_file." not in words, (case, words)
        else:
            outcomes["read"] += 1
            assert events, case
            assert_sound(events)
    # The mutator breaks most files, and leaves some readable.
    assert outcomes["refused"] > CASES // 2
    assert outcomes["read"] > 0
