"""The bulk-read alert: a rep reading more cards within an hour than the team allows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import ManualClock
from bot.models import AuditEvent, Member, Reminder, Team
from bot.services.alerts import ALERT_KIND, BULK_READ_ACTION
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll
from tests.test_dispatcher import RecordingNotifier
from reminders.dispatcher import Dispatcher


async def team_with_rep(router: Router, *, limit: int) -> tuple[Chat, Chat, Chat]:
    boss = Chat(router, user_id="1", name="Boss", locale="en")
    wang = Chat(router, user_id="300", name="Wang", locale="en")
    li = Chat(router, user_id="100", name="Li", locale="en")
    await boss.say("/start")
    await enroll(wang, admin=boss, role="manager")
    await enroll(li, admin=boss)
    assert f"more than {limit} customer card" in await boss.say(f"/audit limit {limit}")
    for name in ("Sharma Print House", "Kowalski Druk", "Nguyen Packaging"):
        await li.say(f"/add 名称: {name} 国家: IN 等级: B")
    return boss, wang, li


async def bulk_alerts(store: Store) -> list[AuditEvent]:
    async with store.session() as session:
        return list((await session.execute(select(AuditEvent).where(AuditEvent.action == BULK_READ_ACTION))).scalars())


async def read_cards(chat: Chat, count: int) -> None:
    names = ["Sharma Print House", "Kowalski Druk", "Nguyen Packaging"]
    for number in range(count):
        assert "Country:" in await chat.say(f"/card {names[number % 3]}")


async def test_alert_fires_once_per_window(router: Router, store: Store, clock: ManualClock) -> None:
    _boss, _wang, li = await team_with_rep(router, limit=3)
    await read_cards(li, 3)
    assert await bulk_alerts(store) == []
    await read_cards(li, 1)
    [event] = await bulk_alerts(store)
    assert event.detail == {"count": 4, "limit": 3}
    clock.advance(timedelta(minutes=30))
    await read_cards(li, 10)
    assert len(await bulk_alerts(store)) == 1
    async with store.session() as session:
        rows = list((await session.execute(select(Reminder).where(Reminder.kind == ALERT_KIND))).scalars())
        names = {member.id: member.display_name for member in (await session.execute(select(Member))).scalars()}
    assert sorted(names[row.member_id] for row in rows) == ["Boss", "Wang"]


async def test_alert_fires_again_in_new_window(router: Router, store: Store, clock: ManualClock) -> None:
    _boss, _wang, li = await team_with_rep(router, limit=3)
    await read_cards(li, 4)
    clock.advance(timedelta(minutes=61))
    await read_cards(li, 3)
    assert len(await bulk_alerts(store)) == 1
    await read_cards(li, 1)
    assert len(await bulk_alerts(store)) == 2


async def test_alert_reaches_managers_with_counts(router: Router, store: Store, clock: ManualClock) -> None:
    _boss, _wang, li = await team_with_rep(router, limit=3)
    await read_cards(li, 4)
    notifier = RecordingNotifier()
    await Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id="w1").dispatch_due()
    texts = {delivery.chat_id: delivery.reply.text for delivery in notifier.sent}
    assert set(texts) == {"1", "300"}
    assert "Li, a rep, read 4 customer cards within an hour (the team's limit is 3)" in texts["300"]


async def test_manager_reads_not_counted(router: Router, store: Store) -> None:
    boss, _wang, _li = await team_with_rep(router, limit=1)
    await boss.say("/add 名称: Boss Buyer 国家: IN 等级: B")
    for _ in range(3):
        await boss.say("/card Boss Buyer")
    assert await bulk_alerts(store) == []


async def test_limit_bad_input_changes_nothing(router: Router, store: Store) -> None:
    boss, _wang, li = await team_with_rep(router, limit=30)
    assert "Only admins and managers can change this team setting" in await li.say("/audit limit 1000")
    assert "'0' is not a number from 1 to 1000" in await boss.say("/audit limit 0")
    assert "/audit limit 30" in await boss.say("/audit limit")
    async with store.session() as session:
        assert await session.scalar(select(Team.bulk_read_limit)) == 30


async def test_rep_export_attempt_alerts(router: Router, store: Store) -> None:
    _boss, _wang, li = await team_with_rep(router, limit=30)
    await li.say("/export")
    async with store.session() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(AuditEvent.action == "export_refused"))).scalars())
        alerts = list((await session.execute(select(Reminder).where(Reminder.kind == ALERT_KIND))).scalars())
    assert actions == ["export_refused"]
    assert len(alerts) == 2
