"""Texts over a provider's limit are cut on line, then sentence, then word boundaries."""

from __future__ import annotations

import pytest

from oudersbot.domain.sentences import chunk, join, sentences

LETTER = "Eerste zin is hier. Tweede zin volgt nu! Derde?\nNieuwe regel met woorden.\n\nLaatste."


def test_a_short_text_is_one_piece() -> None:
    assert [p.text for p in chunk(LETTER, 200)] == [LETTER]


@pytest.mark.parametrize("limit", [10, 20, 30, 60])
def test_pieces_fit_and_join_back_to_the_text(limit: int) -> None:
    pieces = chunk(LETTER, limit)
    assert all(0 < len(p.text) <= limit for p in pieces)
    assert join(pieces) == LETTER


def test_sentences_stay_whole_when_they_fit() -> None:
    assert [p.text for p in chunk(LETTER, 30)] == [
        "Eerste zin is hier.",
        "Tweede zin volgt nu! Derde?",
        "Nieuwe regel met woorden.",
        "Laatste.",
    ]


def test_a_word_longer_than_the_limit_is_cut() -> None:
    pieces = chunk("a " + "x" * 25, 10)
    assert all(len(p.text) <= 10 for p in pieces)
    assert join(pieces).replace(" ", "") == "a" + "x" * 25


def test_sentence_split_keeps_question_and_exclamation_marks() -> None:
    assert sentences("Kom je? Ja! Fijn.") == ["Kom je?", "Ja!", "Fijn."]


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        chunk("tekst", 0)
