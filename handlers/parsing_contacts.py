"""Email addresses and phone numbers of buyers' contacts."""

from __future__ import annotations

import logging
import re

import phonenumbers

from bot.errors import ParseError
from bot.i18n import N_
from handlers.parsing_text import normalize_text

logger = logging.getLogger(__name__)

EMAIL_INVALID = N_("Email '%(value)s' is not valid. Write e.g. name@company.com.")
PHONE_NO_COUNTRY_CODE = N_("Phone '%(value)s' has no country code. Write it with +, e.g. +91 98765 43210.")
PHONE_INVALID = N_("Phone '%(value)s' is not a valid number. Write e.g. +91 98765 43210.")

# The local part allows the RFC 5322 "atext" characters and single inner dots. The
# domain allows Unicode labels, which IDNA encoding then checks.
_EMAIL = re.compile(
    r"(?P<local>[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63})",
    re.IGNORECASE,
)
_MAILTO = re.compile(r"^mailto:\s*", re.IGNORECASE)
_TEL = re.compile(r"^tel:\s*", re.IGNORECASE)


def parse_email(text: str) -> str:
    """Return the email address with its domain lower-cased; "mailto:" and <> are dropped.

    Raises:
        ParseError: for an address that is not local-part@domain.tld.
    """
    value = normalize_text(text)
    address = _MAILTO.sub("", value).strip("<> ")
    match = _EMAIL.fullmatch(address)
    if not match:
        raise ParseError(EMAIL_INVALID, value=value)
    domain = match.group("domain").lower()
    try:
        domain.encode("idna")
    except UnicodeError:
        raise ParseError(EMAIL_INVALID, value=value) from None
    return f"{match.group('local')}@{domain}"


def parse_phone(text: str, *, country: str | None) -> str:
    """Return the phone number in E.164 form (+919876543210).

    The number may start with + or 00 and a country code, or be a local number of
    `country` (an ISO 3166 alpha-2 code).

    Raises:
        ParseError: for a local number without a country, or a number that the
            phonenumbers library rejects for its country.
    """
    value = normalize_text(text)
    number_text = _TEL.sub("", value)
    # 00 is the international call prefix in China, India and most of the world.
    if number_text.startswith("00"):
        number_text = "+" + number_text[2:]
    if not number_text.startswith("+") and country is None:
        raise ParseError(PHONE_NO_COUNTRY_CODE, value=value)

    try:
        number = phonenumbers.parse(number_text, country.upper() if country else None)
    except phonenumbers.NumberParseException:
        raise ParseError(PHONE_INVALID, value=value) from None
    if not phonenumbers.is_valid_number(number):
        raise ParseError(PHONE_INVALID, value=value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
