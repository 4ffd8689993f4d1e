"""A 09:00 local digest fires once, at 09:00, on daylight-saving transition days."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.test_dispatcher_calendar import RecordingNotifier, dispatcher_for

# (zone, transition day): spring forward and fall back where the zone has DST, and two
# zones with half- and quarter-hour offsets that have none.
TRANSITIONS = [
    ("America/New_York", date(2027, 3, 14)),
    ("America/New_York", date(2027, 11, 7)),
    ("Europe/Berlin", date(2027, 3, 28)),
    ("Europe/Berlin", date(2027, 10, 31)),
    ("Australia/Sydney", date(2027, 4, 4)),
    ("Australia/Sydney", date(2027, 10, 3)),
    ("Asia/Kolkata", date(2027, 3, 14)),
    ("Asia/Kathmandu", date(2027, 3, 14)),
]


@pytest.mark.parametrize(("zone", "transition"), TRANSITIONS)
async def test_digest_once_at_0900_local(
    router: Router, store: Store, clock: ManualClock, zone: str, transition: date
) -> None:
    tz = ZoneInfo(zone)
    # Registered five days before, the customer is overdue, and so listed, on every day around
    # the transition, weekend or not.
    clock.set(datetime.combine(transition - timedelta(days=5), datetime.min.time(), tzinfo=tz) + timedelta(hours=12))
    chat = Chat(router, user_id="300", name="Ana", locale="en")
    await chat.say(f"/start en {zone}")
    await chat.say("/add 名称: Daily Buyer 国家: PL 等级: A")
    await chat.say("/cadence Daily Buyer 1")
    # Transitions fall on weekends, when the team is off, so the member opts in.
    await chat.say("/digest holidays on")
    notifier = RecordingNotifier(clock)
    end = datetime.combine(transition + timedelta(days=2), datetime.min.time(), tzinfo=tz)
    await dispatcher_for(store, clock, notifier).run_until(end, clock=clock)

    around = {transition + timedelta(days=offset) for offset in (-1, 0, 1)}
    local_times = [at.astimezone(tz) for at, _delivery in notifier.sent if at.astimezone(tz).date() in around]
    assert [moment.date() for moment in local_times] == [
        transition - timedelta(days=1),
        transition,
        transition + timedelta(days=1),
    ]
    assert {moment.strftime("%H:%M") for moment in local_times} == {"09:00"}
    # Consecutive digests around a transition are 23, 24 or 25 hours apart, never 0 or 48.
    instants = [moment.astimezone(timezone.utc) for moment in local_times]
    gaps = {(later - earlier).total_seconds() / 3600 for earlier, later in zip(instants, instants[1:])}
    assert gaps <= {23.0, 24.0, 25.0}
