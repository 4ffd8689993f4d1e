"""Writes the team export as an .xlsx workbook: customers, deals and interactions sheets.

Cells hold real values: dates as Excel dates, amounts and probabilities as numbers, and
everything else as text. Stored codes (stage, source, interaction kind) are written as
their labels in the workbook's language. The workbook is written with openpyxl's
write-only mode, which streams rows instead of keeping every cell in memory.

Times: a customer's last contact is the date in the owner's zone, because that is the
date the owner's follow-up cadence counts from. Interaction times are wall-clock times
in the zone given to `build_workbook`, as Excel cells carry no zone.

Limitations:
    A customer with several contacts is exported with the first one only, because a
    sheet row has one contact column and import creates one contact per row.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.i18n import Translator, translator
from bot.models import Contact, Customer, Deal, Interaction
from bot.services.deals import deal_probability, deal_value
from bot.services.export_columns import (
    CUSTOMER_FIELDS,
    DEAL_COLUMNS,
    INTERACTION_COLUMNS,
    SHEET_NAMES,
    localized,
)
from handlers.labels import INTERACTION_LABELS, SOURCE_LABELS, STAGE_LABELS
from handlers.sheet_columns import export_header

if TYPE_CHECKING:
    # openpyxl exports no public name for the class of a write-only sheet.
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0%"
MONEY_FORMAT = "#,##0.00"
# Unit prices are stored with up to four decimals (e.g. USD 0.0385 per piece).
PRICE_FORMAT = "#,##0.00##"

# Column widths in Excel's character units, so that typical values show without resizing.
DEFAULT_WIDTH = 14
COLUMN_WIDTHS: dict[str, int] = {
    "company": 28,
    "customer": 28,
    "zone": 20,
    "contact": 18,
    "email": 28,
    "phone": 18,
    "source": 20,
    "note": 40,
    "tags": 20,
    "product": 24,
    "spec": 24,
    "incoterm": 18,
    "date": 17,
    "text": 60,
}


@dataclass(frozen=True)
class _Sheet:
    """One worksheet being written, with its fields in column order."""

    fields: tuple[str, ...]
    worksheet: WriteOnlyWorksheet

    def append(self, row: Mapping[str, object]) -> None:
        self.worksheet.append([_cell(self.worksheet, field, row[field]) for field in self.fields])


def build_workbook(
    *,
    customers: Sequence[Customer],
    interactions: Iterable[Interaction],
    member_names: Mapping[int, str],
    locale: str,
    zone: str,
) -> bytes:
    """Write the three sheets and return the .xlsx file's bytes.

    `customers` come with their contacts, deals and owner loaded. `member_names` maps
    every member id that a deal or interaction names to a display name.
    """
    t = translator(locale)
    workbook = Workbook(write_only=True)

    customer_headers = {field: export_header(field, locale) for field in CUSTOMER_FIELDS}
    sheet = _add_sheet(workbook, "customers", headers=customer_headers, locale=locale)
    for customer in customers:
        sheet.append(_customer_row(customer, t=t))

    sheet = _add_sheet(workbook, "deals", headers=_headers(DEAL_COLUMNS, locale), locale=locale)
    for customer in customers:
        for deal in customer.deals:
            sheet.append(_deal_row(deal, customer=customer, member_names=member_names, t=t))

    sheet = _add_sheet(workbook, "interactions", headers=_headers(INTERACTION_COLUMNS, locale), locale=locale)
    customer_names = {customer.id: customer.name for customer in customers}
    display_zone = ZoneInfo(zone)
    for interaction in interactions:
        sheet.append(
            _interaction_row(
                interaction, customer_names=customer_names, member_names=member_names, zone=display_zone, t=t
            )
        )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- rows


def _customer_row(customer: Customer, *, t: Translator) -> dict[str, object]:
    contact = customer.contacts[0] if customer.contacts else None
    return {
        "company": customer.name,
        "country": customer.country,
        "subdivision": customer.subdivision,
        "zone": customer.zone,
        "contact": contact.name if contact else None,
        "role": contact.role if contact else None,
        "email": contact.email if contact else None,
        "phone": contact.phone if contact else None,
        "birthday": birthday_value(contact) if contact else None,
        "tier": customer.tier,
        "source": _source_text(customer, t=t),
        "last_contact": customer.last_contact_at.astimezone(ZoneInfo(customer.owner.zone)).date(),
        "note": customer.note,
        "tags": ", ".join(customer.tags or []) or None,
        "owner": customer.owner.display_name,
    }


def _source_text(customer: Customer, *, t: Translator) -> str | None:
    # What the rep typed, else the label of the code. "other" without a text stays empty,
    # because that is what import assumes for an empty cell.
    if customer.source_detail:
        return customer.source_detail
    if customer.source == "other" or customer.source not in SOURCE_LABELS:
        return None
    return t.gettext(SOURCE_LABELS[customer.source])


def birthday_value(contact: Contact) -> date | str | None:
    """Return the birthday as a date, as "--MM-DD" text when the year is unknown, or None.

    "--MM-DD" is the ISO 8601 form of a date without a year.
    """
    if contact.birth_month is None or contact.birth_day is None:
        return None
    if contact.birth_year is None:
        return f"--{contact.birth_month:02d}-{contact.birth_day:02d}"
    return date(contact.birth_year, contact.birth_month, contact.birth_day)


def _deal_row(
    deal: Deal, *, customer: Customer, member_names: Mapping[int, str], t: Translator
) -> dict[str, object]:
    incoterm = " ".join(part for part in (deal.incoterm, deal.incoterm_place) if part) or None
    return {
        "customer": customer.name,
        "product": deal.product,
        "spec": deal.spec,
        "quantity": deal.qty_amount,
        "unit": deal.qty_unit,
        "price": deal.unit_price,
        "currency": deal.currency,
        "incoterm": incoterm,
        "value": deal_value(deal),
        "stage": t.gettext(STAGE_LABELS[deal.stage.value]),
        "probability": deal_probability(deal),
        "close_date": deal.close_date,
        "owner": member_names.get(deal.owner_id),
    }


def _interaction_row(
    interaction: Interaction,
    *,
    customer_names: Mapping[int, str],
    member_names: Mapping[int, str],
    zone: ZoneInfo,
    t: Translator,
) -> dict[str, object]:
    label = INTERACTION_LABELS.get(interaction.kind)
    return {
        "customer": customer_names.get(interaction.customer_id),
        # Excel dates carry no zone, so the time is written as wall-clock time in `zone`.
        "date": interaction.at.astimezone(zone).replace(tzinfo=None),
        "kind": t.gettext(label) if label else interaction.kind,
        "text": interaction.text,
        "member": member_names.get(interaction.member_id),
    }


# ---------------------------------------------------------------------------- cells

# Number formats by field; fields not listed keep Excel's General format.
_FORMATS: dict[str, str] = {
    "birthday": DATE_FORMAT,
    "last_contact": DATE_FORMAT,
    "close_date": DATE_FORMAT,
    "date": DATETIME_FORMAT,
    "price": PRICE_FORMAT,
    "value": MONEY_FORMAT,
    "probability": PERCENT_FORMAT,
}


def _headers(columns: Mapping[str, tuple[str, str]], locale: str) -> dict[str, str]:
    return {field: localized(names, locale) for field, names in columns.items()}


def _add_sheet(workbook: Workbook, name: str, *, headers: Mapping[str, str], locale: str) -> _Sheet:
    """Add a sheet with a bold, frozen header row. `headers` maps each field to its header."""
    worksheet = workbook.create_sheet(localized(SHEET_NAMES[name], locale))
    # A write-only sheet takes its layout before the first row.
    worksheet.freeze_panes = "A2"
    for index, field in enumerate(headers, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS.get(field, DEFAULT_WIDTH)
    bold = Font(bold=True)
    header_cells = []
    for header in headers.values():
        cell = WriteOnlyCell(worksheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    worksheet.append(header_cells)
    return _Sheet(fields=tuple(headers), worksheet=worksheet)


def _cell(worksheet: WriteOnlyWorksheet, field: str, value: object) -> object:
    if isinstance(value, str):
        return _text_cell(worksheet, value)
    number_format = _FORMATS.get(field)
    if number_format is None or value is None:
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = number_format
    return cell


def _text_cell(worksheet: WriteOnlyWorksheet, value: str) -> object:
    # The xlsx format cannot hold control characters, and openpyxl raises on them.
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not text.startswith("="):
        return text
    # openpyxl stores a text starting with "=" as a formula. A note such as
    # "=HYPERLINK(...)" must stay text, or Excel would run it when the file is opened.
    cell = WriteOnlyCell(worksheet, value=text)
    cell.data_type = "s"
    return cell
