"""`Simulator`: a local Telegram Bot API server plus the Python control API to act as parents."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from oudersbot.simulator.botapi import BotApi
from oudersbot.simulator.config import SimulatorConfig, SimulatorStats
from oudersbot.simulator.control import control_routes
from oudersbot.simulator.errors import SimulatorError
from oudersbot.simulator.faults import Fault, FaultInjector
from oudersbot.simulator.ledger import ChatLedger, Ledger
from oudersbot.simulator.messaging import Messaging
from oudersbot.simulator.ratelimit import Clock, FloodControl, RateLimits
from oudersbot.simulator.server import BotApiEndpoint
from oudersbot.simulator.state import (
    CallbackQueryRecord,
    ReceivedMessage,
    SimUser,
    UserStatus,
    World,
)
from oudersbot.simulator.storm import Storm
from oudersbot.simulator.updates import UpdateQueue
from oudersbot.simulator.users import SentText, UserActions
from oudersbot.simulator.validation import SpecValidator


class Simulator:
    """A test double of Telegram that the real python-telegram-bot client talks to over HTTP.

    Use as `async with Simulator(config) as sim:`; pass `sim.base_url` to `telegram.Bot`.

    Each bot of `config.bot_tokens` is a Simulator of its own (users, updates, flood control,
    faults, ledger, counters, control API); this one is the first bot, listens for all of them
    and hands each request to the bot its token names. `sim.bot(token)` is another bot.
    """

    def __init__(
        self, config: SimulatorConfig | None = None, *, clock: Clock = time.monotonic
    ) -> None:
        self.config = config or SimulatorConfig()
        self.validator = SpecValidator.default()
        self._clock = clock
        self._faults = FaultInjector()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._setup_state(self.config.limits)
        self._host = self
        self._control_path = "/control"
        self._others = [Simulator(extra, clock=clock) for extra in self.config.extra_bots()]
        for other in self._others:
            other._host = self
            other._control_path = f"/control/bots/{other.config.bot_id}"
        self._by_token = {bot.config.bot_token: bot for bot in self.bots}

    def _setup_state(self, limits: RateLimits) -> None:
        self._world = World(self.config.first_user_id)
        self._stats = SimulatorStats(limits=limits)
        self._flood = FloodControl(limits, self._clock)
        self._updates = UpdateQueue(self.config.webhook_retry_delay)
        self._messaging = Messaging(self.config, self._world, self._flood, self._stats)
        self._api = BotApi(self.config, self._world, self._updates, self._messaging)
        self._users = UserActions(self.config, self._world, self._updates, self._stats)
        self._ledger = Ledger(self._clock)
        self._endpoint = BotApiEndpoint(
            self.config,
            self._api,
            self.validator,
            self._stats,
            self._faults,
            users=self._users,
            ledger=self._ledger,
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        """The aiohttp application: Bot API under /bot<token>/, control API under /control/ (the
        first bot) and /control/bots/<bot id>/ (each bot)."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_routes(control_routes(self))
        for bot in self.bots:
            app.router.add_routes(
                _mounted(control_routes(bot), f"/control/bots/{bot.config.bot_id}")
            )
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._dispatch_file)
        return app

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        return await self._bot_of(request)._endpoint.handle(request)

    async def _dispatch_file(self, request: web.Request) -> web.StreamResponse:
        return await self._bot_of(request)._endpoint.handle_file(request)

    def _bot_of(self, request: web.Request) -> Simulator:
        """The bot a request's token names; an unknown token goes to the first bot (401)."""
        return self._by_token.get(request.match_info["token"], self)

    async def start(self) -> None:
        """Listen on the configured host and port (port 0: a free one)."""
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        for other in self._others:
            other._port = self._port

    async def stop(self) -> None:
        """Stop listening and end long polls and webhook deliveries."""
        await self._updates.close()
        for other in self._others:
            await other.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return self._port

    @property
    def url(self) -> str:
        """The server's root URL."""
        return f"http://{self.config.host}:{self._port}"

    @property
    def base_url(self) -> str:
        """Pass to `telegram.Bot(token, base_url=...)`."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Pass to `telegram.Bot(token, base_file_url=...)`."""
        return f"{self.url}/file/bot"

    @property
    def control_url(self) -> str:
        """Root of the HTTP control API of this bot (the first bot's is also /control/bots/<id>)."""
        return f"{self.url}{self._control_path}"

    @property
    def methods(self) -> list[str]:
        """The Bot API methods the simulator implements (others answer 404 Not Found)."""
        return sorted(self._api.handlers)

    # -- acting as parents -------------------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> int:
        """Create a user; return their id (also the id of their private chat with the bot)."""
        return self._world.add_user(first_name, last_name, username, language_code).id

    def user(self, user_id: int) -> SimUser:
        """A copy of a user's record."""
        return replace(self._world.user(user_id))

    def users(self) -> list[SimUser]:
        """Copies of every user's record."""
        return [replace(chat.user) for chat in self._world.chats.values()]

    async def send_text(self, user_id: int, text: str, *, reply_to: int | None = None) -> SentText:
        """The user sends a text message to the bot; with `reply_to`, as a reply to that
        message of their chat."""
        return self._users.send_text(user_id, text, reply_to=reply_to)

    async def send_voice(
        self,
        user_id: int,
        *,
        duration: int = 3,
        file_size: int | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> SentText:
        """The user sends a voice note (Message.voice)."""
        return self._users.send_voice(
            user_id, duration=duration, file_size=file_size, caption=caption, reply_to=reply_to
        )

    async def send_photo(
        self, user_id: int, *, file_size: int = 120_000, caption: str | None = None
    ) -> SentText:
        """The user sends a photo (Message.photo: three PhotoSizes, the largest `file_size`)."""
        return self._users.send_photo(user_id, file_size=file_size, caption=caption)

    async def send_document(
        self,
        user_id: int,
        *,
        file_name: str,
        mime_type: str | None,
        file_size: int | None = None,
        content: bytes | None = None,
        caption: str | None = None,
    ) -> SentText:
        """The user sends a file as a document (Message.document); the bot may download it."""
        return self._users.send_document(
            user_id,
            file_name=file_name,
            mime_type=mime_type,
            file_size=file_size,
            content=content,
            caption=caption,
        )

    async def tap(self, user_id: int, message_id: int, callback_data: str) -> str:
        """The user taps an existing inline button; return the callback query id."""
        return self._users.tap(user_id, message_id, callback_data)

    async def forge_callback(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> str:
        """Send a forged callback query (any data, optionally about another chat's message)."""
        return self._users.forge_callback(user_id, message_id, callback_data, chat_id)

    def callback(self, callback_query_id: str) -> CallbackQueryRecord:
        """A copy of a callback query's record: was it answered, with what text."""
        record = self._world.callbacks.get(callback_query_id)
        if record is None:
            raise SimulatorError(f"unknown callback query {callback_query_id}", 404)
        return replace(record)

    async def wait_for_answer(
        self, callback_query_id: str, within: float = 5.0
    ) -> CallbackQueryRecord:
        """Wait until the bot answered a callback query (answerCallbackQuery); return it."""
        deadline = time.monotonic() + within
        while True:
            record = self.callback(callback_query_id)
            if record.answered:
                return record
            if time.monotonic() > deadline:
                raise TimeoutError(f"callback query {callback_query_id} was not answered")
            await asyncio.sleep(0.01)

    def block(self, user_id: int) -> None:
        """The user blocks the bot (sends to them now fail with 403)."""
        self._users.set_status(user_id, UserStatus.BLOCKED)

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self._users.set_status(user_id, UserStatus.ACTIVE)

    def deactivate(self, user_id: int) -> None:
        """The user's account is deleted (sends to them now fail with 403)."""
        self._users.set_status(user_id, UserStatus.DEACTIVATED)

    def inbox(self, user_id: int) -> list[ReceivedMessage]:
        """Every message the bot sent to the user, in order, with edit history."""
        return self._world.inbox(user_id)

    def chat_action(self, user_id: int) -> str | None:
        """The last sendChatAction action in the user's chat."""
        return self._world.chat(user_id).last_action

    async def wait_for_inbox(
        self, user_id: int, count: int, within: float = 5.0
    ) -> list[ReceivedMessage]:
        """Wait until the user's inbox holds at least `count` messages; return it."""
        deadline = time.monotonic() + within
        while True:
            messages = self.inbox(user_id)
            if len(messages) >= count:
                return messages
            if time.monotonic() > deadline:
                raise TimeoutError(f"user {user_id} got {len(messages)} of {count} messages")
            await asyncio.sleep(0.01)

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The bot commands set for a scope and language (as getMyCommands returns them)."""
        params: dict[str, Any] = {"language_code": language_code}
        if scope is not None:
            params["scope"] = scope
        return self._api.get_my_commands(params)

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by getUpdates or delivered to the webhook."""
        return self._updates.pending()

    def webhook_info(self) -> dict[str, Any]:
        """The WebhookInfo getWebhookInfo would return."""
        return self._updates.webhook_info()

    # -- statistics, limits, faults ----------------------------------------------------------

    @property
    def stats(self) -> SimulatorStats:
        """A snapshot of this bot's counters (`total_stats`: every bot's, summed)."""
        return self._stats.snapshot()

    def reset_stats(self) -> None:
        """Zero the counters."""
        self._stats.clear()

    @property
    def limits(self) -> RateLimits:
        """The flood limits in force."""
        return self._flood.limits

    def set_limits(self, limits: RateLimits) -> None:
        """Change the flood limits at runtime (buckets restart full)."""
        self._flood.configure(limits)
        self._stats.limits = limits

    def inject_fault(self, fault: Fault) -> None:
        """Arm a fault for the next `fault.times` requests of `fault.method`."""
        self._faults.add(fault)

    def faults(self) -> list[Fault]:
        """The faults still armed."""
        return self._faults.armed()

    def clear_faults(self) -> None:
        """Disarm every fault and end every storm."""
        self._faults.clear()

    async def reset(self) -> None:
        """Forget this bot's users, messages, updates, webhook, commands, ledger, counters and
        faults (other bots keep theirs)."""
        await self._updates.close()
        self._faults.clear()
        self._setup_state(self._flood.limits)

    # -- several bots ------------------------------------------------------------------------

    @property
    def bots(self) -> list[Simulator]:
        """Every bot served on this port, the first bot first."""
        return [self._host, *self._host._others]

    def bot(self, name: str | int) -> Simulator:
        """A bot by its token, its id (the number before the colon) or its username.

        Its server is this one's: use it to act and look, never start or stop it on its own.
        """
        text = str(name).removeprefix("@")
        for bot in self.bots:
            config = bot.config
            if text in (config.bot_token, str(config.bot_id), config.bot_username):
                return bot
        raise SimulatorError(f"no bot {name!r} here", 404)

    @property
    def total_stats(self) -> SimulatorStats:
        """The counters summed over every bot (`limits` is the first bot's)."""
        return SimulatorStats.merged(bot._stats for bot in self.bots)

    # -- storms and the ledger ---------------------------------------------------------------

    def storm(self, storm: Storm) -> None:
        """Start a storm on this bot's requests (in place of a storm on the same method)."""
        if storm.method != "*" and storm.method.lower() not in self._api.by_lower_name:
            raise SimulatorError(f"the simulator does not implement {storm.method!r}")
        self._faults.add_storm(storm)

    def storms(self) -> list[Storm]:
        """The storms raging, with what each dealt so far."""
        return self._faults.storms()

    def calm(self) -> None:
        """End every storm (armed faults stay; chats a storm blocked or lost stay so)."""
        self._faults.calm()

    def ledger(self) -> dict[int, ChatLedger]:
        """Per chat: every message that arrived and every refused request, with times."""
        return self._ledger.chats()

    def chat_ledger(self, chat_id: int) -> ChatLedger:
        """One chat's ledger (empty if the bot never addressed it)."""
        return self._ledger.chat(chat_id)

    def clear_ledger(self) -> None:
        """Forget the ledger (users and their inboxes stay)."""
        self._ledger.clear()

    def clock(self) -> float:
        """The simulator's clock, in seconds: the one the ledger's times are on."""
        return self._clock()


def _mounted(routes: list[web.RouteDef], prefix: str) -> list[web.RouteDef]:
    """Control routes moved from /control to `prefix` (a bot's own /control/bots/<id>)."""
    return [
        web.RouteDef(
            route.method, prefix + route.path.removeprefix("/control"), route.handler, route.kwargs
        )
        for route in routes
    ]
