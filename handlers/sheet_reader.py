"""Read a customer sheet, an .xlsx workbook or a .csv file, into numbered rows under its header.

The header is the first row, among the first HEADER_SEARCH_ROWS, in which several cells
name known columns, so title rows and blank rows above it are skipped. Rows keep the
sheet's own 1-based numbers, so messages point at the row number Excel shows. Empty
rows are dropped. A merged cell gives its value to every cell it covers, so a country
merged over three rows fills all three.

CSV files are decoded by trying encodings strictly in turn: UTF-8 (with or without a
byte order mark), UTF-16 when it starts with one, then GB18030, a superset of the GBK
that Excel writes on Chinese Windows. The delimiter (comma, semicolon or tab) is the one
under which the header row names the most known columns.

Every worksheet that has a header row is read; worksheets without one are named as
skipped. Control characters and bidirectional overrides (U+202E) are dropped from text
cells, because they cannot be stored or would show a name reversed. A workbook sent with
a .csv name (the ZIP signature PK\x03\x04) is read as the workbook it is.

Limitations:
    GB18030 accepts most byte sequences, so a CSV saved in a Western code page such as
    Windows-1252 is read as wrong Chinese characters instead of failing.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import WINDOWS_EPOCH
from openpyxl.utils.exceptions import InvalidFileException

from bot.attachments import ATTACHMENT_TOO_BIG, MAX_ATTACHMENT_BYTES, too_big_params
from bot.errors import UserError
from bot.i18n import N_
from handlers.router import clean_text
from handlers.sheet_mapping import known_header_count

logger = logging.getLogger(__name__)

FILE_TYPE_NOT_SUPPORTED = N_("I cannot read %(name)s as a customer sheet. Send an .xlsx workbook or a .csv file.")
XLS_NOT_SUPPORTED = N_(
    "%(name)s is an Excel 97-2003 workbook (.xls). Open it in Excel, save it as .xlsx and send it again."
)
FILE_EMPTY = N_("The file %(name)s is empty.")
FILE_UNREADABLE = N_(
    "%(name)s could not be read as an .xlsx workbook. Open it in Excel, save it as .xlsx and send it again."
)
CSV_ENCODING_UNKNOWN = N_(
    "%(name)s is not in a text encoding I can read (UTF-8, UTF-16 or GBK/GB18030). "
    "Save it from Excel as 'CSV UTF-8' and send it again."
)
CSV_MALFORMED = N_("Row %(row)s could not be read as CSV. Check its quotation marks and send the file again.")
NO_HEADER_ROW = N_(
    "No header row found in the first %(rows)s rows of %(name)s. The sheet needs a row of column "
    "names such as 客户名称, 国家, 联系人 or Company, Country, Contact."
)
TOO_MANY_ROWS = N_("%(name)s has more than %(limit)s rows. Split it into files of at most %(limit)s rows.")

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv"})
HEADER_SEARCH_ROWS = 20
# A header row names at least this many known columns; a title row names none.
MIN_HEADER_CELLS = 2
# Row and column limits bound the work on a small but highly compressed workbook. Cells
# right of MAX_COLUMNS are not read.
MAX_DATA_ROWS = 50_000
MAX_COLUMNS = 100
CSV_DELIMITERS = (",", ";", "\t")

# The longest CSV cell read; Python's default of 131,072 would reject a long note as
# malformed. No cell of a file that import accepts is longer.
MAX_CSV_CELL_CHARS = MAX_ATTACHMENT_BYTES
ZIP_SIGNATURE = b"PK\x03\x04"
# Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), direction marks and
# zero-width characters: invisible in a chat, they reverse or hide parts of a name.
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069]")

_MERGE_CELL_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_BLANK = re.compile(r"\s*")


class SheetError(UserError):
    """The file cannot be read as a customer sheet; the message names what to send instead."""


@dataclass(frozen=True)
class SheetRow:
    """One data row: the sheet's own 1-based row number and its cell values."""

    number: int
    cells: tuple[object, ...]


@dataclass(frozen=True)
class SheetTable:
    """The header and the non-empty data rows below it.

    `date_epoch` is the workbook's date system, which turns a serial number into a date.
    """

    filename: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    date_epoch: datetime = WINDOWS_EPOCH


@dataclass(frozen=True)
class SheetBook:
    """The tables of a file: one per worksheet with a header row, or the CSV's one.

    `skipped_sheets` names the worksheets without a header row. `workbook_as_csv` is True
    when the file had a .csv name but was a workbook.
    """

    filename: str
    tables: tuple[SheetTable, ...]
    skipped_sheets: tuple[str, ...] = ()
    workbook_as_csv: bool = False


def read_sheet(filename: str, data: bytes, *, overrides: dict[str, str] | None = None) -> SheetTable:
    """Read the file's first table; see read_book."""
    return read_book(filename, data, overrides=overrides).tables[0]


def read_book(filename: str, data: bytes, *, overrides: dict[str, str] | None = None) -> SheetBook:
    """Read an .xlsx or .csv file sent by a rep; `overrides` are the caption's column map.

    Raises:
        SheetError: for another file type, a file over MAX_ATTACHMENT_BYTES, an empty or
            unreadable file, no header row, or more than MAX_DATA_ROWS rows in all.
    """
    suffix = PurePath(filename).suffix.casefold()
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise SheetError(ATTACHMENT_TOO_BIG, **too_big_params(name=filename, size=len(data)))
    if suffix == ".xls":
        raise SheetError(XLS_NOT_SUPPORTED, name=filename)
    if suffix not in XLSX_SUFFIXES | CSV_SUFFIXES:
        raise SheetError(FILE_TYPE_NOT_SUPPORTED, name=filename)
    if not data.strip():
        raise SheetError(FILE_EMPTY, name=filename)
    header_cells = _HeaderCounter(overrides or {})
    workbook_as_csv = suffix in CSV_SUFFIXES and data.startswith(ZIP_SIGNATURE)
    if suffix in XLSX_SUFFIXES or workbook_as_csv:
        tables, skipped = _read_xlsx(filename, data, header_cells=header_cells)
    else:
        tables, skipped = [_read_csv(filename, data, header_cells=header_cells)], []
    if sum(len(table.rows) for table in tables) > MAX_DATA_ROWS:
        raise SheetError(TOO_MANY_ROWS, name=filename, limit=MAX_DATA_ROWS)
    for table in tables:
        logger.info(
            "sheet read header_row=%d rows=%d columns=%d encoding=%s",
            table.header_row,
            len(table.rows),
            len(table.headers),
            table.encoding,
        )
    logger.info("book read tables=%d skipped=%d workbook_as_csv=%s", len(tables), len(skipped), workbook_as_csv)
    return SheetBook(
        filename=filename, tables=tuple(tables), skipped_sheets=tuple(skipped), workbook_as_csv=workbook_as_csv
    )


def clean_cell(value: object) -> object:
    """Drop control characters, bidirectional overrides and zero-width characters from a text cell."""
    if not isinstance(value, str):
        return value
    return _INVISIBLE.sub("", clean_text(value))


# ---------------------------------------------------------------------------- tables


def _is_empty(cells: Iterable[object]) -> bool:
    return all(cell is None or (isinstance(cell, str) and _BLANK.fullmatch(cell)) for cell in cells)


def _header_text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


@dataclass(frozen=True)
class _HeaderCounter:
    """Counts the known column names in a row, with the caption's column map."""

    overrides: dict[str, str]

    def __call__(self, cells: tuple[object, ...]) -> int:
        return known_header_count(cells, self.overrides)


def _find_table(
    filename: str, rows: Iterator[SheetRow], *, header_cells: _HeaderCounter, **details: object
) -> SheetTable | None:
    """Find the header among the first rows and collect the data rows after it, or return None."""
    header: SheetRow | None = None
    for row in rows:
        if row.number > HEADER_SEARCH_ROWS:
            return None
        if header_cells(row.cells) >= MIN_HEADER_CELLS:
            header = row
            break
    if header is None:
        return None
    data_rows: list[SheetRow] = []
    for row in rows:
        if _is_empty(row.cells):
            continue
        if len(data_rows) == MAX_DATA_ROWS:
            raise SheetError(TOO_MANY_ROWS, name=filename, limit=MAX_DATA_ROWS)
        data_rows.append(row)
    return SheetTable(
        filename=filename,
        header_row=header.number,
        headers=tuple(_header_text(cell) for cell in header.cells),
        rows=tuple(data_rows),
        **details,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------------- xlsx


def _read_xlsx(filename: str, data: bytes, *, header_cells: _HeaderCounter) -> tuple[list[SheetTable], list[str]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        logger.info("workbook unreadable error=%s", type(error).__name__)
        raise SheetError(FILE_UNREADABLE, name=filename) from error
    tables: list[SheetTable] = []
    skipped: list[str] = []
    try:
        for worksheet in workbook.worksheets:
            merged = _merged_ranges(data, worksheet)
            rows = _worksheet_rows(worksheet, merged)
            table = _find_table(
                filename, rows, header_cells=header_cells, sheet_name=worksheet.title, date_epoch=workbook.epoch
            )
            if table is None:
                skipped.append(worksheet.title)
            else:
                tables.append(table)
    finally:
        workbook.close()
    if not tables:
        raise SheetError(NO_HEADER_ROW, name=filename, rows=HEADER_SEARCH_ROWS)
    return tables, skipped


def _merged_ranges(data: bytes, worksheet: object) -> list[tuple[int, int, int, int]]:
    """Return the merged ranges of a worksheet as (min_col, min_row, max_col, max_row).

    Read-only worksheets do not expose merged cells, so they are read from the sheet's
    XML part, where <mergeCell ref="C16:C18"/> elements follow the cell data.
    """
    # NOTE: `_worksheet_path` is openpyxl's private name for the sheet's part in the
    # archive (3.1). Without it, merged cells stay unfilled and a warning is logged.
    path = getattr(worksheet, "_worksheet_path", None)
    if not isinstance(path, str):
        logger.warning("merged cells not read: openpyxl worksheet has no _worksheet_path")
        return []
    ranges: list[tuple[int, int, int, int]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path.lstrip("/")) as part:
        for _event, element in ElementTree.iterparse(part):
            if element.tag == _MERGE_CELL_TAG and element.get("ref"):
                bounds = range_boundaries(str(element.get("ref")))
                if None not in bounds:
                    ranges.append(bounds)  # type: ignore[arg-type]
            element.clear()
    return ranges


def _worksheet_rows(worksheet: object, merged: list[tuple[int, int, int, int]]) -> Iterator[SheetRow]:
    """Yield every row from row 1 on, with merged cells filled from their top-left cell."""
    by_row: dict[int, list[tuple[int, int, int, int]]] = {}
    for min_col, min_row, max_col, max_row in merged:
        if min_col > MAX_COLUMNS:
            continue
        bounds = (min_col, min_row, min(max_col, MAX_COLUMNS), max_row)
        for row_number in range(min_row, min(max_row, MAX_DATA_ROWS + HEADER_SEARCH_ROWS) + 1):
            by_row.setdefault(row_number, []).append(bounds)
    top_left_values: dict[tuple[int, int], object] = {}

    worksheet.reset_dimensions()  # type: ignore[attr-defined]
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)  # type: ignore[attr-defined]
    for number, values in enumerate(rows, start=1):
        cells = [clean_cell(value) for value in values]
        while cells and cells[-1] is None:
            cells.pop()
        for min_col, min_row, max_col, _max_row in by_row.get(number, ()):
            if number == min_row:
                top_left_values[(min_row, min_col)] = cells[min_col - 1] if min_col <= len(cells) else None
            value = top_left_values.get((min_row, min_col))
            if len(cells) < max_col:
                cells.extend([None] * (max_col - len(cells)))
            for column in range(min_col, max_col + 1):
                cells[column - 1] = value
        yield SheetRow(number=number, cells=tuple(cells))


# ---------------------------------------------------------------------------- csv


def decode_csv(data: bytes) -> tuple[str, str]:
    """Return the text of a CSV file and the encoding it was read with.

    Raises:
        UnicodeDecodeError: when no encoding decodes the bytes strictly.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" export is UTF-16 with a byte order mark, tab-separated.
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return data.decode("gb18030"), "gb18030"


def _read_csv(filename: str, data: bytes, *, header_cells: _HeaderCounter) -> SheetTable:
    # The limit is process-wide; it is only ever raised, and to a bound the file size sets.
    if csv.field_size_limit() < MAX_CSV_CELL_CHARS:
        csv.field_size_limit(MAX_CSV_CELL_CHARS)
    try:
        text, encoding = decode_csv(data)
    except UnicodeDecodeError as error:
        raise SheetError(CSV_ENCODING_UNKNOWN, name=filename) from error
    if not text.strip():
        raise SheetError(FILE_EMPTY, name=filename)
    delimiter = _pick_delimiter(text, header_cells=header_cells)
    rows = _csv_rows(text, delimiter)
    table = _find_table(filename, rows, header_cells=header_cells, encoding=encoding, delimiter=delimiter)
    if table is None:
        raise SheetError(NO_HEADER_ROW, name=filename, rows=HEADER_SEARCH_ROWS)
    return table


def _csv_rows(text: str, delimiter: str) -> Iterator[SheetRow]:
    # A record is a row: a blank line is an empty row and keeps the numbering as Excel
    # shows it, and a quoted cell may span lines within one row.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield SheetRow(number=number, cells=tuple(clean_cell(cell) if cell.strip() else None for cell in record))
    except csv.Error as error:
        raise SheetError(CSV_MALFORMED, row=number + 1) from error


def _pick_delimiter(text: str, *, header_cells: _HeaderCounter) -> str:
    """Return the delimiter under which a header row names the most known columns."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    best, best_count = CSV_DELIMITERS[0], 0
    for delimiter in CSV_DELIMITERS:
        counts = [header_cells(row.cells) for row in _csv_rows(head, delimiter)]
        count = max(counts, default=0)
        if count > best_count:
            best, best_count = delimiter, count
    return best
