"""Import of real-world sheets: several worksheets, placeholders, header variants, notes, dates, zones."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.errors import ParseError
from bot.import_cli import run_import
from bot.models import Customer
from bot.services.import_rows import ColumnRef
from bot.store import Store
from bot.transports.base import Incoming
from bot.transports.console import PLATFORM
from handlers.parsing_contacts import EMAIL_INVALID
from handlers.router import Router
from handlers.sheet_mapping import COLUMN_MAP_UNKNOWN_FIELD, map_columns, parse_column_map
from handlers.sheet_reader import read_book, read_sheet
from handlers.sheet_rows import (
    BIRTHDAY_NOT_READ,
    LAST_CONTACT_TOO_OLD,
    VALUE_TOO_LONG,
    ZONE_COLUMN_NEEDED,
    CheckedRows,
    RowChecker,
    check_rows,
)
from tests.chat import Chat
from tests.sheets import csv_bytes, xlsx_book, xlsx_bytes

TODAY = date(2026, 12, 7)


def check(rows: list[list[object]], *, headers: list[str], caption: str = "", locale: str = "en") -> CheckedRows:
    table = read_sheet("t.xlsx", xlsx_bytes([headers, *rows]))
    mapping = map_columns(table.headers, overrides=parse_column_map(caption, locale=locale))
    return check_rows(RowChecker(table=table, mapping=mapping, today=TODAY, locale=locale), table.rows)


@pytest.fixture
async def en_rep(router: Router) -> Chat:
    chat = Chat(router, user_id="201", name="Li", locale="en")
    await chat.say("/start")
    return chat


# ---------------------------------------------------------------------------- several sheets


def test_every_sheet_with_header_read_others_named() -> None:
    data = xlsx_book(
        {
            "说明": [["本表由业务部维护"]],
            "2026新客户": [["客户名称", "国家"], ["New A Co", "德国"], ["New B Co", "德国"]],
            "老客户": [["客户名称", "国家"], ["Old A Co", "德国"], ["Old B Co", "德国"], ["Old C Co", "德国"]],
        }
    )
    book = read_book("two.xlsx", data)
    assert [(table.sheet_name, len(table.rows)) for table in book.tables] == [("2026新客户", 2), ("老客户", 3)]
    assert book.skipped_sheets == ("说明",)


async def test_preview_names_each_sheet_and_its_rows(en_rep: Chat, store: Store) -> None:
    data = xlsx_book(
        {
            "New": [["客户名称", "国家"], ["New A Co", "德国"], ["New B Co", "德国"]],
            "Old": [["客户名称", "国家"], ["Old A Co", "德国"], ["New A Co", "德国"], ["Old C Co", "Narnia"]],
            "Notes": [["just a note"]],
        }
    )
    preview = await en_rep.send_file("two.xlsx", data)
    assert "Sheet New: 2 rows under the header on row 1." in preview
    assert "Sheet Old: 3 rows under the header on row 1." in preview
    assert "Sheets without a header row, not read: Notes." in preview
    assert "Old, row 3: same company name as New, row 2." in preview
    assert "Old, row 4: Country 'Narnia' is not recognised." in preview
    await en_rep.press(en_rep.last[-1].buttons[0][0].data)
    async with store.session() as session:
        names = set((await session.execute(select(Customer.name))).scalars())
    assert names == {"New A Co", "New B Co", "Old A Co"}




# ---------------------------------------------------------------------------- placeholders


@pytest.mark.parametrize("placeholder", ["无", "-", "N/A", "暂无", "—", "/", "null", "None", "0", 0])
def test_placeholder_cells_read_as_empty(placeholder: object) -> None:
    headers = ["客户名称", "国家", "联系人", "邮箱", "电话", "生日", "最后联系", "备注"]
    result = check([["Acme", "DE", "Hans", placeholder, placeholder, placeholder, placeholder, "无"]], headers=headers)
    [row] = result.rows
    [contact] = row.customer.contacts
    assert (contact.email, contact.phone, contact.birthday, row.last_contact, row.customer.note) == (
        None,
        None,
        None,
        None,
        None,
    )


# ---------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("出生日期", "birthday"),
        ("客户级别", "tier"),
        ("上次联系时间", "last_contact"),
        ("最后联系日期", "last_contact"),
        ("生日（月/日）", "birthday"),
        ("客户", "company"),
        ("所在国家", "country"),
        ("联系方式", "phone"),
        ("E-mail Address", "email"),
        ("Buyer", "company"),
        ("联系人出生年月", "birthday"),
        ("客户所在国家名", "country"),
        ("最近一次联系日期", "last_contact"),
        ("客户分等级", "tier"),
        ("Buyer email", "email"),
        ("手机号码(WhatsApp)", "phone"),
        ("微信", "note"),
    ],
)
def test_header_variant_maps_to_field(header: str, field: str) -> None:
    assert map_columns([header]).columns == {field: 0}


def test_keyword_never_takes_field_named_exactly() -> None:
    mapping = map_columns(["备用邮箱", "客户名称", "国家", "邮箱"])
    assert mapping.columns == {"company": 1, "country": 2, "email": 3}
    assert mapping.unplaced == ("备用邮箱",)


async def test_missing_country_hint_fits(en_rep: Chat) -> None:
    reply = await en_rep.send_file("c.csv", csv_bytes([["客户名称", "联系人"], ["Acme", "Raj"]]))
    assert "e.g. columns: 目的国=Country." in reply


# ---------------------------------------------------------------------------- caption, notes, phones


def test_caption_pairs_separated_by_spaces() -> None:
    assert parse_column_map("列: 出生年=生日 客户档次=等级") == {"出生年": "birthday", "客户档次": "tier"}


def test_caption_unknown_target_lists_fields_in_reader_language() -> None:
    with pytest.raises(ParseError) as raised:
        parse_column_map("列: QQ=聊天", locale="zh_CN")
    assert raised.value.message == COLUMN_MAP_UNKNOWN_FIELD
    accepted = str(raised.value.params["accepted"])
    assert accepted.startswith("客户名称、国家、")
    assert "负责人" not in accepted
    assert "owner" not in accepted


def test_mapped_column_and_real_note_both_kept() -> None:
    result = check(
        [["Acme", "DE", "wx_hans", "询价，20尺柜"]], headers=["客户名称", "国家", "微信号码", "备注"], caption="列: 微信号码=备注"
    )
    assert result.rows[0].customer.note == "询价，20尺柜\n微信号码: wx_hans"


def test_extra_phone_columns_go_to_note() -> None:
    headers = ["客户名称", "国家", "电话", "Mobile", "WhatsApp", "微信"]
    result = check([["Acme", "DE", "+49 30 1234567", "+49 171 1234567", "+49 171 7654321", "wx_hans"]], headers=headers)
    [row] = result.rows
    assert row.customer.contacts[0].phone == "+49301234567"
    assert row.customer.note == "微信: wx_hans\nMobile: +491711234567\nWhatsApp: +491717654321"


def test_first_valid_phone_kept_when_first_column_bad() -> None:
    result = check([["Acme", "DE", "call me", "+49 171 1234567"]], headers=["客户名称", "国家", "电话", "WhatsApp"])
    [row] = result.rows
    assert row.customer.contacts[0].phone == "+491711234567"
    assert row.customer.note == "电话: call me"


# ---------------------------------------------------------------------------- command line


async def test_command_line_finds_display_name_any_case(
    router: Router, settings: Settings, store: Store, tmp_path: Path
) -> None:
    await router.handle(Incoming(platform=PLATFORM, user_id="li", chat_id="li", text="/start en", display_name="Li Wei"))
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes([["客户名称", "国家"], ["Acme", "DE"]]))
    output = io.StringIO()
    status = await run_import(settings, path=path, name="LI WEI", assume_yes=True, locale="en", output=output)
    assert status == 0
    assert "New customers: 1." in output.getvalue()
    assert "[Import" not in output.getvalue()


async def test_command_line_missing_file_in_user_language(settings: Settings, tmp_path: Path) -> None:
    output = io.StringIO()
    path = tmp_path / "nowhere.csv"
    status = await run_import(settings, path=path, name="Li", assume_yes=True, locale="zh_CN", output=output)
    assert status == 1
    assert "No such file" not in output.getvalue()
    assert str(path) in output.getvalue()


# ---------------------------------------------------------------------------- dates and zones


def test_dotted_date_is_day_month_year() -> None:
    result = check([["Acme", "DE", "5.3.1985", "20.11.2026"]], headers=["客户名称", "国家", "生日", "最后联系"])
    [row] = result.rows
    assert row.customer.contacts[0].birthday == (1985, 3, 5)
    assert row.last_contact == date(2026, 11, 20)


def test_date_error_names_column() -> None:
    result = check([["Acme", "DE", "soon"]], headers=["客户名称", "国家", "出生日期"])
    [issue] = result.invalid
    assert (issue.message, issue.params) == (BIRTHDAY_NOT_READ, {"column": ColumnRef("birthday", "出生日期"), "value": "soon"})


def test_last_contact_before_2000_invalid() -> None:
    result = check([["Acme", "DE", "1926-11-20"]], headers=["客户名称", "国家", "最后联系"])
    [issue] = result.invalid
    assert issue.message == LAST_CONTACT_TOO_OLD


async def test_bad_last_contact_hint_names_no_future_date(en_rep: Chat) -> None:
    preview = await en_rep.send_file("c.csv", csv_bytes([["客户名称", "国家", "最后联系"], ["Acme", "DE", "soon"]]))
    assert "last contact (column 最后联系) 'soon' is not a date I can read." in preview
    assert "明天" not in preview
    assert "tomorrow" not in preview


def test_multi_zone_row_needs_city_column() -> None:
    result = check([["Acme", " 俄罗斯 "]], headers=["客户名称", "国家"], locale="zh_CN")
    [issue] = result.invalid
    assert issue.message == ZONE_COLUMN_NEEDED
    assert issue.params["country"] == "俄罗斯"
    assert (issue.params["city"], issue.params["zone"]) == ("城市", "时区")
    assert "莫斯科" in str(issue.params["cities"])


# ---------------------------------------------------------------------------- lengths, labels, text


def test_huge_csv_cell_reads_note_too_long() -> None:
    table = read_sheet("c.csv", csv_bytes([["客户名称", "国家", "备注"], ["Acme", "DE", "x" * 200_000]]))
    result = check_rows(RowChecker(table=table, mapping=map_columns(table.headers), today=TODAY, locale="en"), table.rows)
    [issue] = result.invalid
    assert (issue.message, issue.params["length"]) == (VALUE_TOO_LONG, 200_000)


async def test_english_reply_names_field_with_column(en_rep: Chat) -> None:
    sheet = csv_bytes([["客户名称", "国家", "电话"], ["Acme", "DE", "+49 30 1234567; +49 30 7654321"]])
    preview = await en_rep.send_file("c.csv", sheet)
    assert "Row 2: phone (column 电话) has several values; only the first, +49 30 1234567, was imported." in preview


async def test_warnings_of_duplicate_rows_not_listed(en_rep: Chat) -> None:
    sheet = csv_bytes([["客户名称", "国家", "电话"], ["Acme", "DE", ""], ["Acme", "DE", "+49 30 1234567; +49 30 7654321"]])
    preview = await en_rep.send_file("c.csv", sheet)
    assert "Row 3: same company name as row 2." in preview
    assert "To check:" not in preview


def test_email_error_quotes_whole_cell() -> None:
    result = check([["Acme", "DE", "raj@acme raj@acme.in"]], headers=["客户名称", "国家", "邮箱"])
    [issue] = result.invalid
    assert (issue.message, issue.params["value"]) == (EMAIL_INVALID, "raj@acme raj@acme.in")


def test_invisible_characters_dropped() -> None:
    data = csv_bytes([["客户名称", "国家"], ["Bell\x07Co", "DE"], ["RTL\u202eoc.evil", "DE"], ["ZW\u200bCo", "DE"]])
    table = read_sheet("c.csv", data)
    result = check_rows(RowChecker(table=table, mapping=map_columns(table.headers), today=TODAY, locale="en"), table.rows)
    assert [row.customer.name for row in result.rows] == ["BellCo", "RTLoc.evil", "ZWCo"]


async def test_workbook_named_csv_read_as_workbook(en_rep: Chat) -> None:
    preview = await en_rep.send_file("c.csv", xlsx_bytes([["客户名称", "国家"], ["Acme", "DE"]]))
    assert "c.csv is an Excel workbook with a .csv name; it was read as a workbook." in preview
    assert "New customers: 1." in preview


async def test_sheet_without_customer_columns_named(en_rep: Chat) -> None:
    data = xlsx_book(
        {"客户": [["客户名称", "国家"], ["Acme", "DE"]], "Deals": [["客户名称", "联系人", "产品"], ["Acme", "Hans", "ink"]]}
    )
    preview = await en_rep.send_file("book.xlsx", data)
    assert "book.xlsx: 1 row under the header on row 1." in preview
    assert "Sheets without a company or country column, not read: Deals." in preview
