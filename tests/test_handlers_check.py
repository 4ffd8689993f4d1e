"""/check through the real router and database: the draft, the customer's contact, bad input."""

from __future__ import annotations

import pytest

from handlers.router import MAX_MESSAGE_CHARS, Router
from tests.chat import Chat
from tests.members import enroll

GOOD_DRAFT = (
    "Dear Rahul, thank you for your inquiry about CTCP plates 530×664 mm 0.30 mm. Our price is USD 2.50/sqm FOB "
    "Shanghai for one 20' container. MOQ 1,000 sqm, lead time 15 days after deposit, payment 30% T/T deposit and "
    "70% against B/L copy. The price is valid until 2026-12-22. Please let me know your view. Best regards, Li"
)
UNNAMED_DRAFT = GOOD_DRAFT.replace("Dear Rahul,", "Dear Sir/Madam,")
GREETING_FLAG = "1. The greeting “Dear Sir/Madam” does not name Rahul Sharma."
GREETING_REASON = "   A buyer greeted by name sees a reply written for them, not a mass mailing."


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
    await chat.say("/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma")
    return chat


@pytest.fixture
async def other_rep(router: Router, boss: Chat) -> Chat:
    chat = Chat(router, user_id="200", name="Wang", locale="en")
    await enroll(chat, admin=boss)
    await chat.say("/add 名称: Kumar Offset 国家: 印度 等级: B 联系人: Anil Kumar")
    return chat


async def test_check_good_draft_no_problems(rep: Chat) -> None:
    assert await rep.say(f"/check 客户: Sharma\n{GOOD_DRAFT}") == "No problems found."


async def test_check_unnamed_greeting_flagged_for_customer(rep: Chat) -> None:
    reply = await rep.say(f"/check 客户: Sharma 内容: {UNNAMED_DRAFT}")
    assert reply.splitlines() == ["Problems found: 1", GREETING_FLAG, GREETING_REASON]


async def test_check_english_keys_on_one_line(rep: Chat) -> None:
    reply = await rep.say(f"/check customer: Sharma text: {UNNAMED_DRAFT}")
    assert reply.splitlines()[1] == GREETING_FLAG


async def test_check_without_customer_skips_greeting(rep: Chat) -> None:
    assert await rep.say(f"/check {UNNAMED_DRAFT}") == "No problems found."


async def test_check_bad_draft_numbered_list(rep: Chat) -> None:
    draft = "Dear Sir/Madam!!\nWe are the leading manufacturer.\nOur price is 2.50/sqm.\nPlease see the attachment."
    reply = await rep.say(f"/check customer: Sharma Print House\n{draft}")
    lines = reply.splitlines()
    assert lines[0] == "Problems found: 7"
    assert lines[1:3] == [GREETING_FLAG, GREETING_REASON]
    assert lines[3] == "2. The price 2.50/sqm has no currency."
    assert lines[5] == "3. The price has no Incoterm (FOB, CIF, EXW…)."
    assert lines[7] == "4. The price has no validity (valid until DATE, or valid for 30 days)."
    assert lines[9] == "5. It points to an attachment (“attachment”)."
    assert lines[11] == "6. Filler superlatives: “leading manufacturer”."
    assert lines[13] == "7. Too many exclamation marks (2)."
    assert len(lines) == 15


async def test_check_keyword_in_chinese(router: Router, rep: Chat) -> None:
    chat = Chat(router, user_id="100", name="Li", locale="zh-hans")
    await chat.say("/lang zh")
    reply = await chat.say(f"检查草稿客户: Sharma\n{UNNAMED_DRAFT}")
    lines = reply.splitlines()
    assert lines[0] == "发现 1 个问题："
    assert lines[1].startswith("1. 称呼“Dear Sir/Madam”")
    assert "Rahul Sharma" in lines[1]
    assert await chat.say(f"检查 {GOOD_DRAFT}") == "未发现问题。"


async def test_check_customer_without_contact_notes_it(rep: Chat) -> None:
    await rep.say("/add 名称: Müller Druck 国家: DE 等级: B")
    reply = await rep.say(f"/check 客户: Müller\n{UNNAMED_DRAFT}")
    assert reply.splitlines() == [
        "No problems found.",
        "Müller Druck has no contact name on file, so the greeting was not checked.",
    ]


async def test_check_ambiguous_customer_keeps_draft(rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Packaging 国家: 印度 等级: B 联系人: Priya Nair")
    question = await rep.say(f"/check 客户: Sharma\n{UNNAMED_DRAFT}")
    assert question.splitlines()[1:] == ["1. Sharma Packaging (IN, B)", "2. Sharma Print House (IN, A)"]
    reply = await rep.say("1")
    assert reply.splitlines()[:2] == ["Problems found: 1", "1. The greeting “Dear Sir/Madam” does not name Priya Nair."]


async def test_check_empty_usage(rep: Chat) -> None:
    usage = (
        "Paste the reply after /check. To check the greeting too, name the customer first: "
        "/check customer: Sharma, then the reply on the next line or after text:."
    )
    assert await rep.say("/check") == usage
    assert await rep.say("/check 客户: Sharma") == usage


async def test_check_unknown_customer_not_found(rep: Chat) -> None:
    reply = await rep.say(f"/check 客户: Nobody Trading\n{GOOD_DRAFT}")
    assert reply == "No customer 'Nobody Trading' among yours. Try /find."


async def test_check_other_reps_customer_not_found(rep: Chat, other_rep: Chat) -> None:
    reply = await rep.say(f"/check 客户: Kumar Offset\n{GOOD_DRAFT}")
    assert reply == "No customer 'Kumar Offset' among yours. Try /find."
    owner_reply = await other_rep.say(f"/check 客户: Kumar Offset\n{GOOD_DRAFT}")
    assert owner_reply.splitlines()[1] == "1. The greeting “Dear Rahul” does not name Anil Kumar."


async def test_check_long_draft_up_to_router_limit(rep: Chat) -> None:
    sentence = "We look forward to working with you. "
    prefix = f"/check 客户: Sharma\n{GOOD_DRAFT} "
    count = (MAX_MESSAGE_CHARS - len(prefix)) // len(sentence)
    message = prefix + sentence * count
    assert len(message) <= MAX_MESSAGE_CHARS
    reply = await rep.say(message)
    assert reply.splitlines()[:2] == [
        "Problems found: 1",
        f"1. The draft has {60 + 7 * count} words. Keep it under about 150.",
    ]


async def test_check_accepts_4000_char_draft(rep: Chat) -> None:
    sentence = "We look forward to working with you. "
    draft = (GOOD_DRAFT + " " + sentence * 120)[:4000]
    message = f"/check {draft}"
    assert len(message) > MAX_MESSAGE_CHARS
    reply = await rep.say(message)
    assert reply.startswith("Problems found: 1\n1. The draft has")
    assert "too long" not in reply
    rejected = await rep.say("/card " + "x" * MAX_MESSAGE_CHARS)
    assert rejected.startswith("The message is too long")


async def test_check_superlatives_joined_chinese_way(rep: Chat) -> None:
    await rep.say("/lang zh")
    reply = await rep.say(f"/check {GOOD_DRAFT} Best quality and lowest price.")
    assert "“Best quality”、“lowest price”" in reply
