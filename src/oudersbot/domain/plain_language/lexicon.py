"""The lexicon the check uses, and the patterns compiled from it once per lexicon."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from oudersbot.domain.plain_language.text import ABBREVIATIONS


@dataclass(frozen=True)
class Lexicon:
    """The word lists and settings the check uses (see messages/plain-language.toml).

    ``topics`` maps a topic to its keywords; a keyword of 4 letters or more also matches as the
    start or the end of a longer word (``feest`` in *schoolfeest*). ``markers`` start a second
    message (*Daarnaast*, *P.S.*). ``indirect`` maps a group that is talked about (*kleuters*) to
    the direct way to say it (*uw kind*). ``not_participles`` are words that look like a past
    participle but are not one after *worden* (*gewoon*, *vervelend*). ``vague`` maps a vague word
    (*eventueel*, *binnenkort*) to a way to say it exactly.
    """

    jargon: Mapping[str, str]
    simpler: Mapping[str, str]
    common: frozenset[str]
    essentials: Mapping[str, tuple[str, ...]]
    frequency: Callable[[str], float]
    rare_below: float = 3.0
    max_sentence_words: int = 15
    topics: Mapping[str, frozenset[str]] = field(default_factory=dict)
    markers: tuple[str, ...] = ()
    indirect: Mapping[str, str] = field(default_factory=dict)
    not_participles: frozenset[str] = frozenset()
    vague: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def _patterns(self) -> Patterns:
        return Patterns.build(self)


def patterns_of(lexicon: Lexicon) -> Patterns:
    """The lexicon's compiled patterns, built on first use and kept with the lexicon."""
    return lexicon._patterns


def _alternatives(terms: Iterator[str] | list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


_MIN_HEAD = 4


@dataclass(frozen=True)
class Patterns:
    """The lexicon's lists as regular expressions and lookup tables."""

    jargon: re.Pattern[str] | None
    marker: re.Pattern[str] | None
    group: re.Pattern[str] | None
    dotted: frozenset[str]
    exact_topics: Mapping[str, str]
    topic_prefix: re.Pattern[str] | None
    topic_suffix: re.Pattern[str] | None
    long_topics: Mapping[str, str]
    vague: re.Pattern[str] | None = None
    dotted_markers: frozenset[str] = frozenset()

    @classmethod
    def build(cls, lexicon: Lexicon) -> Patterns:
        """Compile the lexicon's lists."""
        jargon = marker = group = prefix = suffix = None
        if lexicon.jargon:
            jargon = re.compile(
                rf"(?<![\w.@/])(?:{_alternatives(list(lexicon.jargon))})(?![^\W_]|\.\w)",
                re.IGNORECASE,
            )
        if lexicon.markers:
            marker = re.compile(
                rf"[^\w]*(?P<marker>{_alternatives(list(lexicon.markers))})(?![^\W_])",
                re.IGNORECASE,
            )
        if lexicon.indirect:
            group = re.compile(
                rf"[^\w]*(?P<phrase>(?:(?:de|alle|onze|al de)\s+)?"
                rf"(?P<group>{_alternatives(list(lexicon.indirect))}))(?![^\W_])",
                re.IGNORECASE,
            )
        exact: dict[str, str] = {}
        long: dict[str, str] = {}
        for topic, keywords in lexicon.topics.items():
            for keyword in keywords:
                exact[keyword] = topic
                if len(keyword) >= 4:
                    long[keyword] = topic
        if long:
            prefix = re.compile(_alternatives(list(long)))
            suffix = re.compile(_alternatives([k[::-1] for k in long]))
        vague = None
        if lexicon.vague:
            vague = re.compile(
                rf"(?<![\w.])(?:{_alternatives(list(lexicon.vague))})(?![^\W_])", re.IGNORECASE
            )
        dotted = ABBREVIATIONS | {t for t in (*lexicon.jargon, *lexicon.markers) if "." in t}
        return cls(
            jargon,
            marker,
            group,
            frozenset(dotted),
            exact,
            prefix,
            suffix,
            long,
            vague,
            frozenset(m for m in lexicon.markers if "." in m),
        )

    def topic_of(self, word: str) -> str | None:
        """The topic a lowercase word belongs to, if any."""
        if word in self.exact_topics:
            return self.exact_topics[word]
        if self.topic_prefix is not None:
            match = self.topic_prefix.match(word)
            if match is not None:
                return self.long_topics[match.group()]
        if self.topic_suffix is not None:
            match = self.topic_suffix.match(word[::-1])
            # The first part of the compound is a word too: schoolfeest, not muziek or planeten.
            if match is not None and len(word) - match.end() >= _MIN_HEAD:
                return self.long_topics[match.group()[::-1]]
        return None
