"""The field grammar of commands: `NAME key: value key: value ...` with zh/en keys."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from bot.errors import ParseError
from bot.i18n import N_
from handlers.field_aliases import FIELD_ALIASES
from handlers.parsing_text import fold_key, normalize_text

logger = logging.getLogger(__name__)

FIELD_NOT_ALLOWED = N_("Field '%(key)s' cannot be used here. Use: %(accepted)s.")
FIELD_NOT_RECOGNISED = N_("Field '%(key)s' is not recognised. Use: %(accepted)s.")
FIELD_JOINED = N_("Field '%(key)s' is joined to the text before it. Put a space before '%(key)s'.")
FIELD_TWICE = N_("Field '%(key)s' is given twice. Write each field once.")
FIELD_EMPTY = N_("Field '%(key)s' is empty. Write its value after the colon.")

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# A key starts the text or follows a space, line break, ";" or "," (the separator that
# Chinese writers use, "，" before NFKC), so that "mail:" never matches inside "e-mail:".
_KEY_BOUNDARY = r"(?<![^\s;,])"

# Words before a colon that look like a field key but are not one. A Latin or mixed word
# counts only when a space or the end follows the colon, so "10:30" and "see:x" pass.
# A run of Chinese characters counts whatever follows its colon, because Chinese text
# has no spaces ("地址：上海").
_LOOSE_KEY = re.compile(_KEY_BOUNDARY + r"(?P<word>[^\W\d_]+):(?=\s|$)")
_CJK_KEY = re.compile(f"(?<![{_CJK}])(?P<word>[{_CJK}]+):")
_CJK_WORD = re.compile(f"[{_CJK}]+")
_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_SEPARATORS = " \n;,"


@dataclass(frozen=True)
class ParsedFields:
    """The text before the first key, and each field's value keyed by canonical name."""

    leading: str
    fields: dict[str, str]


class _KeyMatch(NamedTuple):
    start: int
    end: int
    field: str
    written: str


@lru_cache(maxsize=1)
def _alias_to_field() -> dict[str, str]:
    return {fold_key(alias): field for field, aliases in FIELD_ALIASES.items() for alias in aliases}


@lru_cache(maxsize=1)
def _key_pattern() -> re.Pattern[str]:
    # Longest aliases first, so that "unit price" wins over "price" and "tags" over "tag".
    aliases = sorted(_alias_to_field(), key=len, reverse=True)
    alternation = "|".join(r"\s+".join(re.escape(word) for word in alias.split()) for alias in aliases)
    return re.compile(_KEY_BOUNDARY + f"(?P<key>{alternation})" + r"\s*:", re.IGNORECASE)


def accepted_keys(allowed: frozenset[str]) -> str:
    """List the allowed fields for an error message, e.g. "名称/name, 国家/country"."""
    return ", ".join(f"{aliases[0]}/{field}" for field, aliases in FIELD_ALIASES.items() if field in allowed)


def parse_fields(
    text: str,
    *,
    allowed: frozenset[str],
    free_text_fields: frozenset[str] = frozenset({"note"}),
    leading_field: str | None = None,
) -> ParsedFields:
    """Split a message into its leading text and `key: value` fields.

    Keys are recognised in Chinese or English, in any case, before ":" or "：". Values
    run to the next key and may contain spaces, commas and colons. Inside a free-text
    field, only keys of allowed fields end the value, so a note may quote "price: too
    high" in a command that has no price field. A key that would leave the free-text
    value empty ("备注: Tel: +91 1234"), or that repeats a field already given ("名称: A
    备注: Name: Raj"), is part of the free text too, because pasted text brings its own
    keys. `leading_field` names the field that the caller fills from non-empty leading
    text, such as the company name in "/add Acme 备注: ...", so that it counts as given.

    Raises:
        ParseError: for a field not in `allowed`, a word that looks like an unknown key,
            a field given twice, or an empty value.
        ValueError: when `allowed` or `leading_field` names a field that has no aliases
            (a programming error).
    """
    named_fields = (allowed | {leading_field}) if leading_field else allowed
    unknown_fields = named_fields - FIELD_ALIASES.keys()
    if unknown_fields:
        raise ValueError(f"fields without aliases: {sorted(unknown_fields)}")

    text = normalize_text(text)
    keys = _find_keys(text, allowed=allowed, free_text_fields=free_text_fields, leading_field=leading_field)

    leading_end = keys[0].start if keys else len(text)
    leading = text[:leading_end]
    _reject_loose_keys(leading, allowed=allowed)

    fields: dict[str, str] = {}
    for index, key in enumerate(keys):
        value_end = keys[index + 1].start if index + 1 < len(keys) else len(text)
        value = text[key.end : value_end]
        if key.field not in free_text_fields:
            _reject_loose_keys(value, allowed=allowed)
        if key.field in fields:
            raise ParseError(
                FIELD_TWICE,
                key=key.written,
                field=key.field,
            )
        value = value.strip(_SEPARATORS)
        if not value:
            raise ParseError(
                FIELD_EMPTY,
                key=key.written,
                field=key.field,
            )
        fields[key.field] = value

    logger.debug("parsed fields=%s leading_chars=%d", sorted(fields), len(leading))
    return ParsedFields(leading=leading.strip(_SEPARATORS), fields=fields)


def _find_keys(
    text: str,
    *,
    allowed: frozenset[str],
    free_text_fields: frozenset[str],
    leading_field: str | None,
) -> list[_KeyMatch]:
    alias_to_field = _alias_to_field()
    keys: list[_KeyMatch] = []
    for match in _key_pattern().finditer(text):
        written = match.group("key")
        field = alias_to_field[fold_key(written)]
        if keys and keys[-1].field in free_text_fields:
            # Inside free text, a key only ends the value when it starts a new field
            # that leaves the free text non-empty.
            free_text = text[keys[-1].end : match.start()].strip(_SEPARATORS)
            given_fields = {key.field for key in keys}
            if leading_field and text[: keys[0].start].strip(_SEPARATORS):
                given_fields.add(leading_field)
            if field not in allowed or not free_text or field in given_fields:
                continue
        if field not in allowed:
            raise ParseError(
                FIELD_NOT_ALLOWED,
                key=written,
                field=field,
                accepted=accepted_keys(allowed),
            )
        keys.append(_KeyMatch(start=match.start(), end=match.end(), field=field, written=written))
    return keys


def _reject_loose_keys(segment: str, *, allowed: frozenset[str]) -> None:
    for pattern in (_LOOSE_KEY, _CJK_KEY):
        for match in pattern.finditer(segment):
            word = match.group("word")
            if word.casefold() in _URL_SCHEMES:
                continue
            joined_key = _known_key_suffix(word)
            if joined_key:
                raise ParseError(
                    FIELD_JOINED,
                    key=joined_key,
                )
            raise ParseError(
                FIELD_NOT_RECOGNISED,
                key=word,
                accepted=accepted_keys(allowed),
            )


def _known_key_suffix(word: str) -> str | None:
    """Return the Chinese key alias that ends `word`, as 等级 ends "印度等级", or None.

    `word` may also be the alias itself, when it follows text without a separator, as in
    "(国家:".

    Only Chinese aliases count. Chinese has no spaces, so a key glued to the value before
    it is a likely slip, while an English word ending in "name" is just another word.
    """
    for alias in sorted(_alias_to_field(), key=len, reverse=True):
        if _CJK_WORD.fullmatch(alias) and word.endswith(alias):
            return alias
    return None
