"""Draft commands through the real router and database: /reply, /draft, /terms and the Sent button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.models import Inquiry, Interaction, Team
from bot.services.draft_check import check_draft
from bot.services.draft_text import MAX_REPLY_WORDS, draft_word_count
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

SHARMA = "/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma 邮箱: rahul@sharmaprint.in"
CTCP_DEAL = (
    "/deal Sharma 产品: CTCP plate 规格: 530×664 mm 0.30 mm 数量: 1×20GP 价格: USD 2.5 FOB Shanghai 阶段: quoted"
)
TERMS = (
    "/terms 付款: 30% T/T deposit, 70% against B/L copy 交期: 15 days after deposit 有效期: 15 "
    "起订量: 500 sqm 签名: Li Wei\nSales Manager"
)


@pytest.fixture
async def boss(router: Router) -> Chat:
    # The first member to join is the team's admin.
    chat = Chat(router, user_id="1", name="Boss", locale="en")
    await chat.say("/start")
    return chat


@pytest.fixture
async def rep(router: Router, boss: Chat) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await enroll(chat, admin=boss)
    await chat.say(SHARMA)
    return chat


@pytest.fixture
async def quoted(rep: Chat, boss: Chat) -> Chat:
    await rep.say(CTCP_DEAL)
    await boss.say(TERMS)
    return rep


async def interactions(store: Store) -> list[Interaction]:
    async with store.session() as session:
        return list((await session.execute(select(Interaction).order_by(Interaction.id))).scalars())


async def test_reply_ctcp_buyer_draft(quoted: Chat) -> None:
    note, draft = await quoted.send("/reply Sharma")
    text = draft.text
    assert text.startswith("Dear Rahul,")
    assert "USD 2.50 FOB Shanghai" in text
    assert "530×664 mm 0.30 mm" in text
    assert "1 x 20' container" in text
    assert "Valid until: 2026-12-22" in text
    assert "30% T/T deposit, 70% against B/L copy" in text
    assert draft_word_count(text) < MAX_REPLY_WORDS
    assert "valid until 2026-12-22" in note.text
    assert draft.buttons[0][0].data == "/sent #1 quote d1"


async def test_reply_without_price_asks_for_it(rep: Chat, boss: Chat) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate 规格: 530×664 mm 0.30 mm")
    await boss.say(TERMS)
    replies = await rep.send("/reply Sharma")
    assert len(replies) == 1
    assert "No draft yet" in replies[0].text
    assert "the unit price with currency: /deal Sharma Print House" in replies[0].text
    assert "USD 2.5 FOB Shanghai" in replies[0].text
    assert "Dear" not in replies[0].text
    assert replies[0].buttons == ()


async def test_reply_price_without_incoterm_is_missing(rep: Chat, boss: Chat) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate 规格: 0.30 mm 价格: USD 2.5")
    await boss.say(TERMS)
    reply = await rep.say("/reply Sharma")
    assert "the Incoterm and port of the price" in reply
    assert "the unit price with currency" not in reply


async def test_reply_without_terms_tells_rep_who_sets_them(rep: Chat) -> None:
    await rep.say(CTCP_DEAL)
    reply = await rep.say("/reply Sharma")
    assert "the payment terms: /terms" in reply
    assert "the price validity in days" in reply
    assert "(an admin or a manager sets this)" in reply


async def test_reply_explanation_in_chinese(router: Router, quoted: Chat) -> None:
    chinese = Chat(router, user_id="100", name="Li", locale="zh-hans")
    await chinese.say("/lang zh")
    note, draft = await chinese.send("回复草稿 Sharma")
    assert "有效期至 2026-12-22" in note.text
    assert draft.text.startswith("Dear Rahul,")
    assert draft.buttons[0][0].label == "✅ 已发送"


async def test_draft_differs_by_stage(quoted: Chat) -> None:
    _note, after_quote = await quoted.send("/draft Sharma")
    assert "Did the price work for you" in after_quote.text
    await quoted.say("/stage Sharma sample")
    _note, after_sample = await quoted.send("/draft Sharma")
    assert "feedback" in after_sample.text
    await quoted.say("/stage Sharma negotiation")
    _note, negotiation = await quoted.send("/draft Sharma 要点: the deposit share")
    assert "One point is still open: the deposit share." in negotiation.text
    assert len({after_quote.text, after_sample.text, negotiation.text}) == 3


async def test_draft_negotiation_without_point_asks(quoted: Chat) -> None:
    await quoted.say("/stage Sharma negotiation")
    replies = await quoted.send("/draft Sharma")
    assert len(replies) == 1
    assert "the one open point of the negotiation: /draft Sharma Print House" in replies[0].text


async def test_draft_silent_buyer_needs_news(quoted: Chat, clock: ManualClock) -> None:
    clock.advance(timedelta(days=61))
    asked = await quoted.say("/draft Sharma")
    assert "one new fact for the buyer" in asked
    assert "Dear" not in asked
    _note, draft = await quoted.send("/draft Sharma news: our new 0.27 mm thermal plate")
    assert "One update that may interest you: our new 0.27 mm thermal plate." in draft.text


async def test_sent_button_logs_and_closes_inquiry(quoted: Chat, store: Store, clock: ManualClock) -> None:
    await quoted.say("/inquiry Sharma 产品: CTCP plate 数量: 1×20GP")
    before = await quoted.say("/card Sharma")
    assert "Next follow-up: 2026-12-10" in before
    _note, draft = await quoted.send("/reply Sharma")
    button = draft.buttons[0][0].data
    assert button == "/sent #1 quote !1 d1"
    clock.advance(timedelta(days=1))
    reply = await quoted.press(button)
    assert "Logged for Sharma Print House (quote)" in reply
    assert "Inquiry closed" in reply
    assert "Next follow-up: 2026-12-11" in reply
    (logged,) = await interactions(store)
    assert logged.kind == "quote"
    async with store.session() as session:
        inquiry = (await session.execute(select(Inquiry))).unique().scalar_one()
    assert inquiry.replied_at is not None


async def test_sent_button_of_followup_logs_followup(quoted: Chat, store: Store) -> None:
    _note, draft = await quoted.send("/draft Sharma")
    await quoted.press(draft.buttons[0][0].data)
    (logged,) = await interactions(store)
    assert logged.kind == "followup"


async def test_forged_sent_button_is_not_found(router: Router, boss: Chat, quoted: Chat, store: Store) -> None:
    await quoted.say("/inquiry Sharma 产品: CTCP plate")
    intruder = Chat(router, user_id="666", locale="en")
    await enroll(intruder, admin=boss)
    assert "No customer '#1'" in await intruder.press("/sent #1 quote !1")
    await intruder.say("/add 名称: Other Buyer 国家: DE")
    assert "No such inquiry" in await intruder.press("/sent #2 quote !1")
    assert "not valid" in await quoted.press("/sent #1 payment")
    assert await interactions(store) == []


async def test_reply_other_reps_customer_not_found(router: Router, boss: Chat, quoted: Chat) -> None:
    intruder = Chat(router, user_id="666", locale="en")
    await enroll(intruder, admin=boss)
    assert "No customer 'Sharma' among yours" in await intruder.say("/reply Sharma")
    assert "No customer '#1' among yours" in await intruder.say("/draft #1")


async def test_reply_unknown_customer_not_found(quoted: Chat) -> None:
    assert "No customer 'Nobody' among yours" in await quoted.say("/reply Nobody")


async def test_terms_by_rep_refused(rep: Chat, store: Store) -> None:
    reply = await rep.say("/terms 付款: T/T")
    assert "Only an admin or a manager" in reply
    assert "Only an admin or a manager can change them." in await rep.say("/terms")
    async with store.session() as session:
        team = (await session.execute(select(Team))).scalar_one()
    assert team.terms == {}


async def test_terms_bad_validity_rejected(boss: Chat, store: Store) -> None:
    assert "Validity '400' is not valid" in await boss.say("/terms 付款: T/T 有效期: 400")
    async with store.session() as session:
        team = (await session.execute(select(Team))).scalar_one()
    assert team.terms == {}


async def test_terms_clear_removes_one(boss: Chat) -> None:
    await boss.say(TERMS)
    reply = await boss.say("/terms clear 起订量")
    assert "Removed: MOQ." in reply
    assert "MOQ: not set" in reply
    assert "Payment: 30% T/T deposit" in reply


async def test_today_offers_draft_button(quoted: Chat, clock: ManualClock) -> None:
    clock.advance(timedelta(days=3))
    (listing,) = await quoted.send("/today")
    draft_row = listing.buttons[-1]
    assert draft_row[0].data == "/draft #1"
    assert all(len(button.data.encode()) <= 64 for row in listing.buttons for button in row)
    assert "Did the price work" in await quoted.press(draft_row[0].data)


async def test_reply_names_chinese_fields(router: Router, boss: Chat) -> None:
    rep = Chat(router, user_id="100", name="李伟", locale="en")
    await enroll(rep, admin=boss)
    await rep.say("/add 名称: Mehta Traders 国家: 印度 等级: A 联系人: 王先生")
    await rep.say("/deal Mehta 产品: CTCP版 规格: 530×664毫米 价格: USD 2.5 FOB 上海 阶段: quoted")
    await boss.say("/terms 付款: 30% T/T deposit 交期: 15天 有效期: 15 起订量: 500平米")
    note, draft = await rep.send("/reply Mehta")
    assert draft.text.startswith("Dear Sir or Madam,")
    assert "The buyer reads English" in note.text
    # The English catalog writes the command keys in English.
    for hint in (
        "the product: /deal Mehta Traders product:",
        "the specification: /deal Mehta Traders spec:",
        "the port of the price: /deal Mehta Traders ",
        "the MOQ: /terms moq:",
        "the lead time: /terms lead time:",
        "the signature: /terms ",
        "the contact's name, so the greeting is Dear Sir or Madam",
    ):
        assert hint in note.text
    assert "payment terms: /terms" not in note.text


async def test_reply_price_shows_unit(rep: Chat, boss: Chat) -> None:
    await rep.say(CTCP_DEAL.replace("USD 2.5 FOB", "USD 2.5/sqm FOB"))
    await boss.say(TERMS)
    note, draft = await rep.send("/reply Sharma")
    assert "Price: USD 2.50/sqm FOB Shanghai" in draft.text
    assert "unit price without a unit" not in note.text
    assert check_draft(draft.text, contact_name="Rahul Sharma") == []


async def test_reply_price_without_unit_noted(quoted: Chat) -> None:
    note, draft = await quoted.send("/reply Sharma")
    assert "Price: USD 2.50 FOB Shanghai" in draft.text
    assert "unit price without a unit" in note.text


async def test_reply_formats_inquiry_quantity_and_moq(rep: Chat, boss: Chat) -> None:
    await rep.say("/deal Sharma 产品: CTCP plate 规格: 0.30 mm 价格: USD 2.5/sqm FOB Shanghai 阶段: quoted")
    await boss.say(TERMS.replace("起订量: 500 sqm", "起订量: 1×20GP"))
    await rep.say("/inquiry Sharma 产品: CTCP plate 数量: 2×40HQ")
    _note, draft = await rep.send("/reply Sharma")
    assert "Quantity: 2 x 40' high-cube containers" in draft.text
    assert "MOQ: 1 x 20' container" in draft.text


async def test_draft_news_recent_buyer_neutral(quoted: Chat) -> None:
    note, draft = await quoted.send("/draft Sharma 新消息: Our new 0.27 mm plate is out!!!")
    assert "It has been a while" not in draft.text
    assert "share an update that may interest you: our new 0.27 mm plate is out." in draft.text
    assert "!" not in draft.text
    assert "/check finds" not in note.text


async def test_draft_news_with_price_passes_check(quoted: Chat) -> None:
    _note, draft = await quoted.send("/draft Sharma 新消息: New price USD 2.3/sqm FOB Shanghai from March")
    assert "This price is valid until 2026-12-22." in draft.text
    assert check_draft(draft.text, contact_name="Rahul Sharma") == []


async def test_draft_question_point_stays_question(quoted: Chat) -> None:
    await quoted.say("/stage Sharma negotiation")
    _note, draft = await quoted.send("/draft Sharma 要点: Can you accept 20% deposit?")
    assert "One point is still open: can you accept 20% deposit?\n" in draft.text
    assert check_draft(draft.text, contact_name="Rahul Sharma") == []


async def test_sent_quote_moves_inquiry_deal_to_quoted(rep: Chat, boss: Chat) -> None:
    await rep.say(CTCP_DEAL.replace(" 阶段: quoted", ""))
    await boss.say(TERMS)
    _note, draft = await rep.send("/reply Sharma")
    reply = await rep.press(draft.buttons[0][0].data)
    assert "The CTCP plate deal moved from inquiry to quoted." in reply
    _note, followup = await rep.send("/draft Sharma")
    assert "Did the price work for you" in followup.text


async def test_sent_twice_recorded_once(quoted: Chat, store: Store, clock: ManualClock) -> None:
    _note, draft = await quoted.send("/draft Sharma")
    button = draft.buttons[0][0].data
    first = await quoted.press(button)
    clock.advance(timedelta(minutes=5))
    second = await quoted.press(button)
    assert "Logged for Sharma Print House" in first
    assert "already recorded for Sharma Print House at " in second
    assert len(await interactions(store)) == 1
    clock.advance(timedelta(minutes=6))
    third = await quoted.press(button)
    assert "Logged for Sharma Print House" in third
    assert len(await interactions(store)) == 2


async def test_terms_repeated_key_rejected(boss: Chat, router: Router) -> None:
    reply = await boss.say("/terms 付款: T/T 付款: L/C")
    assert reply == "Field '付款' is given twice. Write each field once."
    assert "Payment: not set" in await boss.say("/terms")


async def test_reply_ambiguous_product_asks_which(quoted: Chat) -> None:
    await quoted.say("/deal Sharma 产品: PS plate 规格: 0.28 mm 价格: USD 3 FOB Shanghai 阶段: quoted")
    reply = await quoted.say("/reply Sharma 产品: plate")
    assert "'plate' matches several open deals of Sharma Print House" in reply
    assert "1. CTCP plate" in reply
    assert "2. PS plate" in reply
    _note, draft = await quoted.send("2")
    assert "Price: USD 3.00 FOB Shanghai" in draft.text
