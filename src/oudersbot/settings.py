"""One frozen Settings object, read once in main() from the environment and a `.env` file in
the working folder (pydantic-settings); every setting is checked, a bad one is one clear line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AliasGenerator, BeforeValidator, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The source checkout (tests, benchmarks and maintainer tools); an installed wheel has none.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What ships inside the package: templates and rules (messages/), the bot's words (locales/),
# the reminder rules (scheduler/), the demo roster (examples/).
PACKAGE_DIR = Path(__file__).resolve().parent
ENV_PREFIX = "OUDERSBOT_"


class SettingsError(ValueError):
    """A setting is missing or malformed: `name` is the environment variable, `rule` names
    what it allows (staff words `settings.allowed.<rule>`), `value` what it got."""

    def __init__(self, message: str, *, name: str = "", rule: str = "", value: str = "") -> None:
        super().__init__(message)
        self.name = name
        self.rule = rule
        self.value = value


DEFAULT_BOT = "main"
_BOT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _extra_bots(raw: object) -> object:
    """`name=token` pairs separated by commas or semicolons."""
    if not isinstance(raw, str):
        return raw
    pairs = []
    for item in re.split(r"[,;]", raw):
        if not item.strip():
            continue
        name, _, token = item.strip().partition("=")
        if not _BOT_NAME.fullmatch(name) or name == DEFAULT_BOT or not token:
            raise ValueError("name=token pairs")
        pairs.append((name, token))
    return tuple(pairs)


def _bot_usernames(raw: object) -> object:
    """`name=username` pairs separated by commas or semicolons (an @ in front is dropped)."""
    if not isinstance(raw, str):
        return raw
    pairs = []
    for item in re.split(r"[,;]", raw):
        if not item.strip():
            continue
        name, _, username = item.strip().partition("=")
        username = username.strip().lstrip("@")
        if not _BOT_NAME.fullmatch(name) or name == DEFAULT_BOT or not username:
            raise ValueError("name=username pairs")
        pairs.append((name, username))
    return tuple(pairs)


def _zone(raw: object) -> object:
    if isinstance(raw, ZoneInfo):
        return raw
    try:
        return ZoneInfo(str(raw))
    except (KeyError, ValueError) as exc:
        raise ValueError("not a known time zone") from exc


def _web_url(raw: object) -> object:
    if not isinstance(raw, str):
        return raw
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", raw.strip()):
        raise ValueError("an address starting with http:// or https://")
    return raw.strip().rstrip("/")


def _level(raw: object) -> object:
    return raw.upper() if isinstance(raw, str) else raw


def _default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'oudersbot.sqlite3'}"


# The variables not named OUDERSBOT_<FIELD>.
_NAMES = {
    "database_url": "DATABASE_URL",
    "bot_token": "TELEGRAM_BOT_TOKEN",
    "school_slug": f"{ENV_PREFIX}SCHOOL",
}


def env_name(field: str) -> str:
    """The environment variable a setting is read from."""
    return _NAMES.get(field, f"{ENV_PREFIX}{field.upper()}")


# What each setting allows, as staff read it when they get it wrong (settings.allowed.<rule>).
_RULES = {
    "data_dir": "folder",
    "timezone": "timezone",
    "extra_bots": "extra_bots",
    "extra_bot_usernames": "extra_bot_usernames",
    "mode": "mode",
    "webhook_port": "port",
    "metrics_port": "port_or_zero",
    "web_port": "port_or_zero",
    "web_idle_minutes": "positive_whole",
    "web_url": "web_url",
    "invite_days": "positive_whole",
    "send_rate": "positive_number",
    "translator_timeout": "positive_number",
    "translator_concurrency": "positive_whole",
    "start_retries": "whole_or_zero",
    "start_retry_delay": "positive_number",
    "log_level": "log_level",
}


class Settings(BaseSettings):
    """Everything the process needs to know about its surroundings (see .env.example)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
        populate_by_name=True,
        arbitrary_types_allowed=True,
        validate_default=False,
        # Each field is read from its variable only (a field's own name works in code).
        alias_generator=AliasGenerator(validation_alias=env_name),
    )

    # Without OUDERSBOT_DATA_DIR: var/ in the folder oudersbot is started from.
    data_dir: Path = Field(default_factory=lambda: Path.cwd() / "var")
    database_url: str = ""
    timezone: Annotated[ZoneInfo, NoDecode, BeforeValidator(_zone)] = ZoneInfo("Europe/Brussels")
    bot_token: str | None = Field(default=None, repr=False)
    # More bots, for schools that each have their own: (name, token) pairs. TELEGRAM_BOT_TOKEN
    # is the bot named "main", the one every school uses unless told otherwise.
    extra_bots: Annotated[tuple[tuple[str, str], ...], NoDecode, BeforeValidator(_extra_bots)] = (
        Field(default=(), repr=False)
    )
    bot_username: str = "oudersbot"
    # The extra bots' usernames, for invite links and QR codes: (name, username) pairs.
    extra_bot_usernames: Annotated[
        tuple[tuple[str, str], ...], NoDecode, BeforeValidator(_bot_usernames)
    ] = ()
    telegram_base_url: str = "https://api.telegram.org/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: str | None = Field(default=None, repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, gt=0, lt=65536)
    school_slug: str = "school"
    invite_days: int = Field(default=30, gt=0)
    send_rate: float = Field(default=25.0, gt=0)
    translator: str | None = None
    translator_key: str | None = Field(default=None, repr=False)
    translator_url: str | None = None
    translator_region: str | None = None  # Microsoft Translator's Azure region, when it asks
    translator_proxy: str | None = None
    translator_timeout: float = Field(default=15.0, gt=0)
    translator_concurrency: int = Field(default=4, gt=0)
    pictogram_dir: Path | None = None
    # The message templates, prikkels, pictograms and plain-language rules: the shipped folder,
    # or a school's own copy (OUDERSBOT_MESSAGES_DIR, written by `oudersbot init`).
    messages_dir: Path = PACKAGE_DIR / "messages"
    locales_dir: Path = PACKAGE_DIR / "locales"
    # The default reminder rules and each school's own (scheduler/schools/<slug>.toml).
    scheduler_dir: Path = PACKAGE_DIR / "scheduler"
    # /healthz and /metrics of `run` and `worker`: a port, or 0 for none.
    metrics_port: int = Field(default=0, ge=0, lt=65536)
    metrics_listen: str = "127.0.0.1"
    # The staff desk (web/): the address staff open (the /web links start with it), where
    # `oudersbot web` listens, and the port `oudersbot run` also serves it on (0: not there).
    web_url: Annotated[str, BeforeValidator(_web_url)] = "http://127.0.0.1:8080"
    web_listen: str = "127.0.0.1"
    # The reverse proxies whose X-Forwarded-Proto/-For the desk trusts (comma-separated, or *).
    web_proxies: str = "127.0.0.1"
    web_port: int = Field(default=0, ge=0, lt=65536)
    # A desk session ends after this many minutes without a page asked, and after 12 hours.
    web_idle_minutes: int = Field(default=30, gt=0)
    # Signs the desk's CSRF tokens; without it, a secret kept in the data folder.
    web_secret: str | None = Field(default=None, repr=False)
    # Start-up against Telegram: how often to try again when it cannot be reached, and the
    # first wait in seconds (it doubles each time).
    start_retries: int = Field(default=5, ge=0)
    start_retry_delay: float = Field(default=2.0, gt=0)
    log_level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_level)] = (
        "INFO"
    )

    @model_validator(mode="after")
    def _database_next_to_data(self) -> Settings:
        if not self.database_url:
            object.__setattr__(self, "database_url", _default_database_url(self.data_dir))
        return self

    @classmethod
    def load(cls) -> Settings:
        """The settings of this process: the environment, then `.env` in the working folder."""
        try:
            return cls()
        except ValidationError as exc:
            raise _settings_error(exc) from None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from these variables only (no `.env`); the process's own without `env`."""
        if env is None:
            return cls.load()
        values = {name: value for name, value in env.items() if value != ""}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise _settings_error(exc) from None

    def bot_tokens(self) -> dict[str, str]:
        """Every bot this deployment sends with, by name ("main" first)."""
        return {DEFAULT_BOT: self.require_token(), **dict(self.extra_bots)}

    def bot_names(self) -> list[str]:
        """The names of every bot this deployment has ("main" first), without needing tokens."""
        return [DEFAULT_BOT, *(name for name, _ in self.extra_bots)]

    def username_of(self, bot: str) -> str:
        """The Telegram username of a bot, for invite links (SettingsError when not set)."""
        if bot == DEFAULT_BOT:
            return self.bot_username
        found = dict(self.extra_bot_usernames).get(bot)
        if not found:
            name = env_name("extra_bot_usernames")
            raise SettingsError(
                f"{name}: no username for bot {bot!r}",
                name=name,
                rule="extra_bot_usernames",
                value=bot,
            )
        return found

    def require_token(self) -> str:
        """The bot token, or a clear error that says where to put it."""
        if not self.bot_token:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set (see .env.example)")
        return self.bot_token

    def secrets(self) -> list[str]:
        """Every secret a log line must never show (the tokens, the webhook secret, keys)."""
        found = [self.bot_token, self.webhook_secret, self.translator_key, self.web_secret]
        found += [token for _, token in self.extra_bots]
        return [secret for secret in found if secret]


def _settings_error(exc: ValidationError) -> SettingsError:
    """The first problem, named by its variable, without secret values."""
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else ""
    field = next((f for f in Settings.model_fields if name in (f, env_name(f))), name)
    name = env_name(field) if field in Settings.model_fields else name
    secret = field in ("bot_token", "extra_bots", "webhook_secret", "translator_key", "web_secret")
    value = "…" if secret else str(error.get("input", ""))
    rule = _RULES.get(field, "text")
    return SettingsError(
        f"{name}: {error['msg']}, got {value!r}", name=name, rule=rule, value=value
    )
