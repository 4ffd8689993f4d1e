"""Joining by invitation, the one refusal to strangers, and the chat allowlists."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.models import Invitation, Member, Refusal, Role
from bot.i18n import translator
from bot.services.invites import STRANGER_REFUSAL, code_hash, find_code
from bot.store import Store
from bot.transports.base import Incoming
from handlers.router import Router
from handlers.routes import build_router
from tests.chat import Chat
from tests.members import code_in, enroll, invite


async def members(store: Store) -> dict[str, Role]:
    async with store.session() as session:
        return {member.display_name: member.role for member in (await session.execute(select(Member))).scalars()}


async def admin_of(router: Router) -> Chat:
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    assert "as admin" in await admin.say("/start")
    return admin


async def test_invite_code_joins_with_its_role(router: Router, store: Store) -> None:
    admin = await admin_of(router)
    manager = Chat(router, user_id="2", name="Wang", locale="en")
    rep = Chat(router, user_id="3", name="Li", locale="en")
    assert "You joined Test team as manager" in await enroll(manager, admin=admin, role="manager")
    assert "You joined Test team as rep" in await enroll(rep, admin=admin)
    assert await members(store) == {"Boss": Role.ADMIN, "Wang": Role.MANAGER, "Li": Role.REP}


async def test_invite_code_is_stored_hashed(router: Router, store: Store) -> None:
    admin = await admin_of(router)
    code = await invite(admin)
    async with store.session() as session:
        [stored] = (await session.execute(select(Invitation))).scalars()
    assert code not in stored.code_hash
    assert stored.code_hash == code_hash(code.lower())


async def test_invite_code_works_once(router: Router, store: Store) -> None:
    admin = await admin_of(router)
    code = await invite(admin)
    await Chat(router, user_id="2", locale="en").say(f"/start {code}")
    reply = await Chat(router, user_id="3", locale="en").say(f"/start {code}")
    assert "has already been used" in reply
    assert len(await members(store)) == 2


async def test_invite_code_expires_after_seven_days(router: Router, store: Store, clock: ManualClock) -> None:
    admin = await admin_of(router)
    code = await invite(admin)
    clock.set(clock.now() + timedelta(days=7, seconds=1))
    assert "has expired" in await Chat(router, user_id="2", locale="en").say(f"/start {code}")
    assert len(await members(store)) == 1


def full_width(text: str) -> str:
    """Type `text` the way a Chinese input method in full-width mode does."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda code: code.replace("-", " "), id="spaces"),
        pytest.param(lambda code: code.replace("-", ""), id="no-dashes"),
        pytest.param(lambda code: code.replace("-", "－").lower(), id="full-width-dashes-lowercase"),
        pytest.param(lambda code: code.replace("-", "—"), id="em-dashes"),
    ],
)
async def test_invite_code_typed_another_way_joins(
    router: Router, store: Store, typed: Callable[[str], str]
) -> None:
    admin = await admin_of(router)
    code = await invite(admin, "manager")
    reply = await Chat(router, user_id="2", name="Wang", locale="en").say(f"/start {typed(code)} Asia/Kolkata")
    assert "You joined Test team as manager" in reply
    assert "Asia/Kolkata" in reply
    assert await members(store) == {"Boss": Role.ADMIN, "Wang": Role.MANAGER}


def test_find_code_ignores_twelve_letter_words() -> None:
    assert find_code("Africa/Johannesburg") is None
    assert find_code("zh Asia/Shanghai") is None
    assert find_code("q4xn vepm 2v4f") == "Q4XN-VEPM-2V4F"


async def test_invite_unknown_code_is_explained(router: Router, store: Store) -> None:
    await admin_of(router)
    reply = await Chat(router, user_id="2", locale="en").say("/start ABCD-EFGH-JKMN")
    assert "The invitation code ABCD-EFGH-JKMN is not valid" in reply
    assert len(await members(store)) == 1


async def test_invite_only_admins(router: Router, store: Store) -> None:
    admin = await admin_of(router)
    rep = Chat(router, user_id="2", locale="en")
    await enroll(rep, admin=admin)
    assert "Only admins can create invitations" in await rep.say("/invite rep")
    async with store.session() as session:
        assert await session.scalar(select(func.count(Invitation.id))) == 1


async def test_invite_bad_role_is_rejected(router: Router, store: Store) -> None:
    admin = await admin_of(router)
    assert "Write /invite rep or /invite manager" in await admin.say("/invite admin")
    assert "Write /invite rep or /invite manager" in await admin.say("/invite")
    async with store.session() as session:
        assert await session.scalar(select(func.count(Invitation.id))) == 0


async def test_invite_reply_in_chinese(router: Router) -> None:
    admin = Chat(router, user_id="1", name="Boss", locale="zh-hans")
    await admin.say("/start")
    code_in(await admin.say("邀请 业务员"))


async def test_stranger_refused_once_in_own_language(router: Router, store: Store) -> None:
    await admin_of(router)
    chinese = Chat(router, user_id="2", locale="zh-hans")
    first = await chinese.say("/today")
    assert first == translator("zh_CN").gettext(STRANGER_REFUSAL)
    assert await chinese.say("/today") == ""
    assert await chinese.say("/start") == ""
    english = Chat(router, user_id="3", locale="en")
    assert "Ask your admin for an invitation code" in await english.say("hello")
    assert await english.say("/help") == ""
    async with store.session() as session:
        assert await session.scalar(select(func.count()).select_from(Refusal)) == 2
    assert len(await members(store)) == 1


async def test_refused_stranger_can_still_join_with_code(router: Router) -> None:
    admin = await admin_of(router)
    stranger = Chat(router, user_id="2", locale="en")
    await stranger.say("/today")
    assert "You joined Test team as rep" in await enroll(stranger, admin=admin)
    assert "Send /start first" not in await stranger.say("/today")
    assert await stranger.say("/today") != ""


async def test_first_member_bootstraps_without_code(router: Router, store: Store) -> None:
    assert "Send /start first" in await Chat(router, user_id="9", locale="en").say("/today")
    assert "as admin" in await Chat(router, user_id="9", locale="en").say("/start")
    assert await members(store) == {"user9": Role.ADMIN}


async def test_group_outside_allowlist_gets_no_reply(store: Store, clock: ManualClock, settings: Settings) -> None:
    allowed = dataclasses.replace(settings, allowed_chats=frozenset({"-100"}))
    router = build_router(store=store, clock=clock, settings=allowed)
    admin = await admin_of(router)
    assert await Chat(router, user_id="1", name="Boss", locale="en", group_id="-200").say("/help") == ""
    assert "/add" in await Chat(router, user_id="1", name="Boss", locale="en", group_id="-100").say("/help")
    # Private chats with members are not limited by the chat list.
    assert "Commands" in await admin.say("/help")


async def test_workspace_outside_allowlist_gets_no_reply(store: Store, clock: ManualClock, settings: Settings) -> None:
    allowed = dataclasses.replace(settings, allowed_workspaces=frozenset({"T1"}))
    router = build_router(store=store, clock=clock, settings=allowed)
    message = Incoming(platform="slack", user_id="U1", chat_id="D1", text="/start", locale="en", workspace_id="T9")
    assert await router.handle(message) == []
    allowed_message = dataclasses.replace(message, workspace_id="T1")
    assert "as admin" in (await router.handle(allowed_message))[0].text


def test_allowlists_read_from_environment() -> None:
    settings = load_settings({"FOLLOWUP_ALLOWED_CHATS": "-100, -200", "FOLLOWUP_ALLOWED_WORKSPACES": ""}, dotenv=None)
    assert settings.allowed_chats == frozenset({"-100", "-200"})
    assert settings.allowed_workspaces is None
