"""Read what reps type, in Chinese or English, into typed values.

Handlers import from here. The work is split by concept:

- parsing_text: normalize_text (full-width to half-width, spaces) and number reading
- parsing_fields: the `NAME key: value ...` grammar with zh/en keys
- parsing_dates: dates, durations and snoozes
- parsing_money: prices (currency, Incoterm, unit) and quantities (units, containers)
- parsing_countries: country names and ISO codes
- parsing_contacts: email addresses and phone numbers
- parsing_choices: tier, stage, source, interaction kind and probability

Every parser raises bot.errors.ParseError with a message that names the invalid value
and the accepted forms. The words each parser accepts live in handlers/field_aliases.py.
"""

from __future__ import annotations

from handlers.parsing_choices import parse_interaction, parse_probability, parse_source, parse_stage, parse_tier
from handlers.parsing_contacts import parse_email, parse_phone
from handlers.parsing_countries import country_name, resolve_country
from handlers.parsing_dates import DatePurpose, MonthDay, parse_date, parse_duration, parse_snooze
from handlers.parsing_fields import ParsedFields, accepted_keys, parse_fields
from handlers.parsing_money import Money, Quantity, parse_money, parse_quantity
from handlers.parsing_text import normalize_text

__all__ = [
    "DatePurpose",
    "Money",
    "MonthDay",
    "ParsedFields",
    "Quantity",
    "accepted_keys",
    "country_name",
    "normalize_text",
    "parse_date",
    "parse_duration",
    "parse_email",
    "parse_fields",
    "parse_interaction",
    "parse_money",
    "parse_phone",
    "parse_probability",
    "parse_quantity",
    "parse_snooze",
    "parse_source",
    "parse_stage",
    "parse_tier",
    "resolve_country",
]
