"""/pipeline, /forecast, /overdue, /top and /fx through the real router, on a seeded team.

The team: an admin, a manager and three reps (Li, Wang, Zhao) with 40 customers and 60
deals in USD, EUR and CNY. Zhao owns customers but no deals. Expected figures are summed
in plain Python from the table below, never by the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from bot.clock import ManualClock
from bot.models import Customer, Deal, FxRate, Market, Member, Stage, Team
from bot.services import customers as customer_service
from bot.services import deals as deal_service
from bot.services.customers import CustomerDraft
from bot.services.deals import DealDraft
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

SHANGHAI = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
STAGES = (Stage.INQUIRY, Stage.QUOTED, Stage.SAMPLE, Stage.NEGOTIATION, Stage.WON, Stage.LOST)
OPEN = (Stage.INQUIRY, Stage.QUOTED, Stage.SAMPLE, Stage.NEGOTIATION)
CURRENCIES = ("USD", "EUR", "CNY")
DEFAULTS = {Stage.INQUIRY: Decimal("0.10"), Stage.QUOTED: Decimal("0.25"), Stage.SAMPLE: Decimal("0.40"), Stage.NEGOTIATION: Decimal("0.60")}
# Customers 0-19 are Li's, 20-34 Wang's and 35-39 Zhao's; deals go to customers 0-34 only.
OWNER_OF_CUSTOMER = ["Li"] * 20 + ["Wang"] * 15 + ["Zhao"] * 5
# Closed deals in December (this month at the test clock) or in November.
CLOSED_THIS_MONTH = datetime(2026, 12, 3, 10, tzinfo=SHANGHAI)
CLOSED_LAST_MONTH = datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)
CREATED = datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class SeedDeal:
    number: int
    customer: int
    stage: Stage
    # "value": a typed total; "price": USD 2.5 × units; "container": a price per 1×20GP (no value);
    # "none": no price at all (no value and no currency).
    kind: str
    currency: str | None
    amount: Decimal | None
    probability: Decimal | None
    close_date: date | None
    closed_at: datetime | None

    @property
    def value(self) -> Decimal | None:
        if self.kind == "value":
            return self.amount
        if self.kind == "price":
            return (Decimal("2.5") * self.amount).quantize(CENT)
        return None

    @property
    def owner(self) -> str:
        return OWNER_OF_CUSTOMER[self.customer]

    @property
    def weight(self) -> Decimal:
        return self.probability if self.probability is not None else DEFAULTS[self.stage]


def _seed_deal(number: int) -> SeedDeal:
    stage = STAGES[number % 6]
    kind = {3: "price", 7: "container", 9: "none"}.get(number % 10, "value")
    return SeedDeal(
        number=number,
        customer=number % 35,
        stage=stage,
        kind=kind,
        currency=None if kind == "none" else CURRENCIES[(number // 6) % 3],
        amount={"value": Decimal(1000 + 100 * number), "price": Decimal(400 + number)}.get(kind),
        probability=Decimal("0.5") if number % 4 == 0 and stage in OPEN else None,
        close_date=None if number % 5 == 0 else date(2027, 1 + number % 3, 15),
        closed_at=None if stage in OPEN else (CLOSED_THIS_MONTH if number % 12 < 6 else CLOSED_LAST_MONTH),
    )


SEED = [_seed_deal(number) for number in range(60)]


def sum_values(deals: list[SeedDeal]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for deal in deals:
        if deal.value is not None and deal.currency:
            totals[deal.currency] = totals.get(deal.currency, Decimal(0)) + deal.value
    return totals


def money(amount: Decimal, currency: str) -> str:
    """Format as Babel does for English: US$ is $, € is €, CN¥ is CN¥."""
    symbol = {"USD": "$", "EUR": "€", "CNY": "CN¥"}[currency]
    return f"{symbol}{amount:,.2f}"


@dataclass
class SeededTeam:
    admin: Chat
    manager: Chat
    reps: dict[str, Chat]


async def _seed_data(store: Store) -> None:
    """Insert 40 customers and 60 deals through the services, in one session."""
    async with store.session() as session, session.begin():
        members = {m.display_name: m for m in (await session.execute(select(Member))).scalars()}
        customers = []
        for number, owner in enumerate(OWNER_OF_CUSTOMER):
            draft = CustomerDraft(
                name=f"Buyer {number:02d} Trading",
                country=("DE", "IN", "US")[number % 3],
                zone=("Europe/Berlin", "Asia/Kolkata", "America/New_York")[number % 3],
                tier="ABC"[number % 3],
            )
            customers.append(
                await customer_service.add_customer(session, actor=members[owner], draft=draft, now=CREATED)
            )
        for seed in SEED:
            customer = customers[seed.customer]
            values: dict[str, object] = dict(product=f"Plate P{seed.number:02d}", stage=seed.stage)
            if seed.kind == "value":
                values.update(currency=seed.currency, value=seed.amount)
            elif seed.kind == "price":
                values.update(currency=seed.currency, unit_price=Decimal("2.5"), qty_amount=seed.amount, qty_unit="pcs")
            elif seed.kind == "container":
                values.update(
                    currency=seed.currency, unit_price=Decimal("9000"), qty_amount=Decimal(1), qty_unit="20GP", qty_is_container=True
                )
            if seed.probability is not None:
                values["probability"] = seed.probability
            if seed.close_date is not None:
                values["close_date"] = seed.close_date
            if seed.stage not in OPEN:
                values["reason"] = "seeded"
            await deal_service.upsert_deal(
                session,
                actor=members[OWNER_OF_CUSTOMER[seed.customer]],
                customer=customer,
                draft=DealDraft(**values),  # type: ignore[arg-type]
                now=seed.closed_at or CREATED,
            )


@pytest.fixture
async def team(router: Router, store: Store) -> SeededTeam:
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    manager = Chat(router, user_id="2", name="Mia", locale="en")
    await enroll(manager, admin=admin, role="manager")
    reps = {}
    for number, name in enumerate(("Li", "Wang", "Zhao"), start=3):
        reps[name] = Chat(router, user_id=str(number), name=name, locale="en")
        await enroll(reps[name], admin=admin, role="rep")
    await _seed_data(store)
    return SeededTeam(admin=admin, manager=manager, reps=reps)


async def _rates(store: Store) -> list[tuple[str, str, Decimal]]:
    async with store.session() as session:
        rows = (await session.execute(select(FxRate).order_by(FxRate.currency))).scalars()
        return [(row.currency, row.base, row.rate) for row in rows]


# --- /pipeline ----------------------------------------------------------------------------


async def test_pipeline_by_stage_matches_seed_per_currency(team: SeededTeam) -> None:
    reply = await team.manager.say("/pipeline")
    assert reply.startswith("Team pipeline by stage.")
    for stage in OPEN:
        deals = [deal for deal in SEED if deal.stage is stage]
        values = sum_values(deals)
        line = next(line for line in reply.splitlines() if line.startswith(f"• {stage.value}:"))
        assert f"{len(deals)} deals" in line
        for currency, amount in values.items():
            assert money(amount, currency) in line
        unvalued = sum(1 for deal in deals if deal.value is None)
        if unvalued:
            assert f"{unvalued} without a value" in line


async def test_pipeline_hand_computed_inquiry_stage(team: SeededTeam) -> None:
    # Inquiry deals are numbers n = 6k for k = 0..9, all with a typed value 1000 + 100n
    # (no n ends in 3, 7 or 9). Currency by k % 3: USD for k = 0, 3, 6, 9; EUR for 1, 4, 7; CNY for 2, 5, 8.
    # USD: 1,000 + 2,800 + 4,600 + 6,400 = 14,800. EUR: 1,600 + 3,400 + 5,200 = 10,200.
    # CNY: 2,200 + 4,000 + 5,800 = 12,000. Currencies are listed in code order.
    reply = await team.manager.say("/pipeline")
    line = next(line for line in reply.splitlines() if line.startswith("• inquiry:"))
    assert line == "• inquiry: 10 deals, CN¥12,000.00 + €10,200.00 + $14,800.00"


async def test_pipeline_won_and_lost_in_period(team: SeededTeam) -> None:
    reply = await team.manager.say("/pipeline last month")
    won = [deal for deal in SEED if deal.stage is Stage.WON and deal.closed_at == CLOSED_LAST_MONTH]
    lost = [deal for deal in SEED if deal.stage is Stage.LOST and deal.closed_at == CLOSED_LAST_MONTH]
    won_line = next(line for line in reply.splitlines() if line.startswith("Won in 2026-11:"))
    lost_line = next(line for line in reply.splitlines() if line.startswith("Lost in 2026-11:"))
    assert f"{len(won)} deal" in won_line
    assert f"{len(lost)} deal" in lost_line
    for currency, amount in sum_values(won).items():
        assert money(amount, currency) in won_line


async def test_pipeline_empty_period_shows_zero_closed(team: SeededTeam) -> None:
    reply = await team.manager.say("/pipeline 2025-03")
    assert "Won in 2025-03: 0 deals" in reply
    assert "Lost in 2025-03: 0 deals" in reply
    # Open deals are a snapshot and do not depend on the period.
    assert f"Open: {sum(1 for deal in SEED if deal.stage in OPEN)} deals" in reply


async def test_pipeline_by_rep_lists_each_rep(team: SeededTeam) -> None:
    reply = await team.manager.say("/pipeline by rep")
    for name in ("Li", "Wang"):
        deals = [deal for deal in SEED if deal.owner == name and deal.stage in OPEN]
        assert f"• {name}: {len(deals)} deals" in reply
    assert "• Zhao" not in reply


async def test_pipeline_chinese_keyword_by_market(team: SeededTeam) -> None:
    chat = Chat(team.manager.router, user_id="2", name="Mia", locale="zh-hans")
    reply = await chat.say("销售漏斗 按市场 本月")
    assert "• 德国:" in reply
    assert "• 印度:" in reply
    open_in_germany = [deal for deal in SEED if deal.stage in OPEN and deal.customer % 3 == 0]
    english = await team.manager.say("/pipeline by market")
    assert f"• Germany: {len(open_in_germany)} deals" in english


async def test_pipeline_by_market_uses_team_market_groups(team: SeededTeam, store: Store) -> None:
    async with store.session() as session, session.begin():
        team_id = await session.scalar(select(Team.id))
        session.add(Market(team_id=team_id, name="Europe", name_key="europe", countries=["DE", "FR"]))
    reply = await team.manager.say("/pipeline by market")
    in_germany = [deal for deal in SEED if deal.stage in OPEN and deal.customer % 3 == 0]
    in_india = [deal for deal in SEED if deal.stage in OPEN and deal.customer % 3 == 1]
    assert f"• Europe: {len(in_germany)} deals" in reply
    assert f"• India: {len(in_india)} deals" in reply
    assert "Germany" not in reply


async def test_pipeline_rep_sees_only_own_figures(team: SeededTeam) -> None:
    reply = await team.reps["Li"].say("/pipeline")
    own_open = [deal for deal in SEED if deal.owner == "Li" and deal.stage in OPEN]
    assert reply.startswith("Your pipeline by stage.")
    assert f"Open: {len(own_open)} deals" in reply


async def test_pipeline_rep_by_rep_refused(team: SeededTeam) -> None:
    reply = await team.reps["Li"].say("/pipeline by rep")
    assert "Only admins and managers see figures per rep" in reply
    assert "Wang" not in reply


async def test_pipeline_rep_without_deals_shows_zero(team: SeededTeam) -> None:
    reply = await team.reps["Zhao"].say("/pipeline")
    assert "No open deals." in reply
    assert "Open: 0 deals" in reply
    forecast = await team.reps["Zhao"].say("/forecast")
    assert "No open deals in this period." in forecast
    top = await team.reps["Zhao"].say("/top")
    assert top == "No open deals. Create one with /deal."


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/pipeline by colour", "Grouping 'colour' is not recognised"),
        ("/pipeline blue moon", "The period 'blue moon' is not recognised"),
        ("/pipeline 2027-13", "The period '2027-13' is not recognised"),
        ("/forecast someday", "The period 'someday' is not recognised"),
        ("/top many", "'many' is not a count of deals"),
        ("/top 0", "'0' is not a count of deals"),
        ("/overdue Nobody", "No team member named 'Nobody'"),
        ("/pipeline by", "A grouping is missing after 'by'. Write by stage, by rep, by market or by month"),
        ("/pipeline 本月 按", "A grouping is missing after 'by'"),
    ],
)
async def test_views_bad_input_replies_error(team: SeededTeam, store: Store, message: str, expected: str) -> None:
    reply = await team.manager.say(message)
    assert expected in reply
    assert await _rates(store) == []


# --- /fx and conversion -------------------------------------------------------------------


async def test_fx_set_and_list_with_dates(team: SeededTeam, store: Store, clock: ManualClock) -> None:
    reply = await team.manager.say("/fx USD 7.1")
    assert reply == "Rate saved: 1 USD = 7.1 CNY (set 2026-12-07)."
    clock.advance(timedelta(days=1))
    await team.manager.say("/fx EUR 7.8")
    listing = await team.reps["Li"].say("/fx")
    assert "Reporting currency: CNY." in listing
    assert "1 USD = 7.1 CNY (set 2026-12-07)" in listing
    assert "1 EUR = 7.8 CNY (set 2026-12-08)" in listing
    assert await _rates(store) == [("EUR", "CNY", Decimal("7.8")), ("USD", "CNY", Decimal("7.1"))]


async def test_pipeline_total_converted_when_all_rates_exist(team: SeededTeam) -> None:
    await team.manager.say("/fx USD 7.1")
    reply = await team.manager.say("/pipeline")
    assert "not converted to CNY: no rate for EUR (set one with /fx EUR RATE)" in reply
    await team.manager.say("/fx EUR 7.8")
    reply = await team.manager.say("/pipeline")
    values = sum_values([deal for deal in SEED if deal.stage in OPEN])
    total = (values["USD"] * Decimal("7.1") + values["EUR"] * Decimal("7.8") + values["CNY"]).quantize(CENT)
    open_index = next(i for i, line in enumerate(reply.splitlines()) if line.startswith("Open:"))
    conversion = reply.splitlines()[open_index + 1]
    assert conversion.startswith(f"   ≈ {money(total, 'CNY')} at ")
    assert "1 EUR = 7.8 CNY (set 2026-12-07)" in conversion
    assert "1 USD = 7.1 CNY (set 2026-12-07)" in conversion


async def test_fx_base_change_keeps_old_rates_unused(team: SeededTeam, store: Store) -> None:
    await team.manager.say("/fx EUR 7.8")
    reply = await team.manager.say("/fx base USD")
    assert "Reporting currency set to USD." in reply
    assert "Set against another reporting currency, so not used:" in reply
    assert "1 EUR = 7.8 CNY" in reply
    async with store.session() as session:
        assert await session.scalar(select(Team.reporting_currency)) == "USD"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/fx EUR abc", "The rate 'abc' is not a number"),
        ("/fx EUR 0", "The rate '0' must be above 0"),
        ("/fx EUR -1", "The rate '-1' must be above 0"),
        ("/fx XYZ 7", "Currency 'XYZ' is not recognised"),
        ("/fx CNY 1", "CNY is the reporting currency"),
        ("/fx EUR 7.1234567", "more than 6 decimal places"),
        ("/fx EUR", "Write /fx alone to list the rates"),
        ("/fx base", "Write /fx alone to list the rates"),
    ],
)
async def test_fx_bad_input_stores_nothing(team: SeededTeam, store: Store, message: str, expected: str) -> None:
    reply = await team.manager.say(message)
    assert expected in reply
    assert await _rates(store) == []


async def test_fx_rep_cannot_set_rates(team: SeededTeam, store: Store) -> None:
    reply = await team.reps["Li"].say("/fx EUR 7.8")
    assert "Only admins and managers set exchange rates" in reply
    assert await _rates(store) == []
    reply = await team.reps["Li"].say("/fx base USD")
    assert "Only admins and managers set exchange rates" in reply
    async with store.session() as session:
        assert await session.scalar(select(Team.reporting_currency)) == "CNY"


# --- /forecast ----------------------------------------------------------------------------


async def test_forecast_weighted_by_month_matches_seed(team: SeededTeam) -> None:
    reply = await team.manager.say("/forecast")
    assert "inquiry 10%, quoted 25%, sample 40%, negotiation 60%" in reply
    for month in (1, 2, 3):
        deals = [deal for deal in SEED if deal.stage in OPEN and deal.close_date == date(2027, month, 15)]
        weighted: dict[str, Decimal] = {}
        for deal in deals:
            if deal.value is not None and deal.currency:
                weighted[deal.currency] = weighted.get(deal.currency, Decimal(0)) + deal.value * deal.weight
        line = next(line for line in reply.splitlines() if line.startswith(f"• 2027-{month:02d}:"))
        assert f"{len(deals)} deal" in line
        for currency, amount in weighted.items():
            assert money(amount.quantize(CENT, rounding=ROUND_HALF_UP), currency) in line
    undated = [deal for deal in SEED if deal.stage in OPEN and deal.close_date is None]
    assert f"• no close date: {len(undated)} deals" in reply


async def test_forecast_hand_computed_small_case(router: Router) -> None:
    rep = Chat(router, user_id="50", name="Solo", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Sharma Print House 国家: 印度 等级: A")
    await rep.say("/deal Sharma 产品: CTCP plate 价格: USD 2.5 数量: 4000 pcs 阶段: quoted 预计成交: 2027-01-20")
    await rep.say("/deal Sharma 产品: PS plate 总额: USD 10000 阶段: negotiation 概率: 80% 预计成交: 2027-01-05")
    reply = await rep.say("/forecast 2027-01")
    # 2.5 × 4000 = 10,000 at 25% = 2,500; 10,000 at 80% = 8,000; together 10,500 of 20,000.
    assert "• 2027-01: 2 deals, weighted $10,500.00 of $20,000.00" in reply


async def test_forecast_ties_between_equal_deals(router: Router) -> None:
    rep = Chat(router, user_id="51", name="Tie", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Alpha Print 国家: 德国 等级: B")
    await rep.say("/add 名称: Beta Print 国家: 德国 等级: B")
    await rep.say("/deal Alpha 产品: plate 总额: EUR 5000 阶段: sample 预计成交: 2027-02-01")
    await rep.say("/deal Beta 产品: plate 总额: EUR 5000 阶段: sample 预计成交: 2027-02-01")
    top = await rep.say("/top")
    lines = top.splitlines()
    # Equal expected returns, tiers and close dates: the older deal (Alpha) comes first.
    assert lines[1].startswith("1. Alpha Print")
    assert lines[3].startswith("2. Beta Print")
    assert "expected €2,000.00 (40% of €5,000.00)" in lines[2]
    forecast = await rep.say("/forecast")
    assert "• 2027-02: 2 deals, weighted €4,000.00 of €10,000.00" in forecast


# --- /top ---------------------------------------------------------------------------------


async def test_top_orders_by_converted_expected_return(team: SeededTeam) -> None:
    await team.manager.say("/fx USD 7.1")
    await team.manager.say("/fx EUR 7.8")
    reply = await team.manager.say("/top 3")
    rates = {"USD": Decimal("7.1"), "EUR": Decimal("7.8"), "CNY": Decimal(1)}
    ranked = sorted(
        (deal for deal in SEED if deal.stage in OPEN and deal.value is not None and deal.currency),
        key=lambda deal: (-(deal.value * deal.weight * rates[deal.currency]), deal.number),
    )
    lines = reply.splitlines()
    assert lines[0] == "The team's open deals by expected return (probability × value):"
    for place, deal in enumerate(ranked[:3], start=1):
        assert f"Buyer {deal.customer:02d} Trading" in lines[2 * place - 1]
        assert f"Plate P{deal.number:02d}" in lines[2 * place - 1]
    assert "No rate for" not in reply


async def test_top_names_missing_rate(team: SeededTeam) -> None:
    reply = await team.reps["Li"].say("/top 5")
    assert reply.startswith("Your open deals by expected return")
    assert "No rate for EUR, USD: those deals come after the converted ones, per currency, by their plain amount." in reply
    assert "Wang" not in reply


async def test_top_deal_without_value_comes_last(router: Router) -> None:
    rep = Chat(router, user_id="52", name="Few", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Gamma Print 国家: 德国 等级: A")
    await rep.say("/deal Gamma 产品: film 阶段: negotiation")
    await rep.say("/deal Gamma 产品: plate 总额: CNY 100 阶段: inquiry")
    reply = await rep.say("/top")
    lines = reply.splitlines()
    assert "plate" in lines[1]
    assert "film" in lines[3]
    assert "no value yet, 60% probability" in lines[4]


# --- /overdue -----------------------------------------------------------------------------


async def _set_last_contact(store: Store, name: str, at: datetime, tier: str) -> None:
    async with store.session() as session, session.begin():
        await session.execute(
            update(Customer).where(Customer.name == name).values(last_contact_at=at, tier=tier)
        )


async def test_overdue_oldest_first_per_rep(team: SeededTeam, store: Store) -> None:
    # Every seeded customer was created on 2 Nov; the test clock reads Monday 7 Dec 2026.
    # Make all recent, then age three of them.
    recent = datetime(2026, 12, 6, 10, tzinfo=SHANGHAI)
    async with store.session() as session, session.begin():
        await session.execute(update(Customer).values(last_contact_at=recent))
    # Li, tier A (3 days), Germany: last contact Fri 27 Nov -> due Mon 30 Nov -> 7 days overdue.
    await _set_last_contact(store, "Buyer 00 Trading", datetime(2026, 11, 27, 10, tzinfo=SHANGHAI), "A")
    # Li, tier B (7 days), Germany: last contact Thu 26 Nov -> due Thu 3 Dec -> 4 days overdue.
    await _set_last_contact(store, "Buyer 03 Trading", datetime(2026, 11, 26, 10, tzinfo=SHANGHAI), "B")
    # Wang, tier C (30 days), Germany: last contact Tue 20 Oct -> due Thu 19 Nov -> 18 days overdue.
    await _set_last_contact(store, "Buyer 21 Trading", datetime(2026, 10, 20, 10, tzinfo=SHANGHAI), "C")
    reply = await team.manager.say("/overdue")
    assert reply.splitlines() == [
        "Overdue follow-ups, oldest first:",
        "Wang: 1 overdue",
        "  Buyer 21 Trading (DE), tier C: due 2026-11-19, 18 days overdue",
        "Li: 2 overdue",
        "  Buyer 00 Trading (DE), tier A: due 2026-11-30, 7 days overdue",
        "  Buyer 03 Trading (DE), tier B: due 2026-12-03, 4 days overdue",
    ]
    today = await team.reps["Li"].say("/today")
    assert "7 days overdue" in today
    assert "4 days overdue" in today
    only_li = await team.manager.say("/overdue Li")
    assert "Wang" not in only_li
    assert "Buyer 00 Trading" in only_li


async def test_overdue_rep_cannot_ask_for_another(team: SeededTeam) -> None:
    reply = await team.reps["Li"].say("/overdue Wang")
    assert "Only admins and managers see figures per rep or another rep's follow-ups" in reply
    own = await team.reps["Li"].say("/overdue")
    assert "Wang" not in own


async def test_overdue_none_when_all_recent(team: SeededTeam, store: Store) -> None:
    async with store.session() as session, session.begin():
        await session.execute(update(Customer).values(last_contact_at=datetime(2026, 12, 6, 10, tzinfo=SHANGHAI)))
    assert await team.manager.say("/overdue") == "No overdue follow-ups."


async def test_seed_counts(team: SeededTeam, store: Store) -> None:
    async with store.session() as session:
        assert await session.scalar(select(func.count(Customer.id))) == 40
        assert await session.scalar(select(func.count(Deal.id))) == 60
        currencies = set((await session.execute(select(Deal.currency).distinct())).scalars())
    assert currencies == {"USD", "EUR", "CNY", None}


# --- /pipeline chart ----------------------------------------------------------------------


async def test_pipeline_chart_sends_png_funnel(team: SeededTeam) -> None:
    await team.manager.say("/fx USD 7.1")
    await team.manager.say("/fx EUR 7.8")
    replies = await team.manager.send("/pipeline chart")
    (reply,) = replies
    assert reply.file is not None
    assert reply.file.mime_type == "image/png"
    assert reply.file.filename == "pipeline-2026-12.png"
    data = reply.file.data
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    # A portrait picture that a phone shows full width.
    assert 600 <= width <= 2000
    assert height > width
    assert "Chart values are in CNY." in reply.text


async def test_pipeline_chart_without_rates_shows_counts_only(team: SeededTeam) -> None:
    (reply,) = await team.manager.send("/pipeline chart")
    assert reply.file is not None
    assert "The chart shows counts only" in reply.text


# --- Fixes after review -------------------------------------------------------------------


async def test_fx_rate_date_is_member_local_date_after_utc_midnight(team: SeededTeam, clock: ManualClock) -> None:
    # 06:30 on 8 Dec in Shanghai is 22:30 on 7 Dec in UTC.
    clock.advance(timedelta(hours=20, minutes=30))
    reply = await team.manager.say("/fx USD 7.1")
    assert reply == "Rate saved: 1 USD = 7.1 CNY (set 2026-12-08)."
    assert "1 USD = 7.1 CNY (set 2026-12-08)" in await team.manager.say("/fx")
    await team.manager.say("/fx EUR 7.8")
    pipeline = await team.manager.say("/pipeline")
    assert "1 USD = 7.1 CNY (set 2026-12-08)" in pipeline
    assert "2026-12-07" not in pipeline


@pytest.mark.parametrize("message", ["/pipeline 本月 按业务员", "/pipeline this month by rep", "/pipeline 按 业务员 本月"])
async def test_pipeline_grouping_after_period_reads_both(team: SeededTeam, message: str) -> None:
    reply = await team.manager.say(message)
    assert reply.startswith("Team pipeline by rep.")
    assert "• Li: " in reply
    assert "Open deals are as of today; 2026-12 applies to the won and lost deals." in reply


async def test_pipeline_without_period_has_no_as_of_note(team: SeededTeam) -> None:
    assert "as of today" not in await team.manager.say("/pipeline by rep")


@pytest.mark.parametrize(("period", "label"), [("12月", "2026-12"), ("Q4", "2026Q4"), ("2026-Q4", "2026Q4"), ("上季", "2026Q3"), ("Dec 2026", "2026-12")])
async def test_pipeline_common_periods_read(team: SeededTeam, period: str, label: str) -> None:
    reply = await team.manager.say(f"/pipeline {period}")
    assert f"Won in {label}:" in reply


async def test_pipeline_chart_with_grouping_says_chart_is_by_stage(team: SeededTeam) -> None:
    (reply,) = await team.manager.send("/pipeline 图 按业务员")
    assert reply.file is not None
    assert reply.text.startswith(
        "The chart is by stage only, so the figures below are by stage too. For figures by rep, send the command without chart."
    )
    assert "Team pipeline by stage." in reply.text


async def test_pipeline_chart_rows_without_rates_have_no_value(team: SeededTeam, store: Store) -> None:
    from bot.services import pipeline as pipeline_service
    from handlers.pipeline import funnel_rows
    from reports.periods import month_period
    from reports.pipeline import Grouping

    async with store.session() as session:
        actor = (await session.execute(select(Member).where(Member.display_name == "Boss"))).scalar_one()
        team_row = await session.get(Team, actor.team_id)
        view = await pipeline_service.pipeline_view(
            session, actor=actor, team=team_row, grouping=Grouping.STAGE, period=month_period(2026, 12), zone="Asia/Shanghai"
        )
    rows, currency = funnel_rows(view)
    assert currency is None
    assert rows and all(value is None for _, _, value in rows)


async def test_overdue_accepts_at_name(team: SeededTeam, store: Store) -> None:
    await _set_last_contact(store, "Buyer 00 Trading", datetime(2026, 11, 27, 10, tzinfo=SHANGHAI), "A")
    reply = await team.manager.say("/overdue @Li")
    assert "Li: " in reply
    assert "Wang" not in reply


async def test_top_ranks_unconverted_currencies_after_converted(router: Router) -> None:
    rep = Chat(router, user_id="53", name="Mixed", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Gamma Print 国家: 德国 等级: A")
    await rep.say("/deal Gamma 产品: small cny 总额: CNY 100 阶段: negotiation")
    await rep.say("/deal Gamma 产品: big usd 总额: USD 90000 阶段: negotiation")
    await rep.say("/deal Gamma 产品: big eur 总额: EUR 50000 阶段: negotiation")
    await rep.say("/deal Gamma 产品: small eur 总额: EUR 10 阶段: negotiation")
    lines = (await rep.say("/top")).splitlines()
    products = [line.split(" — ")[1].split(",")[0] for line in lines if " — " in line]
    # CNY converts (it is the base); EUR and USD have no rate: after it, per currency in code order.
    assert products == ["small cny", "big eur", "small eur", "big usd"]
    assert "No rate for EUR, USD: those deals come after the converted ones" in lines[-1]


async def test_overdue_counts_from_claim(team: SeededTeam, store: Store) -> None:
    recent = datetime(2026, 12, 6, 10, tzinfo=SHANGHAI)
    async with store.session() as session, session.begin():
        await session.execute(update(Customer).values(last_contact_at=recent))
    # Li, tier A (3 days): last contact Fri 27 Nov, but claimed from the pool on Sun 6 Dec -> due Wed 9 Dec.
    await _set_last_contact(store, "Buyer 00 Trading", datetime(2026, 11, 27, 10, tzinfo=SHANGHAI), "A")
    # Wang, tier C (30 days): last contact Tue 20 Oct, claimed Mon 2 Nov -> due Wed 2 Dec -> 5 days overdue.
    await _set_last_contact(store, "Buyer 21 Trading", datetime(2026, 10, 20, 10, tzinfo=SHANGHAI), "C")
    async with store.session() as session, session.begin():
        await session.execute(update(Customer).where(Customer.name == "Buyer 00 Trading").values(claimed_at=recent))
        await session.execute(
            update(Customer)
            .where(Customer.name == "Buyer 21 Trading")
            .values(claimed_at=datetime(2026, 11, 2, 10, tzinfo=SHANGHAI))
        )
    reply = await team.manager.say("/overdue")
    assert reply.splitlines() == [
        "Overdue follow-ups, oldest first:",
        "Wang: 1 overdue",
        "  Buyer 21 Trading (DE), tier C: due 2026-12-02, 5 days overdue",
    ]
    assert await team.reps["Li"].say("/overdue") == "No overdue follow-ups."


async def test_top_without_any_rate_says_per_currency(router: Router) -> None:
    rep = Chat(router, user_id="54", name="Solo", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Delta Print 国家: 德国 等级: A")
    await rep.say("/deal Delta 产品: plates 总额: USD 900 阶段: quoted")
    reply = await rep.say("/top")
    assert "No rate for USD, so deals are ranked per currency by their plain amount." in reply
    assert "after the converted ones" not in reply
