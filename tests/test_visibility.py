"""The visibility matrix: every command, three roles, two teams.

Rep A must neither read nor change rep B's customer through any command, by name, part of
the name, fuzzy spelling, '#id' or a forged button payload. A manager reads the team's
customers but changes none of another rep's. Team Y never sees team X.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Customer, Deal, Inquiry, Interaction
from bot.store import Store
from handlers.commands import COMMANDS
from handlers.routes import build_router
from tests.chat import Chat
from tests.members import enroll

# What only rep B's data contains; a reply showing any of it leaks B's customer.
SECRETS = ("Bravo Buyer", "bravo-buyer.de", "Zeta Plates", "SECRETNOTE")


@dataclasses.dataclass
class World:
    admin: Chat
    manager: Chat
    rep_a: Chat
    rep_b: Chat
    stranger_admin: Chat
    customer_id: int
    inquiry_id: int


@pytest.fixture
async def world(store: Store, clock: ManualClock, settings: Settings) -> World:
    team_x = build_router(store=store, clock=clock, settings=dataclasses.replace(settings, team_name="Team X"))
    team_y = build_router(store=store, clock=clock, settings=dataclasses.replace(settings, team_name="Team Y"))
    admin = Chat(team_x, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    manager = Chat(team_x, user_id="2", name="Mia", locale="en")
    rep_a = Chat(team_x, user_id="3", name="Ann", locale="en")
    rep_b = Chat(team_x, user_id="4", name="Bob", locale="en")
    await enroll(manager, admin=admin, role="manager")
    await enroll(rep_a, admin=admin)
    await enroll(rep_b, admin=admin)
    await rep_a.say("/add 名称: Alpha Buyer 国家: DE 等级: A")
    await rep_b.say(
        "/add 名称: Bravo Buyer 国家: DE 等级: A 联系人: Eva 邮箱: eva@bravo-buyer.de 电话: +49 30 1234567 备注: SECRETNOTE"
    )
    await rep_b.say("/deal Bravo 产品: Zeta Plates 价格: USD 2.5 FOB Shanghai 阶段: quoted")
    await rep_b.say("/inquiry Bravo Buyer 产品: Zeta Plates")
    stranger_admin = Chat(team_y, user_id="9", name="Yan", locale="en")
    await stranger_admin.say("/start")
    await stranger_admin.say("/add 名称: Yankee Buyer 国家: US")
    async with store.session() as session:
        customer_id = await session.scalar(select(Customer.id).where(Customer.name == "Bravo Buyer"))
        inquiry_id = await session.scalar(select(Inquiry.id))
    assert customer_id is not None and inquiry_id is not None
    return World(admin, manager, rep_a, rep_b, stranger_admin, customer_id, inquiry_id)


async def snapshot(store: Store) -> dict[str, object]:
    """Everything about customers that a command could change."""
    async with store.session() as session:
        customers = [
            (row.id, row.owner_id, row.name, row.tier, row.cadence_days, row.snoozed_until, row.last_contact_at, row.note)
            for row in (await session.execute(select(Customer).order_by(Customer.id))).scalars()
        ]
        deals = [
            (row.id, row.owner_id, row.stage, row.product, row.unit_price)
            for row in (await session.execute(select(Deal).order_by(Deal.id))).scalars()
        ]
        inquiries = [
            (row.id, row.member_id, row.replied_at) for row in (await session.execute(select(Inquiry))).scalars()
        ]
        interactions = [(row.id, row.customer_id) for row in (await session.execute(select(Interaction))).scalars()]
    return {"customers": customers, "deals": deals, "inquiries": inquiries, "interactions": interactions}


def probes(world: World) -> list[str]:
    """Every command with rep B's customer named each way, and the forged button payloads."""
    customer = f"#{world.customer_id}"
    queries = ["Bravo", "Bravo Buyr", customer, "eva@bravo", "+49 30 1234567"]
    messages = [f"/{spec.name} {query}" for spec in COMMANDS for query in queries]
    messages += [
        f"/done {customer}",
        f"/snooze {customer} 3d",
        f"/log {customer} call talked",
        f"/deal {customer} 产品: Zeta Plates 价格: USD 1 FOB Ningbo",
        f"/stage {customer} won 原因: price",
        f"/replied {customer} !{world.inquiry_id}",
        f"/sent {customer} quote !{world.inquiry_id}",
        f"/cadence {customer} 3",
        f"/draft {customer}",
        f"/reply {customer}",
        f"/check 客户: {customer} 内容: Dear Eva, our price is USD 2.5 FOB Shanghai.",
        "/handover @Bob @Ann",
        "/find Zeta",
        "/find secretnote",
        "/export",
        "/today",
        "/inquiry",
        "/deal Bravo",
    ]
    return messages


def leaked(reply: str) -> list[str]:
    return [secret for secret in SECRETS if secret in reply]


def test_every_command_is_probed() -> None:
    world = World(*(None,) * 5, customer_id=5, inquiry_id=7)  # type: ignore[arg-type]
    probed = {message.split()[0][1:] for message in probes(world)}
    assert {spec.name for spec in COMMANDS} <= probed


async def test_rep_cannot_read_or_change_other_reps_customer(world: World, store: Store) -> None:
    before = await snapshot(store)
    for message in probes(world):
        reply = await world.rep_a.say(message)
        assert leaked(reply) == [], (message, reply)
        assert await snapshot(store) == before, message


async def test_other_team_cannot_read_or_change(world: World, store: Store) -> None:
    before = await snapshot(store)
    for message in probes(world):
        reply = await world.stranger_admin.say(message)
        assert leaked(reply) == [], (message, reply)
        assert await snapshot(store) == before, message


async def test_manager_reads_team_customer_with_owner(world: World) -> None:
    card = await world.manager.say("/card Bravo Buyer")
    assert "Bravo Buyer" in card
    assert "Owner: Bob." in card
    found = await world.manager.say("/find bravo-buyer")
    assert "Bravo Buyer" in found
    assert "owner: Bob" in found


async def test_manager_cannot_change_other_reps_customer(world: World, store: Store) -> None:
    before = await snapshot(store)
    customer = f"#{world.customer_id}"
    for message in (
        f"/done {customer}",
        f"/snooze {customer} 3d",
        f"/log {customer} call talked",
        "/log Bravo Buyer call talked",
        f"/stage {customer} won 原因: price",
        f"/replied {customer} !{world.inquiry_id}",
        f"/cadence {customer} 3",
    ):
        reply = await world.manager.say(message)
        assert await snapshot(store) == before, (message, reply)


async def test_rep_sees_own_customer(world: World) -> None:
    assert "Alpha Buyer" in await world.rep_a.say("/card Alpha")
    assert "Bravo Buyer" in await world.rep_b.say("/card Bravo")
