"""What staff see at send time: per language, where the words come from, and why a language
falls back to Dutch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from oudersbot.domain.rendering import Version

# Why a language gets the Dutch text with the line "not translated yet", in the order staff
# read them: the service failed now, the service lacks the language, no service is set up.
FALLBACK_REASONS = ("failed", "unsupported", "no_provider", "not_asked")


@dataclass(frozen=True)
class LanguageOverview:
    """The audience's languages (Dutch excluded) grouped by where their words come from."""

    reviewed: tuple[str, ...] = ()  # read by a person: the phrasebook's, or corrected/approved
    unreviewed: tuple[str, ...] = ()  # a phrasebook wording not yet read by a native reader
    machine: tuple[str, ...] = ()  # machine-translated, nobody read it yet
    dutch: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # reason -> languages


def overview_of(versions: Mapping[str, Version]) -> LanguageOverview:
    """Group a message's versions for the staff's summary."""
    reviewed, unreviewed, machine = [], [], []
    dutch: dict[str, list[str]] = {}
    for language, version in sorted(versions.items()):
        if version.origin == "source":
            continue
        if version.origin == "none":
            reason = version.reason if version.reason in FALLBACK_REASONS else "not_asked"
            dutch.setdefault(reason, []).append(language)
        elif version.status == "reviewed" or version.origin == "human":
            reviewed.append(language)
        elif version.origin == "phrasebook":
            unreviewed.append(language)
        else:
            machine.append(language)
    return LanguageOverview(
        tuple(reviewed),
        tuple(unreviewed),
        tuple(machine),
        {reason: tuple(dutch[reason]) for reason in FALLBACK_REASONS if reason in dutch},
    )
