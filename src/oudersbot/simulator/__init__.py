"""A local Telegram Bot API server (a test double of Telegram) for the demo, tests and benchmarks.

The real python-telegram-bot client talks to it over HTTP (`Bot(token, base_url=sim.base_url)`);
tests act as parents through the Python or HTTP control API. See `Simulator`.

One simulator serves several bots (`SimulatorConfig.extra_bot_tokens`), each with its own users,
flood control and faults. Faults are armed for the next N requests (`Fault`) or rage as a seeded
storm (`Storm`); the ledger (`ChatLedger`) tells what each chat really received, and when.
"""

from oudersbot.simulator.config import SimulatorConfig, SimulatorStats
from oudersbot.simulator.errors import ApiError, SimulatorError
from oudersbot.simulator.faults import Fault, FaultAction
from oudersbot.simulator.ledger import Arrival, ChatLedger, Refusal
from oudersbot.simulator.ratelimit import RateLimits
from oudersbot.simulator.simulator import Simulator
from oudersbot.simulator.state import (
    CallbackQueryRecord,
    MessageKind,
    MessageVersion,
    ReceivedMessage,
    SimUser,
    UserStatus,
)
from oudersbot.simulator.storm import Storm, StormOutcome
from oudersbot.simulator.users import SentText

__all__ = [
    "ApiError",
    "Arrival",
    "CallbackQueryRecord",
    "ChatLedger",
    "Fault",
    "FaultAction",
    "MessageKind",
    "MessageVersion",
    "RateLimits",
    "ReceivedMessage",
    "Refusal",
    "SentText",
    "SimUser",
    "Simulator",
    "SimulatorConfig",
    "SimulatorError",
    "SimulatorStats",
    "Storm",
    "StormOutcome",
    "UserStatus",
]
