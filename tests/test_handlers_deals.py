"""Deal commands through the real router and database: /deal and /stage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.models import Deal, Stage
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll


@pytest.fixture
async def rep(router: Router) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    await chat.say("/add 名称: Sharma Print House 国家: 印度 等级: A")
    return chat


async def deals(store: Store) -> list[Deal]:
    async with store.session() as session:
        return list((await session.execute(select(Deal).order_by(Deal.id))).scalars())


async def test_deal_created_with_price_terms(rep: Chat, store: Store) -> None:
    reply = await rep.say(
        "/deal Sharma Print House 产品: CTCP plate 规格: 530×664 mm 0.30 mm blue 数量: 1×20GP "
        "价格: USD 2.5 FOB Shanghai 阶段: quoted"
    )
    assert "Deal created for Sharma Print House" in reply
    assert "USD 2.5 FOB Shanghai" in reply
    assert "1×20GP" in reply
    (deal,) = await deals(store)
    assert (deal.currency, deal.unit_price, deal.incoterm, deal.incoterm_place) == (
        "USD",
        Decimal("2.5"),
        "FOB",
        "Shanghai",
    )
    assert (deal.qty_amount, deal.qty_unit, deal.qty_is_container) == (Decimal(1), "20GP", True)
    assert deal.stage == Stage.QUOTED


async def test_deal_same_product_updates_not_duplicates(rep: Chat, store: Store) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate 价格: USD 2.5 FOB Shanghai")
    reply = await rep.say("/deal Sharma 产品: ctcp PLATE 价格: USD 2.4 FOB Shanghai 概率: 50%")
    assert "Deal updated" in reply
    (deal,) = await deals(store)
    assert deal.unit_price == Decimal("2.4")
    assert deal.probability == Decimal("0.5")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/deal Sharma 产品: CTCP 价格: USD FOB Shanghai", "USD 2.5 FOB Shanghai"),
        ("/deal Sharma 产品: CTCP 数量: lots", "lots"),
        ("/deal Sharma 产品: CTCP 阶段: maybe", "maybe"),
        ("/deal Sharma 产品: CTCP 预计成交: 2020-01-01", "2020-01-01"),
        ("/deal Sharma 产品: CTCP 概率: 150%", "150%"),
        ("/deal Sharma 产品: CTCP 颜色: blue", "颜色"),
        ("/deal 产品: CTCP", "Which customer?"),
        ("/deal Sharma", "No deal fields"),
        ("/deal Nobody 产品: CTCP", "No customer 'Nobody'"),
        ("/deal Sharma 价格: USD 2.5", "Which product?"),
        ("/deal Sharma 产品: CTCP 阶段: won", "needs a reason"),
    ],
)
async def test_deal_bad_input_is_explained_and_stores_nothing(
    rep: Chat, store: Store, message: str, expected: str
) -> None:
    assert expected in await rep.say(message)
    assert await deals(store) == []


async def test_stage_moves_deal_and_requires_reason(rep: Chat, store: Store) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate 价格: USD 2.5 FOB Shanghai 阶段: quoted")
    assert "sample" in await rep.say("/stage Sharma sample")
    assert "needs a reason" in await rep.say("/stage Sharma won")
    (deal,) = await deals(store)
    assert deal.stage == Stage.SAMPLE
    reply = await rep.say("/stage Sharma 成交 原因: price accepted")
    assert "won" in reply
    (deal,) = await deals(store)
    assert (deal.stage, deal.close_reason) == (Stage.WON, "price accepted")


async def test_stage_bad_inputs(rep: Chat, store: Store) -> None:
    assert "has no open deal" in await rep.say("/stage Sharma quoted")
    assert "Write the customer and the stage" in await rep.say("/stage")
    await rep.say("/deal Sharma 产品: CTCP plate")
    await rep.say("/deal Sharma 产品: PS plate")
    assert "Which deal?" in await rep.say("/stage Sharma negotiation")
    assert "negotiation" in await rep.say("/stage Sharma negotiation 产品: PS plate")
    assert "flying" in await rep.say("/stage Sharma flying")
    stages = sorted(deal.stage.value for deal in await deals(store))
    assert stages == ["inquiry", "negotiation"]


async def test_other_rep_cannot_touch_deal(router: Router, rep: Chat, store: Store) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate")
    other = Chat(router, user_id="200", locale="en")
    await enroll(other, admin=rep)
    assert "No customer" in await other.say("/deal Sharma 产品: CTCP plate 阶段: lost 原因: x")
    assert "No customer" in await other.say("/stage #1 lost 原因: x")
    (deal,) = await deals(store)
    assert deal.stage == Stage.INQUIRY


async def test_new_price_replaces_old_terms(rep: Chat, store: Store) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate 价格: USD 2.5 CIF Mumbai")
    await rep.say("/deal Sharma 产品: CTCP plate 价格: CNY 18 EXW")
    (deal,) = await deals(store)
    assert (deal.currency, deal.unit_price, deal.incoterm, deal.incoterm_place) == ("CNY", Decimal(18), "EXW", None)


async def test_deal_fields_longer_than_columns_are_rejected(rep: Chat, store: Store) -> None:
    assert "The field 产品/product is too long" in await rep.say("/deal Sharma 产品: " + "p" * 301)
    assert "The field 规格/spec is too long" in await rep.say("/deal Sharma 产品: P 规格: " + "s" * 501)
    assert "too long" in await rep.say("/deal Sharma 产品: P 价格: USD 2 FOB " + "Port" * 30)
    assert await deals(store) == []


async def test_deal_close_date_is_shown(rep: Chat) -> None:
    reply = await rep.say("/deal Sharma 产品: CTCP plate 预计成交: 2027-01-15")
    assert "expected close 2027-01-15" in reply


async def test_deal_without_product_lists_open_deals(rep: Chat) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate")
    await rep.say("/deal Sharma 产品: PS plate")
    reply = await rep.say("/deal Sharma 价格: USD 2.4 FOB Shanghai")
    assert "Which deal?" in reply
    assert "CTCP plate, PS plate" in reply


async def test_stage_finds_deal_by_part_of_product(rep: Chat, store: Store) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate")
    assert "won" in await rep.say("/stage Sharma won 产品: ctcp 原因: ok")
    (deal,) = await deals(store)
    assert deal.stage == Stage.WON


async def test_price_unit_kept_and_replaced(rep: Chat, store: Store) -> None:
    reply = await rep.say("/deal Sharma 产品: CTCP plate 价格: USD 2.5/sqm FOB Shanghai")
    assert "USD 2.5/sqm FOB Shanghai" in reply
    (deal,) = await deals(store)
    assert deal.price_unit == "sqm"
    # A new price without a unit must not keep the old unit.
    await rep.say("/deal Sharma 产品: CTCP plate 价格: USD 2600 FOB Shanghai")
    (deal,) = await deals(store)
    assert deal.price_unit is None
