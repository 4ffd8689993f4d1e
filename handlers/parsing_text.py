"""Text clean-up and number reading shared by the parsers."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from handlers.field_aliases import CHINESE_DIGITS

# Characters that phone keyboards and copy-paste leave in text but that carry nothing.
# The zero-width joiner (U+200D) is kept because emoji sequences need it.
_INVISIBLE = re.compile("[\u200b\u200c\u2060\ufeff]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")

# A number as reps write it: digits with optional comma thousands separators and an
# optional decimal point. Grouping is validated in parse_decimal.
NUMBER_PATTERN = r"\d[\d,]*(?:\.\d+)?"
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# A decimal comma is unambiguous when one comma is followed by one or two digits, because
# a thousands separator is always followed by three: 3,20 and 2,5 but not 1,250.
_DECIMAL_COMMA_NUMBER = re.compile(r"\d+,\d{1,2}")
# European grouping: dots between thousands, then an optional decimal comma, as in
# 1.250,00 or 1.250.000. A single dotted group without a comma (1.250) stays a decimal point.
_DOT_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}")


def normalize_text(text: str) -> str:
    """Return the text in NFKC form with runs of spaces collapsed and the ends stripped.

    NFKC turns full-width letters, digits and punctuation (Ａ, １２, ：, ，) into their
    ASCII forms. Zero-width spaces are removed. Line breaks are kept, because
    parse_fields treats them as separators and notes may span lines, but the spaces
    around them are removed.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return text.strip()


def fold_key(text: str) -> str:
    """Return the lookup form of a word: normalised, case-folded, single-spaced."""
    return " ".join(normalize_text(text).casefold().split())


def parse_decimal(token: str, *, decimal_comma: bool = False) -> Decimal | None:
    """Read a non-negative number such as 2.5, 1250 or 1,250.00, or return None.

    By default commas are accepted only as thousands separators, so that "2,5" (a
    European decimal comma) is not silently read as 25. With `decimal_comma`, the forms
    that cannot be thousands also count: 2,5 and 3,20 (one comma, one or two digits
    after it) and dot-grouped thousands with a decimal comma, 1.250,00 and 1.250.000.
    """
    if _GROUPED_NUMBER.fullmatch(token):
        plain = token.replace(",", "")
    elif decimal_comma and _DECIMAL_COMMA_NUMBER.fullmatch(token):
        plain = token.replace(",", ".")
    elif decimal_comma and _DOT_GROUPED_NUMBER.fullmatch(token):
        plain = token.replace(".", "").replace(",", ".")
    else:
        return None
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def parse_small_count(token: str) -> int | None:
    """Read a count written in digits (3, 12) or Chinese numerals (三, 两, 十二), or return None.

    Chinese numerals are read up to 99, which covers the day and week counts of
    relative dates.
    """
    if token.isdigit():
        return int(token)
    if not token or any(char not in CHINESE_DIGITS and char != "十" for char in token):
        return None
    if "十" not in token:
        return CHINESE_DIGITS[token] if len(token) == 1 else None
    tens_text, _, ones_text = token.partition("十")
    if "十" in ones_text or len(tens_text) > 1 or len(ones_text) > 1:
        return None
    tens = CHINESE_DIGITS[tens_text] if tens_text else 1
    ones = CHINESE_DIGITS[ones_text] if ones_text else 0
    return tens * 10 + ones
