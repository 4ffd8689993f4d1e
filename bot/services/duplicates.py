"""The duplicate check (客户查重): is this buyer already a customer of the team?

A buyer matches an existing customer by the same company name once case, accents,
punctuation and legal-form suffixes are ignored ("ACME Trading Co., Ltd." is "acme trading",
"Müller GmbH" is "muller"), by the same registrable company email domain (free-mail
domains excluded, "mail.acme-trading.in" is "acme-trading.in"), or by the same phone number
in E.164 form. A leading Chinese province or city ("深圳市华为技术有限公司") is not part of
the name.

/add and the import both use these rules.

Limitations:
    Traditional and simplified Chinese spellings of one name ("華為" and "华为") do not match.
    A city name of four or more characters ("乌鲁木齐市") stays part of the name, and a name
    that starts with a city's characters ("上海市场营销") loses them as if they were a city.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import noload

from bot.models import Contact, Customer
from bot.services.probe import email_domain, is_free_mail, normalize_phone

# Legal-form words and abbreviations that do not tell two companies apart. Source: the legal
# forms of the main export markets (UK/US/India: Co., Ltd., Inc., LLC, Pvt., PLC; Germany and
# Austria: GmbH, AG, KG; France, Spain, Italy: SA, SARL, SL, SRL, SpA; Netherlands and Belgium:
# BV, NV; Nordics: AB, AS, Oy; Singapore: Pte; Turkey: AŞ, Ltd. Şti.; Poland: Sp. z o.o.).
LEGAL_FORM_WORDS: frozenset[str] = frozenset(
    {
        "co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc", "llp",
        "lp", "plc", "pvt", "private", "pte", "gmbh", "ag", "kg", "mbh", "sa", "sas", "sarl", "sl",
        "srl", "spa", "bv", "nv", "ab", "as", "oy", "aş", "şti", "sti", "sp", "z", "oo", "group",
    }
)  # fmt: skip
# Chinese legal forms, longest first, stripped from the end of a name.
LEGAL_FORM_SUFFIXES_ZH: tuple[str, ...] = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")

SAME_NAME = "name"
SAME_EMAIL_DOMAIN = "email_domain"
SAME_PHONE = "phone"

# Second-level suffixes under which companies register, so the registrable domain has three
# labels ("acme.co.uk"). Source: the country sections of the Public Suffix List
# (https://publicsuffix.org/list/public_suffix_list.dat), for the main export markets.
PUBLIC_SECOND_LEVEL_SUFFIXES: frozenset[str] = frozenset(
    {
        "co.uk", "org.uk", "ltd.uk", "plc.uk", "com.cn", "net.cn", "org.cn", "com.hk", "com.tw",
        "co.in", "net.in", "org.in", "firm.in", "com.au", "net.au", "org.au", "co.nz", "co.jp",
        "co.kr", "com.sg", "com.my", "co.id", "co.th", "com.vn", "com.ph", "com.pk", "com.bd",
        "com.tr", "com.sa", "com.eg", "co.za", "com.br", "com.mx", "com.ar", "com.co", "com.pe",
    }
)  # fmt: skip

_WORD = re.compile(r"\w+", re.UNICODE)
# A leading Chinese province or city: 2 or 3 characters before 省 or 市, or an autonomous
# region ("广西壮族自治区"). The shortest match is taken, then repeated, so "广东省深圳市"
# goes as a whole. A district (2 or 3 characters before 区) goes only after a city, because
# a name such as "北京区块链科技" starts with 区 words of its own.
_LEADING_PLACE_ZH = re.compile(r"^(?:[\u4e00-\u9fff]{2,6}?自治区|[\u4e00-\u9fff]{2,3}?[省市])")
_LEADING_PLACE_OR_DISTRICT_ZH = re.compile(rf"{_LEADING_PLACE_ZH.pattern}|^[\u4e00-\u9fff]{{2,3}}?区")
# The shortest company name left once a leading place is taken off.
MIN_NAME_AFTER_PLACE = 2


def company_key(name: str) -> str:
    """Fold width, case and accents, and drop punctuation, legal forms and a leading Chinese place.

    A name that is only legal-form words keeps them, so that "Co., Ltd." still has a key.
    """
    words = _WORD.findall(fold_accents(unicodedata.normalize("NFKC", name).casefold()).replace("_", " "))
    while len(words) > 1 and words[-1] in LEGAL_FORM_WORDS:
        words.pop()
    key = "".join(words)
    for suffix in LEGAL_FORM_SUFFIXES_ZH:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    pattern = _LEADING_PLACE_ZH
    while (place := pattern.match(key)) and len(key) - place.end() >= MIN_NAME_AFTER_PLACE:
        key = key[place.end() :]
        if place.group().endswith("市"):
            pattern = _LEADING_PLACE_OR_DISTRICT_ZH
    return key


def fold_accents(text: str) -> str:
    """Drop combining marks, so "Müller" is "Muller" and "Şti" is "Sti"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))


def registrable_domain(domain: str) -> str:
    """Return the last two labels of a domain, or three under a public second-level suffix ("acme.co.uk")."""
    labels = domain.strip().lower().rstrip(".").split(".")
    count = 3 if ".".join(labels[-2:]) in PUBLIC_SECOND_LEVEL_SUFFIXES else 2
    return ".".join(labels[-count:])


def company_domain(email: str | None) -> str | None:
    """Return the email's registrable domain unless it is a free-mail domain (gmail.com, 163.com ...), or None."""
    if not email or "@" not in email:
        return None
    domain = email_domain(email)
    return None if not domain or is_free_mail(domain) else registrable_domain(domain)


@dataclass(frozen=True)
class Duplicate:
    """An existing customer that a new buyer matches, and the rules it matches by."""

    customer: Customer
    reasons: tuple[str, ...]


async def find_duplicate(
    session: AsyncSession,
    *,
    team_id: int,
    name: str,
    country: str | None,
    emails: Iterable[str | None] = (),
    phones: Iterable[str | None] = (),
) -> Duplicate | None:
    """Return the first customer of the team that the buyer matches, pooled ones included, or None.

    Local phone numbers are read as numbers of `country`.
    """
    reasons: dict[int, list[str]] = {}
    key = company_key(name)
    if key:
        names = await session.execute(select(Customer.id, Customer.name).where(Customer.team_id == team_id))
        for row in names:
            if company_key(row.name) == key:
                reasons.setdefault(row.id, []).append(SAME_NAME)
    domains = {domain for domain in (company_domain(email) for email in emails) if domain}
    if domains:
        # A stored domain may be a subdomain ("mail.acme-trading.in") of the registrable one.
        same_domain = [
            condition
            for domain in sorted(domains)
            for condition in (
                func.lower(Contact.email_domain) == domain,
                func.lower(Contact.email_domain).endswith("." + domain, autoescape=True),
            )
        ]
        statement = (
            select(Contact.customer_id)
            .join(Customer, Customer.id == Contact.customer_id)
            .where(Customer.team_id == team_id, or_(*same_domain))
        )
        for customer_id in (await session.execute(statement)).scalars():
            _add_reason(reasons, customer_id, SAME_EMAIL_DOMAIN)
    numbers = {
        number
        for number in (normalize_phone(phone, default_country=country) for phone in phones if phone)
        if number
    }
    if numbers:
        statement = (
            select(Contact.customer_id)
            .join(Customer, Customer.id == Contact.customer_id)
            .where(Customer.team_id == team_id, Contact.phone.in_(sorted(numbers)))
        )
        for customer_id in (await session.execute(statement)).scalars():
            _add_reason(reasons, customer_id, SAME_PHONE)
    if not reasons:
        return None
    customer_id = min(reasons)
    customer = await session.get(Customer, customer_id, options=[noload(Customer.deals), noload(Customer.contacts)])
    assert customer is not None
    return Duplicate(customer=customer, reasons=tuple(reasons[customer_id]))


def _add_reason(reasons: dict[int, list[str]], customer_id: int, reason: str) -> None:
    found = reasons.setdefault(customer_id, [])
    if reason not in found:
        found.append(reason)
