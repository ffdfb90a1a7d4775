"""The simulator's Telegram HTML parser and UTF-16 text handling."""

from __future__ import annotations

import pytest

from oudersbot.simulator.html_parser import EntityParseError, parse_html
from oudersbot.simulator.text import FormattedText, command_entities, trim, utf16_length


def test_plain_text_passes_through() -> None:
    assert parse_html("Geen opmaak") == FormattedText("Geen opmaak", [])


def test_basic_tags_and_synonyms() -> None:
    parsed = parse_html("<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins>")
    assert parsed.text == "abcdef"
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
    ]
    struck = parse_html("<s>x</s><strike>y</strike><del>z</del>")
    assert {e["type"] for e in struck.entities} == {"strikethrough"}


def test_nested_entities_are_sorted_outer_first() -> None:
    parsed = parse_html("<b>bold <i>both</i></b> plain")
    assert parsed.text == "bold both plain"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
    ]


def test_link_code_pre_language_spoiler_and_emoji() -> None:
    parsed = parse_html(
        '<a href="https://school.be/?a=1&amp;b=2">site</a> <code>x</code> '
        '<pre><code class="language-python">print(1)</code></pre> '
        '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span> '
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert parsed.text == "site x print(1) st 👍"
    by_type = {e["type"]: e for e in parsed.entities}
    assert by_type["text_link"] == {
        "type": "text_link",
        "url": "https://school.be/?a=1&b=2",
        "offset": 0,
        "length": 4,
    }
    assert by_type["code"]["offset"] == 5
    assert by_type["pre"] == {"type": "pre", "language": "python", "offset": 7, "length": 8}
    assert [e["type"] for e in parsed.entities].count("spoiler") == 2
    assert by_type["custom_emoji"]["custom_emoji_id"] == "5368324170671202286"
    assert by_type["custom_emoji"]["length"] == 2  # one emoji, two UTF-16 code units


def test_blockquote_and_expandable_blockquote() -> None:
    parsed = parse_html(
        "<blockquote>kort</blockquote>\n<blockquote expandable>lang\nlang</blockquote>"
    )
    assert parsed.text == "kort\nlang\nlang"
    assert parsed.entities == [
        {"type": "blockquote", "offset": 0, "length": 4},
        {"type": "expandable_blockquote", "offset": 5, "length": 9},
    ]


def test_html_entities() -> None:
    parsed = parse_html("&lt;b&gt; &amp; &quot;q&quot; &#128512; &#x41; &nbsp; & alone")
    assert parsed.text == '<b> & "q" 😀 A &nbsp; & alone'
    assert parsed.entities == []


def test_offsets_count_utf16_code_units() -> None:
    parsed = parse_html("😀😀 <b>مرحبا</b>")
    assert parsed.entities == [{"type": "bold", "offset": 5, "length": 5}]
    assert utf16_length("😀") == 2
    assert utf16_length("é") == 1
    assert utf16_length("abc") == 3


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", "Unclosed start tag at byte offset 2"),
        ("é <x> y", 'Unsupported start tag "x" at byte offset 3'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<span class="other">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<!-- note -->", 'Unsupported start tag "!--"'),
        ("<br/>", 'Unsupported start tag "br"'),
        ("<tg-emoji>x</tg-emoji>", "Custom emoji identifier must be non-empty"),
    ],
)
def test_malformed_or_unsupported_html_is_rejected(source: str, message: str) -> None:
    with pytest.raises(EntityParseError, match="^" + message.replace("(", r"\(")):
        parse_html(source)


def test_trim_strips_whitespace_and_clips_entities() -> None:
    trimmed = trim(parse_html("\n  <b> vet </b>tekst \n"))
    assert trimmed.text == "vet tekst"
    assert trimmed.entities == [{"type": "bold", "offset": 0, "length": 4}]
    assert trim(FormattedText(" \n ", [])).text == ""


def test_command_entities_like_telegram() -> None:
    assert command_entities("/start abc") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("hoi /help@oudersbot_demo_bot") == [
        {"type": "bot_command", "offset": 4, "length": 24}
    ]
    assert command_entities("a/b en https://x.be/pad") == []
    assert command_entities("😀 /stop") == [{"type": "bot_command", "offset": 3, "length": 5}]
