"""Compose the buyer-facing text of reply and follow-up drafts from facts already checked.

Pure functions: the facts come from bot.services.drafts, the words from
bot.services.draft_phrases, so that another buyer language needs no change here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.services.draft_phrases import (
    CONTAINER_NAMES,
    DEFAULT_DRAFT_LANGUAGE,
    GREETING_TITLES,
    LOWERCASE_OPENERS,
    NAME_TITLES,
    PHRASES,
    PRICE_UNIT_NAMES,
)

# Buyers read a long reply as spam: a reply draft stays under this many words, a follow-up
# under the second number. draft_word_count counts them.
MAX_REPLY_WORDS = 120
MAX_FOLLOWUP_WORDS = 80

_WORD = re.compile(r"\S+")
# Chinese characters, CJK punctuation (。、「」) and full-width forms (，！：), none of which
# an English-reading buyer expects in a draft.
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# A container quantity as reps type it: 1×20GP, 2 x 40HQ, 1*45hq.
_CONTAINER_CODE = re.compile(r"(?<![\w.])(?P<count>\d+)\s*[x×X*]\s*(?P<code>\d\d[A-Za-z]{2})(?![\w])")
# Punctuation that may end a pasted point or fact, full-width forms included.
_END_PUNCTUATION = ".!?;,:。！？；，：… \t\n"
_EXCLAMATIONS = re.compile(r"\s*[!！]+")


class FollowupKind(str, enum.Enum):
    """The subject of a follow-up, by the deal's stage or the buyer's silence."""

    QUOTED = "quoted"
    SAMPLE = "sample"
    NEGOTIATION = "negotiation"
    NEWS = "news"


@dataclass(frozen=True)
class QuoteFacts:
    """Everything a reply draft states; optional lines are left out when None."""

    greeting_name: str | None
    product: str
    spec: str
    price: str
    quantity: str | None
    moq: str | None
    lead_time: str | None
    payment: str
    valid_until: date
    signature: str
    answers_inquiry: bool


@dataclass(frozen=True)
class FollowupFacts:
    """Everything a follow-up draft states; `point` and `news` only for their kinds."""

    kind: FollowupKind
    greeting_name: str | None
    product: str | None
    price: str | None
    signature: str
    point: str | None = None
    news: str | None = None
    # After a long silence the news follow-up mentions the silence. Otherwise it opens with the news.
    silent: bool = False
    # The validity date of a price that the news mentions, stated after it.
    news_valid_until: date | None = None


def draft_word_count(text: str) -> int:
    """Count words as a reader does: runs of characters between spaces and line breaks."""
    return len(_WORD.findall(text))


def has_cjk(text: str | None) -> bool:
    """Tell whether the text contains Chinese characters, CJK punctuation or full-width forms."""
    return bool(text) and _CJK.search(text) is not None


def greeting_name(full_name: str | None) -> str | None:
    """Return the name a greeting uses, or None when the greeting should be "Dear Sir or Madam".

    "Mr. Rahul Sharma" gives "Mr. Sharma" (a title keeps the family name), "Rahul Sharma"
    gives "Rahul", "Sharma, Rahul" (family name first) gives "Rahul". An e-mail address or a
    name in Chinese characters gives None, because an English greeting cannot use it.

    NOTE: without a title or comma the first word is taken. In names written family name
    first without a comma (Wang Wei, Kim Min-jun) that is the family name, so the rep's
    note asks to check the greeting.
    """
    if not full_name or "@" in full_name or has_cjk(full_name):
        return None
    family_first, comma, given = full_name.partition(",")
    name = f"{given} {family_first}" if comma and given.strip() else family_first
    words = name.split()
    keys = [word.rstrip(".").casefold() for word in words]
    title = next((GREETING_TITLES[key] for key in keys if key in GREETING_TITLES), None)
    words = [word for word, key in zip(words, keys, strict=True) if key not in NAME_TITLES]
    if not words:
        return None
    return f"{title} {words[-1]}" if title else words[0]


def format_amount(amount: Decimal) -> str:
    """Show a price with at least two decimals and thousands separators: 2.5 -> 2.50, 1250 -> 1,250.00."""
    normalized = amount.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        normalized = normalized.quantize(Decimal("0.01"))
    return f"{normalized:,f}"


def format_price(
    *,
    currency: str,
    amount: Decimal,
    incoterm: str,
    place: str,
    unit: str | None = None,
    language: str = DEFAULT_DRAFT_LANGUAGE,
) -> str:
    """Write a price as buyers expect it: USD 2.50/sqm FOB Shanghai, or USD 2.50 FOB Shanghai without a unit."""
    per_unit = f"/{PRICE_UNIT_NAMES[language].get(unit, unit)}" if unit else ""
    return f"{currency} {format_amount(amount)}{per_unit} {incoterm} {place}"


def format_quantity(
    *, amount: Decimal, unit: str, is_container: bool, language: str = DEFAULT_DRAFT_LANGUAGE
) -> str:
    """Write a quantity: 1 x 20' container, 2 x 40' high-cube containers, 5,000 sqm."""
    count = amount.normalize()
    if is_container:
        singular, plural = CONTAINER_NAMES[language].get(unit, (unit, unit))
        return f"{count:f} x {singular if count == 1 else plural}"
    return f"{count:,f} {unit}"


def format_container_codes(text: str, *, language: str = DEFAULT_DRAFT_LANGUAGE) -> str:
    """Write the container codes in a typed quantity as buyers read them: 1×20GP -> 1 x 20' container."""

    def replace(match: re.Match[str]) -> str:
        code = match.group("code").upper()
        if code not in CONTAINER_NAMES[language]:
            return match.group(0)
        return format_quantity(amount=Decimal(match.group("count")), unit=code, is_container=True, language=language)

    return _CONTAINER_CODE.sub(replace, text)


def as_clause(text: str) -> tuple[str, bool]:
    """Fit a pasted point or fact into a draft sentence; return (clause, whether it is a question).

    Trailing punctuation runs and every exclamation mark are dropped, and an ordinary first
    word is lower-cased: "Can you accept 20% deposit?!" -> ("can you accept 20% deposit", True).
    """
    stripped = text.strip()
    core = stripped.rstrip(_END_PUNCTUATION)
    is_question = any(mark in stripped[len(core) :] for mark in "?？")
    clause = " ".join(_EXCLAMATIONS.sub("", core).split())
    first, space, rest = clause.partition(" ")
    # "Can" becomes "can", but "CAN" or "iPhone" keeps its case.
    if first.casefold() in LOWERCASE_OPENERS and first == first.capitalize():
        clause = first.casefold() + space + rest
    return clause, is_question


def _greeting(first: str | None, phrases: Mapping[str, str]) -> str:
    return phrases["greeting_named"].format(name=first) if first else phrases["greeting_unnamed"]


def compose_quote(facts: QuoteFacts, *, language: str = DEFAULT_DRAFT_LANGUAGE) -> str:
    """Write the reply draft: greeting, thanks, one line per term, a question, the signature."""
    phrases = PHRASES[language]
    thanks = phrases["thanks_inquiry"] if facts.answers_inquiry else phrases["thanks_interest"]
    terms = [
        phrases["spec"].format(spec=facts.spec),
        phrases["price"].format(price=facts.price),
    ]
    optional = (("quantity", facts.quantity), ("moq", facts.moq), ("lead_time", facts.lead_time))
    terms += [phrases[key].format(**{key: value}) for key, value in optional if value]
    terms.append(phrases["payment"].format(payment=facts.payment))
    terms.append(phrases["validity"].format(date=facts.valid_until.isoformat()))
    blocks = [
        _greeting(facts.greeting_name, phrases),
        thanks.format(product=facts.product),
        "\n".join(terms),
        phrases["closing_quote"],
        f"{phrases['sign_off']}\n{facts.signature}",
    ]
    return "\n\n".join(blocks)


def compose_followup(facts: FollowupFacts, *, language: str = DEFAULT_DRAFT_LANGUAGE) -> str:
    """Write the follow-up draft for its kind: greeting, one short paragraph, the signature."""
    phrases = PHRASES[language]
    price = f" ({facts.price})" if facts.price else ""
    point, point_is_question = as_clause(facts.point or "")
    news, _ = as_clause(facts.news or "")
    key = f"followup_{facts.kind.value}"
    if facts.kind is FollowupKind.NEGOTIATION and point_is_question:
        key = "followup_negotiation_question"
    elif facts.kind is FollowupKind.NEWS and facts.silent:
        key = "followup_news_silent"
    body = phrases[key].format(product=facts.product or "", price=price, point=point, news=news)
    if facts.kind is FollowupKind.NEWS and facts.news_valid_until is not None:
        body += " " + phrases["news_validity"].format(date=facts.news_valid_until.isoformat())
    blocks = [_greeting(facts.greeting_name, phrases), body, f"{phrases['sign_off']}\n{facts.signature}"]
    return "\n\n".join(blocks)
