"""Regional price lists through the real router: /price set, /price, tolerance, and the quote check in /deal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, ListPrice, Reminder, Team
from bot.services.alerts import ALERT_KIND
from bot.services.prices import QUOTE_OFF_LIST_ACTION, product_key
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

PLATE = "thermal CTP plate 0.27 mm"


@pytest.fixture
async def admin(router: Router) -> Chat:
    chat = Chat(router, user_id="1", name="Boss", locale="en")
    await chat.say("/start")
    return chat


@pytest.fixture
async def rep(router: Router, admin: Chat) -> Chat:
    chat = Chat(router, user_id="2", name="Li", locale="en")
    await enroll(chat, admin=admin, role="rep")
    await chat.say("/add 名称: Empire Graphics 国家: 美国 等级: A 时区: America/New_York")
    await chat.say("/add 名称: Sharma Print House 国家: 印度 等级: A")
    await chat.say("/add 名称: Müller Druck 国家: 德国 等级: B")
    return chat


@pytest.fixture
async def price_list(admin: Chat) -> Chat:
    await admin.say(f"/price set {PLATE} 美国 USD 3.3 FOB Shanghai")
    await admin.say(f"/price set {PLATE} India USD 3.2 FOB Shanghai")
    return admin


async def list_prices(store: Store) -> list[ListPrice]:
    async with store.session() as session:
        return list((await session.execute(select(ListPrice).order_by(ListPrice.id))).scalars())


async def quote_alerts(store: Store) -> list[Reminder]:
    async with store.session() as session:
        events = select(AuditEvent.id).where(AuditEvent.action == QUOTE_OFF_LIST_ACTION)
        statement = select(Reminder).where(Reminder.kind == ALERT_KIND, Reminder.subject_id.in_(events))
        return list((await session.execute(statement)).scalars())


async def test_price_set_stores_country_market(admin: Chat, store: Store) -> None:
    reply = await admin.say(f"/price set {PLATE} 美国 USD 3.3 FOB Shanghai")
    assert "List price set: thermal CTP plate 0.27 mm, United States: USD 3.3 FOB Shanghai." == reply
    (entry,) = await list_prices(store)
    assert (entry.product, entry.country, entry.market_id) == (PLATE, "US", None)
    assert (entry.currency, entry.amount, entry.incoterm, entry.incoterm_place) == (
        "USD",
        Decimal("3.3"),
        "FOB",
        "Shanghai",
    )


async def test_price_set_fields_form(admin: Chat, store: Store) -> None:
    await admin.say(f"/price set 产品: {PLATE} 国家: India 价格: USD 3.2/sqm CIF Mumbai")
    (entry,) = await list_prices(store)
    assert (entry.product_key, entry.country, entry.price_unit, entry.incoterm) == (product_key(PLATE), "IN", "sqm", "CIF")


async def test_price_set_again_replaces(price_list: Chat, store: Store) -> None:
    await price_list.say("/price set Thermal  CTP plate 0.27 MM US USD 3.4 FOB Ningbo")
    entries = await list_prices(store)
    assert len(entries) == 2
    assert (entries[0].amount, entries[0].incoterm_place) == (Decimal("3.4"), "Ningbo")


async def test_price_show_all_markets(price_list: Chat) -> None:
    reply = await price_list.say(f"/price {PLATE}")
    assert reply == "thermal CTP plate 0.27 mm: India USD 3.2 FOB Shanghai, United States USD 3.3 FOB Shanghai"


async def test_price_show_case_and_spaces_folded(price_list: Chat) -> None:
    reply = await price_list.say("/price THERMAL   ctp plate 0.27 mm")
    assert reply.startswith("thermal CTP plate 0.27 mm: India USD 3.2")


async def test_price_show_one_market(price_list: Chat) -> None:
    reply = await price_list.say(f"/price {PLATE} 印度")
    assert reply == "thermal CTP plate 0.27 mm: India USD 3.2 FOB Shanghai"


async def test_price_show_chinese_labels(router: Router, price_list: Chat) -> None:
    chinese = Chat(router, user_id="1", name="Boss", locale="zh-hans")
    await chinese.say("/lang zh")
    reply = await chinese.say(f"/price {PLATE} US")
    assert reply == "thermal CTP plate 0.27 mm: 美国 USD 3.3 FOB Shanghai"


async def test_price_show_missing_market(price_list: Chat) -> None:
    reply = await price_list.say(f"/price {PLATE} Germany")
    assert "has no list price for Germany" in reply
    assert "It has: India, United States" in reply


async def test_price_show_unknown_product(price_list: Chat) -> None:
    reply = await price_list.say("/price PS plate")
    assert reply == "No list price for 'PS plate'. Products with list prices: thermal CTP plate 0.27 mm."


async def test_price_show_no_prices_yet(admin: Chat) -> None:
    assert "No list prices yet" in await admin.say("/price PS plate")


async def test_price_set_rep_refused(rep: Chat, store: Store) -> None:
    reply = await rep.say(f"/price set {PLATE} 美国 USD 3.3 FOB Shanghai")
    assert "Only admins and managers set list prices" in reply
    assert await list_prices(store) == []


async def test_price_show_rep_allowed(rep: Chat, price_list: Chat) -> None:
    assert "United States USD 3.3" in await rep.say(f"/price {PLATE}")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (f"/price set {PLATE} 美国", "No price found at the end"),
        (f"/price set {PLATE} USD 3.3 FOB Shanghai", "No market before the price"),
        ("/price set 美国 USD 3.3", "No product before the market"),
        (f"/price set {PLATE} 美国 USD -3.3", "Price 'USD -3.3' is not above zero"),
        (f"/price set 产品: {PLATE} 国家: Narnia 价格: USD 3.3", "Market 'Narnia' is neither a country"),
        (f"/price set 产品: {PLATE} 价格: USD 3.3", "Write /price set PRODUCT MARKET PRICE"),
        ("/price", "Write /price set PRODUCT MARKET PRICE"),
    ],
)
async def test_price_set_bad_input_stores_nothing(admin: Chat, store: Store, message: str, expected: str) -> None:
    reply = await admin.say(message)
    assert expected in reply
    assert await list_prices(store) == []


async def test_price_tolerance_set_and_shown(admin: Chat, store: Store) -> None:
    assert "Quote tolerance set to 5%" in await admin.say("/price tolerance 5%")
    assert await admin.say("/price tolerance") == "Quote tolerance: 5%."
    async with store.session() as session:
        team = (await session.execute(select(Team))).scalar_one()
    assert team.price_tolerance_percent == Decimal(5)


@pytest.mark.parametrize(("value", "expected"), [("abc", "is not a number"), ("150", "is out of range"), ("-1", "is out of range")])
async def test_price_tolerance_bad_input_keeps_default(admin: Chat, store: Store, value: str, expected: str) -> None:
    assert expected in await admin.say(f"/price tolerance {value}")
    async with store.session() as session:
        team = (await session.execute(select(Team))).scalar_one()
    assert team.price_tolerance_percent == Decimal(10)


async def test_price_tolerance_rep_refused(rep: Chat) -> None:
    assert "Only admins and managers" in await rep.say("/price tolerance 50")


async def test_quote_within_tolerance_shows_list_price(rep: Chat, price_list: Chat, store: Store) -> None:
    reply = await rep.say(f"/deal Empire 产品: {PLATE} 价格: USD 3.1 FOB Shanghai 阶段: quoted")
    assert "List price for United States: USD 3.3 FOB Shanghai. The quote is -6.1% from it, within the 10% tolerance." in reply
    assert await quote_alerts(store) == []


async def test_quote_outside_tolerance_warns_rep_and_managers(
    router: Router, rep: Chat, price_list: Chat, store: Store
) -> None:
    manager = Chat(router, user_id="3", name="Wang", locale="en")
    await enroll(manager, admin=price_list, role="manager")
    reply = await rep.say(f"/deal Sharma 产品: {PLATE} 价格: USD 2.5 FOB Shanghai 阶段: quoted")
    assert "⚠️ The quote is -21.9% from the list price for India (USD 3.2 FOB Shanghai)" in reply
    assert "beyond the team's 10% tolerance" in reply
    alerts = await quote_alerts(store)
    assert len(alerts) == 2  # the admin and the manager, not the rep


async def test_quote_alert_text_names_quote_and_list(rep: Chat, price_list: Chat, store: Store) -> None:
    from reminders.alerts import ALERT_MESSAGES
    from bot.i18n import translator

    await rep.say(f"/deal Sharma 产品: {PLATE} 价格: USD 4 FOB Shanghai")
    async with store.session() as session:
        event = (await session.execute(select(AuditEvent).where(AuditEvent.action == QUOTE_OFF_LIST_ACTION))).scalar_one()
    text = translator("en").gettext(
        ALERT_MESSAGES[QUOTE_OFF_LIST_ACTION], **event.detail["params"], name="Li", time="t", chat="c"
    )
    assert "Li quoted Sharma Print House USD 4 FOB Shanghai for thermal CTP plate 0.27 mm" in text
    assert "+25.0% from the list price USD 3.2 FOB Shanghai" in text


async def test_quote_tolerance_changed_by_team(rep: Chat, price_list: Chat, store: Store) -> None:
    await price_list.say("/price tolerance 30")
    reply = await rep.say(f"/deal Sharma 产品: {PLATE} 价格: USD 2.5 FOB Shanghai")
    assert "within the 30% tolerance" in reply
    assert await quote_alerts(store) == []


async def test_quote_currency_mismatch_without_rates(rep: Chat, price_list: Chat, store: Store) -> None:
    reply = await rep.say(f"/deal Empire 产品: {PLATE} 价格: EUR 2.0 FOB Shanghai")
    assert "List price for United States: USD 3.3 FOB Shanghai. The quote is in another currency" in reply
    assert "%" not in reply.split("\n")[-1]
    assert await quote_alerts(store) == []


async def test_quote_currency_converted_with_team_rates(rep: Chat, price_list: Chat, store: Store) -> None:
    await price_list.say("/fx EUR 7.8")
    await price_list.say("/fx USD 7.1")
    # EUR 3.0 = CNY 23.40 against USD 3.3 = CNY 23.43: 0.1% below.
    reply = await rep.say(f"/deal Empire 产品: {PLATE} 价格: EUR 3.0 FOB Shanghai")
    assert "The quote is -0.1% from it, within the 10% tolerance." in reply


async def test_quote_other_incoterm_not_compared(rep: Chat, price_list: Chat, store: Store) -> None:
    reply = await rep.say(f"/deal Empire 产品: {PLATE} 价格: USD 5 CIF New York")
    assert "another unit or Incoterm, so no difference is computed" in reply
    assert await quote_alerts(store) == []


async def test_quote_without_list_price_unchanged_reply(rep: Chat, price_list: Chat) -> None:
    reply = await rep.say(f"/deal Müller 产品: {PLATE} 价格: USD 9 FOB Shanghai")
    assert reply.startswith("Deal created for Müller Druck")
    assert "List price" not in reply


# --- Fixes after review -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.0000001", "The tolerance '0.0000001' has more than 2 decimal places"),
        ("7.125", "The tolerance '7.125' has more than 2 decimal places"),
        ("101", "The tolerance '101' is out of range"),
        ("-1", "The tolerance '-1' is out of range"),
    ],
)
async def test_price_tolerance_too_precise_or_out_of_range_refused(
    admin: Chat, store: Store, value: str, expected: str
) -> None:
    reply = await admin.say(f"/price tolerance {value}")
    assert reply.startswith(expected), reply
    assert await admin.say("/price tolerance") == "Quote tolerance: 10%."


async def test_price_tolerance_two_places_kept(admin: Chat) -> None:
    assert (await admin.say("/price tolerance 7.25")).startswith("Quote tolerance set to 7.25%.")
    assert await admin.say("/price tolerance") == "Quote tolerance: 7.25%."


async def test_price_tolerance_long_echo_is_cut(admin: Chat) -> None:
    reply = await admin.say("/price tolerance 0." + "0" * 3900 + "1")
    assert len(reply) < 300
    assert "…" in reply


async def test_price_unknown_product_echo_and_list_are_cut(admin: Chat, store: Store) -> None:
    for number in range(12):
        await admin.say(f"/price set plate {number:02d} 美国 USD 3.3")
    reply = await admin.say("/price " + "x" * 3900)
    assert reply.startswith("No list price for '" + "x" * 80 + "…'.")
    assert "plate 09" in reply
    assert "plate 10" not in reply
    assert reply.endswith(" and 2 more.")
    assert len(reply) < 500


async def test_price_missing_market_named_in_reader_language(router: Router) -> None:
    boss = Chat(router, user_id="1", name="Boss")
    await boss.say("/start")
    await boss.say(f"/price set {PLATE} 美国 USD 3.3 FOB Shanghai")
    reply = await boss.say(f"/price {PLATE} 德国")
    assert "德国" in reply
    assert "美国" in reply
    assert "DE" not in reply
    assert "US" not in reply


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("美国 USD 0 FOB Shanghai", "Price 'USD 0 FOB Shanghai' is not above zero"),
        ("美国 USD 3.33333", "Price 'USD 3.33333' has more than 4 decimal places"),
        ("美国 XYZ 3.3", "Currency 'XYZ' is not recognised"),
        ("美国 USD " + "9" * 30, "is too large"),
    ],
)
async def test_price_set_bad_price_gives_its_own_error(admin: Chat, store: Store, tail: str, expected: str) -> None:
    reply = await admin.say(f"/price set {PLATE} {tail}")
    assert expected in reply, reply
    assert await list_prices(store) == []


@pytest.mark.parametrize("separator", ["，", ", ", ","])
async def test_price_set_commas_between_parts(admin: Chat, store: Store, separator: str) -> None:
    reply = await admin.say(f"/price set {PLATE}{separator}美国{separator}USD 3.3")
    assert reply == "List price set: thermal CTP plate 0.27 mm, United States: USD 3.3."
    (entry,) = await list_prices(store)
    assert entry.amount == Decimal("3.3")


async def test_price_set_comma_inside_number_stays(admin: Chat, store: Store) -> None:
    await admin.say(f"/price set {PLATE} 美国 USD 1,250.50")
    (entry,) = await list_prices(store)
    assert entry.amount == Decimal("1250.50")
