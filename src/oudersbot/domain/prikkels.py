"""Ouderprikkels: a humane dose (at most a few a week per family), the parent's text, and
what a photo with it must be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from oudersbot.domain.rendering import CAPTION_LIMIT, visible_length

DEFAULT_WEEKLY_LIMIT = 3
DEFAULT_TIME = dt.time(15, 45)  # after school
FEEDBACK_PREFIX = "p:"
FEEDBACK_KINDS = ("talked", "another")
PHOTO_LIMIT = 10 * 1024 * 1024  # Telegram's sendPhoto takes photos of at most 10 MB


def week_of(moment: dt.datetime) -> dt.date:
    """The Monday of the (local) week a moment falls in."""
    day = moment.date()
    return day - dt.timedelta(days=day.weekday())


def within_dose(
    due: dt.datetime, per_week: Mapping[dt.date, int], limit: int = DEFAULT_WEEKLY_LIMIT
) -> dt.datetime:
    """The due time, or the same weekday and local time in the first later week in which the
    family has had fewer than `limit` prikkels (the later ones wait, never pile up)."""
    if limit < 1:
        raise ValueError("the weekly limit must be at least 1")
    shift = 0
    while per_week.get(week_of(due) + dt.timedelta(weeks=shift), 0) >= limit:
        shift += 1
        if shift > 52:
            raise ValueError("no week with room for a prikkel within a year")
    if shift == 0:
        return due
    local = due.replace(tzinfo=None) + dt.timedelta(weeks=shift)
    return local.replace(tzinfo=due.tzinfo)


def prikkel_text(context: str, question: str, tip: str | None) -> str:
    """What the parent reads: what the class does, the question to ask, maybe a tip."""
    parts = [context.strip(), question.strip()]
    if tip:
        parts.append(f"💡 {tip.strip()}")
    return "\n\n".join(parts)


def encode_feedback(kind: str, message_id: int) -> str:
    """Callback data of a prikkel button: 'p:talked:123'."""
    return f"{FEEDBACK_PREFIX}{kind}:{message_id}"


def decode_feedback(data: str) -> tuple[str, int] | None:
    """(kind, message id) of prikkel button data, or None when it is not one of ours."""
    if not data.startswith(FEEDBACK_PREFIX) or len(data) > 64:
        return None
    kind, _, number = data[len(FEEDBACK_PREFIX) :].partition(":")
    if kind not in FEEDBACK_KINDS or not number.isdigit():
        return None
    return kind, int(number)


def photo_problem(mime_type: str | None, size: int | None) -> str | None:
    """Why a file cannot go with a prikkel as its photo ('not_image', 'photo_too_large'), or
    None. A photo Telegram made has no mime type; a document must say it is an image."""
    if mime_type is not None and not mime_type.lower().startswith("image/"):
        return "not_image"
    if size is not None and size > PHOTO_LIMIT:
        return "photo_too_large"
    return None


def longest_caption(versions: Iterable[tuple[str, list[str]]]) -> tuple[str, int] | None:
    """The language whose rendered text (parts of Telegram HTML) is the longest over the
    caption limit, with its length as Telegram counts it; None when every one fits."""
    worst: tuple[str, int] | None = None
    for language, parts in versions:
        length = sum(visible_length(part) for part in parts) + 2 * (len(parts) - 1)
        if length > CAPTION_LIMIT and (worst is None or length > worst[1]):
            worst = (language, length)
    return worst
