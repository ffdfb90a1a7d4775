"""Telegram's command menu per role: staff see theirs in their own chat (a chat scope), in
Dutch; parents the default one in their app's language. Read back from the simulator."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from telegram import BotCommandScopeChat

from oudersbot.bot import menus
from oudersbot.domain.commands import PARENT_COMMANDS, STAFF_COMMANDS
from oudersbot.services import invites
from oudersbot.store.models import Role, Staff
from tests.integration import test_bot_e2e
from tests.integration.test_prikkel_bot import add_teacher, last_with

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock


async def menu(bot: Harness, uid: int) -> list[tuple[str, str]]:
    """getMyCommands for this chat's own scope, through python-telegram-bot."""
    found = await bot.app.bot.get_my_commands(scope=BotCommandScopeChat(uid))
    return [(c.command, c.description) for c in found]


def dutch(bot: Harness, names: list[str]) -> list[tuple[str, str]]:
    return [(n, bot.deps.words.text("nl", f"staff_command.{n}")) for n in names]


def add_staff(bot: Harness, name: str, role: str) -> int:
    uid = bot.sim.add_user(name, language_code="nl")
    with bot.deps.db.session() as s:
        s.add(Staff(school_id=1, name=name, role=role, chat_id=uid))
    return uid


async def test_the_default_menu_is_the_parents_in_every_language_telegram_takes(
    bot: Harness,
) -> None:
    words = bot.deps.words
    assert bot.sim.commands() == [
        {"command": c, "description": words.text("nl", f"command.{c}")} for c in PARENT_COMMANDS
    ]
    assert "pauze" in PARENT_COMMANDS
    for language in ("tr", "ar", "uk", "fr"):
        assert [c["description"] for c in bot.sim.commands(language_code=language)] == [
            words.text(language, f"command.{c}") for c in PARENT_COMMANDS
        ]


async def test_each_staff_member_sees_the_commands_of_their_role_at_start(bot: Harness) -> None:
    els = add_teacher(bot, "Els", "3A")
    brugfiguur = add_staff(bot, "Nadia", Role.LIAISON.value)
    vertaler = add_staff(bot, "Omar", Role.TRANSLATOR.value)
    parent = await bot.join("Ayşe Yılmaz")
    assert await menu(bot, els) == []  # not before the bot sets them

    # What `oudersbot run` does at start, for every staff member of the schools on the bot.
    assert await menus.set_all_staff_menus(bot.app, bot.deps, "main") == 3
    handled = menus.handled_commands(bot.app)
    teacher = [c for c in STAFF_COMMANDS["teacher"] if c in handled]
    assert teacher[:4] == ["bericht", "prikkel", "prikkels", "overzicht"]
    assert teacher[-2:] == ["taal", "help"]
    assert await menu(bot, els) == dutch(bot, teacher)
    liaison = await menu(bot, brugfiguur)
    assert [c for c, _ in liaison][:3] == ["bericht", "opvolgen", "overzicht"]
    assert "prikkel" not in dict(liaison)
    assert await menu(bot, vertaler) == dutch(bot, ["vertalen", "taal", "help"])
    assert await menu(bot, parent) == []  # a parent keeps the default menu
    # Idempotent: the same again.
    assert await menus.set_all_staff_menus(bot.app, bot.deps, "main") == 3
    assert await menu(bot, els) == dutch(bot, teacher)


async def test_a_teacher_who_joins_gets_the_menu_at_once(bot: Harness) -> None:
    issued = invites.issue_staff_invite(
        bot.deps, school="demo", name="Mira", role=Role.TEACHER, groups=["3B"]
    )
    uid = bot.sim.add_user("Mira", language_code="nl")
    await bot.sim.send_text(uid, f"/start {issued.code}")
    await last_with(bot, uid, "Mira")
    for _ in range(100):  # the menu is set right after the welcome
        if await menu(bot, uid):
            break
        await asyncio.sleep(0.02)
    commands = [c for c, _ in await menu(bot, uid)]
    assert commands[0] == "bericht" and "prikkel" in commands and "help" in commands
    with bot.deps.db.session() as s:
        assert s.scalars(select(Staff.chat_id).where(Staff.name == "Mira")).one() == uid


async def test_help_shows_staff_their_roles_commands_and_parents_their_own(bot: Harness) -> None:
    words = bot.deps.words
    els = add_teacher(bot, "Els", "3A")
    beheer = add_staff(bot, "Marc", Role.ADMIN.value)
    parent = await bot.join("Ayşe Yılmaz")
    handled = menus.handled_commands(bot.app)
    for uid, role in ((els, "teacher"), (beheer, "admin")):
        before = len(bot.sim.inbox(uid))
        await bot.sim.send_text(uid, "/help")
        (answer,) = (await bot.sim.wait_for_inbox(uid, before + 1))[before:]
        lines = (answer.text or "").splitlines()
        assert lines[0] == words.text("nl", "staff_help.header")
        expected = [c for c in STAFF_COMMANDS[role] if c in handled]
        assert [line.split(" ")[0] for line in lines[1:]] == [f"/{c}" for c in expected]
        assert f"/bericht — {words.text('nl', 'staff_command.bericht')}" in lines
    before = len(bot.sim.inbox(parent))
    await bot.sim.send_text(parent, "/help")
    (answer,) = (await bot.sim.wait_for_inbox(parent, before + 1))[before:]
    assert answer.text == words.text("tr", "help.text")
