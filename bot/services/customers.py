"""Registering customers, finding them by fuzzy name, and their cards."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import noload

from bot.errors import NotFound, UserError
from bot.i18n import N_
from bot.models import Contact, Customer, Interaction, Member
from bot.services.duplicates import find_duplicate
from bot.services.markets import check_market
from bot.services.members import is_manager

logger = logging.getLogger(__name__)

# A fuzzy match below this rapidfuzz WRatio score (0-100) is not offered as a candidate.
FUZZY_MIN_SCORE = 80
MAX_CANDIDATES = 5
MAX_NAME_LENGTH = 200
# Row ids are 32-bit Integer columns. A larger '#id' matches nothing, and PostgreSQL's driver
# would reject it as a query parameter.
MAX_ROW_ID = 2**31 - 1

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """Fold width and case and drop punctuation, so 'ＡＣＭＥ Ltd.' and 'acme ltd' match."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _NON_WORD.sub("", folded)


def is_partial_key(key: str) -> bool:
    """Tell whether a name key is long enough to match part of a name: 3 letters or 2 Chinese characters.

    A shorter key ("h", "D1") is part of too many names to pick one.
    """
    return len(key) >= 3 or (len(key) == 2 and all("\u4e00" <= char <= "\u9fff" for char in key))


@dataclass(frozen=True)
class ContactDraft:
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    birthday: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    language: str | None = None


@dataclass(frozen=True)
class CustomerDraft:
    """A parsed registration, checked field by field before anything is written."""

    name: str
    country: str
    zone: str
    tier: str
    subdivision: str | None = None  # the holidays package's code, e.g. TX, BY
    source: str = "other"
    source_detail: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    contacts: tuple[ContactDraft, ...] = field(default=())


class AmbiguousName(UserError):
    """Several customers match a name; the handler offers them as a numbered list."""

    def __init__(
        self,
        query: str,
        candidates: list[Customer],
        *,
        rests: dict[int, str] | None = None,
        total: int | None = None,
        message: str = N_("Several customers match '%(query)s'. Choose one:"),
    ) -> None:
        super().__init__(message, query=query)
        self.candidates = candidates
        # How many matched in all; only the first MAX_CANDIDATES are offered.
        self.total = total if total is not None else len(candidates)
        # The words after each candidate's name, so that the command can be re-run with the
        # chosen customer: "Global print quality" leaves a different rest for each reading.
        self.rests = rests or {}


# The refusal names no other rep: the customer list is each rep's trade secret.
OWNED_BY_OTHER_REP = N_("'%(name)s' is already a customer of your team, owned by another rep. Ask your manager.")
IN_POOL = N_("'%(name)s' is already a customer of your team and is in the team's pool (公海). Claim it with /claim.")
# Managers see the whole team, so they are told the owner.
OWNED_BY_NAMED_REP = N_("'%(name)s' is already a customer of your team: #%(id)s %(existing)s, owned by %(owner)s.")


class DuplicateCustomer(UserError):
    """The team already has this buyer; the message never names the other owner."""


async def add_customer(session: AsyncSession, *, actor: Member, draft: CustomerDraft, now: datetime) -> Customer:
    """Register a customer owned by `actor`; the cadence clock starts now."""
    key = name_key(draft.name)
    if not key:
        raise UserError(N_("The company name is empty. Write e.g. 名称: Sharma Print House."))
    await check_market(session, actor=actor, country=draft.country)
    duplicate = await find_duplicate(
        session,
        team_id=actor.team_id,
        name=draft.name,
        country=draft.country,
        emails=[contact.email for contact in draft.contacts],
        phones=[contact.phone for contact in draft.contacts],
    )
    if duplicate is not None:
        existing = duplicate.customer
        logger.info(
            "duplicate customer refused customer_id=%s member_id=%s reasons=%s",
            existing.id,
            actor.id,
            ",".join(duplicate.reasons),
        )
        if existing.pooled_at is not None:
            raise DuplicateCustomer(IN_POOL, name=draft.name)
        if existing.owner_id == actor.id:
            raise DuplicateCustomer(
                N_("You already have '%(name)s' (#%(id)s). Use /card %(name)s to see it."),
                name=existing.name,
                id=existing.id,
            )
        if is_manager(actor):
            raise DuplicateCustomer(
                OWNED_BY_NAMED_REP, name=draft.name, id=existing.id, existing=existing.name, owner=existing.owner.display_name
            )
        raise DuplicateCustomer(OWNED_BY_OTHER_REP, name=draft.name)

    customer = Customer(
        team_id=actor.team_id,
        owner_id=actor.id,
        name=draft.name,
        name_key=key,
        country=draft.country,
        subdivision=draft.subdivision,
        zone=draft.zone,
        tier=draft.tier,
        source=draft.source,
        source_detail=draft.source_detail,
        note=draft.note,
        tags=list(draft.tags),
        last_contact_at=now,
        created_at=now,
    )
    session.add(customer)
    try:
        await session.flush()
    except IntegrityError as error:
        # Another rep registered the same name between our check and our insert; the
        # router rolls the whole unit of work back.
        raise DuplicateCustomer(OWNED_BY_OTHER_REP, name=draft.name) from error

    for contact in draft.contacts:
        year, month, day = contact.birthday if contact.birthday else (None, None, None)
        session.add(
            Contact(
                customer_id=customer.id,
                name=contact.name,
                role=contact.role,
                email=contact.email,
                email_domain=contact.email.rsplit("@", 1)[1] if contact.email else None,
                phone=contact.phone,
                birth_year=year,
                birth_month=month,
                birth_day=day,
                language=contact.language,
            )
        )

    await session.flush()
    await session.refresh(customer, attribute_names=["contacts", "deals"])
    logger.info(
        "customer added customer_id=%s member_id=%s country=%s tier=%s",
        customer.id,
        actor.id,
        customer.country,
        customer.tier,
    )
    return customer


def _visible(actor: Member, *, team_wide: bool = False):  # type: ignore[no-untyped-def]
    # Reps can read only the customers they own; a customer in the shared pool is no one's.
    # Reads that allow it (`team_wide`: /card, /find) show a manager every customer of the team.
    if team_wide and is_manager(actor):
        return Customer.team_id == actor.team_id
    return Customer.owned_by(actor)


async def list_customers_for_planning(
    session: AsyncSession, *, actor: Member, with_contacts: bool = False
) -> list[Customer]:
    """Return the actor's customers with their deals, and their contacts only when asked.

    Follow-ups never read contacts; birthdays do. The owner is never loaded.
    """
    options = [noload(Customer.owner)]
    if not with_contacts:
        options.append(noload(Customer.contacts))
    statement = select(Customer).where(_visible(actor)).order_by(Customer.id).options(*options)
    return list((await session.execute(statement)).scalars())


async def _name_index(session: AsyncSession, *, actor: Member, team_wide: bool = False) -> list[tuple[int, str]]:
    # Matching reads only ids and name keys; whole rows are loaded for the matches alone.
    statement = select(Customer.id, Customer.name_key).where(_visible(actor, team_wide=team_wide)).order_by(Customer.id)
    return [(row.id, row.name_key) for row in await session.execute(statement)]


async def _load(session: AsyncSession, *, actor: Member, ids: list[int], team_wide: bool = False) -> list[Customer]:
    if not ids:
        return []
    statement = select(Customer).where(_visible(actor, team_wide=team_wide), Customer.id.in_(ids))
    by_id = {customer.id: customer for customer in (await session.execute(statement)).scalars()}
    return [by_id[customer_id] for customer_id in ids if customer_id in by_id]


async def find_exact_customer(session: AsyncSession, *, actor: Member, text: str) -> Customer | None:
    """Return the visible customer whose whole name is `text`, or None."""
    key = name_key(text)
    ids = [customer_id for customer_id, name in await _name_index(session, actor=actor) if key and name == key]
    return (await _load(session, actor=actor, ids=ids))[0] if len(ids) == 1 else None


async def resolve_customer(session: AsyncSession, *, actor: Member, query: str, team_wide: bool = False) -> Customer:
    """Find one visible customer by '#id', exact name, or fuzzy name; `team_wide` lets managers read the team's.

    Raises:
        NotFound: nothing visible matches.
        AmbiguousName: several match equally well.
    """
    text = query.strip()
    if not text:
        raise UserError(N_("The customer name is missing. Write it after the command, e.g. Sharma."))
    if text.startswith("#") and text[1:].isdigit():
        customer_id = int(text[1:])
        found = await _load(session, actor=actor, ids=[customer_id], team_wide=team_wide) if customer_id <= MAX_ROW_ID else []
        if not found:
            raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=text)
        return found[0]
    matches, is_fuzzy = await _match_customers(session, actor=actor, text=text, team_wide=team_wide)
    if not matches:
        raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=text)
    if is_fuzzy:
        # A spelling that only resembles a name is confirmed before anything is read or changed.
        raise AmbiguousName(text, matches, message=N_("No customer is named '%(query)s'. Did you mean:"))
    key = name_key(text)
    exact = [customer for customer in matches if customer.name_key == key]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    raise AmbiguousName(text, matches[:MAX_CANDIDATES], total=len(matches))


async def search_customers(session: AsyncSession, *, actor: Member, text: str, team_wide: bool = False) -> list[Customer]:
    """Return the actor's customers matching `text`: by name, then by contact, then fuzzily by name.

    With `team_wide`, a manager searches every customer of the team.
    """
    matches, _is_fuzzy = await _match_customers(session, actor=actor, text=text, team_wide=team_wide)
    return matches


async def _match_customers(
    session: AsyncSession, *, actor: Member, text: str, team_wide: bool = False
) -> tuple[list[Customer], bool]:
    """Return (matches, whether they were found only by fuzzy spelling)."""
    key = name_key(text)
    if not key:
        return [], False
    index = await _name_index(session, actor=actor, team_wide=team_wide)
    by_substring = sorted(
        (len(name), customer_id)
        for customer_id, name in index
        if name == key or (is_partial_key(key) and key in name)
    )
    if by_substring:
        ids = [customer_id for _length, customer_id in by_substring]
        return await _load(session, actor=actor, ids=ids, team_wide=team_wide), False
    needle = unicodedata.normalize("NFKC", text).strip().casefold()
    contact_ids = (
        await session.execute(
            select(Contact.customer_id)
            .join(Customer, Customer.id == Contact.customer_id)
            .where(
                _visible(actor, team_wide=team_wide),
                func.lower(Contact.name).contains(needle, autoescape=True)
                | func.lower(Contact.email).contains(needle, autoescape=True),
            )
            .distinct()
            .order_by(Contact.customer_id)
        )
    ).scalars()
    contact_hits = list(contact_ids)
    if contact_hits:
        return await _load(session, actor=actor, ids=contact_hits, team_wide=team_wide), False
    scored = process.extract(
        key,
        dict(index),
        scorer=fuzz.WRatio,
        limit=MAX_CANDIDATES,
        score_cutoff=FUZZY_MIN_SCORE,
    )
    ids = [customer_id for _name, _score, customer_id in scored]
    return await _load(session, actor=actor, ids=ids, team_wide=team_wide), True


async def recent_interactions(session: AsyncSession, *, customer: Customer, limit: int = 5) -> list[Interaction]:
    statement = (
        select(Interaction)
        .where(Interaction.customer_id == customer.id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


def is_owned_by(customer: Customer, member: Member) -> bool:
    """Tell whether `member` owns the customer and it is not in the pool: Customer.owned_by for a loaded row.

    A pooled customer still names its last owner, who may no longer change it.
    """
    return customer.team_id == member.team_id and customer.owner_id == member.id and not customer.in_pool


async def log_interaction(
    session: AsyncSession, *, actor: Member, customer: Customer, kind: str, text: str, now: datetime
) -> Interaction:
    """Record an interaction and restart the customer's cadence clock."""
    if not is_owned_by(customer, actor):
        raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=customer.name)
    interaction = Interaction(customer_id=customer.id, member_id=actor.id, kind=kind, text=text, at=now)
    session.add(interaction)
    customer.last_contact_at = now
    customer.snoozed_until = None
    await session.flush()
    logger.info(
        "interaction logged interaction_id=%s customer_id=%s member_id=%s kind=%s",
        interaction.id,
        customer.id,
        actor.id,
        kind,
    )
    return interaction


async def snooze(session: AsyncSession, *, actor: Member, customer: Customer, until: date) -> None:
    if not is_owned_by(customer, actor):
        raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=customer.name)
    customer.snoozed_until = until
    await session.flush()
    logger.info("follow-up snoozed customer_id=%s member_id=%s until=%s", customer.id, actor.id, until)


async def resolve_customer_prefix(session: AsyncSession, *, actor: Member, text: str) -> tuple[Customer, str]:
    """Split 'NAME rest of text' where NAME is the longest word prefix naming one visible customer.

    '#12 rest' names customer 12. Returns (customer, rest).
    """
    words = text.split()
    if not words:
        raise UserError(N_("The customer name is missing. Write it after the command, e.g. Sharma."))
    if words[0].startswith("#"):
        return await resolve_customer(session, actor=actor, query=words[0]), " ".join(words[1:])
    index = await _name_index(session, actor=actor)
    # The longest prefix that names customers exactly, and the longest that is part of names.
    exact_at: tuple[int, list[int]] | None = None
    partial_at: tuple[int, list[int]] | None = None
    for count in range(len(words), 0, -1):
        key = name_key(" ".join(words[:count]))
        if not key:
            continue
        exact = [customer_id for customer_id, name in index if name == key]
        partial = [customer_id for customer_id, name in index if is_partial_key(key) and key in name and name != key]
        if exact and exact_at is None:
            exact_at = (count, exact)
        if partial and partial_at is None:
            partial_at = (count, partial)
    # Each reading of the text: customer id → the words after its name. A partial name counts
    # only when it is longer than the exact one ("Global print…" beside customer "Global").
    readings: dict[int, str] = {}
    for reading in (exact_at, partial_at):
        if reading is None or (reading is partial_at and exact_at and partial_at[0] <= exact_at[0]):
            continue
        count, customer_ids = reading
        for customer_id in customer_ids:
            readings.setdefault(customer_id, " ".join(words[count:]))
    if len(readings) == 1:
        ((customer_id, rest),) = readings.items()
        return (await _load(session, actor=actor, ids=[customer_id]))[0], rest
    if readings:
        # "Global print quality" may be customer "Global" or "Global Print Solutions": ask.
        candidates = await _load(session, actor=actor, ids=list(readings)[:MAX_CANDIDATES])
        raise AmbiguousName(
            words[0],
            candidates,
            rests={customer.id: readings[customer.id] for customer in candidates},
            total=len(readings),
        )
    raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=words[0])
