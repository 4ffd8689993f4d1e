"""Inquiries (询盘): registering one with its reply deadline, nudge and price-probe flags, and replying.

A registered inquiry gets its deadline from reminders.deadlines and, in the same unit of
work, a `nudge` reminder row at the time reminders.nudge_timing gives (about NUDGE_BEFORE
the deadline, inside the rep's working hours), which reminders.dispatcher sends. Marking
the inquiry replied skips that row and counts as an interaction with the customer, so it
restarts the customer's cadence clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotFound, UserError
from bot.i18n import N_
from bot.models import Customer, Inquiry, Member, Reminder, ReminderStatus, WatchEntry
from bot.services.customers import MAX_ROW_ID, is_owned_by, log_interaction
from bot.services.probe import ProbeFlag, check_probe
from reminders.calendar import local_date
from reminders.deadlines import ReplyDeadline, reply_deadline
from reminders.nudge_timing import nudge_time

logger = logging.getLogger(__name__)

# The reminder kind of the warning before a reply deadline, which reminders.dispatcher sends.
NUDGE_KIND = "nudge"
# The interaction kind that a reply records on the customer.
REPLY_INTERACTION_KIND = "reply"
# A received time up to this far after the bot's clock is read as now, because the rep's
# phone clock may run a little ahead.
RECEIVED_CLOCK_SKEW = timedelta(minutes=5)
# An older received time is most likely a typo in the year or month.
MAX_RECEIVED_AGE = timedelta(days=30)
# The same inquiry registered again within this time of the first one's received time is a
# double tap or a resent message, not a second inquiry.
DUPLICATE_WINDOW = timedelta(minutes=10)

NO_CUSTOMER = N_("No customer '%(query)s' among yours. Try /find.")
RECEIVED_IN_FUTURE = N_(
    "The received time %(time)s is in the future (now it is %(now)s). Write when the inquiry arrived, e.g. 收到: 今天 09:30."
)
RECEIVED_TOO_OLD = N_(
    "The received time %(time)s is more than %(days)s days ago. Check the date, e.g. 收到: 今天 09:30."
)
NOTHING_OPEN = N_("%(name)s has no open inquiry. Register one with /inquiry %(name)s 产品: …")
NOTHING_ASKED = N_(
    "What did the buyer ask for? Write a product or the inquiry text after the name, "
    "e.g. /inquiry %(name)s 产品: CTP plate or /inquiry %(name)s need 5000 plates."
)
ALREADY_REGISTERED = N_(
    "This inquiry from %(name)s is already registered (received %(time)s) and still open. "
    "Nothing was added; send /inquiry to see it."
)
# The same message for an inquiry that does not exist and for another rep's, so that an id
# reveals nothing about other reps' inquiries.
NO_SUCH_INQUIRY = N_("No such inquiry of %(name)s among yours. Send /inquiry to see your open inquiries.")
ALREADY_REPLIED = N_("This inquiry from %(name)s was already marked replied on %(time)s.")


@dataclass(frozen=True)
class InquiryDraft:
    """A parsed inquiry, where None means not given. The email and the E.164 phone are checked values."""

    received_at: datetime | None = None
    product: str | None = None
    quantity: str | None = None
    channel: str | None = None
    text: str | None = None
    sender_email: str | None = None
    sender_phone: str | None = None


@dataclass(frozen=True)
class ReplyOutcome:
    """A closed inquiry, how late the reply was (negative when early), and what stays open."""

    inquiry: Inquiry
    lateness: timedelta
    still_open: int

    @property
    def within_deadline(self) -> bool:
        return self.lateness <= timedelta(0)


def deadline_of(inquiry: Inquiry) -> ReplyDeadline:
    """Return the stored deadline of an inquiry, with its customer's zone for display."""
    return ReplyDeadline(
        deadline=inquiry.deadline_at,
        in_running_day=inquiry.deadline_in_running_day,
        buyer_zone=inquiry.customer.zone,
    )


def probe_flags_of(inquiry: Inquiry) -> list[ProbeFlag]:
    return [ProbeFlag.from_record(record) for record in inquiry.probe_flags or []]


def _wall_clock(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _check_received(received_at: datetime, *, now: datetime, zone: str) -> datetime:
    received_text = _wall_clock(received_at, zone)
    if received_at > now + RECEIVED_CLOCK_SKEW:
        raise UserError(RECEIVED_IN_FUTURE, time=received_text, now=_wall_clock(now, zone))
    if now - received_at > MAX_RECEIVED_AGE:
        raise UserError(RECEIVED_TOO_OLD, time=received_text, days=MAX_RECEIVED_AGE.days)
    return min(received_at, now)


async def _reject_duplicate(
    session: AsyncSession, *, actor: Member, customer: Customer, draft: InquiryDraft, received_at: datetime
) -> None:
    """Raise when the same open inquiry was received within DUPLICATE_WINDOW of `received_at`."""
    statement = select(Inquiry).where(
        *_open(actor),
        Inquiry.customer_id == customer.id,
        Inquiry.received_at >= received_at - DUPLICATE_WINDOW,
        Inquiry.received_at <= received_at + DUPLICATE_WINDOW,
    )
    for inquiry in (await session.execute(statement)).unique().scalars():
        if (inquiry.product, inquiry.quantity, inquiry.text) == (draft.product, draft.quantity, draft.text):
            logger.info(
                "duplicate inquiry rejected inquiry_id=%s customer_id=%s member_id=%s",
                inquiry.id,
                customer.id,
                actor.id,
            )
            raise UserError(ALREADY_REGISTERED, name=customer.name, time=_wall_clock(inquiry.received_at, actor.zone))


async def add_inquiry(
    session: AsyncSession, *, actor: Member, customer: Customer, draft: InquiryDraft, now: datetime
) -> Inquiry:
    """Register an inquiry for a customer the actor owns, with its deadline, probe flags and nudge.

    Raises:
        NotFound: the customer belongs to another rep or is in the pool, with the message of an
            unknown customer.
        UserError: the received time is in the future or more than MAX_RECEIVED_AGE ago, the
            draft has neither a product nor a text, or the same inquiry is open already.
    """
    if not is_owned_by(customer, actor):
        raise NotFound(NO_CUSTOMER, query=customer.name)
    received_at = _check_received(draft.received_at or now, now=now, zone=actor.zone)
    if not draft.product and not draft.text:
        raise UserError(NOTHING_ASKED, name=customer.name)
    await _reject_duplicate(session, actor=actor, customer=customer, draft=draft, received_at=received_at)
    deadline = reply_deadline(
        received_at, buyer_zone=customer.zone, country=customer.country, subdivision=customer.subdivision
    )
    flags = await _probe(session, actor=actor, customer=customer, draft=draft)

    inquiry = Inquiry(
        team_id=actor.team_id,
        # Setting the relationship, not only the id, lets callers render the inquiry without a load.
        customer=customer,
        member_id=actor.id,
        received_at=received_at,
        product=draft.product,
        quantity=draft.quantity,
        channel=draft.channel,
        text=draft.text,
        sender_email=draft.sender_email,
        sender_phone=draft.sender_phone,
        deadline_at=deadline.deadline,
        deadline_in_running_day=deadline.in_running_day,
        probe_flags=[flag.as_record() for flag in flags],
        created_at=now,
    )
    session.add(inquiry)
    await session.flush()

    nudge_at = nudge_time(deadline.deadline, now=now, rep_zone=actor.zone)
    if nudge_at is not None:
        session.add(
            Reminder(
                kind=NUDGE_KIND,
                subject_id=inquiry.id,
                member_id=actor.id,
                local_date=local_date(nudge_at, actor.zone),
                due_at=nudge_at,
                status=ReminderStatus.PENDING,
                late=False,
            )
        )
        await session.flush()
    logger.info(
        "inquiry added inquiry_id=%s customer_id=%s member_id=%s running_day=%s probe_flags=%d nudge=%s",
        inquiry.id,
        customer.id,
        actor.id,
        deadline.in_running_day,
        len(flags),
        nudge_at is not None,
    )
    return inquiry


async def _probe(session: AsyncSession, *, actor: Member, customer: Customer, draft: InquiryDraft) -> list[ProbeFlag]:
    """Run the price-probe check on the inquiry's sender, or on the customer's contacts when none is given."""
    emails = [draft.sender_email] if draft.sender_email else [c.email for c in customer.contacts if c.email]
    phones = [draft.sender_phone] if draft.sender_phone else [c.phone for c in customer.contacts if c.phone]
    watch = list(
        (await session.execute(select(WatchEntry).where(WatchEntry.team_id == actor.team_id))).scalars()
    )
    return check_probe(claimed_country=customer.country, company=customer.name, emails=emails, phones=phones, watch=watch)


async def mark_replied(
    session: AsyncSession,
    *,
    actor: Member,
    customer: Customer,
    now: datetime,
    text: str = "",
    inquiry_id: int | None = None,
    interaction_kind: str = REPLY_INTERACTION_KIND,
) -> ReplyOutcome:
    """Close one open inquiry of the customer, skip its nudge, and record the reply as an interaction.

    Without `inquiry_id` the inquiry with the earliest deadline is closed, so overdue ones
    go first. With it, exactly that inquiry is closed. A reply sent as a quotation draft
    records `interaction_kind` "quote" instead of "reply".

    Raises:
        NotFound: the customer belongs to another rep or is in the pool, or `inquiry_id`
            names no inquiry of the actor's for this customer.
        UserError: the customer has no open inquiry of the actor's, or `inquiry_id` was
            replied already.
    """
    if not is_owned_by(customer, actor):
        raise NotFound(NO_CUSTOMER, query=customer.name)
    of_customer = (*_open(actor), Inquiry.customer_id == customer.id)
    if inquiry_id is None:
        inquiry = await _earliest_open(session, of_customer=of_customer, customer=customer)
    else:
        inquiry = await _own_inquiry(session, actor=actor, customer=customer, inquiry_id=inquiry_id)

    inquiry.replied_at = now
    await session.execute(
        update(Reminder)
        .where(
            Reminder.kind == NUDGE_KIND,
            Reminder.subject_id == inquiry.id,
            Reminder.status == ReminderStatus.PENDING,
        )
        .values(status=ReminderStatus.SKIPPED)
    )
    await log_interaction(session, actor=actor, customer=customer, kind=interaction_kind, text=text, now=now)
    still_open = await session.scalar(select(func.count(Inquiry.id)).where(*of_customer, Inquiry.id != inquiry.id))
    lateness = now - inquiry.deadline_at
    logger.info(
        "inquiry replied inquiry_id=%s customer_id=%s member_id=%s late_seconds=%d by_reference=%s",
        inquiry.id,
        customer.id,
        actor.id,
        max(lateness.total_seconds(), 0),
        inquiry_id is not None,
    )
    return ReplyOutcome(inquiry=inquiry, lateness=lateness, still_open=int(still_open or 0))


async def _earliest_open(
    session: AsyncSession, *, of_customer: tuple[ColumnElement[bool], ...], customer: Customer
) -> Inquiry:
    statement = select(Inquiry).where(*of_customer).order_by(Inquiry.deadline_at, Inquiry.id).limit(1)
    inquiry = (await session.execute(statement)).unique().scalar_one_or_none()
    if inquiry is None:
        raise UserError(NOTHING_OPEN, name=customer.name)
    return inquiry


async def _own_inquiry(session: AsyncSession, *, actor: Member, customer: Customer, inquiry_id: int) -> Inquiry:
    """Return the actor's inquiry `inquiry_id` of `customer`, open or not; any other id is not found."""
    if inquiry_id > MAX_ROW_ID:
        raise NotFound(NO_SUCH_INQUIRY, name=customer.name)
    statement = select(Inquiry).where(
        Inquiry.id == inquiry_id,
        Inquiry.team_id == actor.team_id,
        Inquiry.member_id == actor.id,
        Inquiry.customer_id == customer.id,
    )
    inquiry = (await session.execute(statement)).unique().scalar_one_or_none()
    if inquiry is None:
        raise NotFound(NO_SUCH_INQUIRY, name=customer.name)
    if inquiry.replied_at is not None:
        raise UserError(ALREADY_REPLIED, name=customer.name, time=_wall_clock(inquiry.replied_at, actor.zone))
    return inquiry


def _open(member: Member) -> tuple[ColumnElement[bool], ...]:
    # An inquiry belongs to the rep who registered it; a handover moves Inquiry.member_id.
    return (Inquiry.team_id == member.team_id, Inquiry.member_id == member.id, Inquiry.replied_at.is_(None))


async def list_open(session: AsyncSession, *, member: Member) -> list[Inquiry]:
    """Return the member's open inquiries, earliest deadline first, so overdue ones lead."""
    statement = select(Inquiry).where(*_open(member)).order_by(Inquiry.deadline_at, Inquiry.id)
    return list((await session.execute(statement)).unique().scalars())


async def list_overdue(session: AsyncSession, *, member: Member, now: datetime) -> list[Inquiry]:
    """Return the member's open inquiries whose deadline has passed, earliest first."""
    statement = (
        select(Inquiry).where(*_open(member), Inquiry.deadline_at < now).order_by(Inquiry.deadline_at, Inquiry.id)
    )
    return list((await session.execute(statement)).unique().scalars())
