"""Run the simulator as its own process: `python -m oudersbot.simulator --port 8081`.

Several bots: `--bots 3` serves the token of `--token` and the next two bot ids with the same
secret (123456:TEST, 123457:TEST, 123458:TEST); or name them with `--extra-bot TOKEN`, repeated.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from oudersbot.simulator.config import SimulatorConfig
from oudersbot.simulator.simulator import Simulator


def _rate(value: str) -> float | None:
    if value.lower() in {"none", "off", "unlimited"}:
        return None
    rate = float(value)
    if rate <= 0:
        raise argparse.ArgumentTypeError("a rate must be positive (or 'none')")
    return rate


def _count(value: str) -> int:
    count = int(value)
    if count < 1:
        raise argparse.ArgumentTypeError("there is at least one bot")
    return count


def parse_args(argv: list[str] | None = None) -> SimulatorConfig:
    """Build the configuration from command-line arguments."""
    defaults = SimulatorConfig()
    parser = argparse.ArgumentParser(
        prog="python -m oudersbot.simulator", description="Local Telegram Bot API simulator."
    )
    parser.add_argument("--host", default=defaults.host)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=defaults.bot_token, help="the (first) bot's token")
    parser.add_argument(
        "--username", default=defaults.bot_username, help="the (first) bot's username"
    )
    bots = parser.add_mutually_exclusive_group()
    bots.add_argument(
        "--extra-bot",
        action="append",
        default=[],
        metavar="TOKEN",
        help="also serve this bot token (repeatable); each bot has its own state and limits",
    )
    bots.add_argument(
        "--bots",
        type=_count,
        default=1,
        metavar="N",
        help="serve N bots: --token and the next N-1 bot ids with the same secret",
    )
    parser.add_argument(
        "--global-rate", type=_rate, default=defaults.global_rate, help="messages/s or 'none'"
    )
    parser.add_argument("--global-burst", type=int, default=None)
    parser.add_argument(
        "--per-chat-rate", type=_rate, default=defaults.per_chat_rate, help="per chat or 'none'"
    )
    parser.add_argument("--per-chat-burst", type=int, default=defaults.per_chat_burst)
    parser.add_argument(
        "--validate-responses", action="store_true", help="check every answer against the spec"
    )
    args = parser.parse_args(argv)
    try:
        config = SimulatorConfig(
            bot_token=args.token,
            bot_username=args.username,
            host=args.host,
            port=args.port,
            global_rate=args.global_rate,
            global_burst=args.global_burst,
            per_chat_rate=args.per_chat_rate,
            per_chat_burst=args.per_chat_burst,
            validate_responses=args.validate_responses,
            extra_bot_tokens=tuple(args.extra_bot),
        )
        return config.with_bots(args.bots) if args.bots > 1 else config
    except ValueError as error:
        parser.error(str(error))


async def serve(config: SimulatorConfig) -> None:
    """Run until SIGINT or SIGTERM; print the base URL once listening."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with Simulator(config) as sim:
        print(  # noqa: T201 - the one line a parent process waits for
            f"oudersbot simulator listening: base_url={sim.base_url} control_url={sim.control_url}"
            f" bots={len(sim.bots)}",
            flush=True,
        )
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m oudersbot.simulator`."""
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
