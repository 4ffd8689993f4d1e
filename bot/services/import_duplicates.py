"""Duplicate buyers in an import, by the team's duplicate rules (客户查重).

A row duplicates an earlier row of the file, or a customer of the team, by the rules of
/add (bot.services.duplicates): the same company key, the same registrable company email
domain, or the same phone number in E.164 form. Free-mail domains (gmail.com, 163.com...)
are shared by unrelated buyers, so they never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.services.duplicates import company_domain, company_key
from bot.services.import_rows import SAME_EMAIL_DOMAIN, SAME_NAME, SAME_PHONE, DuplicateRow, ImportRow
from bot.services.probe import normalize_phone


@dataclass(frozen=True)
class KnownBuyer:
    """A buyer seen before: an earlier row of the file, or a customer of the team."""

    row: int | None = None
    sheet: str | None = None
    customer_id: int | None = None
    owner_id: int | None = None
    name: str | None = None
    in_pool: bool = False


@dataclass(frozen=True)
class BuyerKeys:
    """The values that the duplicate rules compare."""

    name: str
    domains: frozenset[str]
    phones: frozenset[str]


def row_keys(row: ImportRow) -> BuyerKeys:
    contacts = row.customer.contacts
    domains = {company_domain(contact.email) for contact in contacts}
    phones = {
        normalize_phone(contact.phone, default_country=row.customer.country) for contact in contacts if contact.phone
    }
    return BuyerKeys(
        name=company_key(row.customer.name),
        domains=frozenset(domain for domain in domains if domain),
        phones=frozenset(phone for phone in phones if phone),
    )


class DuplicateIndex:
    """Buyers by name key, company email domain and phone; the first buyer added for a key wins."""

    def __init__(self) -> None:
        self._by_key: dict[str, dict[str, KnownBuyer]] = {SAME_NAME: {}, SAME_EMAIL_DOMAIN: {}, SAME_PHONE: {}}

    def add(self, buyer: KnownBuyer, keys: BuyerKeys) -> None:
        self._add(SAME_NAME, [keys.name] if keys.name else [], buyer)
        self._add(SAME_EMAIL_DOMAIN, keys.domains, buyer)
        self._add(SAME_PHONE, keys.phones, buyer)

    def _add(self, kind: str, values: Iterable[str], buyer: KnownBuyer) -> None:
        index = self._by_key[kind]
        for value in values:
            index.setdefault(value, buyer)

    def find(self, keys: BuyerKeys) -> tuple[KnownBuyer, tuple[str, ...]] | None:
        """Return the first known buyer that `keys` match, with every rule it matches by."""
        candidates: dict[KnownBuyer, list[str]] = {}
        checks = (
            (SAME_NAME, [keys.name] if keys.name else []),
            (SAME_EMAIL_DOMAIN, sorted(keys.domains)),
            (SAME_PHONE, sorted(keys.phones)),
        )
        for kind, values in checks:
            for value in values:
                buyer = self._by_key[kind].get(value)
                if buyer is not None and kind not in candidates.setdefault(buyer, []):
                    candidates[buyer].append(kind)
        if not candidates:
            return None
        buyer, reasons = next(iter(candidates.items()))
        return buyer, tuple(reasons)


def split_duplicates(
    rows: Sequence[ImportRow], *, team: DuplicateIndex, actor_id: int, within_file: bool = True
) -> tuple[list[ImportRow], list[DuplicateRow]]:
    """Split rows into new ones and duplicates of the team's customers or, with `within_file`, of earlier rows.

    A customer of the team is named only when `actor_id` owns it and it is not in the pool.
    """
    in_file = DuplicateIndex()
    new_rows: list[ImportRow] = []
    duplicates: list[DuplicateRow] = []
    for row in rows:
        keys = row_keys(row)
        found = team.find(keys) or (in_file.find(keys) if within_file else None)
        if found is None:
            in_file.add(KnownBuyer(row=row.row, sheet=row.sheet), keys)
            new_rows.append(row)
            continue
        buyer, reasons = found
        own = buyer.owner_id == actor_id and not buyer.in_pool
        duplicates.append(
            DuplicateRow(
                row=row.row,
                reasons=reasons,
                of_row=buyer.row,
                sheet=row.sheet,
                of_sheet=buyer.sheet,
                existing_id=buyer.customer_id if own else None,
                existing_name=buyer.name if own else None,
                in_pool=buyer.in_pool,
            )
        )
    return new_rows, duplicates
