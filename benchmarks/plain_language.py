"""The plain-language check on a 1,000-word school letter: how long does one letter take? And
how often does it agree with an editor on the labelled corpus's test half (benchmarks.plain_corpus)?

Figures are printed, never asserted: speed is measured here, not in the tests.
Run: python -m benchmarks.plain_language

The check as it was before issue 18 (commit 2486f4f), on the same split, scored:
  test half: 88 sentences, agreement 60/88 = 0.682, false alarms 4/46 clean = 0.087
  dev half:  98 sentences, agreement 65/98 = 0.663, false alarms 7/50 clean = 0.140
  1,000-word letter: median 7.8 ms.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.plain_corpus import load_corpus, score
from oudersbot.domain.plain_language import check
from oudersbot.settings import PACKAGE_DIR
from oudersbot.translation.plain_lexicon import load_lexicon

TARGET_MS = 50.0
TARGET_AGREEMENT = 0.9
TARGET_FALSE_ALARMS = 0.10
# The check before issue 18 on the test half (see the module's docstring): (agreed, sentences,
# false alarms, clean sentences).
BEFORE = (60, 88, 4, 46)
ROUNDS = 50
WORDS = 1000

# Sentences as teachers write them: most are plain, some break a rule (passive, jargon, a number
# in words, a long sentence, a formal word), so every rule has work to do.
_SENTENCES = (
    "Beste ouders,",
    "Op {day} {n} {month} gaan we met de klas naar {place}.",
    "Uw kind brengt een lunchpakket en een drinkbus mee.",
    "We vertrekken om 8:30 uur aan de schoolpoort en we zijn om 15:30 uur terug.",
    "De kostprijs zal op de maandelijkse factuur verrekend worden.",
    "Het CLB komt op bezoek i.v.m. de medische controle van de kleuters.",
    "Er gaan drie begeleiders en vijfentwintig kinderen mee.",
    "Gelieve het strookje tijdig ingevuld terug te bezorgen aan de klasleerkracht van uw kind,"
    " zodat wij de nodige voorbereidingen kunnen treffen voor de uitstap naar {place}.",
    "De kleuters mogen een stuk fruit meebrengen.",
    "Heeft uw kind een allergie? Laat het ons weten.",
    "Het zwembad is gesloten wegens werken, dus de zwemles van {day} gaat niet door.",
    "Uw kind trekt stevige schoenen en een regenjas aan.",
    "De opbrengst van de wafelverkoop gaat naar nieuwe boeken voor de klasbibliotheek.",
    "In de refter eten de kinderen hun boterhammen.",
    "Bij ziekte verwittigt u de school voor 9 uur.",
    "Daarnaast vragen we om de turnzak mee te geven.",
    "Wij streven naar een warme leeromgeving waarin elk kind tot ontplooiing kan komen.",
    "Het schoolfeest begint om 14 uur met spelletjes, een tombola en een optreden van elke klas.",
    "Er zijn luizen in de klas. Controleer het haar van uw kind en was de lakens en de knuffels.",
    "Uw kind krijgt op {day} het rapport mee. Bekijk het samen en zet uw handtekening.",
    "Op het oudercontact praten we over de vooruitgang van uw kind. Een tolk is welkom.",
    "De toiletten worden vernieuwd, daarom is de speelplaats gesloten tot {day}.",
    "Het is warm. Geef uw kind een petje en zonnecrème mee.",
    "We planten bloemen in de schooltuin. Uw kind brengt een oude pot mee.",
    "Indien u problemen ondervindt met de betaling, kan u steeds contact opnemen met de directie.",
    "Tijdens de middagpauze eten de kinderen hun boterhammen in de eetzaal.",
    "De leerlingen van het zesde leerjaar gaan op bosklassen naar de Ardennen.",
    "Mogen wij foto's van uw kind op de website zetten? Kruis ja of nee aan.",
    "We gaan fietsen in het verkeer. Uw kind draagt een fietshelm en een fluohesje.",
    "Met vriendelijke groeten, juf {name}.",
)
_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")
_MONTHS = ("september", "oktober", "november", "december", "januari", "februari", "maart")
_PLACES = ("Brugge", "Gent", "Antwerpen", "Leuven", "Hasselt", "Mechelen", "Turnhout")
_NAMES = ("Sofie", "An", "Els", "Karim", "Ayse", "Tom", "Lotte")


def school_letter(words: int = WORDS) -> str:
    """A realistic Dutch school letter of about ``words`` words, varied so few lines repeat."""
    lines: list[str] = []
    count = 0
    index = 0
    while count < words:
        template = _SENTENCES[index % len(_SENTENCES)]
        line = template.format(
            day=_DAYS[index % len(_DAYS)],
            n=1 + index % 28,
            month=_MONTHS[index % len(_MONTHS)],
            place=_PLACES[index % len(_PLACES)],
            name=_NAMES[index % len(_NAMES)],
        )
        lines.append(line)
        count += len(line.split())
        index += 1
    return "\n".join(lines)


def run() -> dict[str, float]:
    """Check one 1,000-word letter ``ROUNDS`` times after a warm-up; milliseconds per letter."""
    lexicon = load_lexicon(PACKAGE_DIR / "messages" / "plain-language.toml")
    letter = school_letter()
    started = time.perf_counter()
    check(letter, lexicon, kind="uitstap")  # warm-up: wordfreq's data, the compiled patterns
    first_ms = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        check(letter, lexicon, kind="uitstap")
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "words": float(len(letter.split())),
        "findings": float(len(check(letter, lexicon, kind="uitstap"))),
        "ms_per_letter_median": statistics.median(timings),
        "ms_per_letter_p95": timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)],
        "ms_first_letter": first_ms,
        "target_ms": TARGET_MS,
    }


def agreement_report() -> list[str]:
    """Agreement with the editor and false alarms on the corpus's test half, before and now."""
    lexicon = load_lexicon(PACKAGE_DIR / "messages" / "plain-language.toml")
    corpus = load_corpus()
    test = [s for s in corpus if s.half == "test"]
    dev = [s for s in corpus if s.half == "dev"]
    now, tuned = score(test, lexicon), score(dev, lexicon)
    agreed, sentences, alarms, clean = BEFORE
    return [
        f"Plain-language check against an editor, test half of {now.sentences} sentences"
        f" (target agreement >= {TARGET_AGREEMENT}, false alarms <= {TARGET_FALSE_ALARMS:.0%}):",
        f"  now:    agreement {now.agreed}/{now.sentences} = {now.agreement:.3f},"
        f" false alarms {now.false_alarms}/{now.clean} clean = {now.false_alarm_rate:.3f}",
        f"  before: agreement {agreed}/{sentences} = {agreed / sentences:.3f},"
        f" false alarms {alarms}/{clean} clean = {alarms / clean:.3f}",
        f"  (dev half, tuned on: agreement {tuned.agreement:.3f},"
        f" false alarms {tuned.false_alarm_rate:.3f})",
    ]


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.2f}")
    print("\n".join(agreement_report()))
