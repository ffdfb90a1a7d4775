"""One frozen Settings object, read from the environment once in main()."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

# The source checkout (tests, benchmarks and maintainer tools); an installed wheel has none.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What ships inside the package: templates and rules (messages/), the bot's words (locales/),
# the reminder rules (scheduler/), the demo roster (examples/).
PACKAGE_DIR = Path(__file__).resolve().parent


class SettingsError(ValueError):
    """A setting is missing or malformed."""


DEFAULT_BOT = "main"
_BOT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def _extra_bots(raw: str) -> tuple[tuple[str, str], ...]:
    """`name=token` pairs separated by commas or semicolons."""
    pairs = []
    for item in re.split(r"[,;]", raw):
        if not item.strip():
            continue
        name, _, token = item.strip().partition("=")
        if not _BOT_NAME.fullmatch(name) or name == DEFAULT_BOT or not token:
            raise SettingsError(
                "OUDERSBOT_EXTRA_BOTS takes name=token pairs separated by commas; a name is"
                f" lower case letters, digits, - or _ and not {DEFAULT_BOT!r}"
            )
        pairs.append((name, token))
    return tuple(pairs)


def _default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'oudersbot.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    """Everything the process needs to know about its surroundings."""

    database_url: str
    data_dir: Path
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Brussels"))
    bot_token: str | None = field(default=None, repr=False)
    # More bots, for schools that each have their own: (name, token) pairs. TELEGRAM_BOT_TOKEN
    # is the bot named "main", the one every school uses unless told otherwise.
    extra_bots: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    bot_username: str = "oudersbot"
    telegram_base_url: str = "https://api.telegram.org/bot"
    mode: str = "polling"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    school_slug: str = "school"
    invite_days: int = 30
    send_rate: float = 25.0
    translator: str | None = None
    translator_key: str | None = field(default=None, repr=False)
    translator_url: str | None = None
    translator_region: str | None = None  # Microsoft Translator's Azure region, when it asks
    translator_proxy: str | None = None
    translator_timeout: float = 15.0
    translator_concurrency: int = 4
    pictogram_dir: Path | None = None
    # The message templates, prikkels, pictograms and plain-language rules: the shipped folder,
    # or a school's own copy (OUDERSBOT_MESSAGES_DIR, written by `oudersbot init`).
    messages_dir: Path = PACKAGE_DIR / "messages"
    locales_dir: Path = PACKAGE_DIR / "locales"
    # The default reminder rules and each school's own (scheduler/schools/<slug>.toml).
    scheduler_dir: Path = PACKAGE_DIR / "scheduler"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables (see .env.example)."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("OUDERSBOT_DATA_DIR") or Path.cwd() / "var")
        mode = env.get("OUDERSBOT_MODE") or "polling"
        if mode not in ("polling", "webhook"):
            raise SettingsError(f"OUDERSBOT_MODE must be 'polling' or 'webhook', not {mode!r}")
        try:
            tz = ZoneInfo(env.get("OUDERSBOT_TIMEZONE") or "Europe/Brussels")
        except (KeyError, ValueError) as exc:
            raise SettingsError(f"OUDERSBOT_TIMEZONE is not a known time zone: {exc}") from exc
        return cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(data_dir),
            data_dir=data_dir,
            timezone=tz,
            bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            extra_bots=_extra_bots(env.get("OUDERSBOT_EXTRA_BOTS") or ""),
            bot_username=env.get("OUDERSBOT_BOT_USERNAME") or "oudersbot",
            telegram_base_url=env.get("OUDERSBOT_TELEGRAM_BASE_URL")
            or "https://api.telegram.org/bot",
            mode=mode,
            webhook_url=env.get("OUDERSBOT_WEBHOOK_URL") or None,
            webhook_secret=env.get("OUDERSBOT_WEBHOOK_SECRET") or None,
            webhook_listen=env.get("OUDERSBOT_WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=int(env.get("OUDERSBOT_WEBHOOK_PORT") or 8443),
            school_slug=env.get("OUDERSBOT_SCHOOL") or "school",
            invite_days=int(env.get("OUDERSBOT_INVITE_DAYS") or 30),
            send_rate=float(env.get("OUDERSBOT_SEND_RATE") or 25.0),
            translator=env.get("OUDERSBOT_TRANSLATOR") or None,
            translator_key=env.get("OUDERSBOT_TRANSLATOR_KEY") or None,
            translator_url=env.get("OUDERSBOT_TRANSLATOR_URL") or None,
            translator_region=env.get("OUDERSBOT_TRANSLATOR_REGION") or None,
            translator_proxy=env.get("OUDERSBOT_TRANSLATOR_PROXY") or None,
            translator_timeout=float(env.get("OUDERSBOT_TRANSLATOR_TIMEOUT") or 15.0),
            translator_concurrency=int(env.get("OUDERSBOT_TRANSLATOR_CONCURRENCY") or 4),
            pictogram_dir=Path(env["OUDERSBOT_PICTOGRAM_DIR"])
            if env.get("OUDERSBOT_PICTOGRAM_DIR")
            else None,
            messages_dir=Path(env.get("OUDERSBOT_MESSAGES_DIR") or PACKAGE_DIR / "messages"),
            scheduler_dir=Path(env.get("OUDERSBOT_SCHEDULER_DIR") or PACKAGE_DIR / "scheduler"),
        )

    def bot_tokens(self) -> dict[str, str]:
        """Every bot this deployment sends with, by name ("main" first)."""
        return {DEFAULT_BOT: self.require_token(), **dict(self.extra_bots)}

    def require_token(self) -> str:
        """The bot token, or a clear error that says where to put it."""
        if not self.bot_token:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set (see .env.example)")
        return self.bot_token
