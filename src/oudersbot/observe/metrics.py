"""/metrics: read from the database when Prometheus scrapes (a custom Collector), so every
process that serves it tells the same truth; plus the counters counted where they happen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from oudersbot.counters import COUNTERS
from oudersbot.store.metrics import numbers_per_school
from oudersbot.store.models import DeliveryStatus

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

    from oudersbot.bootstrap import Deps


class OutboxCollector(Collector):
    """Deliveries by status, the queue depth, the oldest due send and the reminders' lateness,
    per school (label `school`: its slug)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    def collect(self) -> Iterator[Metric]:
        now = self._deps.clock.now()
        with self._deps.db.session() as session:
            numbers = numbers_per_school(session, now=now)
        deliveries = CounterMetricFamily(
            "oudersbot_deliveries",
            "Deliveries by status (sent: Telegram confirmed them).",
            labels=["school", "status"],
        )
        depth = GaugeMetricFamily(
            "oudersbot_queue_depth", "Deliveries waiting and due now.", labels=["school"]
        )
        oldest = GaugeMetricFamily(
            "oudersbot_oldest_due_seconds",
            "How long the longest-waiting due delivery has waited (0: none waits).",
            labels=["school"],
        )
        lateness = GaugeMetricFamily(
            "oudersbot_reminder_lateness_seconds",
            "How late the most overdue planned reminder is (0: none is late).",
            labels=["school"],
        )
        for school, n in sorted(numbers.items()):
            for status in DeliveryStatus:
                deliveries.add_metric([school, status.value], n.deliveries.get(status.value, 0))
            depth.add_metric([school], n.due)
            oldest.add_metric([school], _seconds_since(now, n.oldest_due_at))
            lateness.add_metric([school], _seconds_since(now, n.oldest_late_reminder_at))
        yield from (deliveries, depth, oldest, lateness)


class _Counted(Collector):
    """The process's own counters (429s, translation calls)."""

    def collect(self) -> Iterator[Metric]:
        yield from COUNTERS.collect()


def _seconds_since(now: datetime, moment: datetime | None) -> float:
    return 0.0 if moment is None else max(0.0, (now - moment).total_seconds())


def registry_for(deps: Deps) -> CollectorRegistry:
    """What /metrics shows for this deployment."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(OutboxCollector(deps))
    registry.register(_Counted())
    return registry


def render(registry: CollectorRegistry) -> bytes:
    """The Prometheus text format (blocking: it queries the database)."""
    return generate_latest(registry)
