"""`oudersbot privacy`: a guardian's export and erasure, retention, and the audit log."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, fail, say, school_id, shell_actor, staff_deps
from oudersbot.cli.privacy_export import write_export
from oudersbot.domain.retention import RetentionError
from oudersbot.services import privacy, retention
from oudersbot.services.privacy import GuardianLookupError
from oudersbot.store.privacy import Candidate


def _children(deps: Deps, candidate: Candidate) -> str:
    if not candidate.children:
        return deps.words.text(STAFF, "cli.privacy.no_children")
    return ", ".join(
        deps.words.text(STAFF, "cli.privacy.child", name=name, group=group)
        for name, group in candidate.children
    )


def _guardian(deps: Deps, school: int, who: str) -> Candidate:
    """The one guardian meant, or a clear stop listing the guardians it may be."""
    try:
        return privacy.find_guardian(deps, school_id=school, who=who)
    except GuardianLookupError as exc:
        if not exc.candidates:
            fail(deps, "cli.privacy.unknown", who=who)
        lines = [
            deps.words.text(STAFF, "cli.privacy.ambiguous", who=who, count=len(exc.candidates))
        ]
        for c in exc.candidates:
            external = (
                deps.words.text(STAFF, "cli.privacy.external", id=c.external_id)
                if c.external_id
                else ""
            )
            lines.append(
                deps.words.text(
                    STAFF,
                    "cli.privacy.candidate",
                    id=c.id,
                    external=external,
                    name=c.name,
                    children=_children(deps, c),
                )
            )
        click.echo("\n".join(lines), err=True)
        sys.exit(1)


@click.group(name="privacy")
def privacy_group() -> None:
    """A parent's rights (export, erase), retention and the audit log."""


@privacy_group.command(name="export")
@click.option("--ouder", "--guardian", "who", required=True, help="Name, number or parent id.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def export_command(ctx: click.Context, who: str, out: Path) -> None:
    """Everything stored about one guardian: FILE.json and a readable FILE.txt."""
    deps = staff_deps(ctx)
    school = school_id(deps)
    guardian = _guardian(deps, school, who)
    now = deps.clock.now()
    record = privacy.export_guardian(
        deps, school_id=school, guardian_id=guardian.id, actor=shell_actor()
    )
    try:
        json_path, text_path = write_export(deps, record, out, now)
    except OSError as exc:
        fail(deps, "cli.privacy.unwritable", file=out, error=exc.strerror)
    say(deps, "cli.privacy.exported", id=guardian.id, json=json_path, txt=text_path)


@privacy_group.command(name="erase")
@click.option("--ouder", "--guardian", "who", required=True, help="Name, number or parent id.")
@click.option("--yes", is_flag=True, help="Erase without asking.")
@click.pass_context
def erase_command(ctx: click.Context, who: str, yes: bool) -> None:
    """Remove one guardian's personal data from every table (asks first)."""
    deps = staff_deps(ctx)
    school = school_id(deps)
    guardian = _guardian(deps, school, who)
    say(
        deps,
        "cli.privacy.erase_summary",
        id=guardian.id,
        name=guardian.name,
        children=_children(deps, guardian),
    )
    if not yes:
        if not sys.stdin.isatty():
            fail(deps, "cli.privacy.erase_needs_yes")
        if not click.confirm(deps.words.text(STAFF, "cli.privacy.erase_confirm", id=guardian.id)):
            say(deps, "cli.privacy.nothing_changed")
            return
    report = privacy.erase_guardian(
        deps, school_id=school, guardian_id=guardian.id, actor=shell_actor()
    )
    summary = _summary(deps, report.counts)
    say(deps, "cli.privacy.erased", id=report.guardian_id, summary=summary)


def _summary(deps: Deps, counts: dict[str, int]) -> str:
    """Rows per table, in staff words: "antwoorden 12, eigen teksten 5"."""
    return ", ".join(
        f"{deps.words.text(STAFF, f'cli.privacy.count.{name}')} {count}"
        for name, count in counts.items()
    )


@privacy_group.command(name="retention")
@click.option("--leerlingen-jaar", "--leavers-years", "leavers", type=int, default=None)
@click.option("--geschiedenis-jaar", "--history-years", "history", type=int, default=None)
@click.option("--dry-run", "--voorbeeld", "dry_run", is_flag=True, help="Only show what would go.")
@click.option("--uitvoeren", "--run", "run_now", is_flag=True, help="Remove it now.")
@click.option("--yes", is_flag=True, help="With --uitvoeren: without asking.")
@click.pass_context
def retention_command(
    ctx: click.Context,
    leavers: int | None,
    history: int | None,
    dry_run: bool,
    run_now: bool,
    yes: bool,
) -> None:
    """How long the school keeps data (in school years, ending 31 August), what would go today,
    and removing it now (the scheduler does so every day)."""
    deps = staff_deps(ctx)
    school = school_id(deps)
    if (leavers is not None or history is not None) and not dry_run:
        try:
            retention.set_policy(
                deps, school_id=school, leavers=leavers, history=history, actor=shell_actor()
            )
        except RetentionError as exc:
            fail(deps, "cli.privacy.retention_bad", **exc.params)
        say(deps, "cli.privacy.retention_set")
    preview = retention.preview(deps, school_id=school)
    say(
        deps,
        "cli.privacy.retention_policy",
        leavers=preview.policy.leavers_years,
        history=preview.policy.history_years,
    )
    say(
        deps,
        "cli.privacy.retention_preview",
        guardians=preview.guardians,
        children=preview.children,
        leavers_before=preview.cutoffs.leavers.isoformat(),
        messages=preview.history.messages,
        deliveries=preview.history.deliveries,
        replies=preview.history.replies,
        texts=preview.history.texts,
        history_before=preview.cutoffs.history.isoformat(),
    )
    if not run_now or dry_run:
        return
    if not yes:
        if not sys.stdin.isatty():
            fail(deps, "cli.privacy.retention_needs_yes")
        if not click.confirm(deps.words.text(STAFF, "cli.privacy.retention_confirm")):
            say(deps, "cli.privacy.nothing_changed")
            return
    totals = retention.apply(deps, school_id=school, actor=shell_actor())
    say(deps, "cli.privacy.retention_done", summary=_summary(deps, totals))


@privacy_group.command(name="audit")
@click.option("--sinds", "--since", "since", default=None, help="From this date: 2026-09-01.")
@click.pass_context
def audit_command(ctx: click.Context, since: str | None) -> None:
    """Who exported, erased or changed personal data, and when."""
    deps = staff_deps(ctx)
    zone = deps.settings.timezone
    start = None
    if since is not None:
        try:
            start = datetime.fromisoformat(since.strip())
        except ValueError:
            fail(deps, "cli.privacy.bad_date", value=since)
        start = start if start.tzinfo else start.replace(tzinfo=zone)
    entries = privacy.audit_entries(deps, school_id=school_id(deps), since=start)
    if not entries:
        say(deps, "cli.privacy.audit_none")
        return
    for entry in entries:
        say(
            deps,
            "cli.privacy.audit_line",
            at=entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            actor=entry.actor,
            action=entry.action,
            subject=entry.subject or "—",
            detail=entry.detail or "",
        )
