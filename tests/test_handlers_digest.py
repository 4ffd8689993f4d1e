"""/digest: group subscriptions, holiday opt-in, names in channels, greeting lead days."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models import ChannelSubscription, Member, Team
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

GROUP = "-1001"


async def manager_and_rep(router: Router) -> tuple[Chat, Chat]:
    # The first member of a team is its admin; the second is a rep.
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    rep = Chat(router, user_id="2", name="Li", locale="en")
    await enroll(rep, admin=admin)
    return admin, rep


async def subscriptions(store: Store) -> list[tuple[str, str]]:
    async with store.session() as session:
        rows = (await session.execute(select(ChannelSubscription))).scalars()
        return [(row.platform, row.chat_id) for row in rows]


async def test_admin_subscribes_group(router: Router, store: Store) -> None:
    await manager_and_rep(router)
    in_group = Chat(router, user_id="1", name="Boss", locale="en", group_id=GROUP)
    assert "will receive the team digest" in await in_group.say("/digest here")
    assert "already receives" in await in_group.say("/digest here")
    assert await subscriptions(store) == [("test", GROUP)]


async def test_chinese_keyword_subscribes_group(router: Router, store: Store) -> None:
    await manager_and_rep(router)
    in_group = Chat(router, user_id="1", name="Boss", locale="zh-hans", group_id=GROUP)
    reply = await in_group.say("日报 这里")
    assert "团队日报" in reply
    assert await subscriptions(store) == [("test", GROUP)]


async def test_rep_cannot_subscribe_group(router: Router, store: Store) -> None:
    await manager_and_rep(router)
    in_group = Chat(router, user_id="2", name="Li", locale="en", group_id=GROUP)
    reply = await in_group.say("/digest here")
    assert "Only admins and managers" in reply
    assert await subscriptions(store) == []


async def test_stop_unsubscribes_group(router: Router, store: Store) -> None:
    await manager_and_rep(router)
    in_group = Chat(router, user_id="1", name="Boss", locale="en", group_id=GROUP)
    await in_group.say("/digest here")
    assert "no longer" in await in_group.say("/digest stop")
    assert "does not receive" in await in_group.say("/digest stop")
    assert await subscriptions(store) == []


@pytest.mark.parametrize("setting", ["names on", "lead 3", "holidays on", "节假日 开"])
async def test_group_points_settings_to_private_chat(router: Router, store: Store, setting: str) -> None:
    await manager_and_rep(router)
    in_group = Chat(router, user_id="1", name="Boss", locale="en", group_id=GROUP)
    reply = await in_group.say(f"/digest {setting}")
    assert "in a private chat with me" in reply
    assert f"/digest {setting}" in reply
    async with store.session() as session:
        team = await session.scalar(select(Team))
    assert team is not None
    assert team.channel_shows_names is False


async def test_here_in_private_points_to_group(router: Router, store: Store) -> None:
    admin, _rep = await manager_and_rep(router)
    assert "in the group" in await admin.say("/digest here")
    assert await subscriptions(store) == []


async def test_holiday_optin_toggles(router: Router, store: Store) -> None:
    _admin, rep = await manager_and_rep(router)
    assert "days off too" in await rep.say("/digest holidays on")
    async with store.session() as session:
        member = await session.scalar(select(Member).where(Member.display_name == "Li"))
    assert member is not None
    assert member.digest_on_holidays is True
    assert "next workday" in await rep.say("/digest 节假日 关")
    async with store.session() as session:
        member = await session.scalar(select(Member).where(Member.display_name == "Li"))
    assert member is not None
    assert member.digest_on_holidays is False


async def test_bad_switch_value_is_rejected(router: Router, store: Store) -> None:
    _admin, rep = await manager_and_rep(router)
    reply = await rep.say("/digest holidays maybe")
    assert "'maybe' is not on or off" in reply
    async with store.session() as session:
        member = await session.scalar(select(Member).where(Member.display_name == "Li"))
    assert member is not None
    assert member.digest_on_holidays is False


async def test_names_need_manager(router: Router, store: Store) -> None:
    admin, rep = await manager_and_rep(router)
    assert "Only admins and managers" in await rep.say("/digest names on")
    assert "name customers" in await admin.say("/digest names on")
    async with store.session() as session:
        team = await session.scalar(select(Team))
    assert team is not None
    assert team.channel_shows_names is True


async def test_lead_days_validated(router: Router, store: Store) -> None:
    admin, _rep = await manager_and_rep(router)
    assert "from 1 to 10" in await admin.say("/digest lead 0")
    assert "from 1 to 10" in await admin.say("/digest lead two")
    assert "3 buyer workdays ahead" in await admin.say("/digest lead 3")
    async with store.session() as session:
        team = await session.scalar(select(Team))
    assert team is not None
    assert team.greeting_lead_days == 3


async def test_settings_shown_without_arguments(router: Router) -> None:
    admin, _rep = await manager_and_rep(router)
    reply = await admin.say("/digest")
    assert "09:00, Asia/Shanghai" in reply
    assert "2 buyer workdays ahead" in reply


async def test_rep_gets_permission_error_before_value_errors(router: Router, store: Store) -> None:
    _admin, rep = await manager_and_rep(router)
    for message in ("/digest lead 0", "/digest lead two", "/digest names maybe", "/digest lead 3"):
        reply = await rep.say(message)
        assert "Only admins and managers" in reply
        assert "from 1 to 10" not in reply
    async with store.session() as session:
        team = await session.scalar(select(Team))
    assert team is not None
    assert team.greeting_lead_days == 2


async def test_rep_usage_offers_only_own_setting(router: Router) -> None:
    admin, rep = await manager_and_rep(router)
    for message in ("/digest", "/digest frobnicate", "/digest holidays on off"):
        reply = await rep.say(message)
        assert "/digest holidays on|off" in reply
        assert "names on|off" not in reply
        assert "lead DAYS" not in reply
    assert "/digest lead DAYS" in await admin.say("/digest")
    assert "/digest names on|off" in await admin.say("/digest frobnicate")


async def test_rep_usage_in_group_offers_nothing_managerial(router: Router) -> None:
    await manager_and_rep(router)
    in_group = Chat(router, user_id="2", name="Li", locale="en", group_id=GROUP)
    reply = await in_group.say("/digest frobnicate")
    assert "/digest holidays on|off" in reply
    assert "/digest here" not in reply
