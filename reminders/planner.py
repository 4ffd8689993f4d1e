"""Due follow-ups and their priority, as pure functions of customer data and a clock."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.models import Customer, Stage
from bot.services.deals import deal_probability, deal_value
from reminders.cadence_table import DEFAULT_CADENCE_DAYS, TIER_ORDER, WON_CHECKIN_DAYS
from reminders.calendar import SendWindow, next_buyer_workday, next_send_window


@dataclass(frozen=True)
class ExpectedReturn:
    """Probability × value of one open deal, kept apart per currency."""

    currency: str
    value: Decimal
    probability: Decimal

    @property
    def weighted(self) -> Decimal:
        return (self.value * self.probability).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class FollowUp:
    """One customer due for a follow-up, with what the rep needs to order and time it."""

    customer_id: int
    name: str
    country: str
    zone: str
    tier: str
    due_date: date
    days_overdue: int
    returns: tuple[ExpectedReturn, ...]
    is_checkin: bool
    subdivision: str | None
    now: datetime

    @cached_property
    def window(self) -> SendWindow:
        """The first buyer business-hours window from the due date on; computed when shown."""
        return next_send_window(
            self.now,
            buyer_zone=self.zone,
            country=self.country,
            subdivision=self.subdivision,
            earliest=self.due_date,
        )

    @property
    def expected_total(self) -> Decimal:
        # NOTE: currencies are summed as plain numbers for ordering only; no rates exist yet.
        return sum((item.weighted for item in self.returns), Decimal(0))


def cadence_days(customer: Customer, *, team_overrides: dict[str, int]) -> tuple[int, bool]:
    """Return (days between follow-ups, whether this is a won buyer's check-in)."""
    if customer.cadence_days:
        return customer.cadence_days, False
    has_won = any(deal.stage == Stage.WON for deal in customer.deals)
    has_open = any(deal.stage.is_open for deal in customer.deals)
    if has_won and not has_open:
        return team_overrides.get("won", WON_CHECKIN_DAYS), True
    return team_overrides.get(customer.tier, DEFAULT_CADENCE_DAYS[customer.tier]), False


def due_date(customer: Customer, *, team_overrides: dict[str, int], rep_zone: str) -> tuple[date, bool]:
    """Return the date of the next follow-up, moved off the buyer's days off.

    Days are counted from the rep's local date of the last contact, because that is the day the
    rep remembers writing, or of the claim from the pool when that is later: a claim is a fresh
    start. The result is then checked against the buyer's weekends and holidays.
    """
    days, is_checkin = cadence_days(customer, team_overrides=team_overrides)
    start = customer.last_contact_at
    # NOTE: callers that pass planning facts without `claimed_at` count from the last contact only.
    claimed_at = getattr(customer, "claimed_at", None)
    if claimed_at is not None and claimed_at > start:
        start = claimed_at
    last_local = start.astimezone(ZoneInfo(rep_zone)).date()
    due = last_local + timedelta(days=days)
    if customer.snoozed_until and customer.snoozed_until > due:
        due = customer.snoozed_until
    return (
        next_buyer_workday(due, country=customer.country, subdivision=customer.subdivision),
        is_checkin,
    )


def expected_returns(customer: Customer) -> tuple[ExpectedReturn, ...]:
    returns = []
    for deal in customer.deals:
        value = deal_value(deal)
        if deal.stage.is_open and value is not None and deal.currency:
            returns.append(ExpectedReturn(deal.currency, value, deal_probability(deal)))
    return tuple(returns)


def followup_of(
    customer: Customer,
    *,
    due: date,
    is_checkin: bool,
    rep_today: date,
    now: datetime,
    returns: tuple[ExpectedReturn, ...] = (),
) -> FollowUp:
    """Build the follow-up of a customer due on `due`; a due date after `rep_today` is 0 days overdue."""
    return FollowUp(
        customer_id=customer.id,
        name=customer.name,
        country=customer.country,
        zone=customer.zone,
        tier=customer.tier,
        due_date=due,
        days_overdue=max((rep_today - due).days, 0),
        returns=returns,
        is_checkin=is_checkin,
        subdivision=customer.subdivision,
        now=now,
    )


def due_followups(
    customers: list[Customer], *, now: datetime, rep_zone: str, team_overrides: dict[str, int]
) -> list[FollowUp]:
    """Return the follow-ups due on or before the rep's local today, highest priority first.

    Priority: expected return (probability × value), then tier, then days overdue.
    """
    rep_today = now.astimezone(ZoneInfo(rep_zone)).date()
    items = []
    for customer in customers:
        due, is_checkin = due_date(customer, team_overrides=team_overrides, rep_zone=rep_zone)
        if due > rep_today:
            continue
        items.append(
            followup_of(
                customer, due=due, is_checkin=is_checkin, rep_today=rep_today, now=now, returns=expected_returns(customer)
            )
        )
    items.sort(key=lambda item: (-item.expected_total, TIER_ORDER[item.tier], -item.days_overdue, item.name))
    return items
