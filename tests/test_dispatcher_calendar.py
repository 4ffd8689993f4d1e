"""Digests on the team's calendar: days off, make-up days, carry-over, grace, unknown outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.clock import ManualClock
from bot.models import Reminder, ReminderStatus
from bot.store import Store
from bot.transports.base import Delivery, DeliveryUnknown
from handlers.router import Router
from reminders.dispatcher import Dispatcher
from tests.chat import Chat

SHANGHAI = ZoneInfo("Asia/Shanghai")


class RecordingNotifier:
    """Keeps each delivery with the clock reading at which it was sent."""

    def __init__(self, clock: ManualClock, *, unknown: bool = False) -> None:
        self.clock = clock
        self.unknown = unknown
        self.sent: list[tuple[datetime, Delivery]] = []

    async def send(self, delivery: Delivery) -> None:
        self.sent.append((self.clock.now(), delivery))
        if self.unknown:
            raise DeliveryUnknown("timed out after sending")

    def texts(self) -> list[str]:
        return [delivery.reply.text for _at, delivery in self.sent]

    def local_dates(self, zone: str = "Asia/Shanghai") -> list[str]:
        return [at.astimezone(ZoneInfo(zone)).date().isoformat() for at, _delivery in self.sent]


def dispatcher_for(store: Store, clock: ManualClock, notifier: RecordingNotifier) -> Dispatcher:
    return Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id="w1")


async def rep_with_daily_customer(router: Router, *, user_id: str = "100", zone: str | None = None) -> Chat:
    """A rep whose one customer is due every day, so that every digest has content."""
    chat = Chat(router, user_id=user_id, name="Li", locale="en")
    await chat.say("/start" + (f" en {zone}" if zone else ""))
    await chat.say("/add 名称: Daily Buyer 国家: PL 等级: A")
    await chat.say("/cadence Daily Buyer 1")
    return chat


async def test_no_digest_on_national_day_week(router: Router, store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI))
    await rep_with_daily_customer(router)
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 10, 12, 12, 0, tzinfo=SHANGHAI), clock=clock)
    # 29-30 Sep are workdays, 1-7 Oct the National Day week, 8-9 Oct workdays, Saturday
    # 10 Oct a make-up working day, Sunday 11 Oct off, Monday 12 Oct a workday.
    assert notifier.local_dates() == [
        "2026-09-29",
        "2026-09-30",
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
        "2026-10-12",
    ]


async def test_holiday_optin_gets_every_day(router: Router, store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))
    chat = await rep_with_daily_customer(router)
    assert "days off too" in await chat.say("/digest holidays on")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 10, 3, 12, 0, tzinfo=SHANGHAI), clock=clock)
    assert notifier.local_dates() == ["2026-10-01", "2026-10-02", "2026-10-03"]


async def test_due_on_day_off_is_carried_over(router: Router, store: Store, clock: ManualClock) -> None:
    # A tier-A buyer registered on Thursday 10 Dec falls due on Sunday 13 Dec, a workday in
    # Saudi Arabia but the rep's day off in China.
    clock.set(datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI))
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    await chat.say("/add 名称: Riyadh Trading 国家: SA 等级: A")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 12, 14, 12, 0, tzinfo=SHANGHAI), clock=clock)
    assert notifier.local_dates() == ["2026-12-14"]
    (text,) = notifier.texts()
    assert "Riyadh Trading" in text
    assert "carried over from your day off, Sun 12/13" in text
    assert "overdue" not in text


async def test_digest_past_grace_is_skipped(router: Router, store: Store, clock: ManualClock) -> None:
    await rep_with_daily_customer(router)
    notifier = RecordingNotifier(clock)
    dispatcher = dispatcher_for(store, clock, notifier)
    await dispatcher.plan()
    # Down from Monday until Tuesday 21:30, 12.5 hours after Tuesday's 09:00 digest.
    clock.set(datetime(2026, 12, 8, 21, 30, tzinfo=SHANGHAI))
    await dispatcher.tick()
    assert notifier.sent == []
    async with store.session() as session:
        tuesday = await session.scalar(select(Reminder).where(Reminder.local_date == datetime(2026, 12, 8).date()))
    assert tuesday is not None
    assert tuesday.status == ReminderStatus.SKIPPED
    await dispatcher.run_until(datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI), clock=clock)
    assert notifier.local_dates() == ["2026-12-09"]


async def test_digest_within_grace_is_late(router: Router, store: Store, clock: ManualClock) -> None:
    await rep_with_daily_customer(router)
    notifier = RecordingNotifier(clock)
    dispatcher = dispatcher_for(store, clock, notifier)
    await dispatcher.plan()
    clock.set(datetime(2026, 12, 8, 20, 30, tzinfo=SHANGHAI))
    await dispatcher.tick()
    assert len(notifier.sent) == 1
    assert "Late" in notifier.texts()[0]


async def test_unknown_outcome_is_never_resent(router: Router, store: Store, clock: ManualClock) -> None:
    await rep_with_daily_customer(router)
    notifier = RecordingNotifier(clock, unknown=True)
    dispatcher = dispatcher_for(store, clock, notifier)
    await dispatcher.run_until(datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI), clock=clock)
    assert len(notifier.sent) == 1
    # Well past the claim lease, the row is still not sent a second time.
    await dispatcher.run_until(datetime(2026, 12, 8, 12, 0, tzinfo=SHANGHAI), clock=clock)
    assert len(notifier.sent) == 1
    async with store.session() as session:
        row = await session.scalar(select(Reminder).where(Reminder.local_date == datetime(2026, 12, 8).date()))
    assert row is not None
    assert row.status == ReminderStatus.UNKNOWN


async def test_sent_row_is_never_sent_again(router: Router, store: Store, clock: ManualClock) -> None:
    await rep_with_daily_customer(router)
    notifier = RecordingNotifier(clock)
    dispatcher = dispatcher_for(store, clock, notifier)
    await dispatcher.run_until(datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI), clock=clock)
    async with store.session() as session, session.begin():
        row = await session.scalar(select(Reminder).where(Reminder.status == ReminderStatus.SENT))
        assert row is not None
        # A lease left behind must not bring a sent row back.
        row.claimed_until = clock.now() - timedelta(hours=1)
    clock.advance(timedelta(minutes=30))
    await dispatcher.dispatch_due()
    assert notifier.local_dates() == ["2026-12-08"]


async def test_greetings_on_days_off_come_early(router: Router, store: Store, clock: ManualClock) -> None:
    # German Unity Day, Saturday 3 Oct 2026, is announced two German workdays ahead, on
    # Thursday 1 Oct, and the contact's birthday is Friday 2 Oct. Both days fall in China's
    # National Day week, so the rep hears of them on Wednesday 30 Sep, the last workday.
    clock.set(datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI))
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    await chat.say("/add 名称: Berlin Druck 国家: DE 等级: C 联系人: Anna Weber 生日: 10月2日")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 10, 9, 12, 0, tzinfo=SHANGHAI), clock=clock)
    assert notifier.local_dates() == ["2026-09-30"]
    (text,) = notifier.texts()
    birthday_line = next(line for line in text.splitlines() if "Anna Weber" in line)
    assert "Fri 10/2" in birthday_line
    assert "told early: Fri 10/2 is your day off" in birthday_line
    greeting_line = next(line for line in text.splitlines() if "German Unity Day" in line)
    assert "told early: Thu 10/1 is your day off" in greeting_line


async def test_team_digest_counts_day_off_as_due(router: Router, store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI))
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    await admin.say("/add 名称: Riyadh Trading 国家: SA 等级: A")
    await Chat(router, user_id="1", name="Boss", locale="en", group_id="-100").say("/digest here")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 12, 14, 9, 0, tzinfo=SHANGHAI), clock=clock)
    monday = [delivery.reply.text for _at, delivery in notifier.sent if delivery.chat_id == "-100"][-1]
    # Due on Sunday 13 Dec, the team's day off: due today on Monday, as the rep's digest says.
    assert "Boss：今天到期 1，逾期 0" in monday
