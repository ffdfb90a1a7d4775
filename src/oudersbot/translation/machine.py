"""Machine translation of free text through deep-translator providers."""

from __future__ import annotations

import concurrent.futures
from typing import Any, Protocol

from oudersbot.domain.languages import base_language


class TranslationUnavailableError(RuntimeError):
    """No translation now (offline, quota, timeout, no provider configured)."""


class Translator(Protocol):
    """Translates plain text between two languages."""

    name: str

    def translate(self, text: str, *, source: str, target: str) -> str:
        """The text in the target language, or TranslationUnavailableError."""
        ...


class NoTranslator:
    """The embedded default: no machine translation; parents get Dutch plus a line of their own."""

    name = "none"

    def translate(self, text: str, *, source: str, target: str) -> str:
        """Always unavailable."""
        raise TranslationUnavailableError("no machine translation provider configured")


def _provider(name: str, source: str, target: str, key: str | None, url: str | None) -> Any:
    from deep_translator import (
        DeeplTranslator,
        GoogleTranslator,
        LibreTranslator,
        MicrosoftTranslator,
        MyMemoryTranslator,
    )

    if name == "google":
        return GoogleTranslator(source=source, target=target)
    if name == "libre":
        return LibreTranslator(
            source=source, target=target, api_key=key, use_free_api=not key, custom_url=url
        )
    if name == "mymemory":
        return MyMemoryTranslator(source=source, target=target)
    if name == "deepl":
        return DeeplTranslator(source=source, target=target, api_key=key, use_free_api=True)
    if name == "microsoft":
        return MicrosoftTranslator(source=source, target=target, api_key=key)
    raise ValueError(f"unknown translation provider {name!r}")


class DeepTranslator:
    """A deep-translator provider, called off the caller's thread with a timeout."""

    _pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="translate")

    def __init__(
        self,
        provider: str,
        *,
        api_key: str | None = None,
        url: str | None = None,
        timeout: float = 15,
    ) -> None:
        self.name = provider
        self._key = api_key
        self._url = url
        self._timeout = timeout

    def translate(self, text: str, *, source: str, target: str) -> str:
        """Translate, turning every provider failure into TranslationUnavailableError."""

        def call() -> str:
            src, dst = base_language(source), base_language(target)
            return str(_provider(self.name, src, dst, self._key, self._url).translate(text))

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
