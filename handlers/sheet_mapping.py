"""Map a customer sheet's header cells to customer fields, and read the caption's column map.

A header matches a field when its folded form equals one of the field's names in
handlers/sheet_columns.py. A header that joins names with "/", "|", "、", brackets or a
line break ("电话/WhatsApp", "邮箱 (Email)") matches when every part names the same field.
A header that matches no name falls back on the keywords it contains (客户出生日期 →
birthday), but only for a field that no header names exactly.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.errors import ParseError
from bot.i18n import N_
from handlers.sheet_columns import (
    CHAT_ID_HEADERS,
    HEADER_KEYWORDS,
    MULTI_COLUMN_FIELDS,
    ROW_NUMBER_HEADERS,
    SHEET_COLUMNS,
    export_header,
)

logger = logging.getLogger(__name__)

COLUMN_MAP_INVALID = N_(
    "Column map '%(value)s' is not understood. Write e.g. 列: 旺旺=备注, QQ=note "
    "(the sheet's header, =, then a column name such as 备注/note, 电话/phone or skip)."
)
COLUMN_MAP_UNKNOWN_FIELD = N_(
    "Column name '%(value)s' is not known. Use one of: %(accepted)s, or %(skip)s."
)

# Fields the sheet may fill but import does not store. Every imported customer belongs to
# the importing member, so the sheet's owner column is ignored.
NOT_IMPORTED_FIELDS = frozenset({"owner"})
# The target of a caption entry that drops a column.
SKIP_TARGETS = frozenset({"skip", "ignore", "忽略", "跳过", "不导入"})

# Characters that do not tell headers apart: spaces, and the marks that sheets add to
# headers ("客户名称*", "E-mail", "Country:").
_HEADER_NOISE = re.compile(r"[\s*:_.\-]+")
# Separators between names joined in one header: "国家/地区", "电话/WhatsApp", "邮箱（Email）".
_HEADER_PARTS = re.compile(r"[/|、()\[\]\n]+")
# The caption's column map: "列: 旺旺=备注, QQ=note" or "columns: WangWang=note".
_COLUMN_MAP_KEY = re.compile(r"^\s*(?:列|列名|columns?)\s*[:：]\s*", re.IGNORECASE)
_COLUMN_MAP_SEPARATORS = re.compile(r"[,，;；、\n]+")
# Spaces also separate entries ("出生日期=生日 客户级别=等级") when an entry contains several "=".
_COLUMN_MAP_SPACE = re.compile(r"\s+(?=[^\s=]+\s*=)")


def fold_header(text: str) -> str:
    """Return a header's lookup form: NFKC, case-folded, without spaces and marks."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=1)
def _names_to_fields() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, (chinese, english) in SHEET_COLUMNS.items():
        for name in (*chinese, *english):
            index.setdefault(fold_header(name), field)
    for name in CHAT_ID_HEADERS:
        index.setdefault(fold_header(name), "note")
    return index


@lru_cache(maxsize=1)
def _row_number_headers() -> frozenset[str]:
    return frozenset(fold_header(name) for name in ROW_NUMBER_HEADERS)


def header_field(header: str, overrides: dict[str, str] | None = None) -> str | None:
    """Return the field that a header names exactly, or None; `overrides` (folded header → field) win."""
    folded = fold_header(header)
    if not folded:
        return None
    if overrides and folded in overrides:
        return overrides[folded]
    names = _names_to_fields()
    if folded in names:
        return names[folded]
    parts = [fold_header(part) for part in _HEADER_PARTS.split(unicodedata.normalize("NFKC", header))]
    fields = {names.get(part) for part in parts if part}
    if len(fields) == 1:
        return fields.pop()
    return None


def keyword_field(header: str) -> str | None:
    """Return the field that a keyword in the header names (出生日期 → birthday), or None."""
    folded = unicodedata.normalize("NFKC", header).casefold()
    for field, words, also in HEADER_KEYWORDS:
        if any(word in folded for word in words) and (not also or any(word in folded for word in also)):
            return field
    return None


def known_header_count(cells: Sequence[object], overrides: dict[str, str] | None = None) -> int:
    """Count the different fields that the cells of a row name: a header row names several.

    Fields are counted once, so a title merged across the row ("Title") counts as one.
    """
    fields = {header_field(cell, overrides) for cell in cells if isinstance(cell, str)}
    return len(fields - {None, "skip"})


@dataclass(frozen=True)
class ColumnMapping:
    """The sheet columns that fill each field, and the columns that import leaves out.

    `columns` maps a field to its 0-based column. When two columns name one field, the
    first fills it and the other is listed in `repeated`. Note and phone columns are the
    exception: their later columns are listed in `extra` (field → columns) and fill the note.
    """

    columns: dict[str, int]
    extra: dict[str, tuple[int, ...]]
    placed: tuple[tuple[str, str], ...]
    unplaced: tuple[str, ...]
    repeated: tuple[tuple[str, str], ...]
    not_imported: tuple[tuple[str, str], ...]
    row_numbers: tuple[str, ...]
    skipped: tuple[str, ...]

    @property
    def needs_question(self) -> bool:
        """Tell whether some column is unknown, so the rep may want to map it in a caption."""
        return bool(self.unplaced)


def map_columns(headers: Sequence[str], *, overrides: dict[str, str] | None = None) -> ColumnMapping:
    """Map header cells to fields; `overrides` come from parse_column_map."""
    columns: dict[str, int] = {}
    placed: list[tuple[str, str]] = []
    unplaced: list[str] = []
    repeated: list[tuple[str, str]] = []
    not_imported: list[tuple[str, str]] = []
    row_numbers: list[str] = []
    skipped: list[str] = []
    extra: dict[str, list[int]] = {}
    exact = {index: header_field(header, overrides) for index, header in enumerate(headers) if header.strip()}
    named = set(exact.values())
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        field = exact[index]
        if field is None and fold_header(header) not in _row_number_headers():
            # A keyword never takes a field that a header names exactly.
            guess = keyword_field(header)
            field = guess if guess not in named or guess in MULTI_COLUMN_FIELDS else None
        if field == "skip":
            skipped.append(header)
        elif field is None and fold_header(header) in _row_number_headers():
            row_numbers.append(header)
        elif field is None:
            unplaced.append(header)
        elif field in NOT_IMPORTED_FIELDS:
            not_imported.append((header, field))
        elif field in columns and field in MULTI_COLUMN_FIELDS:
            extra.setdefault(field, []).append(index)
            placed.append((header, field))
        elif field in columns:
            repeated.append((header, field))
        else:
            columns[field] = index
            placed.append((header, field))
    logger.debug("columns mapped fields=%s unplaced=%d", sorted(columns), len(unplaced))
    return ColumnMapping(
        columns=columns,
        extra={field: tuple(indexes) for field, indexes in extra.items()},
        placed=tuple(placed),
        unplaced=tuple(unplaced),
        repeated=tuple(repeated),
        not_imported=tuple(not_imported),
        row_numbers=tuple(row_numbers),
        skipped=tuple(skipped),
    )


def parse_column_map(text: str, *, locale: str = "en") -> dict[str, str]:
    """Read a caption such as "列: 旺旺=备注, QQ=note" into {folded header: field}.

    Entries are separated by commas, semicolons or line breaks, or by spaces
    ("列: 出生日期=生日 客户级别=等级"). The target may be a field key (note), any of the
    field's header names (备注, Notes) or skip. A caption without the 列:/columns: key maps
    nothing. An error lists the importable columns by their names in `locale`.

    Raises:
        ParseError: for an entry without "=", or a target that names no field.
    """
    match = _COLUMN_MAP_KEY.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return {}
    overrides: dict[str, str] = {}
    body = unicodedata.normalize("NFKC", text)[match.end() :]
    entries = [
        part
        for entry in _COLUMN_MAP_SEPARATORS.split(body)
        for part in (_COLUMN_MAP_SPACE.split(entry.strip()) if entry.count("=") > 1 else [entry])
    ]
    for entry in entries:
        if not entry.strip():
            continue
        header, equals, target = entry.partition("=")
        if not equals or not fold_header(header) or not target.strip() or "=" in target:
            raise ParseError(COLUMN_MAP_INVALID, value=entry.strip())
        overrides[fold_header(header)] = _target_field(target, locale=locale)
    return overrides


def importable_fields() -> tuple[str, ...]:
    """Return the fields that a column may fill, in the order of handlers/sheet_columns.py."""
    return tuple(field for field in SHEET_COLUMNS if field not in NOT_IMPORTED_FIELDS)


def _target_field(target: str, *, locale: str) -> str:
    folded = fold_header(target)
    if folded in {fold_header(word) for word in SKIP_TARGETS}:
        return "skip"
    keys = {fold_header(field): field for field in SHEET_COLUMNS}
    if folded in keys:
        return keys[folded]
    field = header_field(target)
    if field is None:
        names = [export_header(name, locale) for name in importable_fields()]
        raise ParseError(
            COLUMN_MAP_UNKNOWN_FIELD,
            value=target.strip(),
            accepted=("、" if locale == "zh_CN" else ", ").join(names),
            skip="跳过" if locale == "zh_CN" else "skip",
        )
    return field
