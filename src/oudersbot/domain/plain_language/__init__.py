"""A plain-language check for a Dutch message to parents (key 5 of the checklist: B1 level).

The check warns, it never blocks: every finding names a span of the text, and, where the lexicon
has one, a plainer alternative. The rules are heuristics for Dutch, kept small and explainable:

- ``LONG_SENTENCE``: more words than ``Lexicon.max_sentence_words``.
- ``PASSIVE``: a form of *worden* with a past participle in the same clause, or a form of *zijn*
  with one (*De brief is verstuurd.*), except participles that say a state (*gesloten*) or verbs
  whose perfect takes *zijn* (*vertrokken*).
- ``JARGON``: a listed school term or abbreviation, an unlisted all-capitals abbreviation, or an
  unlisted dotted one (*t.a.v.*).
- ``NUMBER_IN_WORDS``: a number written as a word (*drie*, *vijfentwintig*); write digits.
- ``SEVERAL_MESSAGES``: a second message in the same text: a marker such as *Daarnaast* at the
  start of a sentence, or a sentence about a new topic none of the earlier sentences touched.
- ``RARE_WORD``: a word few readers know: listed in ``Lexicon.simpler``, or rare in Dutch (a Zipf
  frequency below ``Lexicon.rare_below``) and not a compound of two common words.
- ``INDIRECT``: a sentence that starts with a group and tells it what to do (*De kleuters mogen
  ...* instead of *Uw kind brengt ...*); news about a group (*De leerlingen gaan op zeeklas.*) is
  fine. *Ouders* is indirect in a text that never says *u*.
- ``NOMINALISATION``, ``VAGUE_WORD``, ``BRACKETED_MESSAGE``: see ``style``.
- ``MISSING_ESSENTIAL``: a fact this kind of message needs (a date, a time, an amount, a place) is
  not in the text.

The rules live by what they look at: ``sentences`` (long, passive, several messages, indirect),
``words`` (jargon, rare words), ``numbers`` (numbers in words) and ``essentials`` (missing facts),
over the words and sentences ``text`` finds and the patterns ``lexicon`` compiles. What importers
use is here: ``check``, ``Finding``, ``FindingKind``, ``Lexicon`` and ``FACTS``.

Pure: the word frequencies come in through ``Lexicon.frequency``.
"""

from __future__ import annotations

from oudersbot.domain.plain_language.essentials import FACTS, missing
from oudersbot.domain.plain_language.findings import Finding, FindingKind
from oudersbot.domain.plain_language.lexicon import Lexicon, patterns_of
from oudersbot.domain.plain_language.numbers import numbers_in_words
from oudersbot.domain.plain_language.sentences import (
    indirect,
    long_sentences,
    passives,
    several_messages,
)
from oudersbot.domain.plain_language.style import (
    bracketed_messages,
    nominalisations,
    vague_words,
)
from oudersbot.domain.plain_language.text import first_words, split_sentences, split_words
from oudersbot.domain.plain_language.words import jargon, rare_words

__all__ = ["FACTS", "Finding", "FindingKind", "Lexicon", "check"]


def check(text: str, lexicon: Lexicon, *, kind: str | None = None) -> list[Finding]:
    """All findings for a Dutch text, sorted by position.

    ``kind`` is the message's pictogram key (``uitstap``, ``oudercontact``, ...); when given, the
    facts ``lexicon.essentials[kind]`` names are looked for too.
    """
    patterns = patterns_of(lexicon)
    sentences = list(split_sentences(text, patterns.dotted))
    words = split_words(text)
    firsts = first_words(words, sentences)
    findings: list[Finding] = []
    findings += long_sentences(text, sentences, lexicon.max_sentence_words)
    findings += passives(text, sentences, lexicon.not_participles)
    terms = jargon(text, words, lexicon, patterns)
    findings += terms
    numbers = numbers_in_words(words)
    findings += numbers
    findings += several_messages(text, sentences, words, firsts, patterns)
    findings += indirect(text, sentences, words, lexicon, patterns)
    findings += nominalisations(text, sentences)
    findings += vague_words(text, sentences, lexicon, patterns)
    findings += bracketed_messages(text)
    # A word already found as jargon or as a number is not a rare word as well.
    taken = frozenset(i for f in terms + numbers for i in range(f.start, f.end))
    findings += rare_words(words, firsts, taken, lexicon)
    if kind is not None:
        findings += missing(text, kind, lexicon)
    return sorted(findings, key=lambda f: (f.start, f.end, f.kind.value))
