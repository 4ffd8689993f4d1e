"""The /cadence command: team overrides by admins and managers, customer overrides by owners."""

from __future__ import annotations

import pytest

from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll


@pytest.fixture
async def admin(router: Router) -> Chat:
    chat = Chat(router, user_id="1", name="Boss", locale="en")
    await chat.say("/start")
    return chat


@pytest.fixture
async def rep(router: Router, admin: Chat) -> Chat:
    chat = Chat(router, user_id="2", name="Li", locale="en")
    await enroll(chat, admin=admin)
    return chat


async def test_cadence_shows_defaults(rep: Chat) -> None:
    assert "tier A 3 days, B 7 days, C 30 days; won buyers 30 days" in await rep.say("/cadence")


async def test_admin_sets_tier_cadence_for_team(admin: Chat, rep: Chat) -> None:
    assert "tier A 2 days" in await admin.say("/cadence A 2")
    # Registered Monday 7 Dec: two days on is Wednesday 9 Dec.
    assert "Next follow-up: 2026-12-09" in await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    assert "tier A 3 days" in await admin.say("跟进周期 a default")


async def test_rep_cannot_set_team_cadence(rep: Chat) -> None:
    assert "Only an admin or a manager" in await rep.say("/cadence B 1")
    assert "B 7 days" in await rep.say("/cadence")


async def test_customer_cadence_overrides_tier(rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: C")
    reply = await rep.say("/cadence Sharma 5")
    assert "follow up every 5 days" in reply
    assert "Next follow-up: 2026-12-14" in reply  # Sat 12 Dec moves to Monday in India
    assert "Next follow-up: 2027-01-06" in await rep.say("/cadence Sharma default")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/cadence A", "Write a tier or a customer and the days"),
        ("/cadence A 0", "from 1 to 365"),
        ("/cadence A 400", "from 1 to 365"),
        ("/cadence A often", "often"),
        ("/cadence Nobody 5", "No customer 'Nobody'"),
    ],
)
async def test_cadence_bad_input(admin: Chat, message: str, expected: str) -> None:
    assert expected in await admin.say(message)
    assert "tier A 3 days" in await admin.say("/cadence")


async def test_customer_cadence_shown_by_name(rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: C")
    assert "follows the team cadence for tier C" in await rep.say("/cadence Sharma")
    await rep.say("/cadence Sharma 5 days")
    assert "follow up every 5 days" in await rep.say("/cadence Sharma")


async def test_customer_cadence_by_multiword_name(rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    assert "Sharma Print House follows the team cadence for tier A" in await rep.say("/cadence Sharma Print House")
    assert "follow up every 4 days" in await rep.say("/cadence Sharma Print House 4")


async def test_customer_name_ending_in_number_is_shown(rep: Chat) -> None:
    await rep.say("/add 名称: Studio 54 国家: DE 等级: B")
    await rep.say("/add 名称: 7-Eleven 国家: DE 等级: C")
    assert "Studio 54 follows the team cadence for tier B" in await rep.say("/cadence Studio 54")
    assert "7-Eleven follows the team cadence for tier C" in await rep.say("/cadence 7-Eleven")
    assert "follow up every 9 days" in await rep.say("/cadence Studio 54 9")


async def test_cadence_unit_and_negative_days(admin: Chat) -> None:
    assert "tier A 5 days" in await admin.say("/cadence A 5 天")
    assert "from 1 to 365" in await admin.say("/cadence B -1")
