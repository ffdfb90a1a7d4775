"""Fault injection: make the next N requests of a method fail, drop the connection, or stall;
or raise a storm (see `storm.py`) that hits a share of the requests at random."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from oudersbot.simulator.errors import ApiError, too_many_requests
from oudersbot.simulator.storm import Storm, StormOutcome


class FaultAction(StrEnum):
    """What an injected fault does to a request.

    DROP_BEFORE closes the connection without carrying out the request (nothing is sent);
    DROP_AFTER carries it out (a message is delivered) and then closes the connection without
    an answer. DROP, and the value "drop", are the old name of DROP_BEFORE. BLOCK (the user
    blocks the bot) and CHAT_NOT_FOUND (Telegram loses the chat) change the chat the request
    names for good, then let the request run into the 403 or 400 that follows.
    """

    ERROR = "error"
    DROP_BEFORE = "drop_before"
    DROP_AFTER = "drop_after"
    DELAY = "delay"
    BLOCK = "block"
    CHAT_NOT_FOUND = "chat_not_found"
    DROP = "drop_before"

    @classmethod
    def _missing_(cls, value: object) -> FaultAction | None:
        return cls.DROP_BEFORE if value == "drop" else None


@dataclass(slots=True)
class Fault:
    """A fault armed for the next `times` requests of `method` ("*" for any method)."""

    method: str
    times: int = 1
    action: FaultAction = FaultAction.ERROR
    error_code: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    delay: float = 0.0

    def __post_init__(self) -> None:
        self.action = FaultAction(self.action)
        if self.times < 1:
            raise ValueError("times must be at least 1")
        if self.action is FaultAction.DELAY and self.delay <= 0:
            raise ValueError("a delay fault needs a positive delay")

    def error(self) -> ApiError:
        """The Bot API error an ERROR fault answers with."""
        parameters = {"retry_after": self.retry_after} if self.retry_after else None
        return ApiError(self.error_code, self.description, parameters)

    def to_dict(self) -> dict[str, Any]:
        """The fault as JSON-ready data."""
        return asdict(self)


class FaultInjector:
    """Armed faults, consumed in the order they were added, and storms, one per method."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._storms: dict[str, Storm] = {}

    def add(self, fault: Fault) -> None:
        """Arm a fault."""
        self._faults.append(fault)

    def clear(self) -> None:
        """Disarm every fault and end every storm."""
        self._faults.clear()
        self._storms.clear()

    def add_storm(self, storm: Storm) -> None:
        """Start a storm, in place of any storm on the same method."""
        self._storms[storm.method.lower()] = storm

    def storms(self) -> list[Storm]:
        """The storms raging."""
        return list(self._storms.values())

    def calm(self) -> None:
        """End every storm (armed faults stay)."""
        self._storms.clear()

    def draw(self, method: str, chat_id: int) -> Fault | None:
        """The storm's verdict on a request to a chat, as a one-off fault (None: no harm).

        The method's own storm decides, else the storm on "*".
        """
        storm = self._storms.get(method.lower()) or self._storms.get("*")
        outcome = storm.draw(chat_id) if storm is not None else None
        if storm is None or outcome is None:
            return None
        if outcome is StormOutcome.TOO_MANY_REQUESTS:
            error = too_many_requests(storm.retry_after)
            return Fault(
                method, error_code=429, description=error.description, retry_after=storm.retry_after
            )
        return Fault(method, action=_STORM_ACTIONS[outcome])

    def armed(self) -> list[Fault]:
        """The faults still armed."""
        return list(self._faults)

    def take(self, method: str) -> Fault | None:
        """Consume one use of the first fault matching `method`, if any."""
        if not self._faults:
            return None
        lowered = method.lower()
        for fault in self._faults:
            if fault.method == "*" or fault.method.lower() == lowered:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None


_STORM_ACTIONS = {
    StormOutcome.BLOCKED: FaultAction.BLOCK,
    StormOutcome.CHAT_NOT_FOUND: FaultAction.CHAT_NOT_FOUND,
    StormOutcome.DROP_BEFORE: FaultAction.DROP_BEFORE,
    StormOutcome.DROP_AFTER: FaultAction.DROP_AFTER,
}
