"""A plain-language check for a Dutch message to parents (key 5 of the checklist: B1 level).

The check warns, it never blocks: every finding names a span of the text, and, where the lexicon
has one, a plainer alternative. The rules are heuristics for Dutch, kept small and explainable:

- ``LONG_SENTENCE``: more words than ``Lexicon.max_sentence_words``.
- ``PASSIVE``: a form of *worden* with a past participle in the same clause.
- ``JARGON``: a listed school term or abbreviation, or an unlisted all-capitals abbreviation.
- ``NUMBER_IN_WORDS``: a number written as a word (*drie*, *vijfentwintig*); write digits.
- ``SEVERAL_MESSAGES``: a second message in the same text: a marker such as *Daarnaast* at the
  start of a sentence, or a sentence about a new topic none of the earlier sentences touched.
- ``RARE_WORD``: a word few readers know: listed in ``Lexicon.simpler``, or rare in Dutch (a Zipf
  frequency below ``Lexicon.rare_below``) and not a compound of two common words.
- ``INDIRECT``: a sentence that starts by talking about a group (*De kleuters mogen ...*) instead
  of addressing the parent (*Uw kind brengt ...*).
- ``MISSING_ESSENTIAL``: a fact this kind of message needs (a date, a time, an amount, a place) is
  not in the text.

Pure: the word frequencies come in through ``Lexicon.frequency``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

FACTS = ("date", "time", "amount", "place")
"""The facts a kind of message can need, as named in ``Lexicon.essentials``."""


class FindingKind(StrEnum):
    """What a finding is about."""

    LONG_SENTENCE = "long_sentence"
    PASSIVE = "passive"
    JARGON = "jargon"
    NUMBER_IN_WORDS = "number_in_words"
    SEVERAL_MESSAGES = "several_messages"
    RARE_WORD = "rare_word"
    INDIRECT = "indirect"
    MISSING_ESSENTIAL = "missing_essential"


@dataclass(frozen=True)
class Finding:
    """One warning: ``text[start:end] == excerpt`` (empty at 0 for a missing fact)."""

    kind: FindingKind
    start: int
    end: int
    excerpt: str
    suggestion: str | None = None
    detail: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Lexicon:
    """The word lists and settings the check uses (see messages/plain-language.toml).

    ``topics`` maps a topic to its keywords; a keyword of 4 letters or more also matches as the
    start or the end of a longer word (``feest`` in *schoolfeest*). ``markers`` start a second
    message (*Daarnaast*, *P.S.*). ``indirect`` maps a group that is talked about (*kleuters*) to
    the direct way to say it (*uw kind*). ``not_participles`` are words that look like a past
    participle but are not one after *worden* (*gewoon*, *vervelend*).
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

    @cached_property
    def _patterns(self) -> _Patterns:
        return _Patterns.build(self)


def check(text: str, lexicon: Lexicon, *, kind: str | None = None) -> list[Finding]:
    """All findings for a Dutch text, sorted by position.

    ``kind`` is the message's pictogram key (``uitstap``, ``oudercontact``, ...); when given, the
    facts ``lexicon.essentials[kind]`` names are looked for too.
    """
    patterns = lexicon._patterns
    sentences = list(_sentences(text, patterns))
    words = [_Word(m.start(), m.end(), m.group()) for m in _LETTERS.finditer(text)]
    firsts = _first_words(words, sentences)
    findings: list[Finding] = []
    findings += _long_sentences(text, sentences, lexicon.max_sentence_words)
    findings += _passives(text, sentences, lexicon.not_participles)
    jargon = _jargon(text, words, lexicon, patterns)
    findings += jargon
    numbers = _numbers_in_words(words)
    findings += numbers
    findings += _several_messages(text, sentences, words, firsts, patterns)
    findings += _indirect(text, sentences, words, lexicon, patterns)
    taken = frozenset(i for f in jargon + numbers for i in range(f.start, f.end))
    findings += _rare_words(words, firsts, taken, lexicon)
    if kind is not None:
        findings += _missing(text, kind, lexicon)
    return sorted(findings, key=lambda f: (f.start, f.end, f.kind.value))


# --- Words and sentences -------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+")
# What counts as one word in a sentence's length: 12,50 and 08:30 and foto's are one word.
_COUNTED = re.compile(r"\w+(?:['’.,:/-]\w+)*")
_BOUNDARY = re.compile(r"[.!?…]+(?=[\s\"'”’)]|$)|\n")
_DOTTED = re.compile(r"[^\W\d_][\w.]*$")
_ABBREVIATIONS = frozenset(
    ("bv.", "bijv.", "nl.", "enz.", "o.a.", "i.v.m.", "m.a.w.", "d.w.z.", "a.u.b.", "t.e.m.")
)


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str


def _sentences(text: str, patterns: _Patterns) -> Iterator[tuple[int, int]]:
    """Spans of the sentences, without surrounding blanks; an abbreviation's dot ends none."""
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group() == "." and _abbreviation_dot(text, match.start(), patterns.dotted):
            continue
        yield from _trimmed(text, start, match.end())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _abbreviation_dot(text: str, dot: int, dotted: frozenset[str]) -> bool:
    """True when the dot closes a listed abbreviation and the sentence goes on in lowercase."""
    before = _DOTTED.search(text, max(0, dot - 12), dot)
    if before is None or text[before.start() : dot + 1].lower() not in dotted:
        return False
    rest = text[dot + 1 :].lstrip(" \t")
    return bool(rest) and (rest[0].islower() or rest[0].isdigit())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(c.isalnum() for c in text[start:end]):
        yield start, end


def _first_words(words: list[_Word], sentences: list[tuple[int, int]]) -> frozenset[int]:
    """Start offsets of the first word of each sentence (capitals there are no names)."""
    firsts = set()
    index = 0
    for start, end in sentences:
        while index < len(words) and words[index].start < start:
            index += 1
        if index < len(words) and words[index].start < end:
            firsts.add(words[index].start)
    return frozenset(firsts)


# --- Long sentences ------------------------------------------------------------------------


def _long_sentences(text: str, sentences: list[tuple[int, int]], limit: int) -> list[Finding]:
    findings = []
    for start, end in sentences:
        count = sum(1 for _ in _COUNTED.finditer(text, start, end))
        if count > limit:
            detail = {"words": count, "limit": limit}
            findings.append(
                Finding(FindingKind.LONG_SENTENCE, start, end, text[start:end], None, detail)
            )
    return findings


# --- Passive -------------------------------------------------------------------------------

_AUXILIARIES = frozenset(("word", "wordt", "worden", "werd", "werden", "geworden"))
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]–—]|\b(?:en|maar|want|omdat|terwijl|zodat|nadat|voordat|doordat|dus)\b",
    re.IGNORECASE,
)
# A past participle: ge-...-d/t/en (gevraagd, gegeven, gedaan), or ver-/be-/ont-/her-/er-...-d/t/en
# (verrekend, betaald, ontvangen), after an optional separable particle (opgehaald, meegebracht).
_PARTICLE = (
    "(?:aan|af|bij|binnen|buiten|door|in|mee|na|om|op|over|rond|samen|terug|toe|uit|vast|voor|weg)"
)
_LETTER = r"[^\W\d_]"
_PARTICIPLE = re.compile(
    rf"{_PARTICLE}?(?:ge{_LETTER}{{2,}}(?:d|t|en|aan|ien)"
    rf"|(?:ver|be|ont|her|er){_LETTER}{{2,}}(?:d|t|en))"
)
_INFINITIVE_MARKERS = frozenset(("te", "om"))


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        yield start, match.start()
        start = match.end()
    yield start, end


def _passives(
    text: str, sentences: list[tuple[int, int]], not_participles: frozenset[str]
) -> list[Finding]:
    findings = []
    for sentence_start, sentence_end in sentences:
        for start, end in _clauses(text, sentence_start, sentence_end):
            found = _passive_in_clause(text, start, end, not_participles)
            if found is not None:
                findings.append(found)
    return findings


def _passive_in_clause(
    text: str, start: int, end: int, not_participles: frozenset[str]
) -> Finding | None:
    words = [(m.start(), m.end(), m.group().lower()) for m in _LETTERS.finditer(text, start, end)]
    auxiliaries = [w for w in words if w[2] in _AUXILIARIES]
    if not auxiliaries:
        return None
    participles = [
        w
        for i, w in enumerate(words)
        if w[2] not in _AUXILIARIES
        and w[2] not in not_participles
        and (i == 0 or words[i - 1][2] not in _INFINITIVE_MARKERS)
        and _PARTICIPLE.fullmatch(w[2])
    ]
    if not participles:
        return None
    aux = auxiliaries[0]
    part = min(participles, key=lambda w: abs(w[0] - aux[0]))
    first, last = min(aux[0], part[0]), max(aux[1], part[1])
    detail = {"auxiliary": aux[2], "participle": part[2]}
    return Finding(FindingKind.PASSIVE, first, last, text[first:last], None, detail)


# --- Jargon --------------------------------------------------------------------------------

_ABBREVIATION = re.compile(r"[A-Z]{2,6}")


def _jargon(text: str, words: list[_Word], lexicon: Lexicon, patterns: _Patterns) -> list[Finding]:
    findings = []
    taken: set[int] = set()
    if patterns.jargon is not None:
        for match in patterns.jargon.finditer(text):
            term = match.group().lower()
            detail = {"term": term, "source": "lexicon"}
            findings.append(
                Finding(
                    FindingKind.JARGON,
                    match.start(),
                    match.end(),
                    match.group(),
                    _capitalised_like(match.group(), lexicon.jargon[term]),
                    detail,
                )
            )
            taken.update(range(match.start(), match.end()))
    for word in words:
        if not _ABBREVIATION.fullmatch(word.text) or word.start in taken:
            continue
        lower = word.text.lower()
        if lower in lexicon.common or lexicon.frequency(lower) >= lexicon.rare_below:
            continue
        detail = {"term": word.text, "source": "abbreviation"}
        findings.append(Finding(FindingKind.JARGON, word.start, word.end, word.text, None, detail))
    return findings


def _capitalised_like(model: str, phrase: str) -> str:
    """The phrase with a capital first letter when the model starts a sentence-like capital."""
    if model[:1].isupper() and not model.isupper() and phrase:
        return phrase[0].upper() + phrase[1:]
    return phrase


# --- Numbers in words ----------------------------------------------------------------------

_UNITS = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
}
_UNDER_TWENTY = {
    **_UNITS,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_TENS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_NUMBER_START = re.compile(
    r"(?:een|twee|twin|drie|der|vier|veer|vijf|zes|zeven|acht|tach|negen|tien|elf|twaalf|hon|duiz)"
)


def _number_value(word: str) -> int | None:
    """The value of a Dutch number written as one word (``vijfentwintig`` is 25), or None.

    The article *een* alone is no number; *één* is left alone too (it stresses "just one").
    """
    lower = word.lower()
    if lower == "een" or not _NUMBER_START.match(lower):
        return None
    if "duizend" in lower:
        head, _, tail = lower.partition("duizend")
        thousands = 1 if head == "" else _under_thousand(head)
        rest = 0 if tail == "" else _under_thousand(_without_link(tail))
        if thousands is None or rest is None:
            return None
        return thousands * 1000 + rest
    return _under_thousand(lower)


def _without_link(tail: str) -> str:
    return tail[2:] if tail.startswith("en") and len(tail) > 2 else tail


def _under_thousand(word: str) -> int | None:
    if "honderd" not in word:
        return _under_hundred(word)
    head, _, tail = word.partition("honderd")
    hundreds = 1 if head == "" else _UNITS.get(head)
    rest = 0 if tail == "" else _under_hundred(_without_link(tail))
    if hundreds is None or rest is None:
        return None
    return hundreds * 100 + rest


def _under_hundred(word: str) -> int | None:
    if word in _UNDER_TWENTY:
        return _UNDER_TWENTY[word]
    if word in _TENS:
        return _TENS[word]
    for unit, value in _UNITS.items():
        for link in ("en", "ën"):
            if word.startswith(unit + link) and word[len(unit) + len(link) :] in _TENS:
                return value + _TENS[word[len(unit) + len(link) :]]
    return None


def _numbers_in_words(words: list[_Word]) -> list[Finding]:
    findings = []
    for index, word in enumerate(words):
        value = _number_value(word.text)
        if value == 8 and index > 0 and words[index - 1].text.lower() == "in":
            continue  # "in acht nemen": take into account
        if value is not None:
            detail = {"value": value}
            findings.append(
                Finding(
                    FindingKind.NUMBER_IN_WORDS, word.start, word.end, word.text, str(value), detail
                )
            )
    return findings


# --- Several messages ----------------------------------------------------------------------


def _several_messages(
    text: str,
    sentences: list[tuple[int, int]],
    words: list[_Word],
    firsts: frozenset[int],
    patterns: _Patterns,
) -> list[Finding]:
    """At most one finding: the first marker after the first sentence, or the first new topic."""
    candidates = []
    if patterns.marker is not None:
        for start, end in sentences[1:]:
            match = patterns.marker.match(text, start, end)
            if match is not None:
                first, last = match.span("marker")
                detail = {"reason": "marker", "marker": text[first:last].lower()}
                candidates.append(
                    Finding(
                        FindingKind.SEVERAL_MESSAGES, first, last, text[first:last], None, detail
                    )
                )
                break
    seen: list[str] = []
    index = 0
    for span in sentences:
        here: dict[str, _Word] = {}
        while index < len(words) and words[index].start < span[0]:
            index += 1
        while index < len(words) and words[index].end <= span[1]:
            word = words[index]
            index += 1
            if word.text[0].isupper() and word.start not in firsts:
                continue  # a name: Turnhout is no gym class
            topic = patterns.topic_of(word.text.lower())
            if topic is not None and topic not in here:
                here[topic] = word
        if seen and here and not set(here) & set(seen):
            topic, first_word = next(iter(here.items()))
            detail = {"reason": "topic", "topic": topic, "previous": seen[0]}
            candidates.append(
                Finding(
                    FindingKind.SEVERAL_MESSAGES,
                    first_word.start,
                    first_word.end,
                    first_word.text,
                    None,
                    detail,
                )
            )
            break
        seen += [t for t in here if t not in seen]
    return sorted(candidates, key=lambda f: f.start)[:1]


# --- Indirect ------------------------------------------------------------------------------

_DIRECT = frozenset(("u", "uw", "je", "jij", "jouw", "jullie"))
_MODALS = frozenset(("mogen", "moeten", "dienen"))


def _indirect(
    text: str,
    sentences: list[tuple[int, int]],
    words: list[_Word],
    lexicon: Lexicon,
    patterns: _Patterns,
) -> list[Finding]:
    """A sentence that starts with a group as subject: when the text never says *u*, or when a
    modal follows (*De kleuters mogen ...* instead of *Uw kind brengt ...*)."""
    if patterns.group is None:
        return []
    addressed = any(w.text.lower() in _DIRECT and not _after_number(text, w) for w in words)
    findings = []
    for start, end in sentences:
        match = patterns.group.match(text, start, end)
        if match is None:
            continue
        following = _LETTERS.search(text, match.end(), end)
        modal = following is not None and following.group().lower() in _MODALS
        if addressed and not modal:
            continue
        first, last = match.span("phrase")
        group = match.group("group").lower()
        suggestion = _capitalised_like(text[first:last], lexicon.indirect[group])
        detail = {"group": group}
        findings.append(
            Finding(FindingKind.INDIRECT, first, last, text[first:last], suggestion, detail)
        )
    return findings


def _after_number(text: str, word: _Word) -> bool:
    """True for the u of "9 u" or "9u" (o'clock)."""
    return text[max(0, word.start - 2) : word.start].rstrip()[-1:].isdigit()


# --- Rare words ----------------------------------------------------------------------------


def _rare_words(
    words: list[_Word],
    firsts: frozenset[int],
    taken: frozenset[int],
    lexicon: Lexicon,
) -> list[Finding]:
    cache: dict[str, float] = {}

    def zipf(word: str) -> float:
        if word not in cache:
            cache[word] = lexicon.frequency(word)
        return cache[word]

    findings = []
    for word in words:
        if len(word.text) < 4 or (word.text.isupper() and len(word.text) <= 6):
            continue  # short, or an abbreviation (see _jargon)
        if word.text[0].isupper() and word.start not in firsts and not word.text.isupper():
            continue  # a name
        lower = word.text.lower()
        if lower in lexicon.common or word.start in taken:
            continue
        if lower in lexicon.simpler:
            detail: dict[str, str | int] = {"source": "list"}
            suggestion = _capitalised_like(word.text, lexicon.simpler[lower])
            findings.append(
                Finding(FindingKind.RARE_WORD, word.start, word.end, word.text, suggestion, detail)
            )
            continue
        value = zipf(lower)
        if value >= lexicon.rare_below or _known_form(lower, zipf, lexicon):
            continue
        detail = {"source": "frequency", "zipf": f"{value:.2f}"}
        findings.append(
            Finding(FindingKind.RARE_WORD, word.start, word.end, word.text, None, detail)
        )
    return findings


# Endings that make a known word rare-looking: diminutive, plural, inflection (muntjes, knuffels).
_ENDINGS = ("tjes", "jes", "tje", "je", "en", "s", "e", "t", "d")
_MIN_STEM = 4


def _known_form(word: str, zipf: Callable[[str], float], lexicon: Lexicon) -> bool:
    """True when a stem without an ending is common, or the word is a compound of known words."""
    for ending in _ENDINGS:
        stem = word[: -len(ending)]
        if (
            word.endswith(ending)
            and len(stem) >= _MIN_STEM
            and (stem in lexicon.common or zipf(stem) >= lexicon.rare_below)
        ):
            return True
    return _compound(word, zipf, lexicon)


_PREFIXES = frozenset(("ver", "ont", "her", "mis", "be", "ge", "er"))
_MIN_COMPOUND = 7
_MIN_PART = 3


def _compound(word: str, zipf: Callable[[str], float], lexicon: Lexicon, *, depth: int = 2) -> bool:
    """True when the word is two (or three) known words glued together (*turnkledij*)."""

    def known(part: str) -> bool:
        return part in lexicon.common or zipf(part) >= lexicon.rare_below

    if depth == 0 or len(word) < _MIN_COMPOUND:
        return False
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if head in _PREFIXES:
            continue
        # A head may carry a linking s (verkeersdag) or stand for its plural (wafelverkoop).
        head_known = (
            known(head)
            or (len(head) > _MIN_PART and head[-1] == "s" and known(head[:-1]))
            or known(head + "s")
            or known(head + "en")
        )
        if head_known and (
            known(tail) or (depth > 1 and _compound(tail, zipf, lexicon, depth=depth - 1))
        ):
            return True
    return False


# --- Missing essentials --------------------------------------------------------------------

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_FACT_PATTERNS = {
    "date": re.compile(
        r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b"
        r"|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b"
        r"|\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
        r"|\b(?:vandaag|morgen|overmorgen)\b"
        rf"|\b\d{{1,2}}(?:ste|de|e)?\s+(?:{_MONTHS})\b",
        re.IGNORECASE,
    ),
    "time": re.compile(
        r"(?<![\d.])\d{1,2}[:.hu]\d{2}(?!\.?\d)|\b\d{1,2}\s*(?:uur|u)\b", re.IGNORECASE
    ),
    "amount": re.compile(
        r"€\s*\d|\d\s*(?:€|euro\b|eur\b)|\b(?:euro|eur)\s*\d|\bgratis\b", re.IGNORECASE
    ),
    "place": re.compile(r"\b(?:naar|in|te|op|aan|bij)\s+(?:de\s+|het\s+)?[A-Z]"),
}


def _missing(text: str, kind: str, lexicon: Lexicon) -> list[Finding]:
    findings = []
    for fact in lexicon.essentials.get(kind, ()):
        pattern = _FACT_PATTERNS.get(fact)
        if pattern is not None and pattern.search(text) is None:
            detail = {"fact": fact, "kind": kind}
            findings.append(Finding(FindingKind.MISSING_ESSENTIAL, 0, 0, "", None, detail))
    return findings


# --- Compiled patterns, once per lexicon ---------------------------------------------------


def _alternatives(terms: Iterator[str] | list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


_MIN_HEAD = 4


@dataclass(frozen=True)
class _Patterns:
    jargon: re.Pattern[str] | None
    marker: re.Pattern[str] | None
    group: re.Pattern[str] | None
    dotted: frozenset[str]
    exact_topics: Mapping[str, str]
    topic_prefix: re.Pattern[str] | None
    topic_suffix: re.Pattern[str] | None
    long_topics: Mapping[str, str]

    @classmethod
    def build(cls, lexicon: Lexicon) -> _Patterns:
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
        dotted = _ABBREVIATIONS | {t for t in (*lexicon.jargon, *lexicon.markers) if "." in t}
        return cls(jargon, marker, group, frozenset(dotted), exact, prefix, suffix, long)

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
