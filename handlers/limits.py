"""Length limits of free-text fields, taken from the database columns they are stored in."""

from __future__ import annotations

from sqlalchemy.orm import InstrumentedAttribute

from bot.errors import UserError
from bot.i18n import N_
from bot.models import Contact, Customer, Deal
from bot.services.customers import MAX_NAME_LENGTH
from handlers.parsing import accepted_keys


def _column_length(attribute: InstrumentedAttribute[str | None]) -> int:
    length = attribute.property.columns[0].type.length
    assert length is not None, attribute
    return int(length)


# Text columns (notes, reasons) have no length; the message limit bounds them.
FIELD_LIMITS: dict[str, int] = {
    "name": MAX_NAME_LENGTH,
    "contact": _column_length(Contact.name),
    "role": _column_length(Contact.role),
    "email": _column_length(Contact.email),
    "language": _column_length(Contact.language),
    "source": _column_length(Customer.source_detail),
    "product": _column_length(Deal.product),
    "spec": _column_length(Deal.spec),
}

PLACE_LIMIT = _column_length(Deal.incoterm_place)
# The deal's total value is stored with two decimal places.
VALUE_PLACES = int(Deal.value.property.columns[0].type.scale)


def check_lengths(fields: dict[str, str]) -> None:
    """Reject the first field longer than its column, before anything is written."""
    for field, value in fields.items():
        limit = FIELD_LIMITS.get(field)
        if limit is not None and len(value.strip()) > limit:
            raise UserError(
                N_("The field %(field)s is too long (%(length)s characters). Use at most %(limit)s."),
                field=accepted_keys(frozenset({field})),
                length=len(value.strip()),
                limit=limit,
            )
