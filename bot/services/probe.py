"""The price-probe check (防套价): signs that an inquiry comes from a competitor posing as a buyer.

Competitors ask for prices under a made-up company name. Each check below returns a flag
with a reason for the rep; none of them proves anything, so the bot warns and never refuses:

- free mail: the sender writes from a free webmail address while claiming to be a company.
  Every customer is registered as a company, so any free-mail sender is flagged.
- domain country: the email domain's country code (.de, .co.uk) contradicts the customer's
  country. Generic domains (.com, .io) are not checked.
- phone country: the phone number's country contradicts the customer's country.
- watch list: the email, its domain or the phone is on the team's watch list.

The flags are stored on the inquiry as records {"code": ..., param: value}; the code names
the reason's message in PROBE_MESSAGES, so a reworded message still fits old rows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import phonenumbers
import pycountry

from bot.i18n import N_
from bot.services.probe_tables import CCTLD_COUNTRIES, FREE_MAIL_BRANDS, FREE_MAIL_DOMAINS, GENERIC_CCTLDS

logger = logging.getLogger(__name__)

FREE_MAIL = "free_mail"
DOMAIN_COUNTRY = "domain_country"
PHONE_COUNTRY = "phone_country"
WATCH_LIST = "watch_list"

# Kinds of watch-list entries, as stored in WatchEntry.kind.
WATCH_EMAIL = "email"
WATCH_DOMAIN = "domain"
WATCH_PHONE = "phone"

PROBE_MESSAGES: Mapping[str, str] = {
    FREE_MAIL: N_(
        "%(email)s is a free mailbox (%(domain)s), yet the sender claims to be the company %(company)s. "
        "Real importers mostly write from their company domain."
    ),
    # The country names stand alone in brackets, because "from United States" needs an
    # article that a name filled into a sentence cannot bring.
    DOMAIN_COUNTRY: N_(
        "The email domain %(domain)s does not match the customer's country (domain: %(country)s, customer: %(claimed)s)."
    ),
    PHONE_COUNTRY: N_(
        "The phone %(phone)s does not match the customer's country (phone: %(country)s, customer: %(claimed)s)."
    ),
    WATCH_LIST: N_("%(value)s is on the team's watch list: %(note)s"),
}
WATCH_LIST_WITHOUT_NOTE = N_("%(value)s is on the team's watch list.")

# Parameters that hold ISO country codes, which a reply shows as country names.
COUNTRY_PARAMS = frozenset({"country", "claimed"})

_BRAND_DOMAIN = re.compile(r"(?P<brand>[a-z0-9-]+)\.(?:(?:co|com)\.)?[a-z]{2,3}")


class WatchedSender(Protocol):
    """A watch-list entry as the check reads it; bot.models.WatchEntry is one."""

    kind: str
    value: str
    note: str | None


@dataclass(frozen=True)
class ProbeFlag:
    """One reason to suspect a price probe: a code from PROBE_MESSAGES and its parameters."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in PROBE_MESSAGES:
            raise ValueError(f"unknown probe flag code {self.code!r}")

    @property
    def message(self) -> str:
        """The untranslated message id of the reason."""
        if self.code == WATCH_LIST and not self.params.get("note"):
            return WATCH_LIST_WITHOUT_NOTE
        return PROBE_MESSAGES[self.code]

    def as_record(self) -> dict[str, str]:
        """Return the JSON record stored in Inquiry.probe_flags."""
        return {"code": self.code, **self.params}

    @classmethod
    def from_record(cls, record: Mapping[str, str]) -> ProbeFlag:
        params = {key: value for key, value in record.items() if key != "code"}
        return cls(code=record["code"], params=params)


# --- Single checks -----------------------------------------------------------------------


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def is_free_mail(domain: str) -> bool:
    """Tell whether a domain is a free webmail service (gmail.com, qq.com, yahoo.co.in ...)."""
    domain = domain.strip().lower().rstrip(".")
    if domain in FREE_MAIL_DOMAINS:
        return True
    match = _BRAND_DOMAIN.fullmatch(domain)
    return match is not None and match.group("brand") in FREE_MAIL_BRANDS


def domain_country(domain: str) -> str | None:
    """Return the ISO country code that a domain's country-code TLD names, or None.

    Generic domains (.com, .org) and country codes sold as generic names (.io, .co, .me)
    return None, and so does a two-letter TLD that names no country.
    """
    tld = domain.strip().lower().rstrip(".").rsplit(".", 1)[-1]
    if len(tld) != 2 or tld in GENERIC_CCTLDS:
        return None
    code = CCTLD_COUNTRIES.get(tld, tld.upper())
    return code if pycountry.countries.get(alpha_2=code) is not None else None


def phone_country(phone: str, *, default_country: str | None) -> str | None:
    """Return the ISO country code of a valid phone number, or None.

    A number without a country code is read as a number of `default_country`. Numbers
    that are not valid, or that belong to no country (+800, +882), return None.
    """
    number = _parse_phone(phone, default_country=default_country)
    if number is None:
        return None
    region = phonenumbers.region_code_for_number(number)
    if not region or region == phonenumbers.UNKNOWN_REGION or region == "001":
        return None
    return region


def normalize_phone(phone: str, *, default_country: str | None) -> str | None:
    """Return a valid phone number in E.164 form (+919876543210), or None."""
    number = _parse_phone(phone, default_country=default_country)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse_phone(phone: str, *, default_country: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(phone, default_country.upper() if default_country else None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def watch_matches(
    *, emails: Iterable[str], phones: Iterable[str], watch: Sequence[WatchedSender], default_country: str
) -> list[ProbeFlag]:
    """Return a flag for each watch-list entry that an email, its domain or a phone matches.

    A watched domain also matches its subdomains: rival.com matches sales@cn.rival.com.
    """
    addresses = {email.strip().lower() for email in emails}
    domains = {email_domain(address) for address in addresses}
    numbers = {normalize_phone(phone, default_country=default_country) for phone in phones} - {None}
    flags = []
    for entry in watch:
        if entry.kind == WATCH_EMAIL:
            hit = entry.value in addresses
        elif entry.kind == WATCH_DOMAIN:
            hit = any(domain == entry.value or domain.endswith("." + entry.value) for domain in domains)
        elif entry.kind == WATCH_PHONE:
            hit = entry.value in numbers
        else:
            logger.warning("unknown watch entry kind=%s ignored", entry.kind)
            continue
        if hit:
            flags.append(ProbeFlag(WATCH_LIST, {"kind": entry.kind, "value": entry.value, "note": entry.note or ""}))
    return flags


# --- The whole check ---------------------------------------------------------------------


def check_probe(
    *,
    claimed_country: str,
    company: str,
    emails: Sequence[str],
    phones: Sequence[str],
    watch: Sequence[WatchedSender],
) -> list[ProbeFlag]:
    """Run every check on the sender's addresses and numbers, and return each flag once.

    `claimed_country` is the customer's ISO code and `company` its registered name.
    """
    claimed = claimed_country.upper()
    flags: list[ProbeFlag] = []
    unique_emails = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    for email in unique_emails:
        domain = email_domain(email)
        if is_free_mail(domain):
            flags.append(ProbeFlag(FREE_MAIL, {"email": email, "domain": domain, "company": company}))
        country = domain_country(domain)
        if country is not None and country != claimed:
            flags.append(ProbeFlag(DOMAIN_COUNTRY, {"domain": domain, "country": country, "claimed": claimed}))

    for phone in dict.fromkeys(phone.strip() for phone in phones if phone.strip()):
        country = phone_country(phone, default_country=claimed)
        if country is not None and country != claimed:
            normalized = normalize_phone(phone, default_country=claimed) or phone
            flags.append(ProbeFlag(PHONE_COUNTRY, {"phone": normalized, "country": country, "claimed": claimed}))

    flags.extend(watch_matches(emails=unique_emails, phones=phones, watch=watch, default_country=claimed))
    # Two emails of one domain would repeat its country flag.
    unique = {tuple(sorted(flag.as_record().items())): flag for flag in flags}
    return list(unique.values())
