"""/stats through the real router: per-rep reply figures, follow-up completion, access and the chart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.models import Customer, Inquiry, Member
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll

UTC = timezone.utc
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def admin(router: Router) -> Chat:
    chat = Chat(router, user_id="1", name="Boss", locale="en")
    await chat.say("/start")
    return chat


@pytest.fixture
async def reps(router: Router, admin: Chat) -> tuple[Chat, Chat]:
    alice = Chat(router, user_id="2", name="Alice", locale="en")
    carol = Chat(router, user_id="3", name="Carol", locale="en")
    await enroll(alice, admin=admin, role="rep")
    await enroll(carol, admin=admin, role="rep")
    await alice.say("/add 名称: Sharma Print House 国家: 印度 等级: A")
    return alice, carol


async def seed_inquiries(store: Store, clock: ManualClock) -> None:
    """Give Alice three inquiries received on 1 Dec: replies after 2 h and 6 h, and one still open."""
    received = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    async with store.session() as session, session.begin():
        alice = (await session.execute(select(Member).where(Member.display_name == "Alice"))).scalar_one()
        customer = (await session.execute(select(Customer))).scalar_one()
        for reply_hours in (2, 6, None):
            session.add(
                Inquiry(
                    team_id=alice.team_id,
                    customer_id=customer.id,
                    member_id=alice.id,
                    received_at=received,
                    deadline_at=received + timedelta(hours=4),
                    replied_at=None if reply_hours is None else received + timedelta(hours=reply_hours),
                    created_at=received,
                )
            )


async def test_stats_per_rep_hand_computed(admin: Chat, reps: tuple[Chat, Chat], store: Store, clock: ManualClock) -> None:
    await seed_inquiries(store, clock)
    reply = await admin.say("/stats this month")
    assert reply.splitlines()[0] == "Reply times, 2026-12-01 to 2026-12-31 (team time zone):"
    # Median of 2 h and 6 h; 1 in time of 3 decided (the open one is past its deadline).
    assert "Alice: 3 inquiries, median reply 4h 00min, 33% within the deadline, 1 still open" in reply


async def test_stats_rep_without_inquiries_shows_dash(admin: Chat, reps: tuple[Chat, Chat], store: Store, clock: ManualClock) -> None:
    await seed_inquiries(store, clock)
    reply = await admin.say("/stats")
    assert "Carol: 0 inquiries, median reply —, — within the deadline, 0 still open" in reply


async def test_stats_empty_period(admin: Chat, reps: tuple[Chat, Chat], store: Store, clock: ManualClock) -> None:
    await seed_inquiries(store, clock)
    reply = await admin.say("/stats 2026-10")
    assert "Alice: 0 inquiries, median reply —" in reply
    assert "Follow-ups due: none in this period." in reply


async def test_stats_followups_counted(admin: Chat, reps: tuple[Chat, Chat], clock: ManualClock) -> None:
    alice, _ = reps
    # Sharma (tier A, 3 days) was registered Mon 7 Dec: due Thu 10 Dec. Done on Fri 11: late.
    clock.advance(timedelta(days=4))
    await alice.say("/done Sharma")
    clock.advance(timedelta(days=10))
    reply = await admin.say("/stats this month")
    # Then due Mon 14 Dec (Fri 11 + 3 = Mon 14), never done by Mon 21.
    assert "Follow-ups due: 2. Done on the due day 0 (0%), late 1 (50%), never 1 (50%)." in reply


async def test_stats_rep_refused(reps: tuple[Chat, Chat]) -> None:
    alice, _ = reps
    reply = await alice.say("/stats")
    assert reply == "Only admins and managers can see the team's reply-time statistics."


async def test_stats_manager_allowed(router: Router, admin: Chat, reps: tuple[Chat, Chat]) -> None:
    manager = Chat(router, user_id="4", name="Wang", locale="en")
    await enroll(manager, admin=admin, role="manager")
    assert (await manager.say("/stats")).startswith("Reply times,")


async def test_stats_bad_period(admin: Chat) -> None:
    reply = await admin.say("/stats someday")
    assert "The period 'someday' is not recognised" in reply


async def test_stats_chart_sends_png(admin: Chat, reps: tuple[Chat, Chat], store: Store, clock: ManualClock) -> None:
    await seed_inquiries(store, clock)
    (reply,) = await admin.send("/stats chart last 30 days")
    assert reply.file is not None
    assert reply.file.mime_type == "image/png"
    assert reply.file.data.startswith(PNG_SIGNATURE)
    assert "Inquiries and median reply time per week" in reply.text


async def test_stats_chart_rep_refused(reps: tuple[Chat, Chat]) -> None:
    alice, _ = reps
    (reply,) = await alice.send("/stats chart")
    assert reply.file is None
    assert "Only admins and managers" in reply.text


async def test_stats_lists_reps_not_idle_admins_or_managers(
    router: Router, admin: Chat, reps: tuple[Chat, Chat], store: Store, clock: ManualClock
) -> None:
    manager = Chat(router, user_id="4", name="Mia", locale="en")
    await enroll(manager, admin=admin, role="manager")
    await seed_inquiries(store, clock)
    reply = await admin.say("/stats")
    assert "Alice: 3 inquiries" in reply
    assert "Carol: 0 inquiries" in reply
    assert "Boss:" not in reply
    assert "Mia:" not in reply


async def test_stats_chart_of_a_year_is_monthly(admin: Chat, reps: tuple[Chat, Chat], store: Store, clock: ManualClock) -> None:
    await seed_inquiries(store, clock)
    (reply,) = await admin.send("/stats chart 2026")
    assert reply.file is not None
    assert reply.text == "Inquiries and median reply time per month, 2026-01-01 to 2026-12-31."


async def test_stats_one_inquiry_is_singular(admin: Chat, reps: tuple[Chat, Chat], store: Store, clock: ManualClock) -> None:
    alice, _ = reps
    await alice.say("/add 名称: Solo Buyer 国家: 德国 等级: A")
    await alice.say("/inquiry Solo 产品: plates")
    reply = await admin.say("/stats")
    assert "Alice: 1 inquiry, median reply —" in reply
