"""Fault injection: make the next N requests of a method fail, drop the connection, or stall."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from oudersbot.simulator.errors import ApiError


class FaultAction(StrEnum):
    """What an injected fault does to a request."""

    ERROR = "error"
    DROP = "drop"
    DELAY = "delay"


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
    """Armed faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Arm a fault."""
        self._faults.append(fault)

    def clear(self) -> None:
        """Disarm every fault."""
        self._faults.clear()

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
