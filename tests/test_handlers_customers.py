"""Customer commands through the real router and database: /start, /add, /card, /find, /log."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.models import Contact, Customer, Deal, Identity, Interaction, Member, Role, Stage, Team
from bot.transports.base import Incoming
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

ADD_SHARMA = (
    "/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma "
    "邮箱: rahul@sharmaprint.in 电话: +91 98200 12345 生日: 6月12日 来源: Alibaba"
)


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def rep(router: Router) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    return chat


async def test_start_first_member_becomes_admin(router: Router, store: Store) -> None:
    first = Chat(router, user_id="1", name="Boss", locale="en")
    second = Chat(router, user_id="2", name="Rep", locale="en")
    assert "You joined Test team as admin" in await first.say("/start")
    assert "You joined Test team as rep" in await enroll(second, admin=first)
    assert "Welcome back, Boss" in await first.say("/start")
    async with store.session() as session:
        roles = dict((await session.execute(select(Member.display_name, Member.role))).all())
    assert roles == {"Boss": Role.ADMIN, "Rep": Role.REP}


async def test_start_sets_language_and_zone(router: Router, store: Store) -> None:
    chat = Chat(router, user_id="3", locale="zh-hans")
    reply = await chat.say("/start en Europe/Berlin")
    assert "Time zone: Europe/Berlin" in reply
    async with store.session() as session:
        member = (await session.execute(select(Member))).scalar_one()
    assert (member.locale, member.zone) == ("en", "Europe/Berlin")


async def test_start_bad_zone_is_rejected(router: Router, store: Store) -> None:
    chat = Chat(router, user_id="4", locale="en")
    reply = await chat.say("/start Atlantis/Nowhere")
    assert "Atlantis/Nowhere" in reply
    assert await count(store, Member) == 0


async def test_command_before_start_asks_to_join(router: Router) -> None:
    chat = Chat(router, user_id="5", locale="en")
    assert "Send /start first" in await chat.say("/today")


async def test_add_registers_customer_with_contact(rep: Chat, store: Store) -> None:
    reply = await rep.say(ADD_SHARMA)
    assert "Registered Sharma Print House (#1)" in reply
    assert "Asia/Kolkata" in reply
    async with store.session() as session:
        customer = (await session.execute(select(Customer))).scalar_one()
        contact = (await session.execute(select(Contact))).scalar_one()
    assert (customer.country, customer.tier, customer.source) == ("IN", "A", "b2b")
    assert (contact.email, contact.phone) == ("rahul@sharmaprint.in", "+919820012345")
    assert (contact.birth_year, contact.birth_month, contact.birth_day) == (None, 6, 12)


async def test_add_chinese_keyword_works(router: Router, store: Store) -> None:
    chat = Chat(router, user_id="6", locale="en")
    await chat.say("开始")
    reply = await chat.say("添加客户 名称: Müller GmbH 国家: de 等级: b")
    assert "Registered Müller GmbH" in reply
    assert "Europe/Berlin" in reply


async def test_add_country_spelled_many_ways(rep: Chat, store: Store) -> None:
    for number, country in enumerate(["印度", "India", "IN", "ind", "ＩＮＤ", " india "]):
        reply = await rep.say(f"/add 名称: Buyer {number} 国家: {country} 等级: C")
        assert "Asia/Kolkata" in reply, country
    assert await count(store, Customer) == 6


async def test_add_multizone_country_asks_and_accepts_number(rep: Chat, store: Store) -> None:
    replies = await rep.send("/add 名称: Acme Inc 国家: US 等级: B")
    assert "several time zones" in replies[0].text
    assert "America/Chicago" in replies[0].text
    assert replies[0].buttons, "the zone question offers buttons"
    assert await count(store, Customer) == 0
    chicago = next(
        index for index, row in enumerate(replies[0].buttons, start=1) if "Chicago" in row[0].label
    )
    reply = await rep.say(str(chicago))
    assert "America/Chicago" in reply
    async with store.session() as session:
        customer = (await session.execute(select(Customer))).scalar_one()
    assert customer.zone == "America/Chicago"


async def test_add_multizone_country_accepts_city_and_button(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Maple Ltd 国家: 加拿大 等级: B")
    assert "America/Vancouver" in await rep.say("Vancouver")
    await rep.send("/add 名称: Koala Pty 国家: Australia 等级: C")
    assert "Australia/Sydney" in await rep.press("/pick 1") or await count(store, Customer) == 2
    assert await count(store, Customer) == 2


async def test_add_zone_given_upfront_skips_question(rep: Chat) -> None:
    reply = await rep.say("/add 名称: Rio Prints 国家: 巴西 等级: A 城市: 圣保罗")
    assert "America/Sao_Paulo" in reply


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/add 名称: Foo 国家: Indai 等级: A", "Indai"),
        ("/add 名称: Foo 国家: India 等级: A 颜色: blue", "颜色"),
        ("/add 名称: Foo 国家: India 等级: A 生日: 2月30日", "2月30日"),
        ("/add 名称: Foo 国家: India 等级: Z", "C (cold)"),
        ("/add 名称: Foo 国家: India 邮箱: not-an-email", "not-an-email"),
        ("/add 国家: India 等级: A", "name"),
        ("/add 名称: Foo 等级: A", "country"),
        ("/add 名称: " + "x" * 300 + " 国家: India", "300"),
        ("/add 名称: Foo 国家: India 等级: A 备注: " + "y" * 5000, "too long"),
        ("/add", "name"),
    ],
)
async def test_add_bad_input_is_explained_and_stores_nothing(
    rep: Chat, store: Store, message: str, expected: str
) -> None:
    reply = await rep.say(message)
    assert expected in reply
    assert await count(store, Customer) == 0
    assert await count(store, Contact) == 0


async def test_add_duplicate_name_is_refused_without_owner(router: Router, rep: Chat, store: Store) -> None:
    await rep.say(ADD_SHARMA)
    other = Chat(router, user_id="200", name="Wang", locale="en")
    await enroll(other, admin=rep)
    reply = await other.say("/add 名称: SHARMA print-house 国家: IN 等级: B")
    assert "already a customer of your team" in reply
    assert "Li" not in reply
    assert "already have" in await rep.say("/add 名称: Sharma Print House 国家: IN")
    assert await count(store, Customer) == 1


async def test_names_with_markup_and_emoji_come_back_intact(rep: Chat) -> None:
    name = "<b>*Star_[Trade]*</b> & Co 🚢"
    assert name in await rep.say(f"/add 名称: {name} 国家: AE 等级: A")
    assert name in await rep.say("/card Star")
    assert name in await rep.say("/find trade")


async def test_card_shows_contacts_deal_and_interactions(rep: Chat) -> None:
    await rep.say(ADD_SHARMA)
    await rep.say("/deal Sharma 产品: CTCP plate 数量: 1×20GP 价格: USD 2.5 FOB Shanghai 阶段: quoted")
    await rep.say("/log Sharma email sent the catalogue")
    card = await rep.say("/card sharma print")
    assert "Rahul Sharma" in card
    assert "rahul@sharmaprint.in" in card
    assert "CTCP plate" in card
    assert "USD 2.5 FOB Shanghai" in card
    assert "sent the catalogue" in card
    assert "Owner: Li" in card


async def test_card_fuzzy_and_ambiguous_names(rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    await rep.say("/add 名称: Sharma Packaging 国家: IN 等级: B")
    assert "Sharma Print House" in await rep.say("/card Shrama Print Hous")
    replies = await rep.send("/card Sharma")
    assert "Several customers match 'Sharma'" in replies[0].text
    assert "1. Sharma" in replies[0].text
    assert "2. Sharma" in replies[0].text
    chosen = await rep.say("2")
    assert chosen.startswith("#")
    assert "Country:" in chosen


async def test_card_bad_inputs(rep: Chat) -> None:
    assert "missing" in await rep.say("/card")
    assert "No customer 'Nobody'" in await rep.say("/card Nobody")
    assert "No customer '#999'" in await rep.say("/card #999")
    # Larger than the 32-bit id column; PostgreSQL's driver would reject it as a parameter.
    assert "No customer '#99999999999'" in await rep.say("/card #99999999999")


async def test_find_lists_only_own_customers(router: Router, rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    other = Chat(router, user_id="300", locale="en")
    await enroll(other, admin=rep)
    await other.say("/add 名称: Sharma Textiles 国家: IN 等级: A")
    # The first member is the admin, who sees the team's customers; the invited rep does not.
    found = await other.say("/find sharma")
    assert "Sharma Textiles" in found
    assert "Sharma Print House" not in found
    assert "No customer of yours matches" in await other.say("/find print house")
    team_found = await rep.say("/find sharma")
    assert "Sharma Textiles" in team_found
    assert "owner: user300" in team_found
    assert "What should I search for" in await rep.say("/find")


async def test_log_restarts_cadence_and_rejects_bad_input(rep: Chat, store: Store, clock) -> None:  # type: ignore[no-untyped-def]
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    reply = await rep.say("/log Sharma Print House call discussed the plate size")
    assert "Logged for Sharma Print House (call)" in reply
    assert "2026-12-10" in reply
    assert "Interaction is empty" in await rep.say("/log Sharma")
    assert "No customer 'Nobody'" in await rep.say("/log Nobody called")
    async with store.session() as session:
        kinds = list((await session.execute(select(Interaction.kind))).scalars())
    assert kinds == ["call"]


async def test_unknown_command_and_plain_text(rep: Chat) -> None:
    assert "Unknown command /frobnicate" in await rep.say("/frobnicate")
    assert "did not understand" in await rep.say("hello there")


async def test_help_lists_commands_in_both_languages(router: Router) -> None:
    english = Chat(router, user_id="400", locale="en")
    await english.say("/start")
    help_en = await english.say("/help")
    assert "/add" in help_en
    assert "register a customer" in help_en
    chinese = Chat(router, user_id="401", locale="zh-hans")
    await enroll(chinese, admin=english)
    help_zh = await chinese.say("帮助")
    assert "/add" in help_zh
    assert "register a customer" not in help_zh


async def test_lang_and_tz_commands(rep: Chat, store: Store) -> None:
    assert "中文" in await rep.say("/lang zh")
    assert "Language 'fr'" in (await rep.say("/lang fr")) or "fr" in await rep.say("/lang fr")
    await rep.say("/lang en")
    assert "Time zone set to Asia/Dubai" in await rep.say("/tz 迪拜")
    assert "Mars/Olympus" in await rep.say("/tz Mars/Olympus")
    async with store.session() as session:
        member = (await session.execute(select(Member))).scalar_one()
    assert (member.locale, member.zone) == ("en", "Asia/Dubai")


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("/add 名称: Foo 国家: IN 联系人: " + "r" * 201, "联系人/contact"),
        ("/add 名称: Foo 国家: IN 职位: " + "r" * 101, "职位/role"),
        ("/add 名称: Foo 国家: IN 来源: " + "s" * 301, "来源/source"),
    ],
)
async def test_add_field_longer_than_column_is_rejected(rep: Chat, store: Store, message: str, field: str) -> None:
    reply = await rep.say(message)
    assert f"The field {field} is too long" in reply
    assert await count(store, Customer) == 0


async def test_control_characters_and_surrogates_are_cleaned(rep: Chat, store: Store) -> None:
    assert "Registered NulCo" in await rep.say("/add 名称: Nul\x00Co 国家: IN")
    assert "Registered Sur" in await rep.say("/add 名称: Sur\ud800Co 国家: IN")
    async with store.session() as session:
        names = sorted((await session.execute(select(Customer.name))).scalars())
    assert names == ["NulCo", "Sur?Co"]


async def test_display_name_longer_than_column_is_cut(router: Router, store: Store) -> None:
    chat = Chat(router, user_id="long", name="N" * 300, locale="en")
    await chat.say("/start")
    async with store.session() as session:
        member = (await session.execute(select(Member))).scalar_one()
    assert member.display_name == "N" * 200


@pytest.mark.parametrize(
    "message",
    [
        "/add\n名称:ACME GmbH 国家:德国",
        "/add\u3000名称: ACME GmbH 国家: 德国",
        "/add\t名称: ACME GmbH 国家: 德国",
        "添加客户名称: ACME GmbH 国家: 德国",
    ],
)
async def test_command_ends_at_any_white_space(rep: Chat, store: Store, message: str) -> None:
    assert "Registered ACME GmbH" in await rep.say(message)


async def test_find_keyword_runs_into_text(rep: Chat) -> None:
    await rep.say("/add 名称: Acme Trading 国家: DE")
    assert "Acme Trading" in await rep.say("查找Acme")


async def test_choice_marker_in_user_text_is_kept(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Foo {choice} 国家: US")
    await rep.say("2")
    async with store.session() as session:
        customer = (await session.execute(select(Customer))).scalar_one()
    assert customer.name == "Foo {choice}"
    assert customer.zone.startswith("America/")


async def test_fuzzy_name_is_confirmed_before_acting(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Dubai Print Paper 国家: AE")
    await rep.say("/deal Dubai Print Paper 产品: CTP 价格: USD 3.2 FOB Shanghai")
    replies = await rep.send("/stage Dubai Paper lost 原因: bought elsewhere")
    assert "No customer is named 'Dubai Paper'. Did you mean:" in replies[0].text
    assert "1. Dubai Print Paper" in replies[0].text
    async with store.session() as session:
        stage = (await session.execute(select(Deal.stage))).scalar_one()
    assert stage == Stage.INQUIRY
    assert "lost" in await rep.say("1")
    async with store.session() as session:
        stage = (await session.execute(select(Deal.stage))).scalar_one()
    assert stage == Stage.LOST


async def test_done_without_text_shows_label_in_card(rep: Chat) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: IN 等级: A")
    await rep.say("/done Sharma")
    card = await rep.say("/card Sharma")
    assert card.splitlines()[-1].endswith(" follow-up")


async def test_cadence_counts_from_rep_date_for_american_buyer(rep: Chat) -> None:
    # Monday 10:00 in Beijing is Sunday evening in New York; three days on is Thursday.
    reply = await rep.say("/add 名称: Empire Printing 国家: US 等级: A 时区: America/New_York")
    assert "Next follow-up: 2026-12-10" in reply


async def test_city_without_own_zone_uses_country_zone(rep: Chat) -> None:
    assert "Asia/Kolkata" in await rep.say("/add 名称: Mumbai Press 国家: 印度 城市: Mumbai")
    assert "Europe/Berlin" in await rep.say("/add 名称: Hamburg Druck 国家: DE 城市: Hamburg")
    assert "America/Chicago" in await rep.say("/add 名称: Windy Print 国家: US 城市: 芝加哥")
    assert "Houston" in await rep.say("/add 名称: Texas Print 国家: US 城市: Houston")


async def test_note_keeps_pasted_keys(rep: Chat, store: Store) -> None:
    assert "Registered Acme" in await rep.say("/add Acme 国家: IN 备注: 询盘内容 Name: Raj")
    async with store.session() as session:
        note = (await session.execute(select(Customer.note))).scalar_one()
    assert "Name: Raj" in note


async def test_concurrent_start_and_add_on_one_database(store: Store, settings, clock) -> None:  # type: ignore[no-untyped-def]
    # Several bot processes share one database: each gets its own router and engine here.
    from handlers.routes import build_router

    if store.is_sqlite:
        pytest.skip("several processes share a PostgreSQL database; a SQLite file has one process")

    stores = [Store(store.url) for _ in range(4)]
    try:
        routers = [build_router(store=each, clock=clock, settings=settings) for each in stores]
        chats = [Chat(router, user_id=str(900 + number), locale="en") for number, router in enumerate(routers)]
        welcomes = await asyncio.gather(*(chat.say("/start") for chat in chats))
        # One of them becomes the admin, who invites the others.
        [admin] = [chat for chat, welcome in zip(chats, welcomes) if "You joined" in welcome]
        for chat in chats:
            if chat is not admin:
                await enroll(chat, admin=admin)
        replies = await asyncio.gather(*(chat.say("/add 名称: Same Buyer Ltd 国家: IN") for chat in chats))
    finally:
        for each in stores:
            await each.dispose()
    async with store.session() as session:
        teams = (await session.execute(select(func.count()).select_from(Team))).scalar_one()
        admins = (await session.execute(select(func.count()).where(Member.role == Role.ADMIN))).scalar_one()
        owners = list((await session.execute(select(Customer.owner_id))).scalars())
    assert teams == 1
    assert admins == 1
    assert len(owners) == 1
    assert sum("Registered Same Buyer Ltd" in reply for reply in replies) == 1
    assert sum("already a customer of your team" in reply for reply in replies) == 3


async def test_group_chat_gets_no_customer_data(router: Router, rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Group Secret Buyer 国家: IN 等级: A")
    group = Incoming(platform="test", user_id="100", chat_id="-1001", text="/card Group", locale="en", is_private=False)
    (reply,) = await router.handle(group)
    assert "private chat" in reply.text
    assert "Group Secret Buyer" not in reply.text
    chatter = Incoming(platform="test", user_id="100", chat_id="-1001", text="hello all", locale="en", is_private=False)
    assert await router.handle(chatter) == []
    help_in_group = Incoming(platform="test", user_id="100", chat_id="-1001", text="/help", locale="en", is_private=False)
    assert "/add" in (await router.handle(help_in_group))[0].text
    async with store.session() as session:
        chats = list((await session.execute(select(Identity.chat_id))).scalars())
    assert chats == ["100"]


async def test_error_quotes_long_value_shortened(rep: Chat) -> None:
    reply = await rep.say("/add 名称: Foo 国家: " + "Narnia" * 100)
    assert "Narnia" in reply
    assert len(reply) < 300


@pytest.mark.parametrize("text", ["今天天气不错", "今天天气怎么样"])
async def test_keyword_inside_sentence_is_not_command(rep: Chat, text: str) -> None:
    assert "did not understand" in await rep.say(text)


async def test_command_with_trailing_full_stop(rep: Chat) -> None:
    assert "Nothing due today" in await rep.say("/today.")


async def test_find_long_result_is_cut(rep: Chat) -> None:
    for number in range(35):
        await rep.say(f"/add 名称: Buyer {number} Trading 国家: DE")
    reply = await rep.say("/find buyer")
    assert "35 customers found" in reply
    assert "…and 5 more" in reply
    assert len(reply.splitlines()) == 32


async def test_failed_command_ends_open_question(rep: Chat) -> None:
    await rep.say("/add 名称: ABC 国家: DE")
    await rep.say("/add 名称: ABC Trading 国家: DE")
    assert "Several customers match" in await rep.say("/log ABC t called them")
    assert "No customer 'XYZ'" in await rep.say("/done XYZ")
    assert "expired" in await rep.say("/pick 1")


async def test_old_button_cannot_answer_new_question(rep: Chat) -> None:
    await rep.say("/add 名称: Global 国家: DE")
    await rep.say("/add 名称: Global Print Solutions 国家: DE")
    await rep.say("/add 名称: Sharma Print House 国家: IN")
    first = await rep.send("/log Global print quality issue")
    old_button = first[0].buttons[0][0].data
    second = await rep.send("/done Print")
    assert second[0].buttons
    assert "expired" in await rep.press(old_button)
    assert "Done:" in await rep.press(second[0].buttons[0][0].data)


async def test_help_for_stranger_in_group(router: Router) -> None:
    group = Incoming(platform="test", user_id="999", chat_id="-5", text="/help", locale="en", is_private=False)
    assert "/add" in (await router.handle(group))[0].text


async def test_keyword_glued_to_chinese_name(rep: Chat) -> None:
    await rep.say("/add 名称: 华为技术 国家: CN")
    assert "华为技术" in await rep.say("查找华为")
    assert "Logged for 华为技术" in await rep.say("记录华为 发了报价")
    assert "Nothing due today" in await rep.say("今天。")


async def test_long_candidate_list_says_how_many_more(rep: Chat) -> None:
    for number in range(7):
        await rep.say(f"/add 名称: Acme {number} Co 国家: DE")
    reply = await rep.say("/card Acme")
    assert "5. Acme" in reply
    assert "…and 2 more" in reply


async def test_add_state_is_stored_and_shown(rep: Chat, store: Store) -> None:
    reply = await rep.say("/add 名称: Boston Print 国家: US 州/省: ma 时区: America/New_York")
    assert "Registered Boston Print (#1): United States, MA, America/New_York, tier B." in reply
    assert "Country: United States, MA (America/New_York)." in await rep.say("/card Boston")
    async with store.session() as session:
        customer = (await session.execute(select(Customer))).scalar_one()
    assert customer.subdivision == "MA"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ("国家: US 州: Texas 时区: America/Chicago", "TX"),
        ("国家: US state: TX 时区: America/Chicago", "TX"),
        ("国家: CA 省: ON 时区: America/Toronto", "ON"),
        ("国家: CA province: Ontario 时区: America/Toronto", "ON"),
        ("国家: DE 州: BY", "BY"),
        ("国家: 德国 州/省: Bayern", "BY"),
    ],
)
async def test_add_state_aliases_and_names(rep: Chat, store: Store, fields: str, code: str) -> None:
    assert "Registered" in await rep.say(f"/add 名称: Acme {fields}")
    async with store.session() as session:
        assert (await session.execute(select(Customer.subdivision))).scalar_one() == code


async def test_add_without_state_stores_none(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Acme 国家: IN")
    async with store.session() as session:
        assert (await session.execute(select(Customer.subdivision))).scalar_one() is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/add 名称: Foo 国家: US 州: XX 时区: America/New_York", "State/province 'XX' is not recognised for United States."),
        ("/add 名称: Foo 国家: US 州: XX 时区: America/New_York", "Write one of: AK, AL, AR,"),
        ("/add 名称: Foo 国家: 日本 州: Tokyo", "The holiday calendar of Japan has no states or provinces."),
        # A code longer than the column (a city calendar of Brazil) is rejected like an unknown one.
        ("/add 名称: Foo 国家: BR 州: São Paulo Capital 时区: America/Sao_Paulo", "is not recognised for Brazil"),
    ],
)
async def test_add_bad_state_is_explained(rep: Chat, store: Store, message: str, expected: str) -> None:
    assert expected in await rep.say(message)
    assert await count(store, Customer) == 0


async def test_state_error_omits_codes_too_long_to_store(rep: Chat) -> None:
    reply = await rep.say("/add 名称: Foo 国家: BR 州: XX 时区: America/Sao_Paulo")
    assert "SP" in reply
    assert "São Paulo Capital" not in reply


async def test_state_holiday_moves_follow_up(rep: Chat, clock) -> None:  # type: ignore[no-untyped-def]
    # Friday 16 April 2027; tier A is due three days later, on Monday 19 April: Patriots' Day,
    # a public holiday in Massachusetts only.
    clock.set(datetime(2027, 4, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    boston = await rep.say("/add 名称: Boston Print 国家: US 州: MA 等级: A 时区: America/New_York")
    empire = await rep.say("/add 名称: Empire Printing 国家: US 等级: A 时区: America/New_York")
    assert "Next follow-up: 2027-04-20." in boston
    assert "Next follow-up: 2027-04-19." in empire


async def test_help_sections_cover_every_command() -> None:
    from handlers.commands import COMMANDS, HELP_SECTIONS

    listed = [name for _, names in HELP_SECTIONS for name in names]
    assert sorted(listed) == sorted(spec.name for spec in COMMANDS)


async def test_help_hides_manager_commands_from_rep(router: Router) -> None:
    admin = Chat(router, user_id="410", locale="en")
    await admin.say("/start")
    rep = Chat(router, user_id="411", locale="en")
    await enroll(rep, admin=admin)
    rep_help = await rep.say("/help")
    admin_help = await admin.say("/help")
    assert "/export" not in rep_help
    assert "/invite" not in rep_help
    assert "/export" in admin_help
    assert "/invite" in admin_help


async def test_help_for_one_command_shows_its_form(router: Router) -> None:
    admin = Chat(router, user_id="420", locale="en")
    await admin.say("/start")
    detail = await admin.say("/help 添加客户")
    assert detail.splitlines()[0].startswith("/add ")
    assert "新客户" in detail
    assert len(await admin.say("/help")) < 4096
