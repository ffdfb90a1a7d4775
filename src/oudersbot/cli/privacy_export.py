"""A guardian's export as files: JSON for a machine (portable, GDPR art. 20) and a Dutch text
for a person (art. 15), side by side."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF
from oudersbot.domain.languages import native_name
from oudersbot.store.privacy import GuardianRecord


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def as_json(record: GuardianRecord, exported_at: datetime) -> dict[str, Any]:
    """Every table's rows about the guardian, as plain values with English field names."""
    g = record.guardian
    return {
        "exported_at": exported_at.isoformat(),
        "school": record.school_name,
        "guardian": {
            "id": g.id,
            "name": g.name,
            "external_id": g.external_id,
            "language": g.language,
            "language_source": g.language_source,
            "phone": g.phone,
            "chat_id": g.chat_id,
            "reachability": g.reachability,
            "joined_at": _iso(g.joined_at),
            "prikkels_paused": g.prikkels_paused,
            "prefers_listening": g.prefers_listening,
            "stopped_at": _iso(g.stopped_at),
            "left_at": _iso(g.left_at),
        },
        "children": [
            {
                "id": c.id,
                "first_name": c.first_name,
                "class": group,
                "external_id": c.external_id,
                "left_at": _iso(c.left_at),
            }
            for c, group in record.children
        ],
        "deliveries": [
            {
                "delivery_id": r.delivery_id,
                "message_id": r.message_id,
                "kind": r.kind,
                "category": r.category,
                "created_at": _iso(r.created_at),
                "sent_at": _iso(r.sent_at),
                "status": r.status,
            }
            for r in record.received
        ],
        "replies": [
            {
                "message_id": r.message_id,
                "child_id": r.child_id,
                "answer": r.answer,
                "text": r.text,
                "text_nl": r.text_nl,
                "source": r.source,
                "recorded_by": r.recorded_by,
                "received_at": _iso(r.received_at),
            }
            for r in record.replies
        ],
        "inbound_texts": [
            {"chat_id": t.chat_id, "text": t.text, "received_at": _iso(t.received_at)}
            for t in record.texts
        ],
        "conversation": [
            {
                "direction": c.direction,
                "kind": c.kind,
                "text": c.text,
                "language": c.language,
                "translated": c.translated,
                "file_id": c.file_id,
                "child_ids": list(c.child_ids),
                "slip_id": c.slip_id,
                "staff": c.staff_name,
                "at": _iso(c.at),
            }
            for c in record.conversation
        ],
        "conversation_state": [
            {
                "status": c.status,
                "started_at": _iso(c.started_at),
                "waiting_since": _iso(c.waiting_since),
                "last_message_at": _iso(c.last_message_at),
                "handled_by": c.handled_by,
                "handled_at": _iso(c.handled_at),
            }
            for c in record.conversation_state
        ],
        "follow_ups": [
            {
                "message_id": f.message_id,
                "child_id": f.child_id,
                "action": f.action,
                "outcome": f.outcome,
                "note": f.note,
                "recorded_by": f.recorded_by,
                "recorded_at": _iso(f.recorded_at),
            }
            for f in record.follow_ups
        ],
        "invites": [
            {
                "id": i.id,
                "created_at": _iso(i.created_at),
                "expires_at": _iso(i.expires_at),
                "used_at": _iso(i.used_at),
                "used_by_chat_id": i.used_by_chat_id,
                "revoked_at": _iso(i.revoked_at),
            }
            for i in record.invites
        ],
        "prikkel_feedback": [
            {"message_id": p.message_id, "kind": p.kind, "at": _iso(p.at)}
            for p in record.prikkel_feedback
        ],
        "understanding": [
            {
                "message_id": u.message_id,
                "reaction": u.reaction,
                "first_at": _iso(u.first_at),
                "tapped_at": _iso(u.tapped_at),
                "taps": u.taps,
                "explain_at": _iso(u.explain_at),
                "explained_at": _iso(u.explained_at),
                "explained_by": u.explained_by,
            }
            for u in record.understanding
        ],
        "planned_sends": [
            {"key": p.key, "rule": p.rule, "due_at": _iso(p.due_at), "status": p.status}
            for p in record.planned
        ],
        "join_throttle": [
            {
                "chat_id": t.chat_id,
                "failures": t.failures,
                "window_start": _iso(t.window_start),
                "blocked_until": _iso(t.blocked_until),
            }
            for t in record.throttles
        ],
        "audit_log": [
            {"at": _iso(a.at), "actor": a.actor, "action": a.action, "detail": a.detail}
            for a in record.audit
        ],
    }


def as_text(deps: Deps, record: GuardianRecord, exported_at: datetime) -> str:
    """The same, readable, in Dutch."""
    words, zone = deps.words, deps.settings.timezone

    def t(name: str, /, **slots: object) -> str:
        return words.text(STAFF, f"cli.privacy.txt.{name}", **slots)

    def when(moment: datetime | None) -> str:
        return _local(moment, zone) if moment else "—"

    g = record.guardian
    lines = [t("title", school=record.school_name, date=when(exported_at)), ""]
    lines.append(
        t(
            "guardian",
            id=g.id,
            name=g.name,
            external=g.external_id or "—",
            language=f"{native_name(g.language)} ({g.language})",
            phone=g.phone or "—",
            chat=g.chat_id if g.chat_id is not None else "—",
            reachability=words.text(STAFF, f"cli.privacy.reach.{g.reachability}"),
            joined=when(g.joined_at),
            stopped=when(g.stopped_at),
            left=when(g.left_at),
        )
    )

    def section(key: str, items: list[str]) -> None:
        lines.extend(["", t(key, count=len(items))])
        if items:
            lines.extend(f"  - {item}" for item in items)
        else:
            lines.append(t("none"))

    section(
        "children", [t("child", name=c.first_name, group=group) for c, group in record.children]
    )
    section(
        "received",
        [
            t(
                "delivery",
                created=when(r.created_at),
                message=r.message_id,
                category=words.text(STAFF, f"category.{r.category}"),
                status=words.text(STAFF, f"cli.privacy.status.{r.status}"),
                sent=when(r.sent_at),
            )
            for r in record.received
        ],
    )
    section(
        "replies",
        [
            t(
                "reply",
                at=when(r.received_at),
                message=r.message_id,
                child=r.child_id,
                answer=words.text(STAFF, f"answer.{r.answer}") if r.answer else "—",
                text=r.text or "",
            )
            for r in record.replies
        ],
    )
    section("texts", [t("text", at=when(x.received_at), text=x.text) for x in record.texts])
    section(
        "conversation",
        [
            t(
                "conversation_message",
                at=when(c.at),
                who=c.staff_name if c.direction == "staff" else g.name,
                kind=c.kind,
                text=c.text or "",
                translated=c.translated or "—",
            )
            for c in record.conversation
        ],
    )
    section(
        "conversation_state",
        [
            t(
                "conversation_state_line",
                status=words.text(STAFF, f"cli.privacy.conversation.{c.status}"),
                waiting=when(c.waiting_since),
                handled_by=c.handled_by or "—",
                handled_at=when(c.handled_at),
            )
            for c in record.conversation_state
        ],
    )
    section(
        "follow_ups",
        [
            t(
                "follow_up",
                at=when(f.recorded_at),
                message=f.message_id,
                action=words.text(STAFF, f"cli.action.{f.action}"),
                outcome=words.text(STAFF, f"cli.outcome.{f.outcome}"),
                by=f.recorded_by,
                note=f.note or "",
            )
            for f in record.follow_ups
        ],
    )
    section(
        "invites",
        [
            t(
                "invite",
                created=when(i.created_at),
                expires=when(i.expires_at),
                used=when(i.used_at),
                revoked=when(i.revoked_at),
            )
            for i in record.invites
        ],
    )
    section(
        "prikkels",
        [
            t("prikkel", at=when(p.at), message=p.message_id, kind=p.kind)
            for p in record.prikkel_feedback
        ],
    )
    section(
        "understanding",
        [
            t(
                "understanding_line",
                at=when(u.tapped_at),
                message=u.message_id,
                reaction=words.text(STAFF, f"understanding.reaction.{u.reaction}"),
                explained=when(u.explained_at),
            )  # fmt: skip
            for u in record.understanding
        ],
    )
    section(
        "planned",
        [t("planned_line", due=when(p.due_at), key=p.key, status=p.status) for p in record.planned],
    )
    section(
        "audit",
        [t("audit_line", at=when(a.at), actor=a.actor, action=a.action) for a in record.audit],
    )
    return "\n".join(lines) + "\n"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def write_export(
    deps: Deps, record: GuardianRecord, out: Path, exported_at: datetime
) -> tuple[Path, Path]:
    """FILE.json and FILE.txt (a given .json or .txt suffix is dropped first)."""
    stem = out.with_suffix("") if out.suffix in (".json", ".txt") else out
    json_path, text_path = Path(f"{stem}.json"), Path(f"{stem}.txt")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(
        json.dumps(as_json(record, exported_at), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    text_path.write_text(as_text(deps, record, exported_at), encoding="utf-8")
    return json_path, text_path
