"""The draft check (/check): what a buyer would stumble over in a reply the rep wrote.

`check_draft` returns flags, each with a stable code and parameters, and `FLAG_TEXTS`
names each code's finding and the one line on why it matters to the buyer. The rules:

- price terms: a price is an amount next to a currency ("USD 2.5", "$2.50"), an amount per
  unit ("2.50/sqm") or an amount after a price word ("price is 2.5"). When the draft
  quotes, it needs a currency, an Incoterm, a place after the Incoterm and a validity.
  "Our price is FOB Shanghai" with no amount is flagged too. A follow-up that recalls an
  earlier quote ("following up on our quotation") need not repeat the validity.
- length: more than 150 words.
- attachments: a phrase that points to a file ("attached", "see the file", "PDF").
- superlatives: stock boasts ("best quality", "lowest price", "No.1"); closings such as
  "Best regards" are not superlatives.
- exclamation marks: a run ("!!") or more than two in the whole draft. One or two single
  marks fit a friendly line ("Happy Diwali!"), a third starts to read as shouting.
- greeting: when the contact's name is known, a greeting line ("Dear Sir/Madam,", "Hi,")
  that does not name the contact. A draft without a greeting line is not flagged.
- language: a draft mostly in Chinese, because the buyer reads English.

Chinese characters count as a word boundary for prices and Incoterms, because Chinese
text has no spaces ("价格是USD 2.5", "FOB上海"), and Chinese currency words (美元, 人民币)
count as currencies.

The text is NFKC-normalised first, so full-width punctuation that a Chinese input method
types in an English draft ("Dear Rahul，", "！！") counts as its ASCII form.

Limitations:
    Words are counted as runs of letters and digits, so a Chinese draft, written without
    spaces, counts far fewer words than it has. Currency, Incoterm and validity are
    checked for the whole draft, not for each price: a second price without a currency
    passes when the first one has it. Chinese Incoterm names (离岸价) and validity
    phrases (有效期) are not read; a Chinese draft is flagged as such instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from bot.i18n import N_
from bot.services.draft_check_rules import (
    ATTACHMENT_PHRASES,
    CHINESE_CURRENCY_WORDS,
    CURRENCY_CODES,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    EARLIER_QUOTE_PHRASES,
    GREETING_WORDS,
    INCOTERM_PHRASES,
    INCOTERMS,
    NAME_TITLES,
    NOT_PLACE_WORDS,
    PLACE_WORDS,
    PRICE_LINK_WORDS,
    PRICE_UNITS,
    PRICE_WORDS,
    SUPERLATIVE_PHRASES,
    UPPERCASE_ONLY_CURRENCY_CODES,
    VALIDITY_PHRASES,
)
from bot.services.draft_text import has_cjk

# A reply longer than this many words gets skimmed on a phone.
MAX_WORDS = 150
# More exclamation marks than this in one draft are flagged, and so is any run of two.
MAX_EXCLAMATION_MARKS = 2
# A greeting is looked for in this many characters of the first line.
GREETING_SPAN = 80
# Quoted parts of the draft are cut to this length in a flag's parameters.
MAX_QUOTED_CHARS = 40
# A draft with more Chinese characters than this share of its letters reads as Chinese.
CHINESE_SHARE = 0.5


class FlagCode(StrEnum):
    """Stable codes of the draft check's findings, in the order a buyer reads a draft."""

    MOSTLY_CHINESE = "mostly_chinese"
    GREETING_WITHOUT_NAME = "greeting_without_name"
    PRICE_WITHOUT_AMOUNT = "price_without_amount"
    PRICE_WITHOUT_CURRENCY = "price_without_currency"
    PRICE_WITHOUT_INCOTERM = "price_without_incoterm"
    INCOTERM_WITHOUT_PLACE = "incoterm_without_place"
    PRICE_WITHOUT_VALIDITY = "price_without_validity"
    ATTACHMENT_MENTIONED = "attachment_mentioned"
    SUPERLATIVE = "superlative"
    EXCLAMATION_MARKS = "exclamation_marks"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Flag:
    """One finding: its code and the values its message quotes."""

    code: FlagCode
    # A tuple is a list of quoted phrases, joined in the reader's language when rendered.
    params: Mapping[str, str | int | tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class FlagText:
    """A finding's gettext message ids: what is wrong, and why it matters to the buyer."""

    finding: str
    reason: str


FLAG_TEXTS: Mapping[FlagCode, FlagText] = MappingProxyType(
    {
        FlagCode.MOSTLY_CHINESE: FlagText(
            N_("The draft is mostly in Chinese."),
            N_("The buyer reads English, so a Chinese reply goes unread or through a machine translation."),
        ),
        FlagCode.GREETING_WITHOUT_NAME: FlagText(
            N_("The greeting “%(greeting)s” does not name %(name)s."),
            N_("A buyer greeted by name sees a reply written for them, not a mass mailing."),
        ),
        FlagCode.PRICE_WITHOUT_AMOUNT: FlagText(
            N_("The price is mentioned without an amount."),
            N_("The buyer asked for a number. Without one they wait another round while others quote."),
        ),
        FlagCode.PRICE_WITHOUT_CURRENCY: FlagText(
            N_("The price %(price)s has no currency."),
            N_("Buyers compare quotes in several currencies, so a bare number can be read as USD, EUR or RMB."),
        ),
        FlagCode.PRICE_WITHOUT_INCOTERM: FlagText(
            N_("The price has no Incoterm (FOB, CIF, EXW…)."),
            N_(
                "Without an Incoterm the buyer cannot tell who pays freight and insurance, "
                "so the price cannot be compared."
            ),
        ),
        FlagCode.INCOTERM_WITHOUT_PLACE: FlagText(
            # Translators: %(term)s is an Incoterm such as FOB or CIF.
            N_("%(term)s names no port or place."),
            N_("FOB Shanghai and FOB Ningbo mean different freight for the buyer, so the place completes the price."),
        ),
        FlagCode.PRICE_WITHOUT_VALIDITY: FlagText(
            N_("The price has no validity (valid until DATE, or valid for 30 days)."),
            N_("The buyer needs to know how long the price holds to get the order approved in time."),
        ),
        FlagCode.ATTACHMENT_MENTIONED: FlagText(
            N_("It points to an attachment (“%(phrase)s”)."),
            N_(
                "Many buyers do not open files from a new supplier, and mail filters strip them. "
                "Put the facts in the message."
            ),
        ),
        FlagCode.SUPERLATIVE: FlagText(
            N_("Filler superlatives: %(phrases)s."),
            N_("Every supplier claims the best quality and price, so buyers skip such lines. Figures convince."),
        ),
        FlagCode.EXCLAMATION_MARKS: FlagText(
            N_("Too many exclamation marks (%(count)s)."),
            N_("Runs of exclamation marks read as pushy or as spam to a professional buyer."),
        ),
        FlagCode.TOO_LONG: FlagText(
            N_("The draft has %(words)s words. Keep it under about %(limit)s."),
            N_("Buyers read on the phone and compare many replies, so in a long one the price gets missed."),
        ),
    }
)


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that "US$" wins over "$" and "leading manufacturer" over shorter phrases.
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _flexible(phrase: str) -> str:
    # Any run of white space may separate the words, and "no.1" may be written "No. 1".
    return re.escape(phrase).replace(r"\ ", r"\s+").replace(r"\.", r"\.\s?")


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Match any of the phrases as whole words, in any case."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(map(_flexible, ordered)) + r")(?![\w])", re.IGNORECASE)


# --- patterns, built once from the word lists ---

_CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A letter or digit that is not Chinese: Chinese text has no spaces, so a Chinese character
# next to "USD" or "FOB" is a boundary, unlike a Latin letter.
_WORD_CHAR = rf"[^\W{_CJK_CHARS}]"
_NOT_AFTER_WORD = rf"(?<!{_WORD_CHAR})"
_NOT_BEFORE_WORD = rf"(?!{_WORD_CHAR})"
_CHINESE_CURRENCY = _alternation(CHINESE_CURRENCY_WORDS)

# An amount: 2.5, 1,000, 12,500.00. The atomic group keeps "2026" from matching as "202".
_AMOUNT = r"(?>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# Numbers that are no price although a price word comes before: "5% lower", "2026-12-22", "15 days".
_NOT_PRICE_AFTER = r"(?!\s*(?:percent|days?|weeks?|months?|years?|mm|cm)\b|\s*%|-\d)"
_CODE = r"(?i:" + _alternation(CURRENCY_CODES) + r")|" + _alternation(UPPERCASE_ONLY_CURRENCY_CODES)
_SIGN = _alternation(CURRENCY_SIGNS)
_CURRENCY_BEFORE = rf"(?:{_NOT_AFTER_WORD}(?:{_CODE})\s?|{_SIGN}\s?|(?:{_CHINESE_CURRENCY})\s?)"
_CURRENCY_AFTER = (
    rf"(?:\s?(?:(?:{_CODE}|(?i:{_alternation(CURRENCY_WORDS)})){_NOT_BEFORE_WORD}|{_SIGN}|{_CHINESE_CURRENCY}))"
)

_PRICE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # USD 2.50, $2.50, US$ 2.5
    re.compile(rf"{_CURRENCY_BEFORE}(?<![\d.,]){_AMOUNT}"),
    # 2.50 USD, 18 yuan, 2.5€
    re.compile(rf"(?<![.,])(?<!{_WORD_CHAR}){_AMOUNT}{_CURRENCY_AFTER}"),
    # 2.50/sqm, 3 per piece
    re.compile(
        rf"(?<![.,])(?<!{_WORD_CHAR}){_AMOUNT}\s*(?:/|(?i:per)\s+)\s*(?i:{_alternation(PRICE_UNITS)}){_NOT_BEFORE_WORD}"
    ),
    # price is 2.5, quoted at 2.50, cost: 300
    re.compile(
        rf"{_NOT_AFTER_WORD}(?i:{_alternation(PRICE_WORDS)}){_NOT_BEFORE_WORD}[\s:=-]*"
        rf"(?:(?i:{_alternation(PRICE_LINK_WORDS)}){_NOT_BEFORE_WORD}[\s:=-]*){{0,3}}"
        rf"(?P<price>{_AMOUNT}){_NOT_PRICE_AFTER}"
    ),
)
# "Our price is FOB Shanghai": a price statement up to the end of its sentence.
# A comma followed by a space ends it too, but not the one in "2,500".
_PRICE_STATEMENT = re.compile(
    r"(?<![\w])(?i:prices?)\s*(?:(?i:is|are|will be|would be)(?![\w])|[:=])"
    r"(?P<rest>(?:[^.!?;\n,]|,(?=\S)){0,80})"
)
# A code may touch its amount ("RMB18", "18RMB"), but not other letters.
_CURRENCY_ANYWHERE = re.compile(
    rf"(?<![^\W\d{_CJK_CHARS}])(?:{_CODE}|(?i:{_alternation(CURRENCY_WORDS)}))(?![^\W\d{_CJK_CHARS}])"
    rf"|{_SIGN}|{_CHINESE_CURRENCY}"
)
_INCOTERM = re.compile(
    rf"(?<![&])(?<!{_WORD_CHAR})(?P<term>(?i:"
    + _alternation(INCOTERMS | set(INCOTERM_PHRASES))
    + rf"))(?![&]){_NOT_BEFORE_WORD}"
)
_NEXT_WORD = re.compile(r"\s*[:(\-–]?\s*(?P<word>[^\W\d_][\w'’&-]*)")
_PREVIOUS_WORD = re.compile(r"(?P<word>[^\W\d_][\w'’&-]*)\s*$")
_VALIDITY = _phrase_pattern(VALIDITY_PHRASES)
# The rest of a sentence after a validity phrase, because "price valid?" is a question, not a statement.
_SENTENCE_REST = re.compile(r"[^.!?\n]*(?P<end>[.!?\n]|$)")
_CJK_CHAR = re.compile(f"[{_CJK_CHARS}]")
_EARLIER_QUOTE = _phrase_pattern(EARLIER_QUOTE_PHRASES)
_ATTACHMENT = re.compile(
    r"(?:(?<![\w])(?:" + _alternation(p for p in ATTACHMENT_PHRASES if not p.startswith(".")) + r")"
    r"|(?<=\w)(?:" + _alternation(p for p in ATTACHMENT_PHRASES if p.startswith(".")) + r"))(?![\w])",
    re.IGNORECASE,
)
_SUPERLATIVE = _phrase_pattern(SUPERLATIVE_PHRASES)
_GREETING = re.compile(r"^\s*(?:" + _alternation(GREETING_WORDS) + r")(?![\w])", re.IGNORECASE)
# A full stop, question or exclamation mark that ends a sentence.
_SENTENCE_END = re.compile(r"(?P<word>[\w]*)[.!?](?=\s|$)")
_WORD = re.compile(r"[^\W_]+(?:['’./-][^\W_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
_EXCLAMATION_RUN = re.compile(r"!\s*!")

# Chinese punctuation that NFKC leaves as it is.
_CJK_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "｡": "."})


def normalize_draft(text: str) -> str:
    """Fold full-width forms and Chinese punctuation into their ASCII forms: "，" → ",", "。" → "."."""
    return unicodedata.normalize("NFKC", text).translate(_CJK_PUNCTUATION)


def count_words(text: str) -> int:
    """Count runs of letters and digits, so "2.50/sqm" and "2026-12-22" count as one word each."""
    return len(_WORD.findall(normalize_draft(text)))


def check_draft(text: str, *, contact_name: str | None, other_contact_names: Sequence[str] = ()) -> list[Flag]:
    """Check a buyer reply and return its flags in reading order. An empty list means no problems.

    `contact_name` is the contact the draft is for. When it is given, a greeting must name
    that contact or one of `other_contact_names`, the customer's other contacts. When it
    is None, the greeting is not checked.
    """
    draft = normalize_draft(text)
    flags: list[Flag] = []
    if _is_mostly_chinese(draft):
        flags.append(Flag(FlagCode.MOSTLY_CHINESE))
    names = [name for name in (contact_name, *other_contact_names) if name]
    if contact_name:
        flags.extend(_greeting_flags(draft, names=names, contact_name=contact_name))
    flags.extend(_price_flags(draft))
    flags.extend(_attachment_flags(draft))
    flags.extend(_superlative_flags(draft))
    flags.extend(_exclamation_flags(draft))
    words = len(_WORD.findall(draft))
    if words > MAX_WORDS:
        flags.append(Flag(FlagCode.TOO_LONG, MappingProxyType({"words": words, "limit": MAX_WORDS})))
    return flags


def _is_mostly_chinese(draft: str) -> bool:
    letters = _LETTERS.findall(draft)
    letter_count = sum(len(run) for run in letters)
    chinese = len(_CJK_CHAR.findall(draft))
    return letter_count > 0 and chinese / letter_count > CHINESE_SHARE


def _states_validity(draft: str) -> bool:
    """Tell whether a validity phrase occurs in a statement, not in a question ("price valid?")."""
    for match in _VALIDITY.finditer(draft):
        rest = _SENTENCE_REST.match(draft, match.end())
        if rest is None or rest.group("end") != "?":
            return True
    return False


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTED_CHARS else text[:MAX_QUOTED_CHARS] + "…"


# --- price terms ---


def _price_flags(draft: str) -> list[Flag]:
    # Prices as written, in text order. Of two readings of one price, the longer one comes
    # first ("2.50/sqm" before the "2.50" that follows "price is").
    spans = sorted(
        {_price_span(match) for pattern in _PRICE_PATTERNS for match in pattern.finditer(draft)},
        key=lambda span: (span[0], span[0] - span[1]),
    )
    prices = [draft[start:end] for start, end in spans]
    amountless = [
        match
        for match in _PRICE_STATEMENT.finditer(draft)
        if not re.search(r"\d", match.group("rest"))
        and (_INCOTERM.search(match.group("rest")) or _CURRENCY_ANYWHERE.search(match.group("rest")))
    ]
    if not prices and not amountless:
        return []

    flags: list[Flag] = []
    if amountless:
        flags.append(Flag(FlagCode.PRICE_WITHOUT_AMOUNT))
    if prices and not _CURRENCY_ANYWHERE.search(draft):
        flags.append(Flag(FlagCode.PRICE_WITHOUT_CURRENCY, MappingProxyType({"price": _quoted(prices[0])})))
    terms = list(_INCOTERM.finditer(draft))
    if not terms:
        flags.append(Flag(FlagCode.PRICE_WITHOUT_INCOTERM))
    elif not any(_names_place(draft, term) for term in terms):
        flags.append(Flag(FlagCode.INCOTERM_WITHOUT_PLACE, MappingProxyType({"term": terms[0].group("term").upper()})))
    if not _states_validity(draft) and not _EARLIER_QUOTE.search(draft):
        flags.append(Flag(FlagCode.PRICE_WITHOUT_VALIDITY))
    return flags


def _price_span(match: re.Match[str]) -> tuple[int, int]:
    return match.span("price") if "price" in match.re.groupindex else match.span()


def _names_place(draft: str, term: re.Match[str]) -> bool:
    """Tell whether a port or place goes with the Incoterm: "FOB Shanghai", "EXW our factory", "Ningbo FOB"."""
    following = _NEXT_WORD.match(draft, term.end())
    if following is not None and following.group("word").casefold() in PLACE_WORDS:
        return True
    if following is not None and _is_place_name(following.group("word")):
        return True
    preceding = _PREVIOUS_WORD.search(draft, max(0, term.start() - MAX_QUOTED_CHARS), term.start())
    return preceding is not None and _is_place_name(preceding.group("word"))


def _is_place_name(word: str) -> bool:
    if has_cjk(word):
        # A Chinese word after an Incoterm is its port: "FOB上海", "FOB 宁波".
        return True
    folded = word.casefold()
    is_term = _INCOTERM.fullmatch(word) is not None
    return word[0].isupper() and folded not in NOT_PLACE_WORDS and folded not in CURRENCY_CODES and not is_term


# --- wording ---


def _attachment_flags(draft: str) -> list[Flag]:
    match = _ATTACHMENT.search(draft)
    if match is None:
        return []
    return [Flag(FlagCode.ATTACHMENT_MENTIONED, MappingProxyType({"phrase": _quoted(match.group(0))}))]


def _superlative_flags(draft: str) -> list[Flag]:
    found: dict[str, str] = {}
    for match in _SUPERLATIVE.finditer(draft):
        found.setdefault(match.group(0).casefold(), match.group(0))
    if not found:
        return []
    phrases = tuple(f"“{phrase}”" for phrase in found.values())
    return [Flag(FlagCode.SUPERLATIVE, MappingProxyType({"phrases": phrases}))]


def _exclamation_flags(draft: str) -> list[Flag]:
    count = draft.count("!")
    if count <= MAX_EXCLAMATION_MARKS and not _EXCLAMATION_RUN.search(draft):
        return []
    return [Flag(FlagCode.EXCLAMATION_MARKS, MappingProxyType({"count": count}))]


# --- greeting ---


def _greeting_flags(draft: str, *, names: Sequence[str], contact_name: str) -> list[Flag]:
    greeting = _greeting_line(draft)
    if greeting is None:
        return []
    keys = [key for name in names for key in _name_keys(name)]
    if not keys:
        # A stored name made only of titles or initials ("Mr. J.") cannot be looked for.
        return []
    words = {word.casefold() for word in _LETTERS.findall(greeting)}
    folded = greeting.casefold()
    # A name in a script written without spaces (王伟) is looked for as a substring.
    if any(key in words or (not key.isascii() and key in folded) for key in keys):
        return []
    greeting_words = re.split(r"[,:;!?]", greeting, maxsplit=1)[0].rstrip(". ")
    params = {"greeting": _quoted(greeting_words), "name": contact_name}
    return [Flag(FlagCode.GREETING_WITHOUT_NAME, MappingProxyType(params))]


def _greeting_line(draft: str) -> str | None:
    """Return the greeting at the start of the draft up to the end of its sentence, or None."""
    first_line = next((line for line in draft.splitlines() if line.strip()), "")
    if not _GREETING.match(first_line):
        return None
    line = first_line.strip()[:GREETING_SPAN]
    for end in _SENTENCE_END.finditer(line):
        # "Dear Mr. Sharma": the full stop after a title does not end the greeting.
        if end.group("word").casefold() not in NAME_TITLES:
            return line[: end.start() + len(end.group("word"))]
    return line


def _name_keys(name: str) -> list[str]:
    """Return the parts of a contact's name that a greeting may use: first name, surname."""
    return [
        part
        for part in (word.casefold() for word in _LETTERS.findall(normalize_draft(name)))
        if part not in NAME_TITLES and (len(part) >= 2 or not part.isascii())
    ]
