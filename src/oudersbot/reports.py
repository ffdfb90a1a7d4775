"""Staff reports as lines of text in the staff member's language: the slip tally, the
liaison's follow-up list, a class's prikkel queue and its weekly prikkel view. The command
line prints them; the bot sends them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from oudersbot.domain.languages import dutch_name
from oudersbot.services.followup import FollowUpItem
from oudersbot.services.prikkels import QueuedPrikkel, WeekStats
from oudersbot.services.slip_status import SlipTally
from oudersbot.translation.catalog import Words


def when(moment: datetime | None, zone: ZoneInfo) -> str:
    """A deadline as staff read it."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "-"


def excerpt(text: str, limit: int = 60) -> str:
    """The first line of a text, cut at a word when it is long."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _answer(words: Words, language: str, option: str | None) -> str:
    return words.text(language, f"answer.{option}") if option else "-"


def tally_lines(
    words: Words, language: str, tallies: Sequence[SlipTally], zone: ZoneInfo
) -> list[str]:
    """Per slip and class: the counts, the counts per answer, then each child (when shown)."""
    if not tallies:
        return [words.text(language, "cli.slips.none")]
    lines = []
    for tally in tallies:
        lines.append(
            words.text(
                language,
                "cli.slips.tally",
                id=tally.message_id,
                title=tally.title,
                group=tally.group,
                deadline=when(tally.deadline, zone),
                answered=tally.answered,
                not_answered=tally.not_answered,
                questions=tally.questions,
                unreachable=tally.unreachable,
            )
        )
        for option, count in sorted(tally.by_answer.items()):
            answer = _answer(words, language, option)
            lines.append(words.text(language, "cli.slips.by_answer", answer=answer, count=count))
        for child in tally.children:
            answer = _answer(words, language, child.answer)
            lines.append(words.text(language, "cli.slips.child", child=child.child, answer=answer))
    return lines


def followup_rows(words: Words, language: str, items: Sequence[FollowUpItem]) -> list[list[str]]:
    """One row per guardian to follow up: slip, class, child, guardian, language, phone,
    reachability, questions, what was done, guardian number."""
    rows = []
    for item in items:
        for guardian in item.state.guardians:
            done = "; ".join(
                f"{words.text(language, f'cli.action.{action}')}: "
                f"{words.text(language, f'cli.outcome.{outcome}')}"
                for action, outcome in guardian.followups
            )
            rows.append(
                [
                    str(item.message_id),
                    item.state.group,
                    item.state.child,
                    guardian.name,
                    dutch_name(guardian.language),
                    guardian.phone or "",
                    words.text(language, f"cli.reach.{guardian.reach}"),
                    " | ".join(item.state.questions),
                    done,
                    str(guardian.guardian_id),
                ]
            )
    return rows


def followup_lines(
    words: Words, language: str, items: Sequence[FollowUpItem], zone: ZoneInfo
) -> list[str]:
    """The follow-up list as text, grouped per slip."""
    if not items:
        return [words.text(language, "cli.followup.none")]
    lines: list[str] = []
    current = None
    per_guardian = [item for item in items for _ in item.state.guardians]
    for item, row in zip(per_guardian, followup_rows(words, language, items), strict=True):
        if item.message_id != current:
            current = item.message_id
            lines.append(
                words.text(
                    language,
                    "cli.followup.slip",
                    id=item.message_id,
                    title=item.title,
                    deadline=when(item.deadline, zone),
                )
            )
        lines.append(
            words.text(
                language,
                "cli.followup.line",
                group=row[1],
                child=row[2],
                guardian=row[3],
                language=row[4],
                phone=row[5] or "-",
                reach=row[6],
                id=row[9],
            )
        )
        if row[7]:
            lines.append(words.text(language, "cli.followup.question", question=row[7]))
        if row[8]:
            lines.append(words.text(language, "cli.followup.done", done=row[8]))
    return lines


def prikkel_queue_lines(
    words: Words, language: str, items: Sequence[QueuedPrikkel], zone: ZoneInfo
) -> list[str]:
    """What waits for a class, soonest first: number, due time, families, the text's start."""
    if not items:
        return [words.text(language, "cli.prikkel.none_queued")]
    return [
        words.text(
            language,
            "cli.prikkel.queued_line",
            id=item.message_id,
            when=when(item.due, zone),
            count=item.families,
            text=excerpt(item.text_nl),
        )
        for item in items
    ]


def prikkel_week_lines(words: Words, language: str, weeks: Sequence[WeekStats]) -> list[str]:
    """Per week, in aggregate only: prikkels sent, share of families reached, share who
    tapped 'we talked about it'; then how many families paused (never who)."""
    if not weeks:
        return [words.text(language, "cli.prikkel.no_stats")]
    lines = [
        words.text(
            language,
            "cli.prikkel.week",
            week=week.week.isoformat(),
            prikkels=week.prikkels,
            reached=round(week.shares["reached"] * 100),
            talked=round(week.shares["talked"] * 100),
        )
        for week in weeks
    ]
    lines.append(words.text(language, "cli.prikkel.paused_count", count=weeks[-1].paused))
    return lines
