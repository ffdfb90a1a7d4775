"""Who answered a slip: the slips of a school, their children with the latest answer and their
guardians, the questions asked and the follow-up done. Set-based: a handful of statements
whatever the number of slips."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Child,
    FollowUp,
    Group,
    Guardian,
    GuardianChild,
    Message,
    MessageKind,
    Reply,
)
from oudersbot.store.slips import latest_answer_of


@dataclass(frozen=True)
class SlipHeader:
    """A slip as a list shows it: number, Dutch text, deadline, classes."""

    message_id: int
    text_nl: str
    deadline: datetime | None
    groups: tuple[str, ...]


def slips_of_school(
    session: Session, *, school_id: int, slip_id: int | None = None
) -> list[SlipHeader]:
    """The school's slips (or the one asked for), oldest first."""
    query = select(Message.id, Message.text_nl, Message.deadline, Message.audience).where(
        Message.school_id == school_id, Message.kind == MessageKind.SLIP.value
    )
    if slip_id is not None:
        query = query.where(Message.id == slip_id)
    return [
        SlipHeader(
            row.id,
            row.text_nl,
            row.deadline,
            tuple(sorted(set((row.audience or {}).get("groups", [])))),
        )
        for row in session.execute(query.order_by(Message.id))
    ]


class SlipChild(NamedTuple):
    """One guardian of one child on one slip, with the child's latest answer. A named tuple,
    not a dataclass: a school's list has thousands, and they are cheap to make."""

    message_id: int
    group: str
    child_id: int
    child: str
    answer: str | None
    guardian_id: int
    guardian: str
    language: str
    phone: str | None
    reachability: str


def _audience(session: Session, audiences: Mapping[int, Collection[str]]) -> Any:
    """The slips' classes as rows (place, slip_id, group_name), by slip and class name as
    Python sorts them, sent as one JSON parameter: the statement is the same whatever the
    number of slips (so it is compiled once), and it is materialised first, so the planner
    starts from these few rows instead of unpacking JSON again for every child."""
    pairs = [
        {"place": place, "slip_id": slip, "group_name": group}
        for place, (slip, group) in enumerate(
            (slip, group) for slip in sorted(audiences) for group in sorted(set(audiences[slip]))
        )
    ]
    param = bindparam("audience", json.dumps(pairs), type_=String)
    if session.get_bind().dialect.name == "postgresql":
        # A record set is estimated at a hundred rows, close enough to keep the plan small.
        rows: Any = (
            func.json_to_recordset(cast(param, postgresql.JSON))
            .table_valued(
                column("place", Integer), column("slip_id", Integer), column("group_name", String)
            )
            .render_derived(name="pairs", with_types=True)
        )
        query = select(rows.c.place, rows.c.slip_id, rows.c.group_name)
    else:
        rows = func.json_each(param).table_valued("value").alias("pairs")
        query = select(
            *(
                func.json_extract(rows.c.value, f"$.{name}").label(name)
                for name in ("place", "slip_id", "group_name")
            )
        )
    return query.cte("audience").prefix_with("MATERIALIZED")


def slip_children(
    session: Session,
    *,
    school_id: int,
    audiences: Mapping[int, Collection[str]],
    only_open: bool = False,
) -> Iterator[SlipChild]:
    """Every guardian of every child in each slip's classes (`audiences`: slip -> class
    names), by slip, class, child and guardian, leavers left out; `only_open`: only children
    without an answer or with a question, left out by the database itself. One statement for
    all slips; the rows come as they are read (a school has thousands), so use them inside the
    session."""
    if not audiences:
        return
    audience = _audience(session, audiences)
    slip_id = audience.c.slip_id
    query = (
        select(  # the columns of SlipChild, in its order
            slip_id.label("message_id"),
            Group.name.label("group"),
            Child.id.label("child_id"),
            Child.first_name.label("child"),
            latest_answer_of(slip_id, Child.id).label("answer"),
            Guardian.id.label("guardian_id"),
            Guardian.name.label("guardian"),
            Guardian.language,
            Guardian.phone,
            Guardian.reachability,
        )
        .select_from(audience)
        .join(Group, and_(Group.school_id == school_id, Group.name == audience.c.group_name))
        .join(Child, and_(Child.group_id == Group.id, Child.left_at.is_(None)))
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Guardian, and_(Guardian.id == GuardianChild.guardian_id, Guardian.left_at.is_(None)))
        .order_by(audience.c.place, Child.first_name, Guardian.name)
    )
    if only_open:
        on_slip = and_(Reply.message_id == slip_id, Reply.child_id == Child.id)
        answered = exists().where(on_slip, Reply.answer.is_not(None))
        asked = exists().where(on_slip, Reply.answer.is_(None))
        query = query.where(or_(~answered, asked))
    # Core, not ORM execution: plain rows are all that is needed, at a fraction of the cost;
    # read in batches rather than one by one or all at once.
    for batch in session.connection().execute(query).partitions(500):
        yield from map(SlipChild._make, batch)


def questions_asked(
    session: Session, *, slip_ids: Collection[int]
) -> dict[tuple[int, int], list[str]]:
    """Per (slip, child) the questions parents wrote, in Dutch where translated, oldest first."""
    found: dict[tuple[int, int], list[str]] = {}
    if not slip_ids:
        return found
    for row in session.execute(
        select(Reply.message_id, Reply.child_id, Reply.text, Reply.text_nl)
        .where(Reply.message_id.in_(list(slip_ids)), Reply.answer.is_(None))
        .order_by(Reply.received_at, Reply.id)
    ):
        found.setdefault((row.message_id, row.child_id), []).append(row.text_nl or row.text or "")
    return found


def followups_done(
    session: Session, *, slip_ids: Collection[int]
) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """Per (slip, guardian) what the liaison did and how it went, (action, outcome), in order."""
    done: dict[tuple[int, int], list[tuple[str, str]]] = {}
    if not slip_ids:
        return done
    for row in session.execute(
        select(FollowUp.message_id, FollowUp.guardian_id, FollowUp.action, FollowUp.outcome)
        .where(FollowUp.message_id.in_(list(slip_ids)))
        .order_by(FollowUp.id)
    ):
        done.setdefault((row.message_id, row.guardian_id), []).append((row.action, row.outcome))
    return done


def group_names(session: Session, *, group_ids: Collection[int]) -> set[str]:
    """The names of these classes."""
    if not group_ids:
        return set()
    return set(session.scalars(select(Group.name).where(Group.id.in_(list(group_ids)))))
