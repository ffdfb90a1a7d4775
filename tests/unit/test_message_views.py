"""How /bericht packs the preview into Telegram messages."""

from __future__ import annotations

from oudersbot.bot.message_views import pack


def test_a_header_stays_with_its_text_and_no_message_is_too_long() -> None:
    header, text = "<b>— Turks: 1 ouders —</b>", "x" * 3000
    messages = pack([["<b>— Nederlands —</b>", "y" * 3000], [header, text]], limit=4096)
    assert len(messages) == 2
    assert messages[1].startswith(header) and messages[1].endswith(text)


def test_short_versions_share_one_message_and_a_long_part_gets_its_own() -> None:
    assert pack([["a", "b"], ["c", "d"]], limit=100) == ["a\n\nb\n\nc\n\nd"]
    long = "z" * 90
    assert pack([["h", long], ["k", "w"]], limit=50) == ["h", long, "k\n\nw"]
