"""The desk marks the plain-language findings' spans: the text cut where spans start and end,
each piece with the findings (numbered as listed) that hold it."""

from __future__ import annotations

from oudersbot.domain.plain_language import Finding, FindingKind
from oudersbot.services.check_lines import Segment, marked_segments

TEXT = "De leerlingen mogen drie boeken meebrengen."


def test_overlapping_spans_are_cut_and_a_missing_fact_marks_nothing() -> None:
    findings = [
        Finding(FindingKind.MISSING_ESSENTIAL, 0, 0, "", detail={"fact": "date"}),
        Finding(FindingKind.LONG_SENTENCE, 0, len(TEXT), TEXT),
        Finding(FindingKind.NUMBER_IN_WORDS, 20, 24, "drie", suggestion="3"),
    ]
    assert marked_segments(TEXT, findings) == [
        Segment("De leerlingen mogen ", (2,)),
        Segment("drie", (2, 3)),
        Segment(" boeken meebrengen.", (2,)),
    ]
    assert "".join(s.text for s in marked_segments(TEXT, findings)) == TEXT


def test_without_findings_the_text_is_one_unmarked_piece() -> None:
    assert marked_segments(TEXT, []) == [Segment(TEXT)]
    assert marked_segments("", []) == []
