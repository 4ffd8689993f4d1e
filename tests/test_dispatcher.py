"""Planning and delivery of digests: once per day, late after downtime, never twice."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.clock import ManualClock
from bot.models import Reminder, ReminderStatus
from bot.store import Store
from bot.transports.base import Delivery
from handlers.router import Router
from reminders.dispatcher import Dispatcher
from tests.chat import Chat
from tests.members import enroll

SHANGHAI = ZoneInfo("Asia/Shanghai")


class RecordingNotifier:
    """Keeps what would have been sent; optionally fails the first sends."""

    def __init__(self, *, failures: int = 0) -> None:
        self.sent: list[Delivery] = []
        self.failures = failures

    async def send(self, delivery: Delivery) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("chat platform unreachable")
        self.sent.append(delivery)


async def registered_rep(router: Router) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    await chat.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    return chat


def make_dispatcher(store: Store, clock: ManualClock, notifier: RecordingNotifier, worker: str = "w1") -> Dispatcher:
    return Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id=worker)


async def reminder_rows(store: Store) -> list[Reminder]:
    async with store.session() as session:
        return list((await session.execute(select(Reminder).order_by(Reminder.due_at))).scalars())


async def test_plan_twice_creates_rows_once(router: Router, store: Store, clock: ManualClock) -> None:
    await registered_rep(router)
    dispatcher = make_dispatcher(store, clock, RecordingNotifier())
    first = await dispatcher.plan()
    second = await dispatcher.plan()
    # Joined Monday 10:00, after the 09:00 digest: Tuesday's row only, plus none for today.
    assert (first, second) == (1, 0)
    (row,) = await reminder_rows(store)
    assert row.local_date.isoformat() == "2026-12-08"
    assert row.due_at == datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)


async def test_digest_sent_once_at_0900_when_due(router: Router, store: Store, clock: ManualClock) -> None:
    await registered_rep(router)
    notifier = RecordingNotifier()
    dispatcher = make_dispatcher(store, clock, notifier)
    await dispatcher.run_until(datetime(2026, 12, 10, 8, 59, tzinfo=SHANGHAI), clock=clock)
    assert notifier.sent == []
    await dispatcher.run_until(datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI), clock=clock)
    assert len(notifier.sent) == 1
    assert "Sharma Print House" in notifier.sent[0].reply.text
    assert notifier.sent[0].chat_id == "100"
    await dispatcher.run_until(datetime(2026, 12, 10, 18, 0, tzinfo=SHANGHAI), clock=clock)
    assert len(notifier.sent) == 1
    statuses = [(row.local_date.isoformat(), row.status) for row in await reminder_rows(store)]
    assert ("2026-12-10", ReminderStatus.SENT) in statuses
    # Tuesday and Wednesday had nothing due, so their digests were skipped rather than sent empty.
    assert ("2026-12-08", ReminderStatus.SKIPPED) in statuses


async def test_after_downtime_one_late_digest(router: Router, store: Store, clock: ManualClock) -> None:
    await registered_rep(router)
    notifier = RecordingNotifier()
    dispatcher = make_dispatcher(store, clock, notifier)
    await dispatcher.plan()
    # The bot was down from Monday until Friday 11:00; only then does it tick again.
    clock.set(datetime(2026, 12, 11, 11, 0, tzinfo=SHANGHAI))
    await dispatcher.tick()
    assert len(notifier.sent) == 1
    assert "Late" in notifier.sent[0].reply.text
    await dispatcher.tick()
    assert len(notifier.sent) == 1
    sent_rows = [row for row in await reminder_rows(store) if row.status == ReminderStatus.SENT]
    assert [row.late for row in sent_rows] == [True]


async def test_failed_send_is_retried_after_lease(router: Router, store: Store, clock: ManualClock) -> None:
    await registered_rep(router)
    notifier = RecordingNotifier(failures=1)
    dispatcher = make_dispatcher(store, clock, notifier)
    await dispatcher.run_until(datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI), clock=clock)
    assert notifier.sent == []
    clock.advance(timedelta(minutes=6))
    await dispatcher.tick()
    assert len(notifier.sent) == 1


async def test_two_dispatchers_send_each_digest_once(router: Router, store: Store, clock: ManualClock) -> None:
    admin: Chat | None = None
    for number in range(5):
        chat = Chat(router, user_id=str(500 + number), locale="en")
        if admin is None:
            await chat.say("/start")
            admin = chat
        else:
            await enroll(chat, admin=admin)
        await chat.say(f"/add 名称: Buyer {number} 国家: IN 等级: A")
    notifier = RecordingNotifier()
    first = make_dispatcher(store, clock, notifier, worker="w1")
    second = make_dispatcher(store, clock, notifier, worker="w2")
    await first.plan()
    clock.set(datetime(2026, 12, 10, 9, 1, tzinfo=SHANGHAI))
    await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())
    chats = sorted(delivery.chat_id for delivery in notifier.sent)
    assert chats == [str(500 + number) for number in range(5)]


async def test_zone_change_moves_planned_digests(router: Router, store: Store, clock: ManualClock) -> None:
    chat = await registered_rep(router)
    notifier = RecordingNotifier()
    dispatcher = make_dispatcher(store, clock, notifier)
    await dispatcher.plan()
    assert "America/New_York" in await chat.say("/tz America/New_York")
    new_york = ZoneInfo("America/New_York")
    # Registered Sunday 6 Dec, 21:00 in New York: due Wednesday 9 Dec at the New York 09:00 digest,
    # not at the Beijing 09:00 time planned before the change.
    await dispatcher.run_until(datetime(2026, 12, 9, 8, 59, tzinfo=new_york), clock=clock)
    assert notifier.sent == []
    await dispatcher.run_until(datetime(2026, 12, 9, 9, 0, tzinfo=new_york), clock=clock)
    assert len(notifier.sent) == 1
    sent_rows = [row for row in await reminder_rows(store) if row.status == ReminderStatus.SENT]
    assert [row.due_at for row in sent_rows] == [datetime(2026, 12, 9, 9, 0, tzinfo=new_york)]
    # Every digest row, including Tuesday's planned before the change, is at 09:00 New York time.
    hours = {row.due_at.astimezone(new_york).hour for row in await reminder_rows(store)}
    assert hours == {9}


async def test_stale_row_and_new_row_send_one_digest(router: Router, store: Store, clock: ManualClock) -> None:
    # Process A claims only the row left from Tuesday while process B plans and claims today's.
    await registered_rep(router)
    notifier = RecordingNotifier()
    first = make_dispatcher(store, clock, notifier, worker="w1")
    second = make_dispatcher(store, clock, notifier, worker="w2")
    await first.plan()
    clock.set(datetime(2026, 12, 10, 9, 1, tzinfo=SHANGHAI))
    assert await first.dispatch_due() == 0
    assert await second.tick() == 1
    assert len(notifier.sent) == 1


async def test_zone_change_after_digest_sends_no_false_late(router: Router, store: Store, clock: ManualClock) -> None:
    chat = await registered_rep(router)
    await chat.say("/cadence A 1")
    notifier = RecordingNotifier()
    dispatcher = make_dispatcher(store, clock, notifier)
    await dispatcher.run_until(datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI), clock=clock)
    assert len(notifier.sent) == 1
    await chat.say("/tz America/New_York")
    new_york = ZoneInfo("America/New_York")
    await dispatcher.run_until(datetime(2026, 12, 10, 10, 0, tzinfo=new_york), clock=clock)
    texts = [delivery.reply.text for delivery in notifier.sent]
    assert not any("Late" in text for text in texts)
    # Beijing Tuesday before the change, then New York Tuesday, Wednesday and Thursday at 09:00.
    assert len(texts) == 4
    sent = sorted(row.due_at for row in await reminder_rows(store) if row.status == ReminderStatus.SENT)
    assert sent == [datetime(2026, 12, day, 9, 0, tzinfo=new_york) for day in (8, 9, 10)]
