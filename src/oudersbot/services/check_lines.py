"""The plain-language findings in staff words, one line each (what `oudersbot check` prints,
what a teacher reads in Telegram before the preview, and what the desk lists under the text
with the spans marked)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oudersbot.domain.plain_language import Finding, FindingKind
from oudersbot.translation.catalog import Words


def finding_lines(words: Words, language: str, text: str, findings: Sequence[Finding]) -> list[str]:
    """Each finding with its line and column in the text (or "whole text"), and a simpler
    wording when there is one; then how many there are. No findings: the one 'clean' line."""
    if not findings:
        return [words.text(language, "check.clean")]
    lines = []
    for finding in findings:
        line = text.count("\n", 0, finding.start) + 1
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        slots: dict[str, object] = {"excerpt": finding.excerpt, **finding.detail}
        if finding.kind is FindingKind.MISSING_ESSENTIAL:
            slots["fact"] = words.text(language, f"check.fact.{finding.detail['fact']}")
            where = words.text(language, "check.whole_text")
        else:
            where = words.text(language, "check.where", line=line, column=column)
        said = words.text(language, f"check.{finding.kind.value}", **slots)
        if finding.suggestion:
            said += " " + words.text(language, "check.suggestion", suggestion=finding.suggestion)
        lines.append(f"{where} {said}")
    lines.append(words.plural(language, "check.count", len(findings)))
    return lines


@dataclass(frozen=True)
class Segment:
    """A piece of the text and the findings (numbered from 1, as listed) whose span holds it."""

    text: str
    findings: tuple[int, ...] = ()


def marked_segments(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """The text cut where a finding's span starts or ends, so a page can mark each span; spans
    may overlap (a long sentence with a jargon word in it). A missing fact has no span."""
    spans = [(f.start, f.end, n) for n, f in enumerate(findings, start=1) if f.end > f.start]
    cuts = sorted({0, len(text), *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= len(text):
            break
        inside = tuple(n for a, b, n in spans if a <= start and end <= b)
        segments.append(Segment(text[start:end], inside))
    return segments
