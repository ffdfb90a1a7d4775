"""Machine translation of free text through deep-translator providers."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterable
from typing import Any, Protocol

from oudersbot.domain.languages import base_language
from oudersbot.domain.sentences import Piece, chunk, join

# Characters one call may carry (deep-translator checks Google's and MyMemory's; the
# others follow the public services' documented or usual limits).
PROVIDER_LIMITS = {"google": 4999, "mymemory": 499, "libre": 2000}
DEFAULT_LIMIT = 4999


class TranslationUnavailableError(RuntimeError):
    """No translation now (offline, quota, timeout, no provider configured)."""


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
        raise TranslationUnavailableError("no machine translation provider configured")


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


def _provider_codes(name: str) -> Iterable[str] | None:
    from deep_translator import constants

    tables = {
        "google": constants.GOOGLE_LANGUAGES_TO_CODES,
        "mymemory": constants.MY_MEMORY_LANGUAGES_TO_CODES,
        "libre": constants.LIBRE_LANGUAGES_TO_CODES,
        "deepl": constants.DEEPL_LANGUAGE_TO_CODE,
    }
    table = tables.get(name)
    return None if table is None else table.values()


def _provider(
    name: str,
    source: str,
    target: str,
    key: str | None,
    url: str | None,
    proxies: dict[str, str] | None,
) -> Any:
    from deep_translator import (
        DeeplTranslator,
        GoogleTranslator,
        LibreTranslator,
        MicrosoftTranslator,
        MyMemoryTranslator,
    )

    codes = _provider_codes(name)
    if codes is not None:
        src, dst = provider_code(codes, source), provider_code(codes, target)
        if src is None or dst is None:
            missing = source if src is None else target
            raise TranslationUnavailableError(f"{name} does not translate {missing!r}")
    else:
        src, dst = base_language(source), base_language(target)
    if name == "google":
        return GoogleTranslator(source=src, target=dst, proxies=proxies)
    if name == "libre":
        return LibreTranslator(
            source=src, target=dst, api_key=key, use_free_api=not key, custom_url=url
        )
    if name == "mymemory":
        return MyMemoryTranslator(source=src, target=dst, proxies=proxies)
    if name == "deepl":
        return DeeplTranslator(source=src, target=dst, api_key=key, use_free_api=True)
    if name == "microsoft":
        return MicrosoftTranslator(source=src, target=dst, api_key=key, proxies=proxies)
    raise ValueError(f"unknown translation provider {name!r}")


class DeepTranslator:
    """A deep-translator provider, called off the caller's thread with a timeout; at most
    `concurrency` calls are in flight at once."""

    def __init__(
        self,
        provider: str,
        *,
        api_key: str | None = None,
        url: str | None = None,
        timeout: float = 15,
        concurrency: int = 4,
        proxy: str | None = None,
    ) -> None:
        self.name = provider
        self._key = api_key
        self._url = url
        self._proxies = {"http": proxy, "https": proxy} if proxy else None
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

        def call() -> str:
            provider = _provider(self.name, source, target, self._key, self._url, self._proxies)
            return str(provider.translate(text))

        future = self._pool.submit(call)
        try:
            result = future.result(timeout=self._timeout)
        except concurrent.futures.TimeoutError as exc:
            raise TranslationUnavailableError(
                f"{self.name}: no answer in {self._timeout}s"
            ) from exc
        except Exception as exc:  # noqa: BLE001 - any provider error means "not now"
            raise TranslationUnavailableError(f"{self.name}: {exc}") from exc
        if not result or not result.strip():
            raise TranslationUnavailableError(f"{self.name}: empty translation")
        return result
