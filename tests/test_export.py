"""/export through the real router and database: the workbook, the audit trail, refusals and alerts."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from sqlalchemy import select, update

from bot.clock import ManualClock
from bot.errors import AccessDenied
from bot.models import AuditEvent, Member, Reminder, ReminderStatus
from bot.services.alerts import ALERT_KIND
from bot.services.exports import XLSX_MIME_TYPE, export_team
from bot.store import Store
from handlers.router import Router
from reminders.dispatcher import Dispatcher
from tests.chat import Chat
from tests.members import enroll
from tests.test_dispatcher_calendar import RecordingNotifier

SHANGHAI = ZoneInfo("Asia/Shanghai")

ADD_SHARMA = (
    "/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma 职位: buyer "
    "邮箱: rahul@sharmaprint.in 电话: +91 98200 12345 生日: 12 Jun 1985 来源: Alibaba 备注: CTCP plates"
)
DEAL_SHARMA = (
    "/deal Sharma Print House 产品: CTCP plate 规格: 530×664 mm 数量: 1×20GP "
    "价格: USD 2.5 FOB Shanghai 阶段: quoted"
)
# A note that Excel would run as a formula if it were not stored as text.
ADD_KOWALSKI = "/add 名称: Kowalski Druk 国家: PL 等级: B 联系人: Jan Kowalski 生日: 3月5日 备注: =SUM(A1:A3)"

ENGLISH_HEADERS = {
    "Customers": [
        "Company", "Country", "State/Province", "Time Zone", "Contact", "Title", "Email", "Phone",
        "Birthday", "Tier", "Source", "Last Contact", "Note", "Tags", "Owner",
    ],
    "Deals": [
        "Customer", "Product", "Spec", "Quantity", "Unit", "Unit Price", "Currency", "Incoterm",
        "Value", "Stage", "Probability", "Close Date", "Owner",
    ],
    "Interactions": ["Customer", "Date", "Kind", "Text", "Member"],
}
CHINESE_HEADERS = {
    "客户": [
        "客户名称", "国家", "州/省", "时区", "联系人", "职位", "邮箱", "电话",
        "生日", "等级", "来源", "最后联系", "备注", "标签", "负责人",
    ],
    "商机": [
        "客户名称", "产品", "规格", "数量", "单位", "单价", "币种", "贸易术语",
        "金额", "阶段", "成交概率", "预计成交日期", "负责人",
    ],
    "跟进记录": ["客户名称", "时间", "类型", "内容", "记录人"],
}


class Team:
    """An admin, a manager and two reps with a small book of business."""

    def __init__(self, router: Router) -> None:
        self.admin = Chat(router, user_id="1", name="Boss", locale="en")
        self.li = Chat(router, user_id="100", name="Li", locale="en")
        self.chen = Chat(router, user_id="200", name="Chen", locale="en")
        self.manager = Chat(router, user_id="300", name="Wang", locale="en")

    async def join(self, store: Store) -> None:
        # The first member is the admin, who invites two reps and Wang as manager.
        await self.admin.say("/start")
        for chat in (self.li, self.chen):
            await enroll(chat, admin=self.admin)
        await enroll(self.manager, admin=self.admin, role="manager")

    async def fill(self) -> None:
        assert "Registered Sharma Print House" in await self.li.say(ADD_SHARMA)
        assert "Deal created" in await self.li.say(DEAL_SHARMA)
        assert "Logged" in await self.li.say("/log Sharma quote USD 2.5 FOB Shanghai")
        assert "Registered Kowalski Druk" in await self.chen.say(ADD_KOWALSKI)


async def team_with_data(router: Router, store: Store) -> Team:
    team = Team(router)
    await team.join(store)
    await team.fill()
    return team


def workbook_of(chat: Chat) -> Workbook:
    [reply] = chat.last
    assert reply.file is not None, reply.text
    return load_workbook(io.BytesIO(reply.file.data))


def rows_of(workbook: Workbook, sheet: str) -> list[tuple[object, ...]]:
    return list(workbook[sheet].iter_rows(values_only=True))


async def audit_actions(store: Store) -> list[tuple[str, str, dict[str, object]]]:
    async with store.session() as session:
        # Only the export's own events: reads and writes of the setup are audited too.
        statement = select(AuditEvent).where(AuditEvent.action.like("export%")).order_by(AuditEvent.id)
        events = (await session.execute(statement)).scalars()
        members = {member.id: member.display_name for member in (await session.execute(select(Member))).scalars()}
        return [(event.action, members[event.member_id], event.detail) for event in events]


# ---------------------------------------------------------------------------- the workbook


async def test_manager_export_has_whole_team(router: Router, store: Store) -> None:
    team = await team_with_data(router, store)
    summary = await team.manager.say("/export")

    assert summary.startswith("Team export of 2026-12-07: 2 customers, 1 deal, 1 interaction.")
    [reply] = team.manager.last
    assert reply.file is not None
    assert reply.file.filename == "followup-export-2026-12-07.xlsx"
    assert reply.file.mime_type == XLSX_MIME_TYPE
    workbook = workbook_of(team.manager)
    assert workbook.sheetnames == ["Customers", "Deals", "Interactions"]

    customers = rows_of(workbook, "Customers")
    assert list(customers[0]) == ENGLISH_HEADERS["Customers"]
    assert customers[1] == (
        "Sharma Print House", "IN", None, "Asia/Kolkata", "Rahul Sharma", "buyer",
        "rahul@sharmaprint.in", "+919820012345", datetime(1985, 6, 12), "A", "Alibaba",
        datetime(2026, 12, 7), "CTCP plates", None, "Li",
    )
    # A birthday without a year is ISO 8601 "--MM-DD" text, and an empty source stays empty.
    assert customers[2] == (
        "Kowalski Druk", "PL", None, "Europe/Warsaw", "Jan Kowalski", None, None, None, "--03-05",
        "B", None, datetime(2026, 12, 7), "=SUM(A1:A3)", None, "Chen",
    )
    assert len(customers) == 3

    deals = rows_of(workbook, "Deals")
    assert list(deals[0]) == ENGLISH_HEADERS["Deals"]
    assert deals[1:] == [
        (
            "Sharma Print House", "CTCP plate", "530×664 mm", 1, "20GP", 2.5, "USD", "FOB Shanghai",
            None, "quoted", 0.25, None, "Li",
        )
    ]
    interactions = rows_of(workbook, "Interactions")
    assert list(interactions[0]) == ENGLISH_HEADERS["Interactions"]
    assert interactions[1:] == [
        ("Sharma Print House", datetime(2026, 12, 7, 10, 0), "quote", "USD 2.5 FOB Shanghai", "Li")
    ]


async def test_export_cells_typed(router: Router, store: Store) -> None:
    team = await team_with_data(router, store)
    await team.admin.say("/export")
    workbook = workbook_of(team.admin)
    sharma, kowalski = workbook["Customers"][2], workbook["Customers"][3]
    assert sharma[8].is_date
    assert sharma[8].number_format == "yyyy-mm-dd"
    assert sharma[11].is_date
    # The note starting with "=" is text, not a formula Excel would run.
    assert kowalski[12].data_type == "s"
    deal = workbook["Deals"][2]
    assert deal[3].data_type == "n"
    assert deal[5].data_type == "n"
    assert deal[10].number_format == "0%"
    assert workbook["Interactions"][2][1].number_format == "yyyy-mm-dd hh:mm"


async def test_chinese_member_gets_chinese_headers(router: Router, store: Store) -> None:
    team = await team_with_data(router, store)
    await team.admin.say("/lang zh")
    await team.admin.say("导出")
    workbook = workbook_of(team.admin)
    assert workbook.sheetnames == ["客户", "商机", "跟进记录"]
    for sheet, headers in CHINESE_HEADERS.items():
        assert list(rows_of(workbook, sheet)[0]) == headers, sheet
    # Stored codes are written as labels in the member's language.
    assert rows_of(workbook, "商机")[1][9] == "报价"
    assert rows_of(workbook, "跟进记录")[1][2] == "报价"


async def test_empty_team_exports_headers_only(router: Router, store: Store) -> None:
    team = Team(router)
    await team.join(store)
    assert "0 customers, 0 deals, 0 interactions" in await team.admin.say("/export")
    workbook = workbook_of(team.admin)
    for sheet, headers in ENGLISH_HEADERS.items():
        assert rows_of(workbook, sheet) == [tuple(headers)]


# ---------------------------------------------------------------------------- audit


async def test_export_is_audited_with_counts(router: Router, store: Store) -> None:
    team = await team_with_data(router, store)
    await team.manager.say("/export")
    [(action, member, detail)] = await audit_actions(store)
    assert (action, member) == ("export", "Wang")
    assert detail["customers"] == 2
    assert detail["deals"] == 1
    assert detail["interactions"] == 1
    [reply] = team.manager.last
    assert reply.file is not None
    assert detail["bytes"] == len(reply.file.data)
    async with store.session() as session:
        event = await session.scalar(select(AuditEvent).where(AuditEvent.action.like("export%")))
    assert event is not None
    assert (event.platform, event.chat_id) == ("test", "300")


async def test_unknown_option_gets_usage(router: Router, store: Store) -> None:
    team = await team_with_data(router, store)
    reply = await team.manager.say("/export something-unknown")
    assert "'something-unknown' is not understood" in reply
    assert "Send /export alone" in reply
    assert team.manager.last[0].file is None
    assert await audit_actions(store) == []


async def test_export_needs_private_chat(router: Router, store: Store) -> None:
    await team_with_data(router, store)
    in_group = Chat(router, user_id="300", name="Wang", locale="en", group_id="-1001")
    assert "private chat" in await in_group.say("/export")
    assert in_group.last[0].file is None
    assert await audit_actions(store) == []


# ---------------------------------------------------------------------------- refusal and alerts


async def test_rep_export_refused_and_audited(router: Router, store: Store) -> None:
    team = await team_with_data(router, store)
    reply = await team.li.say("/export")
    assert "Only admins and managers can export" in reply
    assert "your managers were notified" in reply
    assert team.li.last[0].file is None
    assert await audit_actions(store) == [("export_refused", "Li", {"role": "rep"})]


async def test_export_service_rejects_rep(router: Router, store: Store, clock: ManualClock) -> None:
    await team_with_data(router, store)
    async with store.session() as session, session.begin():
        rep = await session.scalar(select(Member).where(Member.display_name == "Li"))
        assert rep is not None
        with pytest.raises(AccessDenied):
            await export_team(session, actor=rep, locale="en", now=clock.now(), platform="test", chat_id="100")
    assert await audit_actions(store) == []


async def test_rep_export_alerts_each_manager(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_with_data(router, store)
    await team.li.say("/export")
    async with store.session() as session:
        event_id = await session.scalar(select(AuditEvent.id).where(AuditEvent.action.like("export%")))
        rows = list((await session.execute(select(Reminder).where(Reminder.kind == ALERT_KIND))).scalars())
        names = {member.id: member.display_name for member in (await session.execute(select(Member))).scalars()}
    assert sorted(names[row.member_id] for row in rows) == ["Boss", "Wang"]
    assert {row.subject_id for row in rows} == {event_id}
    assert {row.status for row in rows} == {ReminderStatus.PENDING}
    assert {row.due_at for row in rows} == {clock.now()}

    notifier = RecordingNotifier(clock)
    dispatcher = Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id="w1")
    assert await dispatcher.dispatch_due() == 2
    assert sorted(delivery.chat_id for _at, delivery in notifier.sent) == ["1", "300"]
    for text in notifier.texts():
        assert text == (
            "⚠️ Li, a rep, tried to export the team's data at 2026-12-07 10:00 (Asia/Shanghai) "
            "via test chat 100. The export was refused."
        )
    # Each alert goes out once.
    assert await dispatcher.dispatch_due() == 0


async def test_alert_uses_manager_zone(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_with_data(router, store)
    await team.manager.say("/tz Europe/Berlin")
    await team.chen.say("导出客户")
    notifier = RecordingNotifier(clock)
    dispatcher = Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id="w1")
    await dispatcher.dispatch_due()
    texts = {delivery.chat_id: delivery.reply.text for _at, delivery in notifier.sent}
    # 10:00 in Beijing is 03:00 in Berlin in December.
    assert "Chen, a rep, tried to export the team's data at 2026-12-07 03:00 (Europe/Berlin)" in texts["300"]
    assert "at 2026-12-07 10:00 (Asia/Shanghai) via test chat 200" in texts["1"]


async def test_inactive_manager_gets_no_alert(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_with_data(router, store)
    async with store.session() as session, session.begin():
        await session.execute(update(Member).where(Member.display_name == "Wang").values(active=False))
    await team.li.say("/export")
    notifier = RecordingNotifier(clock)
    dispatcher = Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id="w1")
    await dispatcher.dispatch_due()
    assert [delivery.chat_id for _at, delivery in notifier.sent] == ["1"]


async def test_alert_after_downtime_still_sent(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_with_data(router, store)
    await team.li.say("/export")
    clock.set(datetime(2026, 12, 8, 12, 0, tzinfo=SHANGHAI))
    notifier = RecordingNotifier(clock)
    dispatcher = Dispatcher(store=store, clock=clock, notifiers={"test": notifier}, worker_id="w1")
    await dispatcher.dispatch_due()
    alerts = [text for text in notifier.texts() if "tried to export" in text]
    assert len(alerts) == 2
    assert all("2026-12-07 10:00" in text for text in alerts)
