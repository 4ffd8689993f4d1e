"""The audit log: reads, search results and writes are recorded; /audit; nothing can change it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bot.clock import ManualClock
from bot.i18n import translator
from bot.models import AuditEvent
from bot.store import Store
from handlers.commands import PICK_COMMAND
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

ADD_SHARMA = "/add 名称: Sharma Print House 国家: IN 等级: A 联系人: Rahul Sharma 邮箱: rahul@sharmaprint.in"
ADD_KOWALSKI = "/add 名称: Kowalski Druk 国家: PL 等级: B"


class Team:
    def __init__(self, router: Router) -> None:
        self.boss = Chat(router, user_id="1", name="Boss", locale="en")
        self.wang = Chat(router, user_id="300", name="Wang", locale="en")
        self.li = Chat(router, user_id="100", name="Li", locale="en")


async def team_with_customers(router: Router) -> Team:
    team = Team(router)
    await team.boss.say("/start")
    await enroll(team.wang, admin=team.boss, role="manager")
    await enroll(team.li, admin=team.boss)
    await team.li.say(ADD_SHARMA)
    await team.li.say(ADD_KOWALSKI)
    return team


async def events(store: Store) -> list[tuple[object, ...]]:
    async with store.session() as session:
        rows = (await session.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars()
        return [
            (row.id, row.member_id, row.action, row.detail, row.platform, row.chat_id, row.customer_id, row.command, row.at)
            for row in rows
        ]


async def test_card_read_recorded_with_chat(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    before = len(await events(store))
    await team.li.say("/card Sharma Print House")
    [event] = (await events(store))[before:]
    _id, _member, action, _detail, platform, chat_id, customer_id, command, _at = event
    assert (action, platform, chat_id, customer_id, command) == ("card_read", "test", "100", 1, "card")


@pytest.mark.parametrize(
    ("message", "command"),
    [
        ("/draft Sharma Print House", "draft"),
        ("/reply Sharma Print House", "reply"),
        ("/check 客户: Sharma Print House\nDear Rahul, the price is USD 2.5/sqm FOB Qingdao.", "check"),
        ("/cadence Sharma Print House", "cadence"),
    ],
)
async def test_customer_detail_commands_record_read(router: Router, store: Store, message: str, command: str) -> None:
    team = await team_with_customers(router)
    await team.li.say("/inquiry Sharma Print House 产品: CTP plate")
    before = len(await events(store))
    await team.li.say(message)
    reads = [(action, customer_id, cmd) for _i, _m, action, _d, _p, _c, customer_id, cmd, _at in (await events(store))[before:]]
    assert ("card_read", 1, command) in reads


async def test_today_records_no_read(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    before = len(await events(store))
    await team.li.say("/today")
    assert [row[2] for row in (await events(store))[before:]] == []


async def test_search_records_each_listed_customer(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    before = len(await events(store))
    await team.li.say("/find r")  # too short to match part of a name: contacts and fuzzy
    await team.li.say("/find druk")
    recorded = [(action, detail) for _i, _m, action, detail, *_rest in (await events(store))[before:]]
    assert recorded[-1] == ("search", {"customer_ids": [2], "count": 1})
    assert all(action == "search" for action, _detail in recorded)


async def test_writes_recorded_without_contact_details(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    await team.li.say("/log Sharma Print House call sample sent")
    rows = await events(store)
    writes = [
        (command, customer_id, detail)
        for _i, _m, action, detail, _p, _c, customer_id, command, _at in rows
        if action == "write" and detail["customer_ids"]
    ]
    assert [command for command, _customer, _detail in writes] == ["add", "add", "log"]
    assert writes[-1][1] == 1
    assert "interactions" in writes[-1][2]["tables"]
    assert "rahul" not in repr(rows).lower()


async def test_audit_shows_member_events_newest_first(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_with_customers(router)
    clock.advance(timedelta(minutes=5))
    await team.li.say("/card Kowalski Druk")
    reply = await team.wang.say("/audit @Li 7")
    lines = reply.splitlines()
    assert lines[0].startswith("Audit log of Li, last 7 days: ")
    assert lines[0].endswith(" events, newest first.")
    assert "read card · #2 · /card · test chat 100" in lines[1]
    assert "registered a customer · #2 · /add" in lines[2]
    assert "registered a customer · #1 · /add" in lines[3]


async def test_audit_in_chinese(router: Router, store: Store) -> None:
    if translator("zh_CN").gettext("read card") == "read card":
        pytest.skip("the zh_CN catalog does not have the /audit messages yet")
    team = await team_with_customers(router)
    await team.li.say("/card Kowalski Druk")
    chinese = Chat(router, user_id="1", name="Boss", locale="zh-hans")
    await chinese.say("/lang zh")
    reply = await chinese.say("/audit Li")
    assert reply.splitlines()[0].startswith("Li 最近 7 天的审计日志")
    assert "查看卡片 · #2" in reply
    assert "#2" in reply


async def test_audit_refused_to_rep_and_bad_input(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    before = await events(store)
    assert "Only admins and managers can read the audit log" in await team.li.say("/audit @Wang")
    assert "/audit @NAME [DAYS]" in await team.wang.say("/audit")
    assert "No single member of your team is called 'Nobody'" in await team.wang.say("/audit @Nobody")
    assert "'999' is not a number of days from 1 to 366" in await team.wang.say("/audit @Li 999")
    assert await events(store) == before


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("-5", "'-5' is not a number of days from 1 to 366."),
        ("abc", "'abc' is not a number of days from 1 to 366."),
        ("0", "'0' is not a number of days from 1 to 366."),
    ],
)
async def test_audit_invalid_days_named_with_range(router: Router, store: Store, days: str, expected: str) -> None:
    team = await team_with_customers(router)
    before = await events(store)
    reply = await team.wang.say(f"/audit @Li {days}")
    assert reply == expected
    assert "No single member" not in reply
    assert await events(store) == before


async def test_audit_singular_day_and_card(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    assert (await team.wang.say("/audit @Li 1")).startswith("Audit log of Li, last 1 day: ")
    assert "more than 1 customer card within an hour" in await team.boss.say("/audit limit 1")


async def test_no_command_changes_or_deletes_audit_rows(router: Router, store: Store, clock: ManualClock) -> None:
    team = await team_with_customers(router)
    await team.li.say("/card Sharma Print House")
    arguments = ["", "Sharma Print House", "#1", "delete all", "limit 5", "@Li 1", "yes", "days 30"]
    names = sorted(set(router.handlers) | {PICK_COMMAND})
    assert {"audit", "pool", "claim", "card", "export"} <= set(names)
    previous = await events(store)
    for chat in (team.li, team.wang, team.boss):
        for name in names:
            for argument in arguments:
                await chat.say(f"/{name} {argument}".strip())
                current = await events(store)
                assert current[: len(previous)] == previous, f"/{name} {argument} changed the audit log"
                previous = current
        clock.advance(timedelta(minutes=1))
    assert len(previous) > 10


async def test_database_rejects_audit_update_and_delete(router: Router, store: Store) -> None:
    await team_with_customers(router)
    rejected = (IntegrityError, OperationalError, DBAPIError)
    with pytest.raises(rejected):
        async with store.session() as session, session.begin():
            await session.execute(update(AuditEvent).values(action="nothing"))
    with pytest.raises(rejected):
        async with store.session() as session, session.begin():
            await session.execute(delete(AuditEvent))
    async with store.session() as session:
        count = await session.scalar(text("SELECT count(*) FROM audit_events WHERE command = 'add'"))
    assert count == 2


async def test_audit_names_writes_by_command(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    await team.li.say("/log Sharma Print House call sample sent")
    await team.li.say("/deal Kowalski Druk 产品: CTP 价格: USD 3.2 FOB Shanghai")
    await team.li.say("/role Li manager")
    before = await events(store)
    reply = await team.wang.say("/audit @Li")
    assert "registered a customer · #1 · /add" in reply
    assert "registered a customer · #2 · /add" in reply
    assert "logged a follow-up · #1 · /log" in reply
    assert "changed a deal · #2 · /deal" in reply
    assert "joined the team · /start" in reply
    assert "changed ·" not in reply
    own = await team.wang.say("/audit @Wang")
    assert "joined the team · /start" in own
    # /audit adds its own read event and changes none of the events before it.
    assert (await events(store))[: len(before)] == before


async def test_audit_other_write_stays_changed(router: Router, store: Store) -> None:
    team = await team_with_customers(router)
    await team.boss.say("/market set Nordics SE NO")
    reply = await team.wang.say("/audit @Boss")
    assert "changed · /market" in reply
    assert "Write /audit @NAME" in await team.wang.say("/audit")
