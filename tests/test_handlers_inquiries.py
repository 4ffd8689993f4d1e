"""Inquiry commands through the real router and database: /inquiry, /replied, /watch."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.i18n import Translator
from bot.models import Inquiry, Interaction, Reminder, ReminderStatus, WatchEntry
from bot.services.inquiries import NUDGE_KIND
from bot.store import Store
from bot.transports.base import Incoming
from handlers.router import Router
from reminders.inquiry_render import render_nudge, render_open_inquiries
from tests.chat import Chat

BEIJING = ZoneInfo("Asia/Shanghai")
# Tuesday 9 March 2027, 10:00 in Beijing: a workday in China, India, Germany, Japan and the US.
TUESDAY_10 = datetime(2027, 3, 9, 10, 0, tzinfo=BEIJING)
UTC = timezone.utc


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def inquiries(store: Store) -> list[Inquiry]:
    async with store.session() as session:
        return list((await session.execute(select(Inquiry).order_by(Inquiry.id))).unique().scalars())


async def nudges(store: Store) -> list[Reminder]:
    async with store.session() as session:
        statement = select(Reminder).where(Reminder.kind == NUDGE_KIND).order_by(Reminder.id)
        return list((await session.execute(statement)).scalars())


@pytest.fixture
def tuesday(clock: ManualClock) -> ManualClock:
    clock.set(TUESDAY_10)
    return clock


@pytest.fixture
async def boss(router: Router, tuesday: ManualClock) -> Chat:
    # The first member to join is the team's admin.
    chat = Chat(router, user_id="1", name="Boss", locale="en")
    await chat.say("/start")
    return chat


@pytest.fixture
async def rep(router: Router, boss: Chat) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    await chat.say("/add 名称: Müller Druck 国家: DE 邮箱: hans@muellerdruck.de 电话: +49 30 901820")
    return chat


async def test_inquiry_germany_deadline_and_nudge_row(rep: Chat, store: Store) -> None:
    reply = await rep.say("/inquiry Müller 产品: CTCP plate 数量: 5000 sqm 渠道: alibaba")
    assert "Inquiry registered: Müller Druck: CTCP plate, 5000 sqm (Alibaba), received today 10:00." in reply
    assert "Reply by: today 15:00 (buyer's local 08:00, Germany)" in reply
    assert "I will remind you today 14:00." in reply
    assert "nothing suspicious" in reply
    (inquiry,) = await inquiries(store)
    assert inquiry.deadline_at == datetime(2027, 3, 9, 7, 0, tzinfo=UTC)
    assert inquiry.deadline_in_running_day is False
    assert (inquiry.product, inquiry.quantity, inquiry.channel) == ("CTCP plate", "5000 sqm", "alibaba")
    assert inquiry.received_at == TUESDAY_10.astimezone(UTC)
    assert inquiry.probe_flags == []
    (nudge,) = await nudges(store)
    assert (nudge.subject_id, nudge.member_id) == (inquiry.id, inquiry.member_id)
    assert nudge.due_at == datetime(2027, 3, 9, 6, 0, tzinfo=UTC)
    assert nudge.local_date == date(2027, 3, 9)
    assert nudge.status == ReminderStatus.PENDING


async def test_inquiry_deadlines_for_beijing_rep(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Sharma Print House 国家: 印度")
    await rep.say("/add 名称: Empire Printing 国家: US 时区: America/New_York")
    await rep.say("/add 名称: Tokyo Insatsu 国家: 日本")
    india = await rep.say("/inquiry Sharma 产品: PS plate")
    new_york = await rep.say("/inquiry Empire 产品: PS plate")
    japan = await rep.say("/inquiry Tokyo 产品: PS plate")
    assert "Reply by: today 10:30 (buyer's local 08:00, India)" in india
    assert "Reply by: today 21:00 (buyer's local 08:00, United States)" in new_york
    assert "Reply by: today 12:00 (buyer's local 13:00, Japan)" in japan
    assert "reply within 2 hours" in japan
    assert "reply within 2 hours" not in india
    # India's deadline is 30 minutes away, so its nudge time had passed: two nudges, not three.
    assert "no reminder" in india
    assert [row.due_at.astimezone(BEIJING).hour for row in await nudges(store)] == [20, 11]


async def test_inquiry_buyer_day_shown_when_dates_differ(rep: Chat) -> None:
    # Monday 18:00 in Los Angeles is after hours; Tuesday 08:00 there is Wednesday 00:00 in Beijing.
    await rep.say("/add 名称: Pacific Press 国家: US 时区: America/Los_Angeles")
    reply = await rep.say("/inquiry Pacific 产品: CTP")
    assert "Reply by: tomorrow 00:00 (buyer's local Tue 08:00, United States)" in reply


async def test_inquiry_saudi_friday_waits_for_sunday(rep: Chat, tuesday: ManualClock) -> None:
    tuesday.set(datetime(2027, 4, 16, 15, 0, tzinfo=BEIJING))
    await rep.say("/add 名称: Riyadh Paper 国家: 沙特")
    reply = await rep.say("/inquiry Riyadh 产品: offset paper")
    assert "Reply by: Sun 4/18 13:00 (buyer's local 08:00, Saudi Arabia)" in reply


async def test_inquiry_received_time_in_rep_zone(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Tokyo Insatsu 国家: JP")
    reply = await rep.say("/inquiry Tokyo 收到: 2027-03-09 08:30 产品: CTP")
    # 08:30 in Beijing is 09:30 in Tokyo: due 11:30 Tokyo, 10:30 Beijing, too soon for a nudge.
    assert "received today 08:30" in reply
    assert "Reply by: today 10:30 (buyer's local 11:30, Japan)" in reply
    assert "Less than an hour is left, so there will be no reminder." in reply
    assert await nudges(store) == []
    late = await rep.say("/inquiry Tokyo 收到: 昨天 9:00")
    assert "The deadline passed 23 h ago" in late
    (first, second) = await inquiries(store)
    assert first.received_at == datetime(2027, 3, 9, 0, 30, tzinfo=UTC)
    assert second.deadline_at == datetime(2027, 3, 8, 3, 0, tzinfo=UTC)


async def test_inquiry_text_after_name_and_pasted_keys(rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller need 5000 plates 渠道: 邮件")
    await rep.say("/inquiry Müller 产品: CTP 内容: Please quote. Price: FOB Hamburg, payment: T/T")
    first, second = await inquiries(store)
    assert (first.text, first.channel) == ("need 5000 plates", "email")
    assert second.text == "Please quote. Price: FOB Hamburg, payment: T/T"


async def test_inquiry_probe_flags_from_contacts(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Hans Trading 国家: DE 邮箱: hans.trading@gmail.com 电话: +91 98200 12345")
    reply = await rep.say("/inquiry Hans 产品: CTP")
    assert "be careful before sending prices" in reply
    assert "hans.trading@gmail.com is a free mailbox (gmail.com)" in reply
    assert "The phone +919820012345 is a number from India, but the customer is in Germany." in reply
    (inquiry,) = await inquiries(store)
    assert [flag["code"] for flag in inquiry.probe_flags] == ["free_mail", "phone_country"]
    assert (inquiry.sender_email, inquiry.sender_phone) == (None, None)


async def test_inquiry_sender_fields_replace_contacts(rep: Chat, store: Store) -> None:
    reply = await rep.say("/inquiry Müller 产品: CTP 邮箱: buyer@print.co.uk 电话: 030 901820")
    assert "The email domain print.co.uk points to United Kingdom, but the customer is in Germany." in reply
    (inquiry,) = await inquiries(store)
    assert (inquiry.sender_email, inquiry.sender_phone) == ("buyer@print.co.uk", "+4930901820")
    assert [flag["code"] for flag in inquiry.probe_flags] == ["domain_country"]


async def test_watch_list_flags_inquiry(rep: Chat, store: Store) -> None:
    assert "Added spy@gmail.com" in await rep.say("/watch add Spy@Gmail.com asked for prices twice")
    reply = await rep.say("/inquiry Müller 产品: CTP 邮箱: spy@gmail.com")
    assert "spy@gmail.com is on the team's watch list: asked for prices twice" in reply
    (inquiry,) = await inquiries(store)
    assert [flag["code"] for flag in inquiry.probe_flags] == ["free_mail", "watch_list"]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/inquiry Nobody 产品: CTP", "No customer 'Nobody' among yours"),
        ("/inquiry 产品: CTP", "Which customer?"),
        ("/inquiry Müller 收到: someday", "Received time 'someday' is not recognised"),
        ("/inquiry Müller 收到: 2027-03-09", "has no time of day"),
        ("/inquiry Müller 收到: 25:10", "Time '25:10' does not exist"),
        ("/inquiry Müller 收到: 明天 10:00", "is in the future"),
        ("/inquiry Müller 收到: 2026-03-09 10:00", "more than 30 days ago"),
        ("/inquiry Müller 渠道: tiktok", "Channel 'tiktok' is not recognised. Write one of: 阿里巴巴/alibaba"),
        ("/inquiry Müller 产品: " + "p" * 301, "The field 产品/product is too long (301 characters)"),
        ("/inquiry Müller 数量: " + "9" * 101, "The field 数量/qty is too long (101 characters)"),
        ("/inquiry Müller 邮箱: not-an-email", "Email 'not-an-email' is not valid"),
        ("/inquiry Müller 电话: 12", "Phone '12' is not a valid number"),
        ("/inquiry Müller 价格: USD 3", "cannot be used here"),
        ("/inquiry Müller hello 内容: world", "is not understood, because text: is given too"),
    ],
)
async def test_inquiry_bad_input_is_explained_and_stores_nothing(
    rep: Chat, store: Store, message: str, expected: str
) -> None:
    reply = await rep.say(message)
    assert expected in reply
    assert await count(store, Inquiry) == 0
    assert await nudges(store) == []


async def test_other_reps_inquiry_is_invisible(router: Router, rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller 产品: CTP")
    other = Chat(router, user_id="200", name="Wang", locale="en")
    await other.say("/start")
    unknown = await other.say("/inquiry Nobody 产品: CTP")
    assert await other.say("/inquiry Müller 产品: CTP") == unknown.replace("Nobody", "Müller")
    assert "No customer 'Müller' among yours" in await other.say("/replied Müller")
    listing = await other.say("/inquiry")
    assert "No open inquiries" in listing
    assert "Müller" not in listing
    (inquiry,) = await inquiries(store)
    assert inquiry.replied_at is None
    assert "1 open inquiry" in await rep.say("/inquiry")


async def test_replied_closes_inquiry_and_skips_nudge(rep: Chat, store: Store, tuesday: ManualClock) -> None:
    await rep.say("/inquiry Müller 产品: CTP")
    tuesday.advance(timedelta(hours=1, minutes=20))
    reply = await rep.say("/replied Müller sent the price list")
    assert "Replied to Müller Druck within the deadline, 3 h 40 min to spare." in reply
    assert "Next follow-up: 2027-03-16." in reply
    (inquiry,) = await inquiries(store)
    assert inquiry.replied_at == tuesday.now()
    (nudge,) = await nudges(store)
    assert nudge.status == ReminderStatus.SKIPPED
    async with store.session() as session:
        interaction = (await session.execute(select(Interaction))).scalar_one()
    assert (interaction.kind, interaction.text) == ("reply", "sent the price list")
    assert "Müller Druck has no open inquiry" in await rep.say("/replied Müller")
    assert "inquiry reply: sent the price list" in await rep.say("/card Müller")


async def test_replied_after_deadline_says_how_late(rep: Chat, tuesday: ManualClock) -> None:
    await rep.say("/inquiry Müller 产品: CTP")
    tuesday.advance(timedelta(hours=6, minutes=25))
    assert "Replied to Müller Druck 1 h 25 min after the deadline." in await rep.say("/replied Müller")


async def test_replied_closes_latest_and_counts_rest(rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller 产品: CTP 收到: 09:00")
    await rep.say("/inquiry Müller 产品: PS plate 收到: 09:30")
    reply = await rep.say("/replied Müller")
    assert "1 more inquiry from Müller Druck is open" in reply
    first, second = await inquiries(store)
    assert first.replied_at is None
    assert second.replied_at is not None
    statuses = {row.subject_id: row.status for row in await nudges(store)}
    assert statuses == {first.id: ReminderStatus.PENDING, second.id: ReminderStatus.SKIPPED}


async def test_inquiry_list_puts_overdue_first(rep: Chat, tuesday: ManualClock) -> None:
    await rep.say("/add 名称: Empire Printing 国家: US 时区: America/New_York")
    await rep.say("/inquiry Empire 产品: PS plate")
    await rep.say("/inquiry Müller 产品: CTP")
    tuesday.advance(timedelta(hours=5, minutes=30))
    lines = (await rep.say("/inquiry")).splitlines()
    assert lines[0] == "2 open inquiries, earliest deadline first: 1 is overdue."
    assert lines[1].startswith("• Müller Druck: CTP — ⚠️ overdue by 30 min, was due today 15:00")
    assert lines[2].startswith("• Empire Printing: PS plate — reply by today 21:00")


async def test_nudge_and_digest_lines_render(rep: Chat, store: Store, tuesday: ManualClock) -> None:
    await rep.say("/add 名称: Hans Trading 国家: DE 邮箱: hans.trading@gmail.com")
    await rep.say("/inquiry Hans 产品: CTP 数量: 1×20GP 渠道: whatsapp")
    (inquiry,) = await inquiries(store)
    t = Translator("en")
    nudge = render_nudge(inquiry, t=t, rep_zone="Asia/Shanghai", now=datetime(2027, 3, 9, 6, 0, tzinfo=UTC))
    assert nudge.text.startswith(
        "⏰ Reply to Hans Trading within 1 h: the deadline is today 15:00 (buyer's local 08:00, Germany)."
    )
    assert "Inquiry: CTP, 1×20GP (WhatsApp), received today 10:00." in nudge.text
    assert "hans.trading@gmail.com is a free mailbox" in nudge.text
    assert nudge.buttons[0][0].data == f"/replied #{inquiry.customer_id}"
    later = datetime(2027, 3, 9, 8, 5, tzinfo=UTC)
    (line,) = render_open_inquiries([inquiry], t=t, rep_zone="Asia/Shanghai", now=later)
    assert "⚠️ overdue by 1 h 5 min" in line
    assert line.endswith("(1 price-probe warning)")


async def test_replied_button_closes_inquiry(rep: Chat, store: Store) -> None:
    replies = await rep.send("/inquiry Müller 产品: CTP")
    assert "within the deadline" in await rep.press(replies[0].buttons[0][0].data)
    (inquiry,) = await inquiries(store)
    assert inquiry.replied_at is not None


async def test_ambiguous_name_reruns_with_fields_and_received_time(
    rep: Chat, store: Store, tuesday: ManualClock
) -> None:
    await rep.say("/add 名称: Global 国家: DE")
    await rep.say("/add 名称: Global Print Solutions 国家: DE")
    replies = await rep.send("/inquiry Global print 产品: plates 收到: 30分钟前")
    assert "Several customers match 'Global'" in replies[0].text
    tuesday.advance(timedelta(minutes=10))
    reply = await rep.say("2")
    assert "Inquiry registered: Global Print Solutions: plates" in reply
    (inquiry,) = await inquiries(store)
    assert inquiry.received_at == datetime(2027, 3, 9, 1, 30, tzinfo=UTC)
    assert inquiry.text is None


async def test_chinese_keywords(router: Router, boss: Chat, store: Store) -> None:
    chat = Chat(router, user_id="300", locale="zh-hans")
    await chat.say("开始")
    await chat.say("添加客户 名称: 华为技术 国家: DE")
    await chat.say("询盘 华为技术 产品: CTP 渠道: 阿里")
    await chat.say("观察名单 添加 +49 30 901820 竞争对手")
    assert "+4930901820" in await chat.say("观察名单")
    assert "华为技术" in await chat.say("询盘")
    await chat.say("已回复华为")
    (inquiry,) = await inquiries(store)
    assert inquiry.channel == "alibaba"
    assert inquiry.replied_at is not None


async def test_watch_add_list_remove_and_permissions(router: Router, boss: Chat, rep: Chat, store: Store) -> None:
    other = Chat(router, user_id="200", name="Wang", locale="en")
    await other.say("/start")
    assert "Added rival.cn" in await rep.say("/watch add @Rival.CN copies our catalogue")
    assert "already on the watch list" in await other.say("/watch add rival.cn")
    listing = await other.say("/watch")
    assert "• rival.cn — copies our catalogue (added by Li on 2027-03-09)" in listing
    assert "Only the member who added rival.cn" in await other.say("/watch remove rival.cn")
    assert await count(store, WatchEntry) == 1
    assert "Removed rival.cn" in await boss.say("/watch remove @rival.cn")
    assert await count(store, WatchEntry) == 0
    assert "Added +4930901820" in await other.say("/watch add +49 30 901820")
    assert "Removed +4930901820" in await other.say("/watch remove 0049 30 901820")
    assert "The watch list is empty" in await rep.say("/watch")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/watch add gmail.com", "gmail.com is a free-mail service"),
        ("/watch add rival", "'rival' is not an email, a domain or a phone number"),
        ("/watch add 030 901820", "has no country code"),
        ("/watch add bad@", "Email 'bad@' is not valid"),
        ("/watch add", "/watch add VALUE [note]"),
        ("/watch frobnicate x@y.cn", "/watch add VALUE [note]"),
        ("/watch remove nobody@rival.cn", "nobody@rival.cn is not on the watch list"),
        ("/watch remove a@rival.cn extra words", "/watch remove takes one value"),
        ("/watch add a@rival.cn " + "n" * 301, "The note is too long (301 characters)"),
    ],
)
async def test_watch_bad_input_stores_nothing(rep: Chat, store: Store, message: str, expected: str) -> None:
    assert expected in await rep.say(message)
    assert await count(store, WatchEntry) == 0


async def test_inquiry_in_group_is_refused(router: Router, rep: Chat) -> None:
    group = Incoming(platform="test", user_id="100", chat_id="-7", text="/inquiry", locale="en", is_private=False)
    (reply,) = await router.handle(group)
    assert "private chat" in reply.text
