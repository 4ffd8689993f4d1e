"""Reply-time statistics and follow-up completion as pure functions, against hand-computed values."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from reports.stats import (
    ContactHistory,
    InquiryTimes,
    followup_completion,
    median_duration,
    monthly_trend,
    percent,
    rep_reply_stats,
    weekly_trend,
)

UTC = timezone.utc
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def inquiry(member_id: int, received: datetime, *, deadline_hours: float, reply_hours: float | None) -> InquiryTimes:
    return InquiryTimes(
        member_id=member_id,
        received_at=received,
        deadline_at=received + timedelta(hours=deadline_hours),
        replied_at=None if reply_hours is None else received + timedelta(hours=reply_hours),
    )


def test_median_duration_even_count_is_mean_of_middle() -> None:
    durations = [timedelta(hours=hours) for hours in (5, 1, 3, 9)]
    assert median_duration(durations) == timedelta(hours=4)


def test_median_duration_empty_is_none() -> None:
    assert median_duration([]) is None


def test_rep_stats_hand_computed() -> None:
    day = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    inquiries = [
        inquiry(1, day, deadline_hours=6, reply_hours=2),  # in time
        inquiry(1, day, deadline_hours=6, reply_hours=6),  # exactly at the deadline: in time
        inquiry(1, day, deadline_hours=6, reply_hours=10),  # late
        inquiry(1, day, deadline_hours=6, reply_hours=None),  # open, deadline passed: missed
        inquiry(1, NOW - timedelta(hours=1), deadline_hours=6, reply_hours=None),  # open, still in time
        inquiry(2, day, deadline_hours=1, reply_hours=3),
    ]
    alice, bob, carol = rep_reply_stats(inquiries, members=[(1, "Alice"), (2, "Bob"), (3, "Carol")], now=NOW)

    assert (alice.inquiries, alice.replied, alice.open) == (5, 3, 2)
    assert alice.median_reply == timedelta(hours=6)
    # 2 in time out of 3 replied + 1 missed open = 4 decided.
    assert (alice.within_deadline, alice.decided) == (2, 4)
    assert alice.share_within_deadline == Decimal("0.5")
    assert percent(alice.share_within_deadline) == "50%"

    assert bob.median_reply == timedelta(hours=3)
    assert bob.share_within_deadline == Decimal(0)


def test_rep_stats_rep_without_inquiries_has_no_figures() -> None:
    (carol,) = rep_reply_stats([], members=[(3, "Carol")], now=NOW)
    assert (carol.inquiries, carol.open) == (0, 0)
    assert carol.median_reply is None
    assert carol.share_within_deadline is None
    assert percent(carol.share_within_deadline) is None


def test_rep_stats_only_open_inquiries_in_time_has_no_share() -> None:
    (alice,) = rep_reply_stats(
        [inquiry(1, NOW, deadline_hours=2, reply_hours=None)], members=[(1, "Alice")], now=NOW
    )
    assert alice.open == 1
    assert alice.share_within_deadline is None


def test_percent_rounds_half_up() -> None:
    assert percent(Decimal(2) / Decimal(3)) == "67%"
    assert percent(Decimal("0.125")) == "13%"


def history(*days: date, cadence: int = 3, country: str = "CN") -> ContactHistory:
    return ContactHistory(
        customer_id=1,
        member_id=1,
        country=country,
        subdivision=None,
        cadence_days=cadence,
        rep_zone="Asia/Shanghai",
        # 02:00 UTC is 10:00 in Shanghai, the same date.
        contacts=tuple(datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC) for day in days),
    )


def test_followups_on_time_late_never() -> None:
    # Contacts on Tue 1 Dec (due Fri 4), on Fri 4 (on time; next due Mon 7), on Thu 10 (late;
    # next due Sun 13 is moved to Mon 14 by the weekend, and nothing follows: never by the 20th).
    completion = followup_completion(
        [history(date(2026, 12, 1), date(2026, 12, 4), date(2026, 12, 10), country="DE")],
        start=date(2026, 12, 1),
        end=date(2027, 1, 1),
        today=date(2026, 12, 20),
    )
    assert (completion.on_time, completion.late, completion.never) == (1, 1, 1)
    assert completion.share(completion.on_time) == Decimal(1) / Decimal(3)


def test_followups_early_contact_is_not_a_due_followup() -> None:
    # Contact on Tue 1 Dec, then Wed 2 (before the due Thu 3): the clock restarts, so the
    # only due follow-up is Fri 4, done that day. The next, Sun 6 → Mon 7, is after the period.
    completion = followup_completion(
        [history(date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 4), cadence=2, country="CN")],
        start=date(2026, 12, 1),
        end=date(2026, 12, 6),
        today=date(2026, 12, 6),
    )
    assert (completion.on_time, completion.late, completion.never) == (1, 0, 0)


def test_followups_due_today_not_yet_counted() -> None:
    completion = followup_completion(
        [history(date(2026, 12, 1))], start=date(2026, 12, 1), end=date(2027, 1, 1), today=date(2026, 12, 4)
    )
    assert completion.total == 0
    assert completion.share(0) is None


def test_followups_outside_period_not_counted() -> None:
    completion = followup_completion(
        [history(date(2026, 12, 1))], start=date(2026, 12, 5), end=date(2026, 12, 31), today=date(2026, 12, 20)
    )
    assert completion.total == 0


def test_weekly_trend_keeps_empty_weeks() -> None:
    # Mon 30 Nov and Mon 14 Dec have inquiries; the week of 7 Dec has none.
    inquiries = [
        inquiry(1, datetime(2026, 11, 30, 2, tzinfo=UTC), deadline_hours=5, reply_hours=1),
        inquiry(1, datetime(2026, 12, 3, 2, tzinfo=UTC), deadline_hours=5, reply_hours=3),
        inquiry(1, datetime(2026, 12, 14, 2, tzinfo=UTC), deadline_hours=5, reply_hours=None),
    ]
    points = weekly_trend(inquiries, start=date(2026, 12, 1), end=date(2026, 12, 16), zone="Asia/Shanghai")
    assert [point.monday for point in points] == [date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]
    assert [point.inquiries for point in points] == [2, 0, 1]
    assert [point.median_reply for point in points] == [timedelta(hours=2), None, None]


def test_monthly_trend_counts_per_local_month() -> None:
    # 31 Jan 17:00 UTC is 1 Feb 01:00 in Shanghai.
    items = [
        inquiry(1, datetime(2026, 1, 31, 17, 0, tzinfo=UTC), deadline_hours=4, reply_hours=2),
        inquiry(1, datetime(2026, 1, 10, 2, 0, tzinfo=UTC), deadline_hours=4, reply_hours=None),
    ]
    points = monthly_trend(items, start=date(2026, 1, 15), end=date(2026, 4, 1), zone="Asia/Shanghai")
    assert [(point.start, point.inquiries) for point in points] == [
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 1),
        (date(2026, 3, 1), 0),
    ]
    assert points[1].median_reply == timedelta(hours=2)
