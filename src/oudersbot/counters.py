"""The few numbers counted where they happen (everything else is read from the database when
/metrics is scraped): Telegram's 429s, and machine-translation calls and failures."""

from __future__ import annotations

from prometheus_client import Counter
from prometheus_client.registry import CollectorRegistry

COUNTERS = CollectorRegistry(auto_describe=True)

FLOOD_WAITS = Counter(
    "oudersbot_telegram_flood_waits",
    "Times Telegram answered 429 (too many requests) to the sender, by bot.",
    ["bot"],
    registry=COUNTERS,
)
TRANSLATIONS = Counter(
    "oudersbot_translation_calls",
    "Machine-translation calls, by target language and outcome (ok or failed).",
    ["language", "outcome"],
    registry=COUNTERS,
)
