"""Prikkels: queued for a good hour, in each family's language, at most 3 a week, pausable,
counted in aggregate only."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.domain.prikkels import encode_feedback
from oudersbot.domain.rendering import CAPTION_LIMIT, visible_length
from oudersbot.services import prikkel_draft, prikkel_feedback, prikkel_queue, prikkel_stats
from oudersbot.services.prikkel_draft import PrikkelError
from oudersbot.store.db import Database
from oudersbot.store.models import Delivery, DeliveryStatus, Guardian
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined
from tests.fakes import RecordingSender

JOINED = {"Fatima El Amrani": 101, "Ayşe Yılmaz": 103, "Iryna Kovalenko": 104}
TUESDAY = datetime(2026, 11, 24, 15, 45, tzinfo=BRUSSELS)


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, JOINED)
    return deps


def queue(deps: Deps, prikkel_id: str = "lezen-boek-kiezen", **kwargs: object) -> int:
    draft = prikkel_draft.prepare_prikkel(
        deps,
        school="demo",
        groups=["3A"],
        prikkel_id=prikkel_id,
        **kwargs,  # type: ignore[arg-type]
    )
    return prikkel_queue.queue_prikkel(deps, draft)


async def drain(deps: Deps) -> RecordingSender:
    sender = RecordingSender()
    await Dispatcher(deps.db, sender, deps.clock, rate=None).drain()
    return sender


def move_to(clock: FixedClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def first_library_id(deps: Deps) -> str:
    return deps.phrasebook.prikkels.choose(theme="lezen")[0].id


async def test_a_prikkel_goes_out_after_school_in_each_language_with_two_buttons(
    school: Deps, clock: FixedClock
) -> None:
    pid = first_library_id(school)
    draft = prikkel_draft.prepare_prikkel(school, school="demo", groups=["3A"], prikkel_id=pid)
    assert draft.due == TUESDAY  # Monday 09:00 -> the next school day, 15:45
    assert draft.reaching == 3 and draft.delayed == 0
    wording = school.phrasebook.prikkels.prikkels[pid].wordings["tr"]
    assert wording.question in draft.versions["tr"].parts[0]
    message_id = prikkel_queue.queue_prikkel(school, draft)
    assert (await drain(school)).sent == []  # not before its time
    move_to(clock, TUESDAY)
    sender = await drain(school)
    assert sorted(sender.chats()) == [101, 103, 104]
    assert sender.buttons[103] == [
        [[school.words.text("tr", "prikkel.talked"), encode_feedback("talked", message_id)]],
        [[school.words.text("tr", "prikkel.another"), encode_feedback("another", message_id)]],
    ]


def test_a_familys_prikkels_fall_on_different_school_days_at_most_three_a_week(
    school: Deps,
) -> None:
    ids = [p.id for p in school.phrasebook.prikkels.choose(theme="natuur")][:4]
    for pid in ids[:3]:
        queue(school, pid, due=TUESDAY)
    with school.db.session() as session:
        planned = session.execute(
            select(Delivery.guardian_id, Delivery.next_attempt_at).where(
                Delivery.status == DeliveryStatus.PENDING.value
            )
        ).all()
    days: dict[int, list[datetime]] = {}
    for guardian_id, moment in planned:
        days.setdefault(guardian_id, []).append(moment.astimezone(BRUSSELS))
    # Three prikkels all asked for Tuesday: Tuesday, Wednesday and Thursday, after school.
    expected = [TUESDAY + timedelta(days=n) for n in range(3)]
    assert days and all(sorted(moments) == expected for moments in days.values())
    fourth = prikkel_draft.prepare_prikkel(
        school, school="demo", groups=["3A"], prikkel_id=ids[3], due=TUESDAY + timedelta(days=1)
    )
    # The week is full: the next school day with room is the Monday after.
    assert fourth.delayed == len(days)
    assert set(fourth.due_per_guardian.values()) == {TUESDAY + timedelta(days=6)}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"prikkel_id": "bestaat-niet"}, "unknown_prikkel"),
        ({"prikkel_id": None, "text": "  "}, "no_text"),
        ({"due": datetime(2026, 11, 20, 15, 45, tzinfo=BRUSSELS)}, "past"),
        ({"due": datetime(2026, 11, 24, 21, 0, tzinfo=BRUSSELS)}, "quiet_hours"),
        ({"due": datetime(2026, 11, 28, 10, 0, tzinfo=BRUSSELS)}, "holiday"),  # a Saturday
        ({"due": datetime(2026, 12, 23, 15, 45, tzinfo=BRUSSELS)}, "holiday"),  # Christmas
    ],
)
def test_a_prikkel_that_cannot_go_is_refused_and_nothing_is_queued(
    school: Deps, kwargs: dict[str, object], code: str
) -> None:
    arguments = {"prikkel_id": first_library_id(school), **kwargs}
    with pytest.raises(PrikkelError) as caught:
        prikkel_draft.prepare_prikkel(school, school="demo", groups=["3A"], **arguments)  # type: ignore[arg-type]
    assert caught.value.code == code
    with school.db.session() as session:
        assert session.scalars(select(Delivery.id)).all() == []


def test_a_class_without_joined_families_gets_a_clear_answer(school: Deps) -> None:
    with school.db.session() as session:
        session.execute(
            update(Guardian).where(Guardian.name == "Fatima El Amrani").values(chat_id=None)
        )
    with pytest.raises(PrikkelError) as caught:  # in 3B only Fatima had joined
        prikkel_draft.prepare_prikkel(
            school, school="demo", groups=["3B"], prikkel_id=first_library_id(school)
        )
    assert caught.value.code == "nobody"


async def test_a_parent_pauses_and_their_waiting_prikkels_are_cancelled(
    school: Deps, clock: FixedClock
) -> None:
    queue(school, first_library_id(school))
    assert prikkel_feedback.set_paused(school, chat_id=103, paused=True) == "tr"
    assert prikkel_feedback.is_paused(school, chat_id=103) is True
    move_to(clock, TUESDAY)
    assert sorted((await drain(school)).chats()) == [101, 104]
    draft = prikkel_draft.prepare_prikkel(
        school, school="demo", groups=["3A"], prikkel_id=first_library_id(school)
    )
    assert draft.paused == 1 and draft.reaching == 2
    assert prikkel_feedback.set_paused(school, chat_id=103, paused=False) == "tr"
    assert prikkel_feedback.set_paused(school, chat_id=999, paused=True) is None


async def test_taps_are_counted_once_and_another_idea_sends_a_related_one(
    school: Deps, clock: FixedClock
) -> None:
    pid = first_library_id(school)
    message_id = queue(school, pid)
    move_to(clock, TUESDAY)
    await drain(school)
    talked = encode_feedback("talked", message_id)
    assert prikkel_feedback.record_feedback(school, chat_id=103, data=talked).counted
    assert not prikkel_feedback.record_feedback(school, chat_id=103, data=talked).counted
    assert not prikkel_feedback.record_feedback(school, chat_id=999, data=talked).counted
    assert not prikkel_feedback.record_feedback(school, chat_id=103, data="p:hack:1").counted
    another = prikkel_feedback.record_feedback(
        school, chat_id=104, data=encode_feedback("another", message_id)
    )
    assert another.counted and another.another is not None
    sender = await drain(school)
    assert sender.chats() == [104]
    related = school.phrasebook.prikkels.prikkels[pid]
    with school.db.session() as session:
        from oudersbot.store.models import Message

        sent = session.get(Message, another.another)
        assert sent is not None and sent.template_id != pid
        assert school.phrasebook.prikkels.prikkels[sent.template_id or ""].theme == related.theme

    (week,) = prikkel_stats.class_view(school, school_id=1, group="3A")
    assert (week.prikkels, week.reached, week.talked) == (1, 3, 1)
    assert week.families == 5  # all guardians of 3A, joined or not


def test_the_default_time_skips_weekends_and_school_holidays(
    school: Deps, clock: FixedClock
) -> None:
    move_to(clock, datetime(2026, 12, 18, 16, 0, tzinfo=BRUSSELS))  # Friday before Christmas
    draft = prikkel_draft.prepare_prikkel(
        school, school="demo", groups=["3A"], prikkel_id=first_library_id(school)
    )
    assert draft.due == datetime(2027, 1, 4, 15, 45, tzinfo=BRUSSELS)


def test_the_teacher_lists_and_cancels_what_is_queued(school: Deps) -> None:
    message_id = queue(school, first_library_id(school))
    (waiting,) = prikkel_queue.queued(school, school_id=1, group="3A")
    assert (waiting.message_id, waiting.families, waiting.due) == (message_id, 3, TUESDAY)
    assert prikkel_queue.cancel(school, school_id=1, message_id=message_id) == 3
    assert prikkel_queue.queued(school, school_id=1, group="3A") == []


def test_the_command_line_previews_queues_lists_and_cancels(school: Deps) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args), obj={"deps": school}, catch_exceptions=False)
        return result.output

    assert "lezen" in run("prikkel", "library", "--thema", "lezen")
    out = run("prikkel", "queue", "--class", "3A", "--prikkel", first_library_id(school), "--yes")
    assert "— Turks: 1 gezinnen —" in out
    assert "Klaar om te versturen op 2026-11-24 15:45 naar 3 gezinnen." in out
    assert "staat in de wachtrij" in out
    assert "3 gezinnen" in run("prikkel", "list", "--class", "3A")
    assert "geannuleerd voor 3 gezinnen" in run("prikkel", "cancel", "1")
    refused = runner.invoke(
        main,
        ["prikkel", "queue", "--class", "3A", "--text", "Hallo", "--when", "2026-11-24T22:00"],
        obj={"deps": school},
    )
    assert refused.exit_code == 1 and "Tussen 20:00 en 07:30" in refused.output


PHOTO = "AgACAgQAAxkBAAIBZ2aFotoVanDeKlas"


async def test_a_prikkel_with_a_photo_goes_out_as_that_photo_with_its_buttons(
    school: Deps, clock: FixedClock
) -> None:
    pid = first_library_id(school)
    draft = prikkel_draft.prepare_prikkel(
        school, school="demo", groups=["3A"], prikkel_id=pid, photo=PHOTO
    )
    message_id = prikkel_queue.queue_prikkel(school, draft)
    move_to(clock, TUESDAY)
    sender = await drain(school)
    assert sorted(sender.chats()) == [101, 103, 104]
    assert set(sender.photos.values()) == {PHOTO}
    (parts,) = [parts for chat, parts in sender.sent if chat == 103]
    assert parts == list(draft.versions["tr"].parts)  # one part: the caption
    assert sender.buttons[103] == [
        [[school.words.text("tr", "prikkel.talked"), encode_feedback("talked", message_id)]],
        [[school.words.text("tr", "prikkel.another"), encode_feedback("another", message_id)]],
    ]
    without = prikkel_draft.prepare_prikkel(school, school="demo", groups=["3A"], prikkel_id=pid)
    assert prikkel_draft.with_photo(without, PHOTO).photo == PHOTO


@pytest.mark.parametrize(
    ("mime_type", "size", "code", "params"),
    [
        ("application/pdf", 30_000, "not_image", {"mime_type": "application/pdf"}),
        ("image/jpeg", 11 * 1024 * 1024, "photo_too_large", {"size": "11,0", "limit": 10}),
        (None, 10 * 1024 * 1024 + 1, "photo_too_large", {"size": "10,0", "limit": 10}),
    ],
)
def test_a_file_that_is_no_photo_for_a_prikkel_is_refused_in_dutch(
    school: Deps, mime_type: str | None, size: int, code: str, params: dict[str, object]
) -> None:
    draft = prikkel_draft.prepare_prikkel(
        school, school="demo", groups=["3A"], prikkel_id=first_library_id(school)
    )
    with pytest.raises(PrikkelError) as caught:
        prikkel_draft.check_photo(draft, mime_type=mime_type, size=size)
    assert (caught.value.code, caught.value.params) == (code, params)
    assert school.words.text("nl", f"draft.{code}", **caught.value.params)
    prikkel_draft.check_photo(draft, mime_type="image/png", size=2_000_000)  # this one is fine


def test_a_text_too_long_for_a_caption_in_any_language_cannot_have_a_photo(school: Deps) -> None:
    text = ("Wij lezen elke dag samen in de klas. " * 40)[:950]
    draft = prikkel_draft.prepare_prikkel(school, school="demo", groups=["3A"], text=text)
    # The Dutch fits under a photo; the Turkish, with its 'not translated' line, does not.
    assert visible_length(draft.versions["nl"].parts[0]) <= CAPTION_LIMIT
    for attempt in (
        lambda: prikkel_draft.with_photo(draft, PHOTO),
        lambda: prikkel_draft.check_photo(draft, mime_type="image/jpeg", size=100_000),
        lambda: prikkel_draft.prepare_prikkel(
            school, school="demo", groups=["3A"], text=text, photo=PHOTO
        ),
    ):
        with pytest.raises(PrikkelError) as caught:
            attempt()
        assert caught.value.code == "caption_too_long"
        assert caught.value.params == {"language": "Turks", "count": 1071, "limit": 1024}
    with school.db.session() as session:
        assert session.scalars(select(Delivery.id)).all() == []


def test_a_teacher_cancels_only_their_own_classes_prikkels(school: Deps) -> None:
    message_id = queue(school, first_library_id(school))
    assert prikkel_queue.cancel(school, school_id=1, message_id=message_id, groups=["3B"]) == 0
    assert prikkel_queue.cancel(school, school_id=2, message_id=message_id, groups=["3A"]) == 0
    assert [q.families for q in prikkel_queue.queued(school, school_id=1, group="3A")] == [3]
    assert prikkel_queue.cancel(school, school_id=1, message_id=message_id, groups=["3A"]) == 3
    assert prikkel_queue.cancel(school, school_id=1, message_id=message_id, groups=["3A"]) == 0


def test_the_command_line_queues_a_prikkel_with_a_photo_file_id(school: Deps) -> None:
    from oudersbot.store.models import Message

    result = CliRunner().invoke(
        main,
        ["prikkel", "queue", "--class", "3A", "--prikkel", first_library_id(school)]
        + ["--foto", PHOTO, "--yes"],
        obj={"deps": school},
        catch_exceptions=False,
    )
    assert school.words.text("nl", "cli.prikkel.with_photo") in result.output
    with school.db.session() as session:
        assert session.scalars(select(Message.photo)).all() == [PHOTO]
