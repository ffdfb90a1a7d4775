"""How a message looks on the phone: mark first, translation labelled, Dutch original kept."""

from __future__ import annotations

from oudersbot.domain.rendering import (
    TEXT_LIMIT,
    MessageView,
    render_html,
    split_text,
    visible_length,
)


def view(**changes: object) -> MessageView:
    base = MessageView(
        mark="🔴",
        category_label="Important",
        symbol="🚌",
        topic_label="Sortie",
        body="Le jeudi 3 décembre, nous allons au zoo.",
        rtl=False,
        translation_note="Traduction du néerlandais",
        original_label="Le message en néerlandais",
        original="Op donderdag 3 december gaan we naar de zoo.",
    )
    return MessageView(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_mark_comes_first_then_translation_then_the_dutch_original_in_an_expandable_quote() -> None:
    (text,) = render_html(view())
    assert text.lstrip("\u2066\u2067").startswith("🔴 <b>Important</b> · 🚌 Sortie")
    assert text.index("Traduction du néerlandais") < text.index("nous allons au zoo")
    assert text.index("nous allons au zoo") < text.index("<blockquote expandable>")
    assert text.endswith("Op donderdag 3 december gaan we naar de zoo.</blockquote>")


def test_a_dutch_parent_gets_no_translation_note_and_no_quote() -> None:
    (text,) = render_html(
        view(translation_note=None, original=None, original_label=None, body="Hallo")
    )
    assert "blockquote" not in text
    assert "Hallo" in text


def test_right_to_left_lines_are_isolated() -> None:
    (text,) = render_html(view(rtl=True, body="سنذهب إلى حديقة الحيوان.\nشكرا"))
    assert "\u2067سنذهب إلى حديقة الحيوان.\u2069" in text
    assert "\u2067شكرا\u2069" in text


def test_text_from_people_is_escaped() -> None:
    (text,) = render_html(view(body="<script>alert(1)</script> & co", original="a < b"))
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    assert "a &lt; b" in text


def test_visible_length_counts_utf16_units_after_tags() -> None:
    assert visible_length("<b>ab</b> &amp;") == 4
    assert visible_length("😀") == 2


def test_long_messages_are_split_into_parts_under_the_limit() -> None:
    sentence = "Dit is een zin van een lange brief. "
    parts = render_html(view(body=sentence * 200, original=sentence * 200))
    assert len(parts) >= 3
    assert all(visible_length(p) <= TEXT_LIMIT for p in parts)
    assert all(p.lstrip("\u2066").startswith("🔴") for p in parts if "blockquote" not in p)


def test_split_text_keeps_every_word() -> None:
    text = " ".join(f"woord{i}" for i in range(3000))
    chunks = split_text(text, 1000)
    assert all(visible_length(c) <= 1000 for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_the_school_line_goes_first_escaped_unless_the_part_would_be_too_long() -> None:
    from oudersbot.domain.rendering import TEXT_LIMIT, with_school_line

    parts = with_school_line(["<b>Info</b>\n\nMorgen turnen.", "deel twee"], "Sint-Jan & Co")
    assert parts[0].splitlines()[0] == "\u2066🏫 <b>Sint-Jan &amp; Co</b>\u2069"
    assert parts[0].endswith("Morgen turnen.") and parts[1] == "deel twee"
    full = ["x" * (TEXT_LIMIT - 5)]
    assert with_school_line(full, "De Regenboog") == full
    assert with_school_line(["y" * 1015], "De Regenboog", caption=True) == ["y" * 1015]
