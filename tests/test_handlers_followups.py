"""Follow-up commands and ordering through the real router: /today, /done, /snooze."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.models import Customer, Interaction
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def rep(router: Router) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    return chat


def lines_naming(text: str, names: list[str]) -> list[str]:
    """Return the names in the order their numbered lines appear in the list."""
    order = []
    for line in text.splitlines():
        for name in names:
            if line[:3].rstrip(". ").isdigit() and f". {name} (" in line:
                order.append(name)
    return order


async def test_today_priority_order(
    rep: Chat, clock: ManualClock
) -> None:
    # Registered on Monday 7 Dec; by Friday 8 Jan every cadence (3, 7 and 30 days) has come due.
    await rep.say("/add 名称: Cold Big 国家: DE 等级: C")
    await rep.say("/add 名称: Hot Small 国家: DE 等级: A")
    await rep.say("/add 名称: Warm None 国家: DE 等级: B")
    await rep.say("/add 名称: Hot None 国家: DE 等级: A")
    await rep.say("/deal Cold Big 产品: plate 数量: 10000 pcs 价格: USD 3 FOB Shanghai 阶段: negotiation")
    await rep.say("/deal Hot Small 产品: plate 数量: 100 pcs 价格: USD 3 FOB Shanghai 阶段: quoted")
    clock.set(datetime(2027, 1, 8, 10, 0, tzinfo=SHANGHAI))
    today = await rep.say("/today")
    names = ["Cold Big", "Hot Small", "Warm None", "Hot None"]
    # 60% of USD 30,000 beats 25% of USD 300; among customers without deals, tier A comes before B.
    assert lines_naming(today, names) == ["Cold Big", "Hot Small", "Hot None", "Warm None"]
    assert "60% of" in today
    assert "days overdue" in today


async def test_today_send_window_for_india_in_beijing_time(rep: Chat, clock: ManualClock) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: 印度 等级: A")
    clock.advance(timedelta(days=3))
    today = await rep.say("/today")
    assert "Sharma Print House (IN)" in today
    assert "11:30–20:30" in today
    assert "(buyer 09:00–18:00)" in today


async def test_today_window_for_new_york_crosses_midnight(rep: Chat, clock: ManualClock) -> None:
    await rep.say("/add 名称: Empire Printing 国家: US 等级: A 时区: America/New_York")
    clock.advance(timedelta(days=3))
    today = await rep.say("/today")
    # 09:00–18:00 EST is 22:00 to 07:00 the next day in Beijing.
    assert "22:00–next day 07:00" in today


async def test_due_date_on_buyer_weekend_moves_to_workday(rep: Chat, store: Store, clock: ManualClock) -> None:
    # Saudi Arabia's weekend is Friday–Saturday: registered Tue 8 Dec, tier A is due Fri 11 Dec → Sun 13 Dec.
    clock.set(datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI))
    reply = await rep.say("/add 名称: Riyadh Press 国家: SA 等级: A")
    assert "Next follow-up: 2026-12-13" in reply


async def test_done_restarts_clock_and_rejects_unknown(rep: Chat, store: Store, clock: ManualClock) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    clock.advance(timedelta(days=3))
    assert "Done: Sharma Print House. Next follow-up: 2026-12-14" in await rep.say("/done Sharma")
    assert "Nothing due today" in await rep.say("/today")
    assert "No customer 'Nobody'" in await rep.say("/done Nobody")
    assert "missing" in await rep.say("/done")


async def test_snooze_forms_and_bad_input(rep: Chat, store: Store, clock: ManualClock) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    clock.advance(timedelta(days=3))  # Thursday 10 Dec
    assert "Next follow-up: 2026-12-11" in await rep.say("/snooze Sharma 1d")
    assert "Next follow-up: 2026-12-14" in await rep.say("/snooze Sharma next week")
    assert "Next follow-up: 2026-12-21" in await rep.say("/snooze Sharma 2026-12-20")
    assert "Nothing due today" in await rep.say("/today")
    bad = await rep.say("/snooze Sharma someday")
    assert "someday" in bad
    past = await rep.say("/snooze Sharma 2026-01-01")
    assert "2026-01-01" in past
    async with store.session() as session:
        customer = (await session.execute(select(Customer))).scalar_one()
    assert customer.snoozed_until.isoformat() == "2026-12-20"


async def test_buttons_carry_commands_that_work(rep: Chat, clock: ManualClock) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    clock.advance(timedelta(days=3))
    replies = await rep.send("/today")
    done, one_day, three_days, next_week = replies[0].buttons[0]
    assert all(len(button.data.encode()) <= 64 for button in replies[0].buttons[0])
    assert "Next follow-up: 2026-12-11" in await rep.press(one_day.data)
    assert "Done: Sharma Print House" in await rep.press(done.data)


async def test_forged_button_for_other_reps_customer_is_refused(router: Router, rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    intruder = Chat(router, user_id="666", locale="en")
    await enroll(intruder, admin=rep)
    assert "No customer '#1'" in await intruder.press("/done #1")
    assert "No customer '#1'" in await intruder.press("/snooze #1 3d")
    async with store.session() as session:
        customer = (await session.execute(select(Customer))).scalar_one()
    assert customer.snoozed_until is None


async def test_snooze_before_due_date_changes_nothing(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Bar Traders 国家: IN 等级: B")
    reply = await rep.say("/snooze Bar 1d")
    assert "is not due before 2026-12-14" in reply
    async with store.session() as session:
        customer = (await session.execute(select(Customer))).scalar_one()
    assert customer.snoozed_until is None


async def test_prefix_that_names_two_customers_asks(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Global 国家: DE")
    await rep.say("/add 名称: Global Print Solutions 国家: DE")
    replies = await rep.send("/log Global print quality complaint")
    assert "Several customers match" in replies[0].text
    labels = [row[0].label for row in replies[0].buttons]
    chosen = next(index for index, label in enumerate(labels, start=1) if "Global Print Solutions" not in label)
    reply = await rep.say(str(chosen))
    assert "Logged for Global (note)" in reply
    async with store.session() as session:
        texts = list((await session.execute(select(Interaction.text))).scalars())
    assert texts == ["print quality complaint"]


async def test_exact_name_with_partial_longer_reading_asks(rep: Chat) -> None:
    await rep.say("/add 名称: ABC 国家: DE")
    await rep.say("/add 名称: ABC Trading 国家: DE")
    assert "Several customers match" in await rep.say("/done ABC t")
    assert "Done: ABC Trading" in await rep.say("/done ABC Trading")


async def test_today_with_text_is_explained(rep: Chat) -> None:
    assert "/today takes nothing after it" in await rep.say("/today Sharma")


async def test_help_with_text_still_lists_commands(rep: Chat) -> None:
    assert "/snooze" in await rep.say("/help snooze please")


async def test_one_letter_does_not_pick_customer(rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN")
    await rep.say("/add 名称: D14 国家: DE")
    await rep.say("/add 名称: 华为技术 国家: CN")
    assert "No customer 'h'" in await rep.say("/done h")
    assert "No customer 'D1'" in await rep.say("/done D1 ok")
    assert "Done: 华为技术" in await rep.say("/done 华为 已回复")
