"""The shared pool (公海): release and warning with the clock moved, /pool, /claim and its cap."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.models import AuditEvent, Customer, Deal, Member, Team
from bot.errors import NotFound
from bot.services.customers import log_interaction, snooze
from bot.services.pool import POOL_CLAIM_ACTION, POOL_RELEASE_ACTION
from bot.store import Store
from handlers.router import Router
from reminders.dispatcher import Dispatcher
from reminders.planner import DEFAULT_CADENCE_DAYS, next_buyer_workday
from tests.chat import Chat
from tests.members import enroll
from tests.test_dispatcher import RecordingNotifier

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADD_SHARMA = "/add 名称: Sharma Print House 国家: IN 等级: A 联系人: Rahul Sharma 邮箱: rahul@sharmaprint.in"
ADD_KOWALSKI = "/add 名称: Kowalski Druk 国家: PL 等级: B"
# Registered on Monday 7 Dec 2026 10:00 in Beijing, so with 90 days the release is on 7 Mar 2027.
WARNING_DAY_0930 = datetime(2027, 2, 28, 9, 30, tzinfo=SHANGHAI)
RELEASE = datetime(2027, 3, 7, 10, 0, tzinfo=SHANGHAI)


class Team3:
    def __init__(self, router: Router) -> None:
        self.boss = Chat(router, user_id="1", name="Boss", locale="en")
        self.li = Chat(router, user_id="100", name="Li", locale="en")
        self.zhang = Chat(router, user_id="200", name="Zhang", locale="en")


async def team_of_three(router: Router) -> Team3:
    team = Team3(router)
    await team.boss.say("/start")
    await enroll(team.li, admin=team.boss)
    await enroll(team.zhang, admin=team.boss)
    return team


def dispatcher(store: Store, clock: ManualClock, notifier: RecordingNotifier, worker: str = "w1") -> Dispatcher:
    return Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id=worker)


async def tick_at(moment: datetime, *, clock: ManualClock, runner: Dispatcher) -> None:
    clock.set(moment)
    await runner.tick()


def warnings(notifier: RecordingNotifier) -> list[str]:
    return [delivery.reply.text for delivery in notifier.sent if "pool (公海)" in delivery.reply.text]


async def pooled_names(store: Store) -> list[str]:
    async with store.session() as session:
        return list((await session.execute(select(Customer.name).where(Customer.pooled_at.is_not(None)).order_by(Customer.name))).scalars())


async def count_events(store: Store, action: str) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action)) or 0)


async def test_owner_warned_once_seven_days_before_release(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    notifier = RecordingNotifier()
    runner = dispatcher(store, clock, notifier)
    await tick_at(datetime(2027, 2, 27, 12, 0, tzinfo=SHANGHAI), clock=clock, runner=runner)
    assert warnings(notifier) == []
    await tick_at(WARNING_DAY_0930, clock=clock, runner=runner)
    await tick_at(datetime(2027, 2, 28, 11, 0, tzinfo=SHANGHAI), clock=clock, runner=runner)
    [warning] = warnings(notifier)
    assert "Sharma Print House" in warning
    assert "before 2027-03-07" in warning
    [delivery] = [delivery for delivery in notifier.sent if delivery.reply.text == warning]
    assert delivery.chat_id == "100"
    assert await pooled_names(store) == []


async def test_idle_customer_released_at_pool_date(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    runner = dispatcher(store, clock, RecordingNotifier())
    await tick_at(datetime(2027, 3, 7, 9, 59, tzinfo=SHANGHAI), clock=clock, runner=runner)
    assert await pooled_names(store) == []
    await tick_at(datetime(2027, 3, 7, 10, 1, tzinfo=SHANGHAI), clock=clock, runner=runner)
    assert await pooled_names(store) == ["Sharma Print House"]
    assert "No customer '#1' among yours" in await team.li.say("/card #1")
    assert await count_events(store, POOL_RELEASE_ACTION) == 1


async def test_logged_interaction_moves_pool_date(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    notifier = RecordingNotifier()
    runner = dispatcher(store, clock, notifier)
    clock.set(datetime(2027, 2, 1, 10, 0, tzinfo=SHANGHAI))
    assert "Logged" in await team.li.say("/log Sharma Print House call price talk")
    await tick_at(WARNING_DAY_0930, clock=clock, runner=runner)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=runner)
    assert warnings(notifier) == []
    assert await pooled_names(store) == []
    # 90 days after 1 Feb is 2 May; the warning comes on 25 Apr.
    await tick_at(datetime(2027, 4, 25, 9, 30, tzinfo=SHANGHAI), clock=clock, runner=runner)
    [warning] = warnings(notifier)
    assert "before 2027-05-02" in warning


async def test_won_customer_never_released(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await team.li.say("/deal Sharma Print House 产品: CTCP plate 阶段: quoted")
    assert "won" in (await team.li.say("/stage Sharma Print House won 原因: price accepted")).lower()
    notifier = RecordingNotifier()
    runner = dispatcher(store, clock, notifier)
    await tick_at(WARNING_DAY_0930, clock=clock, runner=runner)
    await tick_at(datetime(2027, 12, 1, 10, 0, tzinfo=SHANGHAI), clock=clock, runner=runner)
    assert warnings(notifier) == []
    assert await pooled_names(store) == []


async def test_two_dispatchers_release_once(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await team.li.say(ADD_KOWALSKI)
    clock.set(RELEASE.replace(hour=11))
    first = dispatcher(store, clock, RecordingNotifier(), "w1")
    second = dispatcher(store, clock, RecordingNotifier(), "w2")
    await asyncio.gather(first.plan(), second.plan())
    await first.plan()
    assert await pooled_names(store) == ["Kowalski Druk", "Sharma Print House"]
    assert await count_events(store, POOL_RELEASE_ACTION) == 2


async def test_pool_lists_without_contacts(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=dispatcher(store, clock, RecordingNotifier()))
    listing = await team.zhang.say("/pool")
    assert "#1 Sharma Print House (IN, A)" in listing
    assert "Your claims this month: 0 of 5" in listing
    assert "rahul" not in listing.lower()


async def test_pooled_customer_claimed_by_other_rep_moves_followups(
    router: Router, store: Store, clock: ManualClock
) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await team.li.say("/deal Sharma Print House 产品: CTCP plate 阶段: quoted")
    notifier = RecordingNotifier()
    runner = dispatcher(store, clock, notifier)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=runner)
    reply = await team.zhang.say("/claim sharma print house")
    assert "Sharma Print House (#1) is yours now" in reply
    assert "Claims this month: 1 of 5" in reply
    assert "rahul@sharmaprint.in" in await team.zhang.say("/card Sharma Print House")
    assert "No customer" in await team.li.say("/card #1")
    async with store.session() as session:
        deal_owner = await session.scalar(select(Deal.owner_id))
        zhang_id = await session.scalar(select(Member.id).where(Member.display_name == "Zhang"))
    assert deal_owner == zhang_id
    # The claim restarts the follow-up clock; on the due day's morning the digest goes to the new owner only.
    due = next_buyer_workday(RELEASE.date() + timedelta(days=DEFAULT_CADENCE_DAYS["A"]), country="IN", subdivision=None)
    notifier.sent.clear()
    await tick_at(datetime(due.year, due.month, due.day, 9, 5, tzinfo=SHANGHAI), clock=clock, runner=runner)
    assert "Sharma" in await team.zhang.say("/today")
    assert "Sharma" not in await team.li.say("/today")
    with_sharma = {delivery.chat_id for delivery in notifier.sent if "Sharma" in delivery.reply.text}
    assert with_sharma == {"200"}
    assert await pooled_names(store) == []


async def test_claim_restarts_followup_clock(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=dispatcher(store, clock, RecordingNotifier()))
    claimed_on = RELEASE.date()
    expected = next_buyer_workday(claimed_on + timedelta(days=DEFAULT_CADENCE_DAYS["A"]), country="IN", subdivision=None)
    assert expected > claimed_on
    reply = await team.zhang.say("/claim Sharma Print House")
    assert f"Next follow-up: {expected.isoformat()}." in reply
    assert f"Next follow-up: {expected.isoformat()}" in await team.zhang.say("/card Sharma Print House")
    assert "Sharma" not in await team.zhang.say("/today")


async def test_claim_with_cap_zero_says_claiming_off(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=dispatcher(store, clock, RecordingNotifier()))
    await team.boss.say("/pool cap 0")
    assert "No customer 'Nowhere Ltd' in the pool" in await team.zhang.say("/claim Nowhere Ltd")
    assert await team.zhang.say("/claim Sharma Print House") == (
        "Claiming is off in this team. An admin or manager can turn it on with /pool cap N."
    )
    assert await pooled_names(store) == ["Sharma Print House"]
    assert await count_events(store, POOL_CLAIM_ACTION) == 0


async def test_last_owner_cannot_log_or_snooze_pooled_customer(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=dispatcher(store, clock, RecordingNotifier()))
    async with store.session() as session, session.begin():
        li = (await session.execute(select(Member).where(Member.display_name == "Li"))).scalar_one()
        customer = (await session.execute(select(Customer))).scalar_one()
        before = (customer.last_contact_at, customer.snoozed_until)
        with pytest.raises(NotFound):
            await log_interaction(session, actor=li, customer=customer, kind="call", text="x", now=clock.now())
        with pytest.raises(NotFound):
            await snooze(session, actor=li, customer=customer, until=RELEASE.date() + timedelta(days=3))
        assert (customer.last_contact_at, customer.snoozed_until) == before
    assert "No customer" in await team.li.say("/log Sharma Print House call hello")
    assert await pooled_names(store) == ["Sharma Print House"]


async def test_claim_refused_over_monthly_cap(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    assert "claim 1 pool customers per month" in await team.boss.say("/pool cap 1")
    await team.li.say(ADD_SHARMA)
    await team.li.say(ADD_KOWALSKI)
    runner = dispatcher(store, clock, RecordingNotifier())
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=runner)
    assert "is yours now" in await team.zhang.say("/claim Sharma Print House")
    refusal = await team.zhang.say("/claim Kowalski Druk")
    assert "You have claimed 1 pool customers this month, the team's limit" in refusal
    assert await pooled_names(store) == ["Kowalski Druk"]
    assert await count_events(store, POOL_CLAIM_ACTION) == 1
    # A new calendar month in the team's zone starts a new count.
    clock.set(datetime(2027, 4, 1, 0, 5, tzinfo=SHANGHAI))
    assert "Kowalski Druk (#2) is yours now" in await team.zhang.say("/claim #2")


async def test_claim_unknown_name_changes_nothing(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    reply = await team.zhang.say("/claim Sharma Print House")
    assert "No customer 'Sharma Print House' in the pool" in reply
    assert "Which pool customer?" in await team.zhang.say("/claim")
    assert await count_events(store, POOL_CLAIM_ACTION) == 0
    async with store.session() as session:
        owner = await session.scalar(select(Member.display_name).join(Customer, Customer.owner_id == Member.id))
    assert owner == "Li"


async def test_pool_settings_need_manager_and_range(router: Router, store: Store) -> None:
    team = await team_of_three(router)
    assert "Only admins and managers" in await team.li.say("/pool days 30")
    assert "'3' is not a number from 8 to 3650" in await team.boss.say("/pool days 3")
    assert "/pool days 90" in await team.boss.say("/pool often")
    async with store.session() as session:
        stored = (await session.execute(select(Team.pool_days, Team.pool_claim_cap))).one()
    assert tuple(stored) == (90, 5)
    assert "for 30 days now return" in await team.boss.say("/pool days 30")
    async with store.session() as session:
        assert await session.scalar(select(Team.pool_days)) == 30


async def test_pool_cap_zero_reply_says_claiming_off(router: Router, store: Store) -> None:
    team = await team_of_three(router)
    assert await team.boss.say("/pool cap 0") == "Claiming is now off: pool customers cannot be claimed until /pool cap N."
    async with store.session() as session:
        assert await session.scalar(select(Team.pool_claim_cap)) == 0
    assert "claim 2 pool customers per month" in await team.boss.say("/pool cap 2")


async def test_claim_outside_rep_markets_refused_like_add(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=dispatcher(store, clock, RecordingNotifier()))
    await team.boss.say("/market assign Zhang 欧洲")
    assert "only in their markets" in await team.boss.say("/market outside off")
    refusal = await team.zhang.say("/claim Sharma Print House")
    assert refusal.startswith("India is outside your markets (")
    assert refusal.endswith(
        "). Ask a manager to register this buyer, or to turn on registering outside markets (/market outside on)."
    )
    assert await pooled_names(store) == ["Sharma Print House"]
    assert await count_events(store, POOL_CLAIM_ACTION) == 0
    # The same rule as /add: once the team allows registering outside markets, the claim goes through.
    await team.boss.say("/market outside on")
    assert "Sharma Print House (#1) is yours now" in await team.zhang.say("/claim Sharma Print House")


async def test_claim_in_rep_market_and_by_manager_allowed(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_of_three(router)
    await team.li.say(ADD_SHARMA)
    await team.li.say(ADD_KOWALSKI)
    await tick_at(RELEASE.replace(hour=11), clock=clock, runner=dispatcher(store, clock, RecordingNotifier()))
    await team.boss.say("/market assign Zhang 南亚")
    await team.boss.say("/market assign Boss 欧洲")
    assert "is outside your markets" in await team.zhang.say("/claim Kowalski Druk")
    assert "Sharma Print House (#1) is yours now" in await team.zhang.say("/claim Sharma Print House")
    assert "Kowalski Druk (#2) is yours now" in await team.boss.say("/claim Kowalski Druk")
    assert await pooled_names(store) == []
