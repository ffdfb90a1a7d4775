"""The labelled corpus the plain-language check is measured on (figures: `make bench`, plain)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.plain_corpus import CorpusError, Labelled, load_corpus, score, verdict

from oudersbot.domain.plain_language import Lexicon
from oudersbot.translation.plain_lexicon import load_lexicon

LEXICON_PATH = Path(__file__).resolve().parents[2] / "src" / "oudersbot" / "messages"
LEXICON_PATH = LEXICON_PATH / "plain-language.toml"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(LEXICON_PATH)


@pytest.fixture(scope="module")
def corpus() -> list[Labelled]:
    return load_corpus()


def test_the_corpus_parses_with_a_source_and_a_reason_per_sentence(corpus: list[Labelled]) -> None:
    assert len(corpus) >= 150
    assert len({s.text for s in corpus}) == len(corpus)
    assert all(s.source and s.reason for s in corpus)


def test_both_halves_are_large_and_hold_clean_and_flagged_sentences(
    corpus: list[Labelled],
) -> None:
    for half in ("dev", "test"):
        chosen = [s for s in corpus if s.half == half]
        assert len(chosen) >= 60
        assert any(not s.kinds for s in chosen) and any(s.kinds for s in chosen)


def test_a_judgement_with_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corpus.toml"
    path.write_text(
        'sentences = [{ text = "Hallo.", kinds = ["typo"], source = "x", reason = "y" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match="sentence 1"):
        load_corpus(path)


def test_the_seed_examples_keep_their_judgement(corpus: list[Labelled], lexicon: Lexicon) -> None:
    seed = [s for s in corpus if s.source.startswith("seed:")]
    assert len(seed) >= 5
    for sentence in seed:
        assert verdict(sentence.text, lexicon) == sentence.kinds, sentence.text


def test_the_test_half_agreement_does_not_fall_back(
    corpus: list[Labelled], lexicon: Lexicon
) -> None:
    # A regression guard a little below what `make bench` measured (0.943 and 0.022 at writing).
    result = score([s for s in corpus if s.half == "test"], lexicon)
    assert result.agreement >= 0.9
    assert result.false_alarm_rate <= 0.1
