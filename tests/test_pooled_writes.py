"""The last owner of a pooled customer (公海) may no longer change it, in any service that writes.

Each test builds the customer through the router and sends it to the pool by setting
`pooled_at`. It then checks that the router and the service (given the loaded customer)
both reject the write with the usual "not your customer" error, and that nothing is stored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.clock import ManualClock
from bot.errors import NotFound
from bot.models import Customer, Deal, Inquiry, Interaction, Member, Stage, Team
from bot.services import cadence as cadence_service
from bot.services import deals as deal_service
from bot.services import drafts as draft_service
from bot.services import inquiries as inquiry_service
from bot.services.deals import DealDraft
from bot.services.inquiries import InquiryDraft
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll



def not_yours(query: str) -> str:
    return f"No customer '{query}' among yours. Try /find."


class Team2:
    def __init__(self, router: Router) -> None:
        self.boss = Chat(router, user_id="1", name="Boss", locale="en")
        self.li = Chat(router, user_id="100", name="Li", locale="en")


async def li_with_sharma(router: Router) -> Team2:
    team = Team2(router)
    await team.boss.say("/start")
    await enroll(team.li, admin=team.boss)
    assert "Sharma Print House" in await team.li.say("/add 名称: Sharma Print House 国家: IN 等级: B")
    return team


async def send_to_pool(store: Store, clock: ManualClock) -> None:
    async with store.session() as session, session.begin():
        await session.execute(update(Customer).values(pooled_at=clock.now()))


async def li_and_customer(session) -> tuple[Member, Customer]:  # type: ignore[no-untyped-def]
    li = (await session.execute(select(Member).where(Member.display_name == "Li"))).scalar_one()
    customer = (await session.execute(select(Customer))).scalar_one()
    return li, customer


async def count(store: Store, column) -> int:  # type: ignore[no-untyped-def]
    async with store.session() as session:
        return int(await session.scalar(select(func.count(column))) or 0)


async def test_cadence_pooled_customer_rejected(router: Router, store: Store, clock: ManualClock) -> None:
    team = await li_with_sharma(router)
    await send_to_pool(store, clock)
    assert not_yours("Sharma") in await team.li.say("/cadence Sharma 5")
    async with store.session() as session, session.begin():
        li, customer = await li_and_customer(session)
        with pytest.raises(NotFound) as refused:
            await cadence_service.set_customer_cadence(session, customer=customer, days=5, actor=li)
        assert refused.value.message == "No customer '%(query)s' among yours. Try /find."
    async with store.session() as session:
        assert await session.scalar(select(Customer.cadence_days)) is None


async def test_deal_pooled_customer_rejected(router: Router, store: Store, clock: ManualClock) -> None:
    team = await li_with_sharma(router)
    await team.li.say("/deal Sharma 产品: CTCP plate 价格: USD 2.5 FOB Shanghai 阶段: quoted")
    await send_to_pool(store, clock)
    assert not_yours("Sharma") in await team.li.say("/deal Sharma 产品: PS plate 价格: USD 2.0")
    assert not_yours("Sharma") in await team.li.say("/stage Sharma sample")
    async with store.session() as session, session.begin():
        li, customer = await li_and_customer(session)
        with pytest.raises(NotFound):
            await deal_service.upsert_deal(
                session, actor=li, customer=customer, draft=DealDraft(product="PS plate"), now=clock.now()
            )
        with pytest.raises(NotFound):
            await deal_service.move_stage(
                session, actor=li, customer=customer, stage=Stage.SAMPLE, product=None, reason=None, now=clock.now()
            )
    async with store.session() as session:
        assert list((await session.execute(select(Deal.product, Deal.stage))).all()) == [("CTCP plate", Stage.QUOTED)]


async def test_draft_pooled_customer_rejected(router: Router, store: Store, clock: ManualClock) -> None:
    team = await li_with_sharma(router)
    await send_to_pool(store, clock)
    clock.advance(timedelta(hours=1))
    # The Sent button of a follow-up drafted before the release, and a new draft.
    assert not_yours("#1") in await team.li.say("/sent #1 followup")
    assert not_yours("Sharma") in await team.li.say("/draft Sharma")
    before = await count(store, Interaction.id)
    async with store.session() as session, session.begin():
        li, customer = await li_and_customer(session)
        team_row = await session.get(Team, li.team_id)
        with pytest.raises(NotFound):
            await draft_service.record_sent(session, actor=li, customer=customer, kind="followup", now=clock.now())
        # Nor may the last owner draft to it, which would show its deals and contacts.
        with pytest.raises(NotFound):
            await draft_service.plan_followup(session, actor=li, customer=customer, team=team_row, now=clock.now())
        with pytest.raises(NotFound):
            await draft_service.plan_reply(session, actor=li, customer=customer, team=team_row, today=clock.now().date())
        last_contact = customer.last_contact_at
    assert await count(store, Interaction.id) == before
    async with store.session() as session:
        assert await session.scalar(select(Customer.last_contact_at)) == last_contact


async def test_inquiry_pooled_customer_rejected(router: Router, store: Store, clock: ManualClock) -> None:
    team = await li_with_sharma(router)
    await team.li.say("/inquiry Sharma 产品: PS plate")
    await send_to_pool(store, clock)
    assert not_yours("Sharma") in await team.li.say("/inquiry Sharma 产品: CTCP plate")
    async with store.session() as session, session.begin():
        li, customer = await li_and_customer(session)
        with pytest.raises(NotFound):
            await inquiry_service.add_inquiry(
                session, actor=li, customer=customer, draft=InquiryDraft(product="CTCP plate"), now=clock.now()
            )
        with pytest.raises(NotFound):
            await inquiry_service.mark_replied(session, actor=li, customer=customer, now=clock.now(), text="sent")
    async with store.session() as session:
        rows = list((await session.execute(select(Inquiry.product, Inquiry.replied_at))).all())
    assert rows == [("PS plate", None)]
    assert await count(store, Interaction.id) == 0


# --- /stats: a claim restarts the follow-up clock -------------------------------------------


async def test_stats_followups_from_claim(router: Router, store: Store, clock: ManualClock) -> None:
    team = Team2(router)
    await team.boss.say("/start")
    await enroll(team.li, admin=team.boss)
    # Registered Mon 7 Dec, tier A (3 days): due Thu 10 Dec, but claimed back on Wed 9 Dec.
    await team.li.say("/add 名称: Sharma Print House 国家: 印度 等级: A")
    await send_to_pool(store, clock)
    clock.advance(timedelta(days=2))
    assert "is yours now" in await team.li.say("/claim Sharma Print House")
    # Claim Wed 9 + 3 = Sat 12, an Indian weekend: due Mon 14, done that day.
    clock.advance(timedelta(days=5))
    await team.li.say("/done Sharma")
    clock.advance(timedelta(days=7))
    reply = await team.boss.say("/stats this month")
    # Then due Thu 17, never done by Mon 21; the follow-up of 10 Dec never fell due.
    assert "Follow-ups due: 2. Done on the due day 1 (50%), late 0 (0%), never 1 (50%)." in reply
