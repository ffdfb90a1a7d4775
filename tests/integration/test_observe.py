"""/healthz and /metrics over real HTTP, as Prometheus and a load balancer see them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from oudersbot.bootstrap import Deps, sending
from oudersbot.delivery.worker import SendWorker
from oudersbot.domain.time_rules import Urgency
from oudersbot.observe.server import ObserveServer
from oudersbot.services import messages
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.store.models import Guardian
from tests.conftest import import_fixture_roster, mark_joined
from tests.fakes import RecordingSender

TOKEN = "123456:TEST-token"


@pytest.fixture
async def server(deps: Deps) -> AsyncIterator[ObserveServer]:
    observer = ObserveServer(deps, host="127.0.0.1", port=0)
    await observer.start()
    yield observer
    await observer.stop()


async def get(server: ObserveServer, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{server.port}{path}") as response,
    ):
        return response.status, await response.text()


async def scrape(server: ObserveServer) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, text = await get(server, "/metrics")
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


async def test_healthz_is_503_without_a_live_sender_and_200_with_one(
    deps: Deps, server: ObserveServer
) -> None:
    status, body = await get(server, "/healthz")
    assert status == 503
    assert '"database": true' in body and '"sender": false' in body
    sender = SendWorker(deps.db, deps.clock, {"main": RecordingSender()}, role="run", rate=None)
    await sender.start(exclusive=True)
    status, body = await get(server, "/healthz")
    await sender.stop()
    assert status == 200, body
    assert '"status": "ok"' in body


async def test_after_a_broadcast_the_queue_is_empty_and_every_guardian_delivered(
    deps: Deps, server: ObserveServer
) -> None:
    import_fixture_roster(deps)
    config = SimulatorConfig(bot_token=TOKEN, global_rate=None, per_chat_rate=None)
    async with Simulator(config) as sim:
        with deps.db.session() as session:
            names = list(session.scalars(select(Guardian.name)))
        mark_joined(deps, {name: sim.add_user(name) for name in names})
        draft = messages.prepare_message(
            deps, school="demo", groups=["3A", "3B"], text="Morgen is er turnen."
        )
        messages.send_message(deps, draft, urgency=Urgency.NOW)
        before = await scrape(server)
        assert value(before, "oudersbot_queue_depth", school="demo") == len(names)
        assert value(before, "oudersbot_oldest_due_seconds", school="demo") >= 0
        async with sending(
            deps, role="dispatch", tokens={"main": TOKEN}, base_url=sim.base_url, rate=None
        ) as worker:
            await worker.start(exclusive=True)
            await worker.drain()
        after = await scrape(server)
    assert value(after, "oudersbot_queue_depth", school="demo") == 0
    assert value(after, "oudersbot_deliveries_total", school="demo", status="sent") == len(names)
    assert value(after, "oudersbot_reminder_lateness_seconds", school="demo") == 0
