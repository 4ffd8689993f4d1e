"""Closed choices typed as words: tier, deal stage, lead source, interaction kind, probability."""

from __future__ import annotations

import logging
import re
from decimal import Decimal

from bot.errors import ParseError
from bot.i18n import N_
from handlers.field_aliases import INTERACTION_KINDS, SOURCE_KEYWORDS, STAGE_ALIASES, STAGE_LABELS, TIER_ALIASES
from handlers.parsing_text import fold_key, normalize_text, parse_decimal

logger = logging.getLogger(__name__)

TIER_NOT_RECOGNISED = N_("Tier '%(value)s' is not recognised. Write A (hot), B (warm) or C (cold).")
STAGE_NOT_RECOGNISED = N_("Stage '%(value)s' is not recognised. Write one of %(accepted)s.")
SOURCE_EMPTY = N_("Source is empty. Write e.g. Alibaba, 广交会, Google or 介绍.")
INTERACTION_EMPTY = N_("Interaction is empty. Write what happened, e.g. call 谈了价格.")
PROBABILITY_NOT_RECOGNISED = N_("Probability '%(value)s' is not recognised. Write e.g. 60%% or 0.6.")
PROBABILITY_OUT_OF_RANGE = N_("Probability '%(value)s' is outside 0 to 100%%. Write e.g. 60%% or 0.6.")

_TIER_SUFFIXES = ("级", "类")
_CJK = re.compile("[\u3400-\u9fff]")
# Text that separates an interaction kind from what follows: "call: ...", "电话，..."
_KIND_SEPARATORS = " :,;-—\n"


def parse_tier(text: str) -> str:
    """Return "A", "B" or "C" for a tier written as A, Ａ, A级, hot/热, warm/温 or cold/冷.

    Raises:
        ParseError: for anything else.
    """
    value = normalize_text(text)
    key = fold_key(value)
    for suffix in _TIER_SUFFIXES:
        key = key.removesuffix(suffix).strip()
    tier = TIER_ALIASES.get(key)
    if tier is None:
        raise ParseError(TIER_NOT_RECOGNISED, value=value)
    return tier


def parse_stage(text: str) -> str:
    """Return the deal stage code: inquiry, quoted, sample, negotiation, won or lost.

    Raises:
        ParseError: for a word that names no stage; the message lists them in zh/en.
    """
    value = normalize_text(text)
    stage = STAGE_ALIASES.get(fold_key(value))
    if stage is None:
        raise ParseError(STAGE_NOT_RECOGNISED, value=value, accepted=", ".join(STAGE_LABELS))
    return stage


def parse_source(text: str) -> tuple[str, str]:
    """Return the lead source code (b2b, fair, search, referral or other) and the cleaned text.

    The code comes from the first keyword group that matches anywhere in the text, so
    "Alibaba RFQ" is b2b. Text that matches no group is "other"; the detail keeps it.

    Raises:
        ParseError: for an empty text.
    """
    value = normalize_text(text)
    if not value:
        raise ParseError(SOURCE_EMPTY)
    folded = value.casefold()
    for code, keywords in SOURCE_KEYWORDS:
        if any(_contains_keyword(folded, keyword) for keyword in keywords):
            return code, value
    return "other", value


def _contains_keyword(folded: str, keyword: str) -> bool:
    if _CJK.search(keyword):
        return keyword in folded
    # Latin keywords must stand as words, so that "research" is not "search".
    return re.search(r"(?<![a-z0-9])" + re.escape(keyword) + r"(?![a-z0-9])", folded) is not None


def parse_interaction(text: str) -> tuple[str, str]:
    """Split a log entry into its kind and the rest: "call 谈了价格" -> ("call", "谈了价格").

    Kinds are email, call, chat, meeting, quote, sample and visit. An entry that does not
    start with a kind word is a ("note", text).

    Raises:
        ParseError: for an empty text.
    """
    value = normalize_text(text)
    if not value:
        raise ParseError(INTERACTION_EMPTY)
    for word in sorted(INTERACTION_KINDS, key=len, reverse=True):
        head, tail = value[: len(word)], value[len(word) :]
        if head.casefold() != word:
            continue
        # An English kind word must end at a word boundary ("calling" is not "call").
        if not _CJK.match(word) and tail[:1].isalnum():
            continue
        return INTERACTION_KINDS[word], tail.lstrip(_KIND_SEPARATORS)
    return "note", value


def parse_probability(text: str) -> Decimal:
    """Return a deal's success probability in [0, 1] from "60%", "0.6" or "60".

    A number up to 1 without % is a fraction and a larger one a percentage, so "1"
    means 100% and "60" means 60%.

    Raises:
        ParseError: for text that is not a number, or a value outside 0 to 100%.
    """
    value = normalize_text(text)
    number_text = value.replace(" ", "")
    is_percent = number_text.endswith("%")
    number_text = number_text.removesuffix("%")
    if number_text.startswith("-") and parse_decimal(number_text[1:]) is not None:
        raise ParseError(PROBABILITY_OUT_OF_RANGE, value=value)
    number = parse_decimal(number_text)
    if number is None:
        raise ParseError(PROBABILITY_NOT_RECOGNISED, value=value)
    probability = number / 100 if is_percent or number > 1 else number
    if probability > 1:
        raise ParseError(PROBABILITY_OUT_OF_RANGE, value=value)
    return probability
