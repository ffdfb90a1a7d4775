"""The plain-language findings in staff words, one line each (what `oudersbot check` prints,
and what a teacher reads in Telegram before the preview)."""

from __future__ import annotations

from collections.abc import Sequence

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
