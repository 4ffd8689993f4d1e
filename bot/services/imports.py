"""Customer import: a preview kept as a PendingImport, then every new row written at once.

Nothing is written before the member confirms. The confirmation inserts the customers
and their contacts in batches inside the caller's unit of work, so an error in any batch
rolls back every batch before it, and the audit event commits with the rows.

A member has at most one pending import: a new file replaces the previous preview. A
preview expires after PENDING_LIFETIME. Expired previews of any member are deleted when
the next preview is stored.
"""

from __future__ import annotations

import logging
import secrets
import time as monotonic_time
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import CountryCode, MarketNames, NotFound, UserError
from bot.i18n import N_
from bot.models import Contact, Customer, Member, PendingImport
from bot.services.audit import record
from bot.services.customers import name_key
from bot.services.import_duplicates import BuyerKeys, DuplicateIndex, KnownBuyer, split_duplicates
from bot.services.import_rows import ImportPreview, ImportResult, ImportRow, RowIssue
from bot.services.duplicates import company_domain, company_key
from bot.services.markets import OUTSIDE_MARKETS_ROW, binding_markets, outside_markets

logger = logging.getLogger(__name__)

PENDING_LIFETIME = timedelta(hours=24)
# Rows per INSERT batch; progress is reported after each batch.
INSERT_BATCH_ROWS = 2_000
# The sheet's last-contact date becomes this hour of that day in the member's zone, well
# away from midnight, so the rep-local date survives any zone offset.
LAST_CONTACT_HOUR = time(12, 0)

IMPORT_NOT_FOUND = N_(
    "No import #%(id)s is waiting for you. It was imported, cancelled or replaced by a newer file. "
    "Send the file again to start over."
)
NO_PENDING_IMPORT = N_("No import is waiting for you. Send me an .xlsx or .csv file to start one.")
IMPORT_EXPIRED = N_("Import #%(id)s expired after %(hours)s hours. Send the file again.")
IMPORT_RACE = N_(
    "Nothing was imported: while the import ran, someone in the team registered one of its customers. "
    "Confirm again to import the others, or send the file again."
)

# Awaited with (rows written, rows to write) after each batch.
ProgressCallback = Callable[[int, int], Awaitable[None]]


class ImportAborted(UserError):
    """The import failed midway and was rolled back; nothing of it is stored."""


# ---------------------------------------------------------------------------- preview


async def preview_import(
    session: AsyncSession,
    *,
    actor: Member,
    filename: str,
    rows: Sequence[ImportRow],
    invalid: Sequence[RowIssue],
    warnings: Sequence[RowIssue],
    now: datetime,
) -> ImportPreview:
    """Sort checked rows into new ones and duplicates, and keep the new ones for confirmation.

    The actor's earlier pending import is discarded. Nothing is stored when no row is new.
    """
    await _discard_stale(session, actor=actor, now=now)
    rows, invalid = await _split_outside_markets(session, actor=actor, rows=rows, invalid=invalid)
    team = await team_duplicate_index(session, team_id=actor.team_id)
    new_rows, duplicates = split_duplicates(rows, team=team, actor_id=actor.id)
    # A row left out as a duplicate or outside the rep's markets needs no checking, so its warnings go too.
    left_out = {(duplicate.sheet, duplicate.row) for duplicate in duplicates}
    left_out |= {(issue.sheet, issue.row) for issue in invalid}
    warnings = [warning for warning in warnings if (warning.sheet, warning.row) not in left_out]
    pending_id: int | None = None
    check: str | None = None
    if new_rows:
        # SQLite may give a new row the id of a deleted one, so a button also carries this
        # check, and a button under an older preview cannot confirm a newer one.
        check = secrets.token_hex(4)
        pending = PendingImport(
            member_id=actor.id,
            filename=filename[:255],
            payload={
                "check": check,
                "rows": [row.to_json() for row in new_rows],
                "duplicates": len(duplicates),
                "invalid": len(invalid),
            },
            created_at=now,
        )
        session.add(pending)
        await session.flush()
        pending_id = pending.id
    logger.info(
        "import previewed member_id=%s pending_id=%s new=%d duplicates=%d invalid=%d",
        actor.id,
        pending_id,
        len(new_rows),
        len(duplicates),
        len(invalid),
    )
    return ImportPreview(
        filename=filename,
        pending_id=pending_id,
        check=check,
        new_rows=tuple(new_rows),
        duplicates=tuple(duplicates),
        invalid=tuple(invalid),
        warnings=tuple(warnings),
    )


async def _split_outside_markets(
    session: AsyncSession, *, actor: Member, rows: Sequence[ImportRow], invalid: Sequence[RowIssue]
) -> tuple[list[ImportRow], list[RowIssue]]:
    """Move rows in countries outside a rep's markets to the invalid ones, as /add rejects them."""
    markets = await binding_markets(session, actor=actor)
    names = MarketNames(market.name for market in markets)
    kept: list[ImportRow] = []
    outside: list[RowIssue] = []
    for row in rows:
        if outside_markets(markets, row.customer.country):
            params = {"country": CountryCode(row.customer.country), "markets": names}
            outside.append(RowIssue(row=row.row, message=OUTSIDE_MARKETS_ROW, params=params, sheet=row.sheet))
        else:
            kept.append(row)
    if not outside:
        return kept, list(invalid)
    # Sheets keep the file's order, and rows their order within a sheet.
    sheets = {sheet: index for index, sheet in enumerate(dict.fromkeys([row.sheet for row in rows] + [i.sheet for i in invalid]))}
    return kept, sorted([*invalid, *outside], key=lambda issue: (sheets.get(issue.sheet, 0), issue.row))


async def _discard_stale(session: AsyncSession, *, actor: Member, now: datetime) -> None:
    await session.execute(
        delete(PendingImport).where(
            or_(PendingImport.member_id == actor.id, PendingImport.created_at < now - PENDING_LIFETIME)
        )
    )


async def team_duplicate_index(session: AsyncSession, *, team_id: int) -> DuplicateIndex:
    """Index every customer of the team by company key, registrable email domain and phone."""
    index = DuplicateIndex()
    customers = await session.execute(
        select(Customer.id, Customer.owner_id, Customer.name, Customer.pooled_at).where(Customer.team_id == team_id)
    )
    buyers: dict[int, KnownBuyer] = {}
    for customer in customers:
        buyer = KnownBuyer(
            customer_id=customer.id,
            owner_id=customer.owner_id,
            name=customer.name,
            in_pool=customer.pooled_at is not None,
        )
        buyers[customer.id] = buyer
        index.add(buyer, BuyerKeys(name=company_key(customer.name), domains=frozenset(), phones=frozenset()))
    contacts = await session.execute(
        select(Contact.customer_id, Contact.email_domain, Contact.phone)
        .join(Customer, Customer.id == Contact.customer_id)
        .where(Customer.team_id == team_id)
    )
    for contact in contacts:
        domain = company_domain("@" + contact.email_domain) if contact.email_domain else None
        keys = BuyerKeys(
            name="",
            domains=frozenset({domain} if domain else ()),
            phones=frozenset({contact.phone} if contact.phone else ()),
        )
        index.add(buyers[contact.customer_id], keys)
    return index


# ---------------------------------------------------------------------------- confirm, cancel


async def find_pending(
    session: AsyncSession, *, actor: Member, pending_id: int | None, now: datetime, check: str | None = None
) -> PendingImport:
    """Return the actor's pending import `pending_id`, or their latest when None.

    Another member's import, and one whose check differs from `check`, are reported as
    not found, like one that never existed.

    Raises:
        NotFound: no such import of the actor's.
        UserError: the import has expired.
    """
    statement = select(PendingImport).where(PendingImport.member_id == actor.id)
    if pending_id is not None:
        statement = statement.where(PendingImport.id == pending_id)
    # The lock makes a second confirmation (a double press) wait for the first, and then
    # find the import gone. SQLite ignores it, and its single connection serialises anyway.
    statement = statement.order_by(PendingImport.id.desc()).limit(1).with_for_update()
    pending = (await session.execute(statement)).scalars().first()
    if pending is None and pending_id is None:
        raise NotFound(NO_PENDING_IMPORT)
    if pending is None or (check is not None and pending.payload.get("check") != check):
        raise NotFound(IMPORT_NOT_FOUND, id=pending_id)
    if pending.created_at < now - PENDING_LIFETIME:
        raise UserError(IMPORT_EXPIRED, id=pending.id, hours=int(PENDING_LIFETIME.total_seconds() // 3600))
    return pending


async def confirm_import(
    session: AsyncSession,
    *,
    actor: Member,
    pending_id: int | None,
    now: datetime,
    check: str | None = None,
    platform: str | None = None,
    chat_id: str | None = None,
    on_progress: ProgressCallback | None = None,
    batch_rows: int = INSERT_BATCH_ROWS,
) -> ImportResult:
    """Write the pending import's new rows as the actor's customers, and audit the import.

    Rows whose buyer the team registered since the preview are left out and reported.
    The rows go in INSERT batches of `batch_rows`, with `on_progress` awaited after each.

    Raises:
        NotFound: no such pending import of the actor's.
        ImportAborted: an insert failed, for a buyer registered concurrently by another
            process. The caller's unit of work must roll back, which removes every row
            this call inserted.
    """
    started = monotonic_time.monotonic()
    pending = await find_pending(session, actor=actor, pending_id=pending_id, now=now, check=check)
    payload = pending.payload
    rows = [ImportRow.from_json(item) for item in payload["rows"]]  # type: ignore[attr-defined]
    team = await team_duplicate_index(session, team_id=actor.team_id)
    # The preview removed duplicates within the file; only the team can have changed since.
    new_rows, meanwhile = split_duplicates(rows, team=team, actor_id=actor.id, within_file=False)

    customers = contacts = 0
    try:
        for start in range(0, len(new_rows), batch_rows):
            batch = new_rows[start : start + batch_rows]
            contacts += await _insert_batch(session, actor=actor, rows=batch, now=now)
            customers += len(batch)
            if on_progress is not None:
                await on_progress(customers, len(new_rows))
    except IntegrityError as error:
        logger.warning(
            "import aborted member_id=%s pending_id=%s after customers=%d: %s",
            actor.id,
            pending.id,
            customers,
            type(error.orig).__name__,
        )
        raise ImportAborted(IMPORT_RACE) from error

    result = ImportResult(
        filename=pending.filename,
        customers=customers,
        contacts=contacts,
        duplicates=int(payload.get("duplicates", 0)),  # type: ignore[call-overload]
        invalid=int(payload.get("invalid", 0)),  # type: ignore[call-overload]
        registered_meanwhile=tuple(meanwhile),
        clock_from_sheet=sum(1 for row in new_rows if row.last_contact is not None),
    )
    await session.delete(pending)
    await record(
        session,
        actor=actor,
        action="import",
        now=now,
        detail={
            "pending_id": pending.id,
            "customers": result.customers,
            "contacts": result.contacts,
            "duplicates": result.duplicates,
            "invalid": result.invalid,
            "registered_meanwhile": len(meanwhile),
        },
        platform=platform,
        chat_id=chat_id,
    )
    logger.info(
        "import confirmed member_id=%s pending_id=%s customers=%d contacts=%d in %d ms",
        actor.id,
        pending.id,
        customers,
        contacts,
        (monotonic_time.monotonic() - started) * 1000,
    )
    return result


async def cancel_import(
    session: AsyncSession, *, actor: Member, pending_id: int | None, now: datetime, check: str | None = None
) -> str:
    """Discard the actor's pending import and return its file name."""
    pending = await find_pending(session, actor=actor, pending_id=pending_id, now=now, check=check)
    await session.delete(pending)
    await session.flush()
    logger.info("import cancelled member_id=%s pending_id=%s", actor.id, pending.id)
    return pending.filename


def last_contact_instant(day: date, *, zone: str) -> datetime:
    """Return the instant that stands for a last-contact date in the member's zone."""
    return datetime.combine(day, LAST_CONTACT_HOUR, tzinfo=ZoneInfo(zone))


async def _insert_batch(session: AsyncSession, *, actor: Member, rows: Sequence[ImportRow], now: datetime) -> int:
    """Insert one batch of customers and their contacts; return the number of contacts."""
    customer_values = [
        {
            "team_id": actor.team_id,
            "owner_id": actor.id,
            "name": row.customer.name,
            "name_key": name_key(row.customer.name),
            "country": row.customer.country,
            "zone": row.customer.zone,
            "subdivision": row.customer.subdivision,
            "tier": row.customer.tier,
            "source": row.customer.source,
            "source_detail": row.customer.source_detail,
            "note": row.customer.note,
            "tags": list(row.customer.tags),
            "last_contact_at": last_contact_instant(row.last_contact, zone=actor.zone) if row.last_contact else now,
            "created_at": now,
        }
        for row in rows
    ]
    await session.execute(insert(Customer), customer_values)

    # Name keys are unique within the team, so they pair each row with its new id. A SELECT
    # is used because INSERT … RETURNING made the confirmation of bench/bench_import.py
    # (20,000 rows, SQLite 3.40, SQLAlchemy 2.0.58) take 9 s instead of 5.7 s.
    keys = [values["name_key"] for values in customer_values]
    inserted = await session.execute(
        select(Customer.id, Customer.name_key).where(Customer.team_id == actor.team_id, Customer.name_key.in_(keys))
    )
    ids = {item.name_key: item.id for item in inserted}

    contact_values = [
        {
            "customer_id": ids[name_key(row.customer.name)],
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "email_domain": contact.email.rsplit("@", 1)[1] if contact.email else None,
            "phone": contact.phone,
            "birth_year": contact.birthday[0] if contact.birthday else None,
            "birth_month": contact.birthday[1] if contact.birthday else None,
            "birth_day": contact.birthday[2] if contact.birthday else None,
            "language": contact.language,
        }
        for row in rows
        for contact in row.customer.contacts
    ]
    if contact_values:
        await session.execute(insert(Contact), contact_values)
    return len(contact_values)
