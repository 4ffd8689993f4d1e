"""Handover (离职交接): customers, deals, open inquiries and reminders move in one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from bot.models import AuditEvent, Customer, Deal, Inquiry, Member, Reminder, ReminderStatus
from bot.services.inquiries import NUDGE_KIND
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll


@pytest.fixture
async def team(router: Router) -> tuple[Chat, Chat, Chat]:
    """An admin (Boss), a leaving rep (Li) with a European and an Indian buyer, and Wang."""
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    li = Chat(router, user_id="2", name="Li", locale="en")
    wang = Chat(router, user_id="3", name="Wang", locale="en")
    await enroll(li, admin=admin)
    await enroll(wang, admin=admin)
    await li.say("/add 名称: Berlin Druck 国家: DE 等级: A")
    await li.say("/deal Berlin 产品: CTP plate 阶段: quoted")
    await li.say("/inquiry Berlin Druck 产品: CTP plate")
    await li.say("/add 名称: Sharma Print 国家: IN 等级: A")
    await li.say("/deal Sharma 产品: CTCP plate 阶段: quoted")
    return admin, li, wang


async def state(store: Store) -> dict[str, object]:
    async with store.session() as session:
        names = {member.id: member.display_name for member in (await session.execute(select(Member))).scalars()}
        active = {member.display_name: member.active for member in (await session.execute(select(Member))).scalars()}
        owners = {row.name: names[row.owner_id] for row in await session.execute(select(Customer.name, Customer.owner_id))}
        deals = {row.product: names[row.owner_id] for row in await session.execute(select(Deal.product, Deal.owner_id))}
        inquiries = [names[member_id] for member_id in (await session.execute(select(Inquiry.member_id))).scalars()]
        nudges = [
            names[member_id]
            for member_id in (
                await session.execute(
                    select(Reminder.member_id).where(Reminder.kind == NUDGE_KIND, Reminder.status == ReminderStatus.PENDING)
                )
            ).scalars()
        ]
    return {"active": active, "owners": owners, "deals": deals, "inquiries": inquiries, "nudges": nudges}


async def test_handover_moves_everything_and_deactivates(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    admin, li, wang = team
    reply = await admin.say("/handover @Li @Wang")
    assert "2 customers, 2 deals, 1 open inquiries, 1 reminders" in reply
    assert "Li is deactivated" in reply
    after = await state(store)
    assert after["owners"] == {"Berlin Druck": "Wang", "Sharma Print": "Wang"}
    assert after["deals"] == {"CTP plate": "Wang", "CTCP plate": "Wang"}
    assert after["inquiries"] == ["Wang"]
    assert after["nudges"] == ["Wang"]
    assert after["active"]["Li"] is False  # type: ignore[index]
    assert "Berlin Druck" in await wang.say("/card Berlin")


async def test_leaver_refused_once_after_handover(team: tuple[Chat, Chat, Chat]) -> None:
    admin, li, _wang = team
    await admin.say("/handover Li Wang")
    assert "Your access to this team has ended" in await li.say("/card Berlin")
    assert await li.say("/card Berlin") == ""
    assert await li.say("/start") == ""


async def test_handover_by_market_moves_only_that_market(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    admin, li, _wang = team
    reply = await admin.say("/handover @Li @Wang 市场: 欧洲")
    assert "1 customers, 1 deals, 1 open inquiries" in reply
    after = await state(store)
    assert after["owners"] == {"Berlin Druck": "Wang", "Sharma Print": "Li"}
    assert after["deals"] == {"CTP plate": "Wang", "CTCP plate": "Li"}
    assert after["active"]["Li"] is True  # type: ignore[index]
    assert "Sharma Print" in await li.say("/card Sharma")


async def test_handover_is_audited(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    admin, _li, _wang = team
    await admin.say("/handover @Li @Wang")
    async with store.session() as session:
        events = list((await session.execute(select(AuditEvent).where(AuditEvent.action == "handover"))).scalars())
    assert len(events) == 1
    assert len(events[0].detail["customer_ids"]) == 2  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sender", "message", "expected"),
    [
        ("li", "/handover @Li @Wang", "Only admins and managers"),
        ("admin", "/handover @Li", "Write /handover @LEAVER @SUCCESSOR"),
        ("admin", "/handover @Li @Li", "the same member"),
        ("admin", "/handover @Li @Nobody", "No member '@Nobody'"),
        ("admin", "/handover @Li @Wang 市场: Atlantis", "No market 'Atlantis'"),
    ],
)
async def test_handover_bad_input_moves_nothing(
    team: tuple[Chat, Chat, Chat], store: Store, sender: str, message: str, expected: str
) -> None:
    admin, li, _wang = team
    before = await state(store)
    assert expected in await {"admin": admin, "li": li}[sender].say(message)
    assert await state(store) == before


async def test_handover_ambiguous_name_lists_ids(team: tuple[Chat, Chat, Chat], router: Router, store: Store) -> None:
    admin, _li, _wang = team
    await enroll(Chat(router, user_id="4", name="Li", locale="en"), admin=admin)
    before = await state(store)
    reply = await admin.say("/handover @Li @Wang")
    assert "Several members match '@Li'" in reply
    assert "#2" in reply
    assert await state(store) == before


async def test_handover_failure_midway_moves_nothing(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    admin, _li, _wang = team
    before = await state(store)
    updates: list[str] = []

    def fail_on_deal_update(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        # The customers are already moved when the deals' update runs: fail right there.
        if statement.lstrip().upper().startswith("UPDATE"):
            updates.append(statement)
            if statement.lstrip().upper().startswith("UPDATE DEALS"):
                raise RuntimeError("injected failure")

    event.listen(store.engine.sync_engine, "before_cursor_execute", fail_on_deal_update)
    try:
        with pytest.raises(RuntimeError, match="injected failure"):
            await admin.say("/handover @Li @Wang")
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", fail_on_deal_update)
    assert any(statement.lstrip().upper().startswith("UPDATE CUSTOMERS") for statement in updates)
    assert await state(store) == before


async def test_handover_by_manager_rejects_admin_and_manager(
    team: tuple[Chat, Chat, Chat], router: Router, store: Store
) -> None:
    admin, _li, _wang = team
    mia = Chat(router, user_id="5", name="Mia", locale="en")
    await enroll(mia, admin=admin, role="manager")
    await enroll(Chat(router, user_id="6", name="Max", locale="en"), admin=admin, role="manager")
    before = await state(store)
    assert "Only an admin can hand over Boss" in await mia.say("/handover @Boss @Mia")
    assert "Only an admin can hand over Max" in await mia.say("/handover @Max @Mia")
    assert await state(store) == before
    assert "Members of" in await admin.say("/members")


async def test_handover_by_admin_deactivates_manager(team: tuple[Chat, Chat, Chat], router: Router, store: Store) -> None:
    admin, _li, _wang = team
    await enroll(Chat(router, user_id="5", name="Mia", locale="en"), admin=admin, role="manager")
    assert "Mia is deactivated" in await admin.say("/handover @Mia @Wang")
    assert (await state(store))["active"]["Mia"] is False  # type: ignore[index]
