"""Customer sheets built by the tests themselves: .xlsx workbooks and .csv files in any encoding."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl

Cell = object

HEADERS_ZH = ["客户名称", "国家", "城市", "联系人", "邮箱", "电话", "生日", "等级", "来源", "最近跟进", "备注"]


def xlsx_bytes(
    rows: Sequence[Sequence[Cell]],
    *,
    merges: Sequence[str] = (),
    number_formats: dict[str, str] | None = None,
    title: str = "客户",
) -> bytes:
    """Build a one-sheet workbook: `rows` from row 1, `merges` such as "A1:K1", formats by cell."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Cell]], *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False
) -> bytes:
    """Build a CSV file as Excel writes one: CRLF line ends, in `encoding`, with an optional BOM."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    data = buffer.getvalue().encode(encoding)
    return ("\ufeff".encode(encoding) if bom else b"") + data


def xlsx_book(sheets: dict[str, Sequence[Sequence[Cell]]]) -> bytes:
    """Build a workbook with one worksheet per entry, in order: title → rows from row 1."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
