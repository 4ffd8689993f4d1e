"""Reading customer sheets: header detection, merged cells, encodings, delimiters, bad files."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.attachments import ATTACHMENT_TOO_BIG, MAX_ATTACHMENT_BYTES
from handlers.sheet_reader import (
    CSV_ENCODING_UNKNOWN,
    FILE_EMPTY,
    FILE_TYPE_NOT_SUPPORTED,
    FILE_UNREADABLE,
    MAX_DATA_ROWS,
    NO_HEADER_ROW,
    TOO_MANY_ROWS,
    XLS_NOT_SUPPORTED,
    SheetError,
    decode_csv,
    read_sheet,
)
from tests.sheets import csv_bytes, xlsx_bytes

HEADER = ["序号", "客户名称", "国家/地区", "联系人"]


def numbers_and_cells(table) -> list[tuple[int, tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    return [(row.number, row.cells) for row in table.rows]


def test_xlsx_header_under_merged_title_row() -> None:
    data = xlsx_bytes(
        [
            ["2026 外贸客户跟进表 — 业务员：王小明"],
            [],
            HEADER,
            [1, "Acme Ltd", "印度", "Raj"],
            [],
            [2, "Beta GmbH", "Germany", "Anna"],
        ],
        merges=["A1:D1"],
    )
    table = read_sheet("客户.xlsx", data)
    assert table.header_row == 3
    assert table.headers == tuple(HEADER)
    assert table.sheet_name == "客户"
    # The empty row 5 is dropped, and the rows keep the sheet's numbers.
    assert numbers_and_cells(table) == [(4, (1, "Acme Ltd", "印度", "Raj")), (6, (2, "Beta GmbH", "Germany", "Anna"))]


def test_xlsx_merged_country_fills_every_row() -> None:
    data = xlsx_bytes(
        [HEADER, [1, "KL Print", "马来西亚", "Tan"], [2, "Penang Label", None, "Lim"], [3, "Johor Pack", None, "Faiz"]],
        merges=["C2:C4"],
    )
    table = read_sheet("c.xlsx", data)
    assert [row.cells[2] for row in table.rows] == ["马来西亚", "马来西亚", "马来西亚"]
    assert [row.number for row in table.rows] == [2, 3, 4]


def test_xlsx_merged_block_across_columns() -> None:
    data = xlsx_bytes([HEADER, [1, "Acme", "IN", "Raj"], [2, "Beta", None, None]], merges=["C2:D3"])
    table = read_sheet("c.xlsx", data)
    assert table.rows[1].cells == (2, "Beta", "IN", "IN")


def test_xlsx_dates_keep_their_cell_types() -> None:
    data = xlsx_bytes(
        [["客户名称", "国家", "最近跟进"], ["Acme", "IN", datetime(2026, 11, 20)], ["Beta", "DE", 45981], ["Gamma", "FR", "05-Mar-2026"]],
        number_formats={"C2": "yyyy/m/d"},
    )
    table = read_sheet("c.xlsx", data)
    assert [row.cells[2] for row in table.rows] == [datetime(2026, 11, 20), 45981, "05-Mar-2026"]


def test_xlsx_reads_first_sheet_with_header() -> None:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["说明：请看第二页"])
    second = workbook.create_sheet("客户")
    second.append(HEADER)
    second.append([1, "Acme", "IN", "Raj"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_sheet("c.xlsx", buffer.getvalue())
    assert table.sheet_name == "客户"
    assert table.rows[0].cells[1] == "Acme"


@pytest.mark.parametrize(
    ("encoding", "bom", "expected_encoding"),
    [("utf-8", False, "utf-8"), ("utf-8", True, "utf-8-sig"), ("gbk", False, "gb18030"), ("utf-16", False, "utf-16")],
)
def test_csv_encoding_detected(encoding: str, bom: bool, expected_encoding: str) -> None:
    data = csv_bytes([HEADER, [1, "华为印度公司", "印度", "王伟"]], encoding=encoding, bom=bom)
    table = read_sheet("c.csv", data)
    assert table.encoding == expected_encoding
    assert table.headers == tuple(HEADER)
    assert table.rows[0].cells == ("1", "华为印度公司", "印度", "王伟")


def test_csv_gb18030_character_outside_gbk() -> None:
    # 䶮 (U+4DAE) is in GB18030 but not in GBK, and its bytes are not valid UTF-8.
    data = csv_bytes([HEADER, [1, "䶮 Trading", "中国", "李"]], encoding="gb18030")
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")
    table = read_sheet("c.csv", data)
    assert table.encoding == "gb18030"
    assert table.rows[0].cells[1] == "䶮 Trading"


def test_csv_utf8_bom_not_in_first_header() -> None:
    table = read_sheet("c.csv", csv_bytes([HEADER, [1, "Acme", "IN", "Raj"]], bom=True))
    assert table.headers[0] == "序号"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_sniffed(delimiter: str) -> None:
    rows = [HEADER, [1, "Acme, Inc.", "IN", "Raj; Patel"]]
    table = read_sheet("c.csv", csv_bytes(rows, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert table.rows[0].cells == ("1", "Acme, Inc.", "IN", "Raj; Patel")


def test_csv_blank_lines_keep_row_numbers() -> None:
    data = "客户名称,国家\r\nAcme,IN\r\n\r\n,\r\nBeta,DE\r\n".encode()
    table = read_sheet("c.csv", data)
    assert [row.number for row in table.rows] == [2, 5]


def test_csv_quoted_line_break_stays_in_cell() -> None:
    data = '客户名称,国家,备注\r\nAcme,IN,"line one\r\nline two"\r\nBeta,DE,\r\n'.encode()
    table = read_sheet("c.csv", data)
    assert table.rows[0].cells[2] == "line one\nline two"
    assert [row.number for row in table.rows] == [2, 3]


def test_csv_header_after_title_lines() -> None:
    data = "客户表 2026\r\n\r\n客户名称,国家\r\nAcme,IN\r\n".encode()
    table = read_sheet("c.csv", data)
    assert table.header_row == 3
    assert table.rows[0].number == 4


def test_decode_csv_rejects_undecodable_bytes() -> None:
    with pytest.raises(UnicodeDecodeError):
        decode_csv(b"abc\x80\xff")


def error_of(filename: str, data: bytes) -> SheetError:
    with pytest.raises(SheetError) as raised:
        read_sheet(filename, data)
    return raised.value


def test_rejects_other_file_type() -> None:
    error = error_of("price list.pdf", b"%PDF-1.7")
    assert error.message == FILE_TYPE_NOT_SUPPORTED
    assert error.params["name"] == "price list.pdf"


def test_rejects_xls_with_save_as_advice() -> None:
    assert error_of("old.xls", b"\xd0\xcf\x11\xe0").message == XLS_NOT_SUPPORTED


@pytest.mark.parametrize(("filename", "data"), [("empty.csv", b""), ("blank.csv", b" \r\n \r\n"), ("empty.xlsx", b"")])
def test_rejects_empty_file(filename: str, data: bytes) -> None:
    assert error_of(filename, data).message == FILE_EMPTY


def test_rejects_corrupt_workbook() -> None:
    assert error_of("broken.xlsx", b"PK\x03\x04 not really a zip").message == FILE_UNREADABLE


def test_rejects_undecodable_csv() -> None:
    assert error_of("c.csv", "客户名称,国家\n".encode("utf-8") + b"\xff\xff\xff").message == CSV_ENCODING_UNKNOWN


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("c.csv", csv_bytes([["Name", "Price"], ["CTCP", "2.5"]])),
        ("c.xlsx", xlsx_bytes([["产品", "价格"], ["CTCP", 2.5]])),
    ],
)
def test_rejects_sheet_without_header(filename: str, data: bytes) -> None:
    error = error_of(filename, data)
    assert error.message == NO_HEADER_ROW
    assert error.params["rows"] == 20


def test_rejects_file_over_size_limit() -> None:
    error = error_of("big.csv", b"a" * (MAX_ATTACHMENT_BYTES + 1))
    assert error.message == ATTACHMENT_TOO_BIG
    assert error.params["limit"] == 10
    assert error.params["size"] == "10.0"


def test_rejects_too_many_rows() -> None:
    lines = ["客户名称,国家"] + [f"Buyer {number},IN" for number in range(MAX_DATA_ROWS + 1)]
    error = error_of("c.csv", "\n".join(lines).encode())
    assert error.message == TOO_MANY_ROWS
    assert error.params["limit"] == MAX_DATA_ROWS


def test_caption_map_counts_toward_header() -> None:
    data = csv_bytes([["单位名称", "国家"], ["Acme", "IN"]])
    with pytest.raises(SheetError):
        read_sheet("c.csv", data)
    table = read_sheet("c.csv", data, overrides={"单位名称": "company"})
    assert table.header_row == 1
    assert table.rows[0].cells == ("Acme", "IN")


def test_xlsx_cells_past_column_limit_ignored() -> None:
    data = xlsx_bytes([["Title"], HEADER, [1, "Acme", "IN", "Raj"]], merges=["A1:XFD1"])
    table = read_sheet("c.xlsx", data)
    assert table.header_row == 2
    assert table.rows[0].cells == (1, "Acme", "IN", "Raj")
