"""A parent types a button's number instead of tapping: read in any script, for the slip that
reached their chat only; anything else stays their words."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps
from oudersbot.clock import FixedClock
from oudersbot.domain.slips import parse_answers
from oudersbot.services import messages, slip_answers
from oudersbot.store.models import Child, Delivery, Guardian, Reply
from tests.conftest import BRUSSELS, import_fixture_roster, mark_joined

DEADLINE = datetime(2026, 12, 1, 18, 0, tzinfo=BRUSSELS)


@pytest.fixture
def school(deps: Deps) -> Deps:
    """Fatima (Amira in 3A, Sami in 3B), Ayşe (Emre) and Iryna (Olena) joined."""
    import_fixture_roster(deps)
    mark_joined(deps, {"Fatima El Amrani": 101, "Ayşe Yılmaz": 103, "Iryna Kovalenko": 104})
    return deps


def send_slip(deps: Deps, groups: list[str]) -> int:
    """A yes/no/question slip; the copies to joined guardians went out, except Iryna's: she
    had blocked the bot at that moment (and unblocked it since)."""
    draft = messages.prepare_message(
        deps,
        school="demo",
        groups=groups,
        text="Gaat uw kind mee naar de zoo?",
        answers=parse_answers("ja,nee,ik heb een vraag"),
        deadline=DEADLINE,
    )
    slip = messages.send_message(deps, draft).message_id
    with deps.db.session() as session:
        iryna = select(Guardian.id).where(Guardian.name == "Iryna Kovalenko").scalar_subquery()
        session.execute(
            update(Delivery)
            .where(Delivery.message_id == slip, Delivery.status == "pending")
            .values(status="sent")
        )
        session.execute(
            update(Delivery)
            .where(Delivery.message_id == slip, Delivery.guardian_id == iryna)
            .values(status="unreachable")
        )
    return slip


def answers(deps: Deps) -> list[tuple[str, str | None, str | None, str]]:
    """(child, answer, question, source) in order."""
    with deps.db.session() as session:
        rows = session.execute(
            select(Child.first_name, Reply.answer, Reply.text, Reply.source)
            .join(Child, Child.id == Reply.child_id)
            .order_by(Reply.id)
        ).all()
    return [(c, a, t, s) for c, a, t, s in rows]


def type_text(deps: Deps, chat: int, text: str, number: int = 1) -> slip_answers.TextResult:
    return slip_answers.record_text(deps, chat_id=chat, text=text, text_id=f"text:{chat}:{number}")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", ("Emre", "yes", None, "text")),
        (" 2 ", ("Emre", "no", None, "text")),
        ("01", ("Emre", "yes", None, "text")),
        ("١", ("Emre", "yes", None, "text")),  # Arabic-Indic one
        ("۲", ("Emre", "no", None, "text")),  # Persian two
        ("+1", ("Emre", None, "+1", "text")),  # a sign: words, kept as a question
        ("7", ("Emre", None, "7", "text")),  # no seventh button: words
    ],
)
def test_a_typed_number_answers_as_its_button_would(
    school: Deps, typed: str, expected: tuple[str, str | None, str | None, str]
) -> None:
    send_slip(school, ["3A"])
    result = type_text(school, 103, typed)
    assert answers(school) == [expected]
    if expected[1] is None:
        assert result.tap is None and result.question is not None
    else:
        assert result.tap is not None and result.tap.child == "Emre"
        assert result.tap.option == expected[1] and result.tap.language == "tr"


def test_with_two_children_the_number_counts_the_buttons_from_the_top(school: Deps) -> None:
    send_slip(school, ["3A", "3B"])
    # Fatima's buttons: Amira: Ja, Amira: Nee, Amira: vraag, Sami: Ja, Sami: Nee, ...
    result = type_text(school, 101, "٥")
    assert result.tap is not None and result.tap.child == "Sami"
    assert answers(school) == [("Sami", "no", None, "text")]


def test_the_same_message_delivered_twice_is_one_answer(school: Deps) -> None:
    send_slip(school, ["3A"])
    type_text(school, 103, "1")
    again = type_text(school, 103, "1")
    assert again.tap is not None
    assert answers(school) == [("Emre", "yes", None, "text")]


def test_a_parent_whose_copy_never_went_out_cannot_answer_it(school: Deps) -> None:
    send_slip(school, ["3A"])
    # Iryna's copy failed (blocked at sending); Katrien joined after the slip was sent.
    mark_joined(school, {"Katrien Peeters": 105})
    for chat in (104, 105):
        result = type_text(school, chat, "1")
        assert result.tap is None and result.question is None
    assert answers(school) == []


def test_a_leaver_or_a_late_number_answers_nothing(school: Deps, clock: FixedClock) -> None:
    send_slip(school, ["3A"])
    with school.db.session() as session:
        session.execute(
            update(Guardian).where(Guardian.name == "Ayşe Yılmaz").values(left_at=clock.now())
        )
    assert type_text(school, 103, "1").tap is None
    clock.advance(DEADLINE + timedelta(minutes=1) - clock.now())
    assert type_text(school, 101, "1").tap is None
    assert answers(school) == []
