"""The plain-language check held against an editor: a labelled corpus, split once, scored.

The corpus (tests/fixtures/plain_corpus.toml) gives each sentence the set of finding kinds an
editor would raise, or "clean". Its split into a development half and a test half is fixed by a
hash of the sentence, so the split never depends on the check: the check is tuned on the
development half, and its figures are reported on the test half.

Agreement is per sentence: the check's set of finding kinds equals the editor's (so both say clean,
or both name the same kinds). The false-alarm rate is the share of the editor's clean sentences on
which the check finds anything. A missing fact (``missing_essential``) is never judged: sentences
are checked without a message kind.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from oudersbot.domain.plain_language import FindingKind, Lexicon, check

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "plain_corpus.toml"
CLEAN = "clean"
KINDS = frozenset(k.value for k in FindingKind) - {FindingKind.MISSING_ESSENTIAL.value}


class CorpusError(ValueError):
    """A sentence in the corpus has a judgement that does not parse."""


@dataclass(frozen=True)
class Labelled:
    """One sentence with the editor's judgement (an empty set is clean)."""

    text: str
    kinds: frozenset[str]
    source: str
    reason: str

    @property
    def half(self) -> str:
        """ "dev" or "test", from the first byte of the sentence's SHA-256: fixed, never tuned."""
        return "dev" if hashlib.sha256(self.text.encode()).digest()[0] % 2 == 0 else "test"


@dataclass(frozen=True)
class Score:
    """Agreement and false alarms of the check on some sentences."""

    sentences: int
    agreed: int
    clean: int
    false_alarms: int

    @property
    def agreement(self) -> float:
        return self.agreed / self.sentences if self.sentences else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0


def load_corpus(path: Path = CORPUS) -> list[Labelled]:
    """Every sentence of the corpus; a judgement naming an unknown kind raises CorpusError."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    corpus = []
    for number, row in enumerate(data["sentences"], start=1):
        kinds = set(row["kinds"])
        unknown = kinds - KINDS - {CLEAN}
        if unknown or not kinds or (CLEAN in kinds and len(kinds) > 1):
            raise CorpusError(f"{path}: sentence {number}: judgement {sorted(kinds)} is not valid")
        if not row.get("source") or not row.get("reason"):
            raise CorpusError(f"{path}: sentence {number}: needs a source and a reason")
        corpus.append(
            Labelled(row["text"], frozenset(kinds - {CLEAN}), row["source"], row["reason"])
        )
    return corpus


def verdict(text: str, lexicon: Lexicon) -> frozenset[str]:
    """The check's finding kinds for one sentence (empty: clean)."""
    return frozenset(f.kind.value for f in check(text, lexicon))


def score(corpus: Iterable[Labelled], lexicon: Lexicon) -> Score:
    """How often the check agrees with the editor, and how often it flags a clean sentence."""
    sentences = agreed = clean = false_alarms = 0
    for item in corpus:
        found = verdict(item.text, lexicon)
        sentences += 1
        agreed += found == item.kinds
        if not item.kinds:
            clean += 1
            false_alarms += bool(found)
    return Score(sentences, agreed, clean, false_alarms)


def disagreements(corpus: Iterable[Labelled], lexicon: Lexicon) -> list[str]:
    """One line per sentence where the check and the editor differ (for tuning on dev)."""
    lines = []
    for item in corpus:
        found = verdict(item.text, lexicon)
        if found != item.kinds:
            lines.append(f"{item.text!r}: editor {sorted(item.kinds)} check {sorted(found)}")
    return lines


if __name__ == "__main__":
    import sys

    from oudersbot.settings import PACKAGE_DIR
    from oudersbot.translation.plain_lexicon import load_lexicon

    lex = load_lexicon(PACKAGE_DIR / "messages" / "plain-language.toml")
    half = sys.argv[1] if len(sys.argv) > 1 else "dev"
    chosen = [s for s in load_corpus() if s.half == half]
    result = score(chosen, lex)
    print("\n".join(disagreements(chosen, lex)))
    print(
        half, result, f"agreement {result.agreement:.3f} false alarms {result.false_alarm_rate:.3f}"
    )
