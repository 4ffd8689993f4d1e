"""The values an import works with: checked rows, row problems, duplicates, preview and result.

A PendingImport stores its rows as JSON between the preview and the confirmation, so
ImportRow converts to and from plain dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.services.customers import ContactDraft, CustomerDraft


@dataclass(frozen=True)
class ImportRow:
    """A sheet row checked field by field, ready to insert; `row` is the sheet's row number.

    `last_contact` is the rep-local date from the sheet that starts the cadence clock, or
    None, in which case the clock starts at the import.
    """

    row: int
    customer: CustomerDraft
    last_contact: date | None = None
    sheet: str | None = None

    def to_json(self) -> dict[str, object]:
        customer = self.customer
        return {
            "row": self.row,
            "sheet": self.sheet,
            "name": customer.name,
            "country": customer.country,
            "zone": customer.zone,
            "tier": customer.tier,
            "subdivision": customer.subdivision,
            "source": customer.source,
            "source_detail": customer.source_detail,
            "note": customer.note,
            "tags": list(customer.tags),
            "contacts": [_contact_to_json(contact) for contact in customer.contacts],
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ImportRow:
        contacts = tuple(_contact_from_json(item) for item in data["contacts"])  # type: ignore[attr-defined]
        last_contact = data.get("last_contact")
        return cls(
            row=int(data["row"]),  # type: ignore[call-overload]
            customer=CustomerDraft(
                name=str(data["name"]),
                country=str(data["country"]),
                zone=str(data["zone"]),
                tier=str(data["tier"]),
                subdivision=_optional(data.get("subdivision")),
                source=str(data["source"]),
                source_detail=_optional(data.get("source_detail")),
                note=_optional(data.get("note")),
                tags=tuple(str(tag) for tag in data.get("tags") or ()),  # type: ignore[attr-defined]
                contacts=contacts,
            ),
            last_contact=date.fromisoformat(str(last_contact)) if last_contact else None,
            sheet=_optional(data.get("sheet")),
        )


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _contact_to_json(contact: ContactDraft) -> dict[str, object]:
    return {
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "birthday": list(contact.birthday) if contact.birthday else None,
        "language": contact.language,
    }


def _contact_from_json(data: dict[str, object]) -> ContactDraft:
    birthday = data.get("birthday")
    return ContactDraft(
        name=str(data["name"]),
        role=_optional(data.get("role")),
        email=_optional(data.get("email")),
        phone=_optional(data.get("phone")),
        birthday=tuple(birthday) if birthday else None,  # type: ignore[arg-type]
        language=_optional(data.get("language")),
    )


@dataclass(frozen=True)
class ColumnRef:
    """A message parameter naming a sheet column: the field it fills and its header.

    The preview names it in the reader's language, e.g. "phone (column 电话)".
    """

    field: str
    header: str


@dataclass(frozen=True)
class Reason:
    """A message parameter that is itself a message, translated when the preview is shown."""

    message: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RowIssue:
    """Why a row is invalid, or what to check in it: a gettext message id and its parameters.

    `sheet` names the worksheet when the file has several.
    """

    row: int
    message: str
    params: dict[str, object] = field(default_factory=dict)
    sheet: str | None = None


# Why a row duplicates another: same company name key, same company email domain, same phone.
SAME_NAME = "name"
SAME_EMAIL_DOMAIN = "email_domain"
SAME_PHONE = "phone"


@dataclass(frozen=True)
class DuplicateRow:
    """A row left out because it names a buyer already in the file or in the team.

    `of_row` is the earlier row of the file it repeats. For a buyer already in the team,
    `existing_id` and `existing_name` are set only when the importing member owns it, so
    that another rep's customer is never named. `in_pool` tells that the buyer is in the
    team's pool (公海), where it can be claimed instead.
    """

    row: int
    reasons: tuple[str, ...]
    of_row: int | None = None
    existing_id: int | None = None
    existing_name: str | None = None
    sheet: str | None = None
    of_sheet: str | None = None
    in_pool: bool = False


@dataclass(frozen=True)
class ImportPreview:
    """The outcome of a preview; `pending_id` is None when no row is new.

    `check` is the random text that the preview's buttons carry beside the id.
    """

    filename: str
    pending_id: int | None
    check: str | None
    new_rows: tuple[ImportRow, ...]
    duplicates: tuple[DuplicateRow, ...]
    invalid: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]


@dataclass(frozen=True)
class ImportResult:
    """The outcome of a confirmed import.

    `registered_meanwhile` lists rows that were new at the preview but whose buyer the
    team registered before the confirmation; they were left out.
    """

    filename: str
    customers: int
    contacts: int
    duplicates: int
    invalid: int
    registered_meanwhile: tuple[DuplicateRow, ...]
    clock_from_sheet: int
