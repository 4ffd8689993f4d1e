"""The shared pool (公海): customers left without a logged interaction return to the team.

A customer whose owner logged no interaction for the team's `pool_days` (default 90),
counted from the last interaction, or from registration or the last claim when later,
is released into the pool by the dispatcher's planning tick. Customers with a won deal
never are. The owner is warned POOL_WARNING_DAYS before, by a `pool_warning` reminder row.
Any member may then claim a pool customer, up to the team's cap per calendar month.

Model: a pooled customer has `pooled_at` set and keeps its last owner in `owner_id`,
who can no longer read it (see Customer.owned_by).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.exc import IntegrityError

from bot.errors import AccessDenied, NotFound, ParseError, UserError
from bot.i18n import N_
from bot.models import AuditEvent, Customer, Deal, Inquiry, Member, Reminder, ReminderStatus, Stage, Team
from bot.services import audit
from bot.services.customers import MAX_CANDIDATES, MAX_ROW_ID, AmbiguousName, is_partial_key, name_key
from bot.services.inquiries import NUDGE_KIND
from bot.services.markets import check_market
from bot.services.members import is_manager
from bot.store import Store

logger = logging.getLogger(__name__)

# The reminder kind of the owner's warning; subject_id is the customer, local_date the
# release date in the owner's zone, so a later interaction makes a new warning.
POOL_WARNING_KIND = "pool_warning"
POOL_WARNING_DAYS = 7
POOL_RELEASE_ACTION = "pool_release"
POOL_CLAIM_ACTION = "pool_claim"
POOL_LIST_ACTION = "pool_list"
# Warnings are planned this far ahead, like the digests.
WARNING_PLAN_AHEAD = timedelta(days=2)
# Bounds of the team settings.
POOL_DAYS_RANGE = (POOL_WARNING_DAYS + 1, 3650)
CLAIM_CAP_RANGE = (0, 1000)


def release_at(customer: Customer, team: Team) -> datetime:
    """The instant the customer returns to the pool if nothing is logged before it."""
    start = customer.last_contact_at
    if customer.claimed_at is not None and customer.claimed_at > start:
        start = customer.claimed_at
    return start + timedelta(days=team.pool_days)


def _won_deal():  # type: ignore[no-untyped-def]
    return exists().where(Deal.customer_id == Customer.id, Deal.stage == Stage.WON)


async def _candidates(session: AsyncSession) -> list[Customer]:
    """Owned customers without a won deal, the only ones that can drop into the pool."""
    statement = select(Customer).where(Customer.pooled_at.is_(None), ~_won_deal()).order_by(Customer.id)
    return list((await session.execute(statement)).scalars())


async def release_idle_customers(store: Store, *, now: datetime) -> list[int]:
    """Release every customer past its pool date; return the released ids.

    Each release is a conditional UPDATE in its own transaction, which matches only while
    the customer is still owned, unchanged since it was read, and without a won deal. So a
    second process, or an interaction logged meanwhile, makes it a no-op.
    """
    async with store.session() as session:
        teams = {team.id: team for team in (await session.execute(select(Team))).scalars()}
        due = [
            (customer.id, customer.owner_id, customer.last_contact_at, customer.claimed_at)
            for customer in await _candidates(session)
            if release_at(customer, teams[customer.team_id]) <= now
        ]
    released: list[int] = []
    for customer_id, owner_id, last_contact_at, claimed_at in due:
        async with store.session() as session, session.begin():
            claimed_same = Customer.claimed_at.is_(None) if claimed_at is None else Customer.claimed_at == claimed_at
            result = await session.execute(
                update(Customer)
                .where(
                    Customer.id == customer_id,
                    Customer.pooled_at.is_(None),
                    Customer.owner_id == owner_id,
                    Customer.last_contact_at == last_contact_at,
                    claimed_same,
                    ~_won_deal(),
                )
                .values(pooled_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                continue
            owner = await session.get(Member, owner_id)
            assert owner is not None  # customers.owner_id is a foreign key
            await audit.record(
                session, actor=owner, action=POOL_RELEASE_ACTION, now=now, customer_id=customer_id, detail={"customer_id": customer_id}
            )
            released.append(customer_id)
        logger.info("customer released to pool customer_id=%s last_owner_id=%s", customer_id, owner_id)
    return released


def warning_due(release: datetime, *, zone: str, hour: int) -> tuple[date, datetime]:
    """Return (release date, warning instant): `hour`:00 in `zone`, POOL_WARNING_DAYS before."""
    tz = ZoneInfo(zone)
    release_day = release.astimezone(tz).date()
    warn_day = release_day - timedelta(days=POOL_WARNING_DAYS)
    local = datetime.combine(warn_day, datetime.min.time(), tzinfo=tz).replace(hour=hour)
    return release_day, local.astimezone(ZoneInfo("UTC"))


async def plan_pool_warnings(store: Store, *, now: datetime) -> int:
    """Create the owners' warnings that fall due within WARNING_PLAN_AHEAD; return how many are new.

    The unique reminder key makes planning twice, or from two processes, a no-op.
    """
    async with store.session() as session:
        teams = {team.id: team for team in (await session.execute(select(Team))).scalars()}
        owners = {member.id: member for member in (await session.execute(select(Member))).scalars()}
        existing = {
            (row.subject_id, row.member_id, row.local_date)
            for row in await session.execute(
                select(Reminder.subject_id, Reminder.member_id, Reminder.local_date).where(Reminder.kind == POOL_WARNING_KIND)
            )
        }
        rows: list[Reminder] = []
        for customer in await _candidates(session):
            owner = owners[customer.owner_id]
            release = release_at(customer, teams[customer.team_id])
            if not owner.active or release <= now:
                continue
            release_day, warn_at = warning_due(release, zone=owner.zone, hour=owner.digest_hour)
            if warn_at > now + WARNING_PLAN_AHEAD or (customer.id, owner.id, release_day) in existing:
                continue
            rows.append(
                Reminder(
                    kind=POOL_WARNING_KIND,
                    subject_id=customer.id,
                    member_id=owner.id,
                    local_date=release_day,
                    # A team that shortened pool_days is warned at once rather than never.
                    due_at=min(max(warn_at, now), release),
                    status=ReminderStatus.PENDING,
                    late=False,
                )
            )
    created = 0
    for row in rows:
        try:
            async with store.session() as session, session.begin():
                session.add(row)
        except IntegrityError:
            continue
        created += 1
    if created:
        logger.info("pool warnings planned count=%d", created)
    return created


async def list_pool(session: AsyncSession, *, team: Team) -> list[Customer]:
    """List the team's pool customers, most recently released first."""
    statement = (
        select(Customer)
        .where(Customer.team_id == team.id, Customer.pooled_at.is_not(None))
        .order_by(Customer.pooled_at.desc(), Customer.id)
    )
    return list((await session.execute(statement)).scalars())


def month_start(now: datetime, zone: str) -> datetime:
    """Return the first instant of `now`'s calendar month in `zone`, in UTC."""
    local = now.astimezone(ZoneInfo(zone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(ZoneInfo("UTC"))


async def claims_this_month(session: AsyncSession, *, member: Member, team: Team, now: datetime) -> int:
    since = month_start(now, team.default_zone)
    statement = select(func.count(AuditEvent.id)).where(
        AuditEvent.member_id == member.id, AuditEvent.action == POOL_CLAIM_ACTION, AuditEvent.at >= since
    )
    return int(await session.scalar(statement) or 0)


@dataclass(frozen=True)
class PoolView:
    customers: list[Customer]
    claims_used: int


async def view_pool(
    session: AsyncSession, *, actor: Member, team: Team, now: datetime, platform: str | None, chat_id: str | None
) -> PoolView:
    """List the pool for the actor and record the listing in the audit log."""
    customers = await list_pool(session, team=team)
    await audit.record(
        session,
        actor=actor,
        action=POOL_LIST_ACTION,
        now=now,
        detail={"customer_ids": [customer.id for customer in customers][: audit.MAX_IDS_PER_EVENT], "count": len(customers)},
        platform=platform,
        chat_id=chat_id,
        command="pool",
    )
    return PoolView(customers=customers, claims_used=await claims_this_month(session, member=actor, team=team, now=now))


async def _resolve_pooled(session: AsyncSession, *, team: Team, query: str) -> Customer:
    text = query.strip()
    if not text:
        raise ParseError(N_("Which pool customer? Write e.g. /claim Sharma or /claim #12; /pool lists them."))
    pool = await list_pool(session, team=team)
    if text.startswith("#") and text[1:].isdigit() and int(text[1:]) <= MAX_ROW_ID:
        matches = [customer for customer in pool if customer.id == int(text[1:])]
    else:
        key = name_key(text)
        matches = [customer for customer in pool if key and customer.name_key == key]
        if not matches and is_partial_key(key):
            matches = [customer for customer in pool if key in customer.name_key]
    if not matches:
        raise NotFound(N_("No customer '%(query)s' in the pool. Send /pool for the list."), query=text)
    if len(matches) > 1:
        raise AmbiguousName(text, matches[:MAX_CANDIDATES], total=len(matches))
    return matches[0]


async def claim(
    session: AsyncSession,
    *,
    actor: Member,
    team: Team,
    query: str,
    now: datetime,
    platform: str | None,
    chat_id: str | None,
) -> tuple[Customer, int]:
    """Take a pool customer; return it and the actor's claims this month, this one included.

    The customer's deals, open inquiries and pending inquiry reminders move to the actor.
    The claim is a fresh start: `claimed_at` starts both the follow-up clock and the pool clock.
    The name is checked before the cap and the markets, so a mistyped name is told as such.

    Raises:
        NotFound, AmbiguousName: the name matches no pool customer, or several.
        UserError: the team turned claiming off (cap 0), or the actor reached the monthly cap.
        AccessDenied: the customer's country is outside the rep's markets (see markets.check_market).
    """
    found = await _resolve_pooled(session, team=team, query=query)
    if team.pool_claim_cap == 0:
        raise UserError(N_("Claiming is off in this team. An admin or manager can turn it on with /pool cap N."))
    # A rep claims only in the markets where the rep may register a buyer, as /add checks.
    await check_market(session, actor=actor, country=found.country)
    # Lock the claimer, so that two claims of one member at once cannot both pass the cap.
    await session.execute(select(Member.id).where(Member.id == actor.id).with_for_update())
    used = await claims_this_month(session, member=actor, team=team, now=now)
    if used >= team.pool_claim_cap:
        raise UserError(
            N_("You have claimed %(used)s pool customers this month, the team's limit. Ask a manager, or wait for next month."),
            used=used,
        )
    previous_owner = found.owner_id
    # Conditional, so that of two members claiming at once only one gets the customer.
    result = await session.execute(
        update(Customer)
        .where(Customer.id == found.id, Customer.pooled_at.is_not(None))
        .values(owner_id=actor.id, pooled_at=None, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise NotFound(N_("No customer '%(query)s' in the pool. Send /pool for the list."), query=query.strip())
    await session.execute(
        update(Deal).where(Deal.customer_id == found.id).values(owner_id=actor.id).execution_options(synchronize_session=False)
    )
    open_inquiries = select(Inquiry.id).where(Inquiry.customer_id == found.id, Inquiry.replied_at.is_(None))
    await session.execute(
        update(Reminder)
        .where(
            Reminder.kind == NUDGE_KIND,
            Reminder.status == ReminderStatus.PENDING,
            Reminder.subject_id.in_(open_inquiries.scalar_subquery()),
        )
        .values(member_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Inquiry)
        .where(Inquiry.customer_id == found.id, Inquiry.replied_at.is_(None))
        .values(member_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    await session.flush()
    customer = await session.get(Customer, found.id, populate_existing=True)
    assert customer is not None
    await audit.record(
        session,
        actor=actor,
        action=POOL_CLAIM_ACTION,
        now=now,
        customer_id=customer.id,
        detail={"customer_id": customer.id, "previous_owner_id": previous_owner},
        platform=platform,
        chat_id=chat_id,
        command="claim",
    )
    logger.info("pool customer claimed customer_id=%s member_id=%s previous_owner_id=%s", customer.id, actor.id, previous_owner)
    return customer, used + 1


async def set_pool_setting(session: AsyncSession, *, actor: Member, team: Team, name: str, text: str, now: datetime) -> int:
    """Set `days` (pool_days) or `cap` (pool_claim_cap) for the team; admins and managers only."""
    if not is_manager(actor):
        raise AccessDenied(N_("Only admins and managers can change this team setting."))
    low, high = POOL_DAYS_RANGE if name == "days" else CLAIM_CAP_RANGE
    value = text.strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise ParseError(N_("'%(value)s' is not a number from %(low)s to %(high)s."), value=value, low=low, high=high)
    if name == "days":
        team.pool_days = int(value)
    else:
        team.pool_claim_cap = int(value)
    await session.flush()
    logger.info("pool setting changed team_id=%s setting=%s value=%s member_id=%s", team.id, name, value, actor.id)
    return int(value)
