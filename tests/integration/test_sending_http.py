"""What a network fault means, through python-telegram-bot over real HTTP to the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from oudersbot.bootstrap import Deps, sending
from oudersbot.clock import FixedClock
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.simulator.faults import Fault, FaultAction
from oudersbot.store.models import Delivery, Guardian
from tests.conftest import import_fixture_roster, mark_joined

TOKEN = "123456:TEST-token"


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(SimulatorConfig(bot_token=TOKEN)) as simulator:
        yield simulator


@pytest.fixture
def ayse(deps: Deps, sim: Simulator) -> int:
    import_fixture_roster(deps)
    uid = sim.add_user("Ayşe")
    mark_joined(deps, {"Ayşe Yılmaz": uid})
    draft = messages.prepare_message(deps, school="demo", groups=["3A"], text="Morgen turnen.")
    messages.send_message(deps, draft, urgency=Urgency.NOW)
    return uid


def outcome(deps: Deps, chat_id: int) -> tuple[str, int]:
    with deps.db.session() as session:
        row = session.execute(
            select(Delivery.status, Delivery.attempts)
            .join(Guardian, Guardian.id == Delivery.guardian_id)
            .where(Guardian.chat_id == chat_id)
        ).one()
    return row.status, row.attempts


async def dispatch(deps: Deps, base_url: str) -> None:
    async with sending(
        deps, role="dispatch", tokens={"main": TOKEN}, base_url=base_url, rate=None
    ) as worker:
        await worker.start(exclusive=True)
        await worker.drain()


async def test_an_answer_dropped_after_delivery_is_unconfirmed_not_sent_twice(
    deps: Deps, sim: Simulator, ayse: int, clock: FixedClock
) -> None:
    sim.inject_fault(Fault("sendMessage", action=FaultAction.DROP_AFTER))
    await dispatch(deps, sim.base_url)
    assert len(sim.inbox(ayse)) == 1  # Telegram took it; only its answer was lost
    assert outcome(deps, ayse) == ("unconfirmed", 1)
    clock.advance(timedelta(hours=1))
    await dispatch(deps, sim.base_url)
    assert len(sim.inbox(ayse)) == 1


async def test_a_connection_dropped_before_an_answer_is_unconfirmed_too(
    deps: Deps, sim: Simulator, ayse: int
) -> None:
    # From the client's side a drop before and after processing look the same: honest is
    # "may not have arrived", for a person to decide.
    sim.inject_fault(Fault("sendMessage", action=FaultAction.DROP_BEFORE))
    await dispatch(deps, sim.base_url)
    assert sim.inbox(ayse) == [] and outcome(deps, ayse) == ("unconfirmed", 1)


async def test_a_server_error_and_a_refused_connection_are_tried_again(
    deps: Deps, sim: Simulator, ayse: int, clock: FixedClock
) -> None:
    sim.inject_fault(Fault("sendMessage", error_code=502, description="Bad Gateway"))
    await dispatch(deps, sim.base_url)
    assert outcome(deps, ayse) == ("pending", 1)
    clock.advance(timedelta(minutes=5))
    gone = Simulator(SimulatorConfig(bot_token=TOKEN))
    await gone.__aenter__()
    async with sending(
        deps, role="dispatch", tokens={"main": TOKEN}, base_url=gone.base_url, rate=None
    ) as worker:
        await worker.start(exclusive=True)
        await gone.__aexit__(None, None, None)  # nobody listens now: the request never leaves
        await worker.drain()
    assert outcome(deps, ayse) == ("pending", 2) and sim.inbox(ayse) == []
    clock.advance(timedelta(minutes=5))
    await dispatch(deps, sim.base_url)
    assert outcome(deps, ayse) == ("sent", 3) and len(sim.inbox(ayse)) == 1
