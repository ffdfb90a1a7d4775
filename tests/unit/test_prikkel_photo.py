"""What a photo with a prikkel must be: an image, at most 10 MB, under a caption that fits."""

from __future__ import annotations

import pytest

from oudersbot.domain.prikkels import PHOTO_LIMIT, longest_caption, photo_problem


@pytest.mark.parametrize(
    ("mime_type", "size", "problem"),
    [
        (None, 200_000, None),  # a photo Telegram made: no mime type
        ("image/jpeg", 200_000, None),
        ("IMAGE/PNG", PHOTO_LIMIT, None),
        (None, None, None),  # a size Telegram did not tell
        ("application/pdf", 20_000, "not_image"),
        ("video/mp4", 200_000, "not_image"),
        ("image/jpeg", PHOTO_LIMIT + 1, "photo_too_large"),
        (None, 11 * 1024 * 1024, "photo_too_large"),
    ],
)
def test_a_file_is_a_photo_for_a_prikkel_or_says_why_not(
    mime_type: str | None, size: int | None, problem: str | None
) -> None:
    assert photo_problem(mime_type, size) == problem


def test_the_caption_is_counted_as_telegram_counts_in_every_language() -> None:
    fits = "<b>Klas</b>\n\n" + "a" * 1016  # tags do not count: 4 + 2 + 1016 = 1022
    assert longest_caption([("nl", [fits])]) is None
    emoji = "😀" * 512  # two UTF-16 units each: 1024
    assert longest_caption([("nl", [emoji])]) is None
    over = "&amp;" * 1025  # an entity is one character: 1025
    assert longest_caption([("nl", [fits]), ("tr", [over])]) == ("tr", 1025)
    assert longest_caption([("ar", ["a" * 1000, "b" * 1000])]) == ("ar", 2002)
