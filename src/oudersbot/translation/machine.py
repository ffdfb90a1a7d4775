"""Machine translation of free text: one service, called with a timeout and a bound."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Iterable
from typing import Protocol

from oudersbot.domain.languages import base_language
from oudersbot.domain.sentences import Piece, chunk, join
from oudersbot.translation.providers import DEFAULT_LIMIT, PROVIDER_LIMITS, make_client


class TranslationUnavailableError(RuntimeError):
    """No translation now; `reason` says why, in the words staff see at send time:
    "no_provider" (none configured), "unsupported" (the service does not know the language),
    "failed" (offline, quota, timeout, an error of the service)."""

    def __init__(self, message: str, *, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason


class Translator(Protocol):
    """Translates plain text between two languages."""

    name: str

    def translate(self, text: str, *, source: str, target: str) -> str:
        """The text in the target language, or TranslationUnavailableError."""
        ...


def translate_in_pieces(translator: Translator, text: str, limit: int, **langs: str) -> str:
    """Translate text longer than a provider's limit piece by piece, cut on sentence
    boundaries, keeping its line breaks."""
    pieces = chunk(text, limit)
    return join([Piece(translator.translate(p.text, **langs), p.separator) for p in pieces])


class NoTranslator:
    """The embedded default: no machine translation; parents get Dutch plus a line of their own."""

    name = "none"

    def translate(self, text: str, *, source: str, target: str) -> str:
        """Always unavailable."""
        raise TranslationUnavailableError(
            "no machine translation provider configured", reason="no_provider"
        )


# Languages a provider knows under another code (Dari is Afghan Persian).
_PROVIDER_ALIASES = {"prs": ("prs", "fa-AF", "fa")}
# The region to pick when a provider only knows regional variants and none is fr-FR-like.
_USUAL_REGION = {"en": "en-gb", "ar": "ar-sa", "uk": "uk-ua", "so": "so-so", "ti": "ti-er"}


def provider_code(codes: Iterable[str], tag: str) -> str | None:
    """The provider's code for one of our language tags: the exact tag, then the base language,
    then a regional variant of it (MyMemory says nl-NL), else None."""
    known = {code.lower(): code for code in codes}
    base = base_language(tag)
    for candidate in (tag, *_PROVIDER_ALIASES.get(base, (base,))):
        if candidate.lower() in known:
            return known[candidate.lower()]
    for candidate in _PROVIDER_ALIASES.get(base, (base,)):
        stem = candidate.split("-")[0].lower()
        usual = (f"{stem}-{stem}", _USUAL_REGION.get(stem, ""))
        regional = sorted(
            (c for c in known if c.startswith(stem + "-")), key=lambda c: (c not in usual, c)
        )
        if regional:
            return known[regional[0]]
    return None


class MachineTranslator:
    """A translation service (translation/providers.py), called off the caller's thread with a
    timeout; at most `concurrency` calls are in flight at once. The service's languages are
    asked once."""

    def __init__(
        self,
        provider: str,
        *,
        api_key: str | None = None,
        url: str | None = None,
        region: str | None = None,
        timeout: float = 15,
        concurrency: int = 4,
        proxy: str | None = None,
    ) -> None:
        self.name = provider
        self._client = make_client(provider, key=api_key, url=url, region=region, proxy=proxy)
        self._codes: dict[str, list[str]] = {}
        self._codes_lock = threading.Lock()
        self._timeout = timeout
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="translate"
        )

    @property
    def max_chars(self) -> int:
        """The longest text one call may carry."""
        return PROVIDER_LIMITS.get(self.name, DEFAULT_LIMIT)

    def translate(self, text: str, *, source: str, target: str) -> str:
        """Translate (in pieces when the text is over the provider's limit), turning every
        provider failure into TranslationUnavailableError."""
        if len(text) > self.max_chars:
            return translate_in_pieces(self, text, self.max_chars, source=source, target=target)
        future = self._pool.submit(self._call, text, source, target)
        try:
            result = future.result(timeout=self._timeout)
        except concurrent.futures.TimeoutError as exc:
            raise TranslationUnavailableError(
                f"{self.name}: no answer in {self._timeout}s"
            ) from exc
        except TranslationUnavailableError:
            raise
        except Exception as exc:  # noqa: BLE001 - any provider error means "not now"
            raise TranslationUnavailableError(f"{self.name}: {exc}") from exc
        if not result or not result.strip():
            raise TranslationUnavailableError(f"{self.name}: empty translation")
        return result

    def knows(self, tag: str) -> bool | None:
        """Whether the service translates Dutch into this language; None when it cannot be
        asked now."""
        future = self._pool.submit(self._code, tag, "target")
        try:
            future.result(timeout=self._timeout)
        except TranslationUnavailableError:
            return False
        except Exception:  # noqa: BLE001 - offline or too slow: we cannot tell
            return None
        return True

    def _call(self, text: str, source: str, target: str) -> str:
        src, dst = self._code(source, "source"), self._code(target, "target")
        return self._client.translate(text, source=src, target=dst)

    def _code(self, tag: str, role: str) -> str:
        with self._codes_lock:
            if role not in self._codes:
                known = self._client.languages(role)
                self._codes[role] = list(known) if known is not None else []
            codes = self._codes[role]
        code = provider_code(codes, tag) if codes else base_language(tag)
        if code is None:
            raise TranslationUnavailableError(
                f"{self.name} does not translate {tag!r}", reason="unsupported"
            )
        return code
