"""SQLAlchemy 2.0 typed models. All instants are stored as UTC; zones are IANA names."""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum as SqlEnum,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false as sa_false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend; SQLite would otherwise return naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


def _enum_column(enum_type: type[enum.Enum]) -> SqlEnum:
    # Store the values as plain strings (no native enum), so migrations never alter a type.
    return SqlEnum(
        enum_type,
        native_enum=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Role(str, enum.Enum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"


class Stage(str, enum.Enum):
    INQUIRY = "inquiry"
    QUOTED = "quoted"
    SAMPLE = "sample"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"

    @property
    def is_open(self) -> bool:
        return self not in (Stage.WON, Stage.LOST)


class ReminderStatus(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    # The send timed out after the request left, so the message may or may not have arrived.
    # Such a row is never resent automatically.
    UNKNOWN = "unknown"
    # The platform refused the message for good (chat gone, archived, bot blocked); not resent.
    FAILED = "failed"


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Unique, so that processes starting at once for one team create it only once.
    name: Mapped[str] = mapped_column(String(200), unique=True)
    default_locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    default_zone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # Cadence in days per tier; a team overrides the defaults in bot.services.cadence.
    cadence_overrides: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # The country whose public holidays and make-up workdays decide the team's workdays.
    calendar_country: Mapped[str] = mapped_column(String(2), default="CN", server_default="CN")
    # Holiday greetings are announced this many buyer workdays before the holiday.
    greeting_lead_days: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Whether team channel digests name customers or show counts only.
    channel_shows_names: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # The team's standard quotation terms (payment, lead time, validity, MOQ, signature), set by /terms.
    terms: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    # Whether reps may register buyers in countries outside the markets assigned to them.
    markets_outside_allowed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Shared pool (公海): a customer with no interaction for this many days returns to the pool.
    pool_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    # How many pool customers a member may claim per calendar month in the team's zone.
    pool_claim_cap: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # Managers are alerted when a rep reads more customer cards than this within an hour.
    bulk_read_limit: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # The currency that /pipeline, /forecast and /top convert totals into at the team's rates.
    reporting_currency: Mapped[str] = mapped_column(String(3), default="CNY", server_default="CNY")
    # A quote further than this from the market's list price, in percent, warns the rep and managers.
    price_tolerance_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(10), server_default="10")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_enum_column(Role))
    locale: Mapped[str | None] = mapped_column(String(10))
    zone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_hour: Mapped[int] = mapped_column(Integer, default=9)
    # Whether the member gets a digest on the team's days off (weekends, public holidays) too.
    digest_on_holidays: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    identities: Mapped[list[Identity]] = relationship(back_populates="member", lazy="selectin")


class Identity(Base):
    """A member's account on one chat platform, and the chat where the bot reaches them."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    client_locale: Mapped[str | None] = mapped_column(String(10))
    # The Slack workspace (team) id of a Slack account; None on other platforms.
    workspace_id: Mapped[str | None] = mapped_column(String(32))
    # When the member last wrote from this account; reminders go to the most recent one.
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    member: Mapped[Member] = relationship(back_populates="identities")


class LinkCode(Base):
    """A one-time code that attaches a member's account on another platform to the same member.

    Only the code's SHA-256 digest is stored.
    """

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The platform the code was issued on; it is redeemed from another one.
    platform: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SlackEvent(Base):
    """A Slack event id already accepted, so that a redelivery to any process is dropped."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_team_owner", "team_id", "owner_id"),
        Index("ix_customers_team_pooled", "team_id", "pooled_at"),
        # One owner per buyer in a team, even when two reps register it at the same moment.
        UniqueConstraint("team_id", "name_key", name="uq_customers_team_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(String(300))
    # Lower-cased, width-folded, punctuation-free form of the name for matching.
    name_key: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    zone: Mapped[str] = mapped_column(String(64))
    subdivision: Mapped[str | None] = mapped_column(String(10))
    tier: Mapped[str] = mapped_column(String(1))
    source: Mapped[str] = mapped_column(String(16), default="other")
    source_detail: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    # The cadence clock restarts at the last interaction, or at registration.
    last_contact_at: Mapped[datetime] = mapped_column(UtcDateTime())
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Shared pool (公海), see bot.services.pool. A customer is in the team's pool exactly when
    # `pooled_at` is set. `owner_id` then still names the LAST owner, who may no longer read
    # or change it: every "rep's own customers" check must also require `pooled_at IS NULL`
    # (use Customer.owned_by(member)). A duplicate check that finds a pooled customer says
    # "in the pool". Claiming sets owner_id to the claimer, clears pooled_at, sets claimed_at.
    pooled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the current owner claimed it from the pool; the pool clock counts from the latest
    # of last_contact_at and claimed_at.
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    @classmethod
    def owned_by(cls, member: Member):  # type: ignore[no-untyped-def]
        """Build the SQL condition "owned by `member` and not in the pool"."""
        return (cls.team_id == member.team_id) & (cls.owner_id == member.id) & cls.pooled_at.is_(None)

    @property
    def in_pool(self) -> bool:
        return self.pooled_at is not None

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", lazy="selectin", order_by="Contact.id"
    )
    deals: Mapped[list[Deal]] = relationship(
        back_populates="customer", lazy="selectin", order_by="Deal.id"
    )
    owner: Mapped[Member] = relationship(lazy="joined")


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    email_domain: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    birth_month: Mapped[int | None] = mapped_column(Integer)
    birth_day: Mapped[int | None] = mapped_column(Integer)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class Deal(Base):
    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    product: Mapped[str] = mapped_column(String(300))
    spec: Mapped[str | None] = mapped_column(String(500))
    qty_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    qty_unit: Mapped[str | None] = mapped_column(String(16))
    qty_is_container: Mapped[bool] = mapped_column(Boolean, default=False)
    currency: Mapped[str | None] = mapped_column(String(3))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    # The unit the price is per, e.g. "sqm" in USD 2.5/sqm; None when the rep gave none.
    price_unit: Mapped[str | None] = mapped_column(String(16))
    incoterm: Mapped[str | None] = mapped_column(String(3))
    incoterm_place: Mapped[str | None] = mapped_column(String(100))
    # Total order value in `currency` when known: typed by the rep, or price × units.
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    stage: Mapped[Stage] = mapped_column(_enum_column(Stage))
    probability: Mapped[Decimal | None] = mapped_column(Numeric(4, 3))
    close_date: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    customer: Mapped[Customer] = relationship(back_populates="deals")


class Interaction(Base):
    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Conversation(Base):
    """A question the bot asked a member and waits for, e.g. which zone for a new customer."""

    __tablename__ = "conversations"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Reminder(Base):
    """A planned message. The unique key makes planning idempotent; status makes sending once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "member_id", "local_date", name="uq_reminder_key"),
        Index("ix_reminders_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[ReminderStatus] = mapped_column(
        _enum_column(ReminderStatus), default=ReminderStatus.PENDING
    )
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # A claim expires, so that a process that died mid-send does not hold a reminder forever.
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Inquiry(Base):
    """An inquiry (询盘) from a buyer, with the deadline by which the rep should reply."""

    __tablename__ = "inquiries"
    __table_args__ = (
        Index("ix_inquiries_member_open", "member_id", "replied_at"),
        Index("ix_inquiries_team_received", "team_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    product: Mapped[str | None] = mapped_column(String(300))
    quantity: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    sender_email: Mapped[str | None] = mapped_column(String(254))
    sender_phone: Mapped[str | None] = mapped_column(String(32))
    deadline_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # True when the buyer's business day was already running, so the 2-hour rule applied.
    deadline_in_running_day: Mapped[bool] = mapped_column(Boolean, default=False)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Reasons of the price-probe check, as message ids with their parameters.
    probe_flags: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    customer: Mapped[Customer] = relationship(lazy="joined")


class WatchEntry(Base):
    """A sender the team suspects of probing prices: an email, an email domain or a phone."""

    __tablename__ = "watch_entries"
    __table_args__ = (UniqueConstraint("team_id", "kind", "value", name="uq_watch_entry"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(254))
    note: Mapped[str | None] = mapped_column(String(300))
    added_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ChannelSubscription(Base):
    """A group chat or channel that receives the team digest."""

    __tablename__ = "channel_subscriptions"
    __table_args__ = (UniqueConstraint("platform", "chat_id", name="uq_channel_subscription"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditEvent(Base):
    """A record of who read, wrote or exported customer data, when, and through which chat."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_team_at", "team_id", "at"),
        Index("ix_audit_member_at", "member_id", "at"),
        Index("ix_audit_member_action_at", "member_id", "action", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    # What was done, e.g. "export", "import", "calendar_read".
    action: Mapped[str] = mapped_column(String(32))
    # Counts and ids of what was touched; never contact details.
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    platform: Mapped[str | None] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    # The customer read or changed, when the event is about one (card reads, pool moves).
    customer_id: Mapped[int | None] = mapped_column(Integer)
    # The command that caused the event, e.g. "card"; None for the dispatcher's own events.
    command: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class CalendarFeed(Base):
    """A member's private iCalendar feed; the token in its URL is the only credential."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PendingImport(Base):
    """A parsed customer sheet waiting for the member's confirmation; nothing is imported yet."""

    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    # The normalised valid rows and the preview counts, as the confirmation will write them.
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Invitation(Base):
    """A single-use invitation code that an admin hands out; only its SHA-256 digest is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(_enum_column(Role))
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    used_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class Refusal(Base):
    """A sender who was told once that the bot is not for them; later messages get no reply."""

    __tablename__ = "refusals"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Market(Base):
    """A team's named group of countries (e.g. 欧洲: DE FR IT), assigned to reps."""

    __tablename__ = "markets"
    __table_args__ = (UniqueConstraint("team_id", "name_key", name="uq_markets_team_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))
    # ISO 3166-1 alpha-2 codes, sorted.
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)


class MemberMarket(Base):
    """A market assigned to a rep; a rep with none may register buyers anywhere."""

    __tablename__ = "member_markets"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id"), primary_key=True)


class FxRate(Base):
    """A team-set exchange rate: one unit of `currency` is worth `rate` units of `base`.

    Rates are typed by a manager (/fx EUR 7.8); there are no live rates. A rate set against
    an earlier reporting currency stays stored but is not used until that base returns.
    """

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("team_id", "currency", name="uq_fx_rates_team_currency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    currency: Mapped[str] = mapped_column(String(3))
    base: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    set_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ListPrice(Base):
    """A team's list price of a product for one market: a country or a market group.

    `market_key` is "country:US" or "market:<id>", so that one unique key covers both kinds.
    """

    __tablename__ = "list_prices"
    __table_args__ = (
        UniqueConstraint("team_id", "product_key", "market_key", name="uq_list_prices_product_market"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    product: Mapped[str] = mapped_column(String(300))
    # Case-folded, width-folded and whitespace-collapsed product name, for matching.
    product_key: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    market_id: Mapped[int | None] = mapped_column(ForeignKey("markets.id"))
    market_key: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    price_unit: Mapped[str | None] = mapped_column(String(16))
    incoterm: Mapped[str | None] = mapped_column(String(3))
    incoterm_place: Mapped[str | None] = mapped_column(String(100))
    set_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())
