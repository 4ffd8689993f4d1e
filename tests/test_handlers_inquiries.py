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
from bot.services.inquiry_channels import CHANNEL_LABELS
from handlers.inquiries import parse_channel
from reminders.inquiry_render import excerpt, render_nudge, render_open_inquiries, replied_button
from tests.chat import Chat
from tests.members import enroll, invite

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
    await enroll(chat, admin=boss)
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
    # New York's 20:00 is after the rep's working hours, so its nudge comes at 17:00.
    assert "I will remind you today 17:00." in new_york
    assert [row.due_at.astimezone(BEIJING).hour for row in await nudges(store)] == [17, 11]


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
    late = await rep.say("/inquiry Tokyo 产品: CTP 收到: 昨天 9:00")
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
    assert "The phone +919820012345 does not match the customer's country (phone: India, customer: Germany)." in reply
    (inquiry,) = await inquiries(store)
    assert [flag["code"] for flag in inquiry.probe_flags] == ["free_mail", "phone_country"]
    assert (inquiry.sender_email, inquiry.sender_phone) == (None, None)


async def test_inquiry_sender_fields_replace_contacts(rep: Chat, store: Store) -> None:
    reply = await rep.say("/inquiry Müller 产品: CTP 邮箱: buyer@print.co.uk 电话: 030 901820")
    assert "The email domain print.co.uk does not match the customer's country (domain: United Kingdom, customer: Germany)." in reply
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
        ("/inquiry Müller 产品: CTP 收到: 明天 10:00", "is in the future"),
        ("/inquiry Müller 产品: CTP 收到: 2026-03-09 10:00", "more than 30 days ago"),
        ("/inquiry Müller", "What did the buyer ask for?"),
        ("/inquiry Müller 数量: 5000 sqm 渠道: email", "What did the buyer ask for?"),
        ("/inquiry Müller 渠道: tiktok", "Channel 'tiktok' is not recognised. Write one of: Alibaba, Made-in-China"),
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


async def test_other_reps_inquiry_is_invisible(router: Router, boss: Chat, rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller 产品: CTP")
    other = Chat(router, user_id="200", name="Wang", locale="en")
    await enroll(other, admin=boss)
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


async def test_replied_closes_earliest_deadline_and_counts_rest(rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller 产品: CTP")
    # Monday 19:00 in Beijing is noon in Berlin: due at 14:00 there, overdue since last night.
    await rep.say("/inquiry Müller 产品: PS plate 收到: 昨天 19:00")
    await rep.say("/inquiry Müller 产品: CTP plate 收到: 09:00")
    reply = await rep.say("/replied Müller")
    assert "Inquiry closed: PS plate, received yesterday 19:00." in reply
    assert "2 more inquiries from Müller Druck are open" in reply
    today, overdue, today_earlier = await inquiries(store)
    assert overdue.replied_at is not None
    assert (today.replied_at, today_earlier.replied_at) == (None, None)
    # Equal deadlines: the inquiry registered first is closed first.
    second = await rep.say("/replied Müller")
    assert "Inquiry closed: CTP, received today 10:00." in second
    assert "1 more inquiry from Müller Druck is open" in second
    last = await rep.say("/replied Müller")
    assert "Inquiry closed: CTP plate, received today 09:00." in last
    assert "more inquir" not in last


async def test_replied_skips_only_closed_nudge(rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller 产品: CTP 收到: 09:00")
    await rep.say("/inquiry Müller 产品: PS plate 收到: 09:30")
    reply = await rep.say("/replied Müller")
    assert "1 more inquiry from Müller Druck is open" in reply
    first, second = await inquiries(store)
    assert first.replied_at is not None
    assert second.replied_at is None
    statuses = {row.subject_id: row.status for row in await nudges(store)}
    assert statuses == {first.id: ReminderStatus.SKIPPED, second.id: ReminderStatus.PENDING}


async def test_inquiry_list_puts_overdue_first(rep: Chat, store: Store, tuesday: ManualClock) -> None:
    await rep.say("/add 名称: Empire Printing 国家: US 时区: America/New_York")
    await rep.say("/inquiry Empire 产品: PS plate")
    await rep.say("/inquiry Müller 产品: CTP")
    tuesday.advance(timedelta(hours=5, minutes=30))
    (listing,) = await rep.send("/inquiry")
    lines = listing.text.splitlines()
    assert lines[0] == "2 open inquiries, 1 overdue, earliest deadline first:"
    assert lines[1].startswith("1. Müller Druck: CTP — ⚠️ overdue by 30 min, was due today 15:00")
    assert lines[2].startswith("2. Empire Printing: PS plate — reply by today 21:00")
    müller, empire = sorted(await inquiries(store), key=lambda inquiry: inquiry.customer.name, reverse=True)
    labels = [(button.label, button.data) for row in listing.buttons for button in row]
    assert labels == [
        ("✅ 1 replied", f"/replied #{müller.customer_id} !{müller.id}"),
        ("✅ 2 replied", f"/replied #{empire.customer_id} !{empire.id}"),
    ]


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
    assert nudge.buttons[0][0].data == f"/replied #{inquiry.customer_id} !{inquiry.id}"
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
    await chat.say(f"开始 {await invite(boss)}")
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
    await enroll(other, admin=boss)
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


async def test_replied_button_closes_its_own_inquiry(rep: Chat, store: Store) -> None:
    early = await rep.send("/inquiry Müller 产品: CTP")
    await rep.send("/inquiry Müller 产品: PS plate 收到: 昨天 19:00")
    # The first inquiry's button closes it, although the overdue one has the earlier deadline.
    reply = await rep.press(early[0].buttons[0][0].data)
    assert "Inquiry closed: CTP, received today 10:00." in reply
    assert "1 more inquiry from Müller Druck is open" in reply
    first, overdue = await inquiries(store)
    assert first.replied_at is not None
    assert overdue.replied_at is None


async def test_replied_button_twice_says_already_replied(rep: Chat, store: Store) -> None:
    replies = await rep.send("/inquiry Müller 产品: CTP")
    button = replies[0].buttons[0][0].data
    await rep.press(button)
    again = await rep.press(button)
    assert "This inquiry from Müller Druck was already marked replied on 2027-03-09 10:00." in again
    async with store.session() as session:
        assert await session.scalar(select(func.count()).select_from(Interaction)) == 1


async def test_replied_reference_of_other_rep_looks_not_found(router: Router, boss: Chat, rep: Chat, store: Store) -> None:
    other = Chat(router, user_id="200", name="Wang", locale="en")
    await enroll(other, admin=boss)
    await other.say("/add 名称: Wang Print 国家: DE")
    await other.say("/inquiry Wang 产品: CTP")
    await rep.say("/inquiry Müller 产品: PS plate")
    theirs, mine = await inquiries(store)
    unknown = await rep.say(f"/replied #{mine.customer_id} !999999")
    assert "No such inquiry of Müller Druck among yours" in unknown
    # Larger than the 32-bit id column: not found, not an error of the database driver.
    assert await rep.say(f"/replied #{mine.customer_id} !99999999999") == unknown
    assert "No customer '#99999999999' among yours" in await rep.say("/replied #99999999999 !1")
    assert await rep.say(f"/replied #{mine.customer_id} !{theirs.id}") == unknown
    assert "No customer '#" in await rep.say(f"/replied #{theirs.customer_id} !{theirs.id}")
    theirs, mine = await inquiries(store)
    assert (theirs.replied_at, mine.replied_at) == (None, None)


async def test_replied_reference_fits_telegram_callback_limit(rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller 产品: CTP")
    (inquiry,) = await inquiries(store)
    inquiry.id = 2**63 - 1
    inquiry.customer_id = 2**63 - 1
    data = replied_button(inquiry, t=Translator("en")).data
    assert data == f"/replied #{2**63 - 1} !{2**63 - 1}"
    assert len(data.encode()) <= 64


async def test_replied_reference_is_not_in_help(rep: Chat) -> None:
    help_text = await rep.say("/help replied")
    assert "/replied NAME [TEXT]" in help_text
    assert "!" not in help_text.split("/replied", 1)[1].splitlines()[0]


async def test_replied_text_after_reference_is_kept(rep: Chat, store: Store) -> None:
    await rep.say("/inquiry Müller 产品: CTP")
    (inquiry,) = await inquiries(store)
    await rep.say(f"/replied #{inquiry.customer_id} !{inquiry.id} sent the price list")
    async with store.session() as session:
        interaction = (await session.execute(select(Interaction))).scalar_one()
    assert interaction.text == "sent the price list"


async def test_nudge_moved_to_five_says_four_hours_left(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Empire Printing 国家: US 时区: America/New_York")
    await rep.say("/inquiry Empire 产品: PS plate")
    (inquiry,) = await inquiries(store)
    (nudge,) = await nudges(store)
    assert nudge.due_at == datetime(2027, 3, 9, 17, 0, tzinfo=BEIJING)
    reply = render_nudge(inquiry, t=Translator("en"), rep_zone="Asia/Shanghai", now=nudge.due_at)
    assert reply.text.startswith("⏰ Reply to Empire Printing within 4 h: the deadline is today 21:00")


async def test_inquiry_late_tokyo_afternoon_two_hours(rep: Chat, tuesday: ManualClock) -> None:
    tuesday.set(datetime(2027, 3, 9, 16, 30, tzinfo=BEIJING))
    await rep.say("/add 名称: Tokyo Insatsu 国家: 日本")
    reply = await rep.say("/inquiry Tokyo 产品: CTP")
    assert "Reply by: today 18:30 (buyer's local 19:30, Japan)" in reply
    assert "I will remind you today 17:00." in reply


async def test_inquiry_free_text_excerpt_in_confirmation_and_list(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Tokyo Insatsu 国家: 日本")
    text = "Please quote 5000 sqm of thermal CTP plates, 0.27 mm, CIF Yokohama"
    reply = await rep.say(f"/inquiry Tokyo {text} 渠道: 邮件")
    excerpt = "“Please quote 5000 sqm of thermal CTP…”"
    assert f"Inquiry registered: Tokyo Insatsu: {excerpt} (email), received today 10:00." in reply
    assert f"1. Tokyo Insatsu: {excerpt} (email) — reply by" in await rep.say("/inquiry")
    (inquiry,) = await inquiries(store)
    assert inquiry.text == text


async def test_inquiry_short_text_shown_whole(rep: Chat) -> None:
    reply = await rep.say("/inquiry Müller need  5000\nplates")
    assert "Inquiry registered: Müller Druck: “need 5000 plates”, received" in reply


async def test_inquiry_double_tap_is_rejected(rep: Chat, store: Store, tuesday: ManualClock) -> None:
    message = "/inquiry Müller 产品: CTP 数量: 5000 sqm"
    await rep.say(message)
    tuesday.advance(timedelta(minutes=3))
    again = await rep.say(message)
    assert "This inquiry from Müller Druck is already registered (received 2027-03-09 10:00) and still open." in again
    assert await count(store, Inquiry) == 1
    assert len(await nudges(store)) == 1


async def test_inquiry_repeat_accepted_when_different_or_later(
    rep: Chat, store: Store, tuesday: ManualClock
) -> None:
    await rep.say("/inquiry Müller 产品: CTP 数量: 5000 sqm")
    assert "Inquiry registered" in await rep.say("/inquiry Müller 产品: CTP 数量: 8000 sqm")
    tuesday.advance(timedelta(minutes=11))
    assert "Inquiry registered" in await rep.say("/inquiry Müller 产品: CTP 数量: 5000 sqm")
    await rep.say("/replied Müller")
    await rep.say("/replied Müller")
    await rep.say("/replied Müller")
    assert "Inquiry registered" in await rep.say("/inquiry Müller 产品: CTP 数量: 5000 sqm")
    assert await count(store, Inquiry) == 4


async def test_inquiry_same_received_time_later_is_duplicate(rep: Chat, store: Store, tuesday: ManualClock) -> None:
    await rep.say("/inquiry Müller 内容: need plates 收到: 09:00")
    tuesday.advance(timedelta(hours=1))
    assert "already registered" in await rep.say("/inquiry Müller 内容: need plates 收到: 09:00")
    assert await count(store, Inquiry) == 1


async def test_inquiry_state_holiday_moves_deadline(rep: Chat, tuesday: ManualClock) -> None:
    # Monday 19 April 2027 is Patriots' Day in Massachusetts, a workday in New York.
    tuesday.set(datetime(2027, 4, 19, 22, 0, tzinfo=BEIJING))
    await rep.say("/add 名称: Boston Print 国家: US 州: MA 时区: America/New_York")
    await rep.say("/add 名称: Empire Printing 国家: US 时区: America/New_York")
    boston = await rep.say("/inquiry Boston 产品: CTP")
    empire = await rep.say("/inquiry Empire 产品: CTP")
    assert "Reply by: tomorrow 20:00 (buyer's local 08:00, United States)" in boston
    assert "Reply by: tomorrow 00:00 (buyer's local Mon 12:00, United States)" in empire


async def test_channel_error_lists_english_labels_in_english(rep: Chat) -> None:
    reply = await rep.say("/inquiry Müller 渠道: tiktok")
    assert "Alibaba, Made-in-China, Global Sources, email, WhatsApp, WeChat, website, phone" in reply
    assert not any("\u4e00" <= char <= "\u9fff" for char in reply)


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
async def test_every_channel_label_is_accepted(locale: str) -> None:
    t = Translator(locale)
    for code, label in CHANNEL_LABELS.items():
        assert parse_channel(t.gettext(label), t=t) == code


def test_excerpt_cuts_latin_between_words_and_chinese_anywhere() -> None:
    assert excerpt("need 5000 plates") == "“need 5000 plates”"
    assert excerpt("a" * 41) == "“" + "a" * 40 + "…”"
    assert excerpt("您好，我们需要热敏CTP版五千平方米，请报CIF孟买价格，付款方式T/T，谢谢您的报价和交货期") == (
        "“您好，我们需要热敏CTP版五千平方米，请报CIF孟买价格，付款方式T/T，谢谢您…”"
    )
    assert excerpt("Please quote 5000 sqm, 0.27 mm thermal CTP plates") == "“Please quote 5000 sqm, 0.27 mm thermal…”"


async def test_price_probe_check_in_english_has_no_chinese(rep: Chat) -> None:
    reply = await rep.say("/inquiry Müller 产品: CTP")
    assert "Price-probe check: nothing suspicious." in reply
    assert "防套价" not in reply


async def test_chinese_replies_use_full_width_punctuation(router: Router, boss: Chat, tuesday: ManualClock) -> None:
    chat = Chat(router, user_id="300", name="Li", locale="zh-hans")
    await chat.say(f"开始 {await invite(boss)}")
    await chat.say("添加客户 名称: Tokyo Insatsu 国家: 日本")
    await chat.say("添加客户 名称: Müller Druck 国家: DE")
    registered = await chat.say("询盘 Tokyo 产品: CTP版 数量: 1000张 渠道: 展会")
    assert "已登记询盘：Tokyo Insatsu：CTP版，1000张（展会），收到时间 今天 10:00。" in registered
    await chat.say("询盘 Müller 需要报价 渠道: 邮件 收到: 昨天 19:00")
    listing = (await chat.say("询盘")).splitlines()
    assert listing[0] == "2 条待回复询盘，其中 1 条已超时，时限最早的在前："
    assert listing[1].startswith("1. Müller Druck：“需要报价”（邮件） — ⚠️ 已超时 ")
    await chat.say("观察名单 添加 rival.cn 抄袭目录")
    assert "• rival.cn — 抄袭目录（Li 于 2027-03-09 添加）" in await chat.say("观察名单")
    assert "⚠️ 已超时 13 小时，时限为 昨天 21:00" in listing[1]
    chinese_boss = Chat(router, user_id="1", name="Boss", locale="zh-hans")
    assert "“0”不是工作日天数" in await chinese_boss.say("/digest lead 0")


async def test_inquiry_accepts_english_content_key(rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Content Buyer 国家: 德国 等级: A")
    reply = await rep.say("/inquiry Content 产品: plates content: please quote 500 pcs")
    assert "not recognised" not in reply
    async with store.session() as session:
        inquiry = (await session.execute(select(Inquiry))).scalars().all()[-1]
    assert inquiry.text == "please quote 500 pcs"
