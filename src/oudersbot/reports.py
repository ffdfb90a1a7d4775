"""Staff reports as lines of text in the staff member's language: the slip tally, the
liaison's follow-up list (with the messages that may not have arrived), a class's prikkel queue
and its weekly prikkel view. The command
line prints them; the bot sends them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from oudersbot.domain.languages import dutch_name
from oudersbot.domain.reach import DEFAULT_SILENT_AFTER, Reach
from oudersbot.services.followup import FollowUpItem, UnconfirmedItem
from oudersbot.services.prikkel_queue import QueuedPrikkel
from oudersbot.services.prikkel_stats import WeekStats
from oudersbot.services.resend import Resent
from oudersbot.services.slip_status import SlipTally
from oudersbot.services.understanding import ExplainItem, MessageUnderstanding
from oudersbot.translation.catalog import Words

# What a parent may have typed that a terminal or a spreadsheet would act on: ANSI escape
# sequences (colours, cursor moves, a terminal's title, hyperlinks) whole, then any other C0 or
# C1 control character and DEL. A newline and a tab stay.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: ESC [ ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: ESC ] ... BEL or ST
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def clean(text: str) -> str:
    """Names and parents' words without control characters, safe on a staff terminal, in
    Telegram and in a spreadsheet; a newline and a tab are kept."""
    return _ESCAPES.sub("", text)


def reach_words(words: Words, language: str, reach: Reach, silent_after: int) -> str:
    """A guardian's reach in staff words: never joined, blocked or stopped, silent, reached."""
    return words.text(language, f"cli.reach.{reach.value}", count=silent_after)


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
                title=clean(tally.title),
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
            lines.append(
                words.text(language, "cli.slips.child", child=clean(child.child), answer=answer)
            )
    return lines


def followup_rows(
    words: Words,
    language: str,
    items: Sequence[FollowUpItem],
    silent_after: int = DEFAULT_SILENT_AFTER,
) -> list[list[str]]:
    """One row per guardian to follow up: slip, class, child, guardian, language, phone,
    reachability, questions, what was done, attempts, open or done, guardian and child
    number. Control characters are gone; formulas are the writer's business."""
    rows = []
    for item in items:
        status_key = "cli.followup.open" if item.open else "cli.followup.closed"
        status = words.text(language, status_key)
        for guardian in item.state.guardians:
            rows.append(
                [
                    str(item.message_id),
                    clean(item.state.group),
                    clean(item.state.child),
                    clean(guardian.name),
                    dutch_name(guardian.language),
                    guardian.phone or "",
                    reach_words(words, language, guardian.reach, silent_after),
                    clean(" | ".join(item.state.questions)),
                    _done(words, language, guardian.followups),
                    str(item.attempts),
                    status,
                    str(guardian.guardian_id),
                    str(item.state.child_id),
                ]
            )
    return rows


def followup_lines(
    words: Words,
    language: str,
    items: Sequence[FollowUpItem],
    zone: ZoneInfo,
    silent_after: int = DEFAULT_SILENT_AFTER,
) -> list[str]:
    """The follow-up list as text, grouped per slip; each child's attempts so far."""
    if not items:
        return [words.text(language, "cli.followup.none")]
    lines: list[str] = []
    current = None
    for item in items:
        if item.message_id != current:
            current = item.message_id
            lines.append(
                words.text(
                    language,
                    "cli.followup.slip",
                    id=item.message_id,
                    title=clean(item.title),
                    deadline=when(item.deadline, zone),
                )
            )
        questions = clean(" | ".join(item.state.questions))
        for guardian in item.state.guardians:
            lines.append(
                words.text(
                    language,
                    "cli.followup.line",
                    group=clean(item.state.group),
                    child=clean(item.state.child),
                    guardian=clean(guardian.name),
                    language=dutch_name(guardian.language),
                    phone=clean(guardian.phone or "-"),
                    reach=reach_words(words, language, guardian.reach, silent_after),
                    id=guardian.guardian_id,
                )
            )
            if questions:
                lines.append(words.text(language, "cli.followup.question", question=questions))
            done = _done(words, language, guardian.followups)
            if done:
                lines.append(words.text(language, "cli.followup.done", done=done))
        if item.attempts:
            key = "cli.followup.attempts_open" if item.open else "cli.followup.attempts_closed"
            lines.append(words.plural(language, key, item.attempts))
    return lines


def _done(words: Words, language: str, followups: Sequence[tuple[str, str]]) -> str:
    return "; ".join(
        f"{words.text(language, f'cli.action.{action}')}: "
        f"{words.text(language, f'cli.outcome.{outcome}')}"
        for action, outcome in followups
    )


def unconfirmed_lines(
    words: Words,
    language: str,
    items: Sequence[UnconfirmedItem],
    zone: ZoneInfo,
    *,
    with_ids: bool = False,
) -> list[str]:
    """The messages that may not have reached a guardian, under a heading that says so;
    nothing when there are none. `with_ids`: each line names its delivery, for the command
    line."""
    if not items:
        return []
    key = "cli.followup.unconfirmed_line" if with_ids else "staff.unconfirmed.line"
    lines = [words.text(language, "staff.unconfirmed.header")]
    for item in items:
        kind_key = f"staff.kind.{item.kind}"
        lines.append(
            words.text(
                language,
                key,
                delivery=item.delivery_id,
                guardian=clean(item.guardian),
                language=dutch_name(item.language),
                phone=clean(item.phone or "-"),
                kind=words.text(
                    language, kind_key if words.has(language, kind_key) else "staff.kind.message"
                ),
                message=item.message_id,
                title=clean(item.title),
                date=when(item.date, zone),
            )
        )
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


def resend_line(words: Words, language: str, delivery_id: int, result: Resent) -> str:
    """What a "send again" did, in staff words."""
    if result.problem is None:
        return words.text(
            language,
            "staff.resend.done",
            delivery=delivery_id,
            guardian=clean(result.guardian or ""),
            message=result.message_id,
        )
    return words.text(
        language,
        f"staff.resend.{result.problem}",
        delivery=delivery_id,
        guardian=clean(result.guardian or ""),
    )


def understanding_lines(
    words: Words, language: str, rows: Sequence[MessageUnderstanding]
) -> list[str]:
    """Per message with the two buttons: understood, please explain, no tap yet; nothing when
    there are no such messages."""
    if not rows:
        return []
    lines = [words.text(language, "understanding.counts_header")]
    for row in rows:
        lines.append(
            words.text(
                language,
                "understanding.counts_line",
                message=row.message_id,
                title=clean(row.title),
                groups=", ".join(row.groups) or "-",
                understood=row.counts.understood,
                explain=row.counts.explain,
                no_tap=row.counts.no_tap,
            )
        )
    return lines


def explain_lines(
    words: Words,
    language: str,
    items: Sequence[ExplainItem],
    zone: ZoneInfo,
    *,
    with_ids: bool = False,
) -> list[str]:
    """The families who asked for an explanation, under a heading that says so; nothing when
    there are none. `with_ids`: each line names its number, for the command line."""
    if not items:
        return []
    key = "understanding.explain_line_cli" if with_ids else "understanding.explain_line"
    lines = [words.text(language, "understanding.explain_header")]
    for item in items:
        lines.append(
            words.text(
                language,
                key,
                request=item.request_id,
                guardian=clean(item.guardian),
                language=dutch_name(item.language),
                phone=clean(item.phone or "-"),
                message=item.message_id,
                title=clean(item.title),
                groups=", ".join(item.groups) or "-",
                date=when(item.asked_at, zone),
            )
        )
    return lines
