"""Checking sheet rows: column mapping, clean-up, countries, zones, dates and invalid rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.errors import ParseError
from bot.services.customers import ContactDraft
from bot.services.import_rows import ColumnRef
from handlers.parsing_countries import COUNTRY_NOT_RECOGNISED
from handlers.parsing_contacts import EMAIL_INVALID, PHONE_INVALID
from handlers.parsing_choices import TIER_NOT_RECOGNISED
from handlers.sheet_mapping import COLUMN_MAP_INVALID, COLUMN_MAP_UNKNOWN_FIELD, map_columns, parse_column_map
from handlers.sheet_reader import read_sheet
from handlers.sheet_rows import (
    BIRTHDAY_KEPT_IN_FUTURE,
    EXTRA_VALUES_DROPPED,
    LAST_CONTACT_IN_FUTURE,
    NO_COMPANY,
    NO_COUNTRY,
    VALUE_TOO_LONG,
    ZONE_NEEDED,
    CheckedRows,
    RowChecker,
    check_rows,
)
from tests.sheets import HEADERS_ZH, csv_bytes, xlsx_bytes

# Monday 7 Dec 2026 in the rep's zone.
TODAY = date(2026, 12, 7)


def check(rows: list[list[object]], *, headers: list[str] = HEADERS_ZH, caption: str = "") -> CheckedRows:
    table = read_sheet("t.xlsx", xlsx_bytes([headers, *rows]))
    mapping = map_columns(table.headers, overrides=parse_column_map(caption))
    return check_rows(RowChecker(table=table, mapping=mapping, today=TODAY, locale="en"), table.rows)


def one(**cells: object) -> CheckedRows:
    """Check one row given by field: company, country, city, contact, email, phone, birthday, tier, source, last, note."""
    order = ["company", "country", "city", "contact", "email", "phone", "birthday", "tier", "source", "last", "note"]
    return check([[cells.get(name) for name in order]])


# ---------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("客户名称", "company"),
        ("客户名称*", "company"),
        ("Company Name", "company"),
        ("COMPANY", "company"),
        ("国家/地区", "country"),
        ("Country / Region", "country"),
        ("电话/WhatsApp", "phone"),
        ("手机 / 电话", "phone"),
        ("邮箱（Email）", "email"),
        ("E-mail", "email"),
        ("Ｅｍａｉｌ", "email"),
        ("最近跟进", "last_contact"),
        ("Last Follow-up", "last_contact"),
        ("客户等级", "tier"),
        ("城市", "city"),
        ("Date of Birth", "birthday"),
    ],
)
def test_header_maps_to_field(header: str, field: str) -> None:
    assert map_columns([header]).columns == {field: 0}


def test_mapping_lists_what_is_left_out() -> None:
    mapping = map_columns(["序号", "客户名称", "国家", "电话", "手机", "旺旺", "业务员", ""])
    assert mapping.columns == {"company": 1, "country": 2, "phone": 3}
    assert mapping.row_numbers == ("序号",)
    # A second phone column fills the note instead of being dropped.
    assert mapping.extra == {"phone": (4,)}
    assert mapping.repeated == ()
    assert mapping.unplaced == ("旺旺",)
    assert mapping.not_imported == (("业务员", "owner"),)
    assert mapping.needs_question


def test_caption_maps_unknown_column() -> None:
    overrides = parse_column_map("列: 旺旺=备注, QQ=skip；Land=country")
    assert overrides == {"旺旺": "note", "qq": "skip", "land": "country"}
    mapping = map_columns(["客户名称", "Land", "旺旺", "QQ"], overrides=overrides)
    assert mapping.columns == {"company": 0, "country": 1, "note": 2}
    assert mapping.skipped == ("QQ",)
    assert not mapping.needs_question


def test_caption_without_column_key_maps_nothing() -> None:
    assert parse_column_map("这是我的客户表") == {}


@pytest.mark.parametrize(("caption", "message"), [("列: 旺旺", COLUMN_MAP_INVALID), ("列: 旺旺=价格", COLUMN_MAP_UNKNOWN_FIELD)])
def test_caption_errors(caption: str, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_column_map(caption)
    assert raised.value.message == message


def test_caption_value_lands_in_mapped_field() -> None:
    result = check([["Acme", "IN", "aliwangwang_acme"]], headers=["客户名称", "国家", "旺旺"], caption="列: 旺旺=备注")
    assert result.rows[0].customer.note == "aliwangwang_acme"


# ---------------------------------------------------------------------------- clean-up


def test_full_width_and_stray_spaces_cleaned() -> None:
    result = one(
        company="  ＡＢＣ　Ｇｒａｐｈｉｃｓ  Ltd ",
        country=" 英国 ",
        contact="Tom   Baker",
        email=" Tom@ABCGraphics.CO.UK ",
        phone="＋４４ ２０ ７９４６ ００００",
        tier="Ａ",
    )
    [row] = result.rows
    assert row.customer.name == "ABC Graphics Ltd"
    assert row.customer.country == "GB"
    assert row.customer.tier == "A"
    assert row.customer.contacts == (
        ContactDraft(name="Tom Baker", email="tom@abcgraphics.co.uk", phone="+442079460000"),
    )


def test_phone_stored_as_number_cell() -> None:
    [row] = one(company="Acme", country="IN", phone=919820011223).rows
    assert row.customer.contacts[0].phone == "+919820011223"


def test_several_emails_keep_first_with_warning() -> None:
    result = one(company="Acme", country="IN", email="raj@acme.in; sales@acme.in")
    assert result.rows[0].customer.contacts[0].email == "raj@acme.in"
    [warning] = result.warnings
    assert (warning.row, warning.message, warning.params["value"]) == (2, EXTRA_VALUES_DROPPED, "raj@acme.in")


def test_defaults_without_optional_columns() -> None:
    [row] = check([["Acme", "IN"]], headers=["客户名称", "国家"]).rows
    assert row.customer.tier == "B"
    assert row.customer.source == "other"
    assert row.customer.contacts == ()
    assert row.last_contact is None


def test_source_note_and_tags() -> None:
    result = check(
        [["Acme", "IN", "阿里巴巴 RFQ", "line one\nline two", "CTCP, 老客户、样品"]],
        headers=["客户名称", "国家", "来源", "备注", "标签"],
    )
    customer = result.rows[0].customer
    assert (customer.source, customer.source_detail) == ("b2b", "阿里巴巴 RFQ")
    assert customer.note == "line one\nline two"
    assert customer.tags == ("CTCP", "老客户", "样品")


# ---------------------------------------------------------------------------- countries and zones


@pytest.mark.parametrize(
    ("written", "code", "zone"),
    [
        ("印度", "IN", "Asia/Kolkata"),
        ("India", "IN", "Asia/Kolkata"),
        ("in", "IN", "Asia/Kolkata"),
        ("IND", "IN", "Asia/Kolkata"),
        ("阿联酋", "AE", "Asia/Dubai"),
        ("United Kingdom", "GB", "Europe/London"),
        ("沙特阿拉伯", "SA", "Asia/Riyadh"),
        ("马来西亚", "MY", "Asia/Kuala_Lumpur"),
    ],
)
def test_country_written_any_way(written: str, code: str, zone: str) -> None:
    [row] = one(company="Acme", country=written).rows
    assert (row.customer.country, row.customer.zone) == (code, zone)


@pytest.mark.parametrize(
    ("country", "city", "phone", "zone"),
    [
        ("US", "Los Angeles", None, "America/Los_Angeles"),
        ("美国", "芝加哥", None, "America/Chicago"),
        ("澳大利亚", "Melbourne", None, "Australia/Melbourne"),
        ("巴西", "Sao Paulo", None, "America/Sao_Paulo"),
        # No city: the phone's area code names the zone.
        ("US", None, "+1 (213) 555-0147", "America/Los_Angeles"),
        # A city without a zone of its own lies in the country's only zone.
        ("印度", "Mumbai", None, "Asia/Kolkata"),
    ],
)
def test_zone_from_city_or_phone(country: str, city: str | None, phone: str | None, zone: str) -> None:
    [row] = one(company="Acme", country=country, city=city, phone=phone).rows
    assert row.customer.zone == zone


def test_zone_column_wins() -> None:
    result = check([["Acme", "US", "Denver", "America/New_York"]], headers=["客户名称", "国家", "城市", "时区"])
    assert result.rows[0].customer.zone == "America/New_York"


def test_multi_zone_country_without_city_is_invalid() -> None:
    result = one(company="Acme", country="Canada", phone="+1 800 555 0100")
    assert result.rows == ()
    [issue] = result.invalid
    assert issue.message == ZONE_NEEDED
    assert issue.params == {
        "country": "Canada",
        "column": ColumnRef("city", "城市"),
        "cities": "Toronto, St. John’s, Halifax",
    }


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2026, 11, 20), date(2026, 11, 20)),
        (45981, date(2025, 11, 20)),
        ("45981", date(2025, 11, 20)),
        ("2026/11/20", date(2026, 11, 20)),
        ("2026年10月15日", date(2026, 10, 15)),
        ("05-Nov-2026", date(2026, 11, 5)),
        ("2026-11-30 14:30", date(2026, 11, 30)),
        ("２０２６／１１／２０", date(2026, 11, 20)),
        # Without a year, the last such day up to today.
        ("11月20日", date(2026, 11, 20)),
        ("12月20日", date(2025, 12, 20)),
    ],
)
def test_last_contact_forms(cell: object, expected: date) -> None:
    [row] = one(company="Acme", country="IN", last=cell).rows
    assert row.last_contact == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(1985, 3, 5), (1985, 3, 5)),
        (32937, (1990, 3, 5)),
        ("1992/7/8", (1992, 7, 8)),
        ("1988-02-29", (1988, 2, 29)),
        ("05-Mar-1985", (1985, 3, 5)),
        ("3月12日", (None, 3, 12)),
        ("2月29日", (None, 2, 29)),
        ("12 Mar", (None, 3, 12)),
        # Export writes a birthday without a year in ISO 8601's yearless form.
        ("--03-12", (None, 3, 12)),
        ("--02-29", (None, 2, 29)),
    ],
)
def test_birthday_forms(cell: object, expected: tuple[int | None, int, int]) -> None:
    [row] = one(company="Acme", country="IN", birthday=cell).rows
    assert row.customer.contacts[0].birthday == expected


@pytest.mark.parametrize("cell", ["2027年3月5日", datetime(2027, 3, 5)])
def test_future_birthday_kept_and_flagged(cell: object) -> None:
    result = one(company="Melbourne Print Co", country="AU", city="Melbourne", birthday=cell)
    assert result.rows[0].customer.contacts[0].birthday == (2027, 3, 5)
    [warning] = result.warnings
    assert (warning.row, warning.message, warning.params) == (2, BIRTHDAY_KEPT_IN_FUTURE, {"date": "2027-03-05"})


def test_future_last_contact_is_invalid() -> None:
    [issue] = one(company="Acme", country="IN", last="2027/1/5").invalid
    assert (issue.message, issue.params) == (LAST_CONTACT_IN_FUTURE, {"date": "2027-01-05"})


# ---------------------------------------------------------------------------- invalid rows


@pytest.mark.parametrize(
    ("cells", "message", "params"),
    [
        ({"country": "IN", "contact": "Vikram"}, NO_COMPANY, {}),
        ({"company": " - ", "country": "IN"}, NO_COMPANY, {}),
        ({"company": "Acme"}, NO_COUNTRY, {"name": "Acme"}),
        ({"company": "Red Planet", "country": "火星"}, COUNTRY_NOT_RECOGNISED, {"value": "火星"}),
        ({"company": "Acme", "country": "IN", "email": "raj at acme"}, EMAIL_INVALID, {"value": "raj at acme"}),
        ({"company": "Acme", "country": "IN", "phone": "+91 123"}, PHONE_INVALID, {"value": "+91 123"}),
        ({"company": "Acme", "country": "IN", "tier": "VIP"}, TIER_NOT_RECOGNISED, {"value": "VIP"}),
        ({"company": "x" * 201, "country": "IN"}, VALUE_TOO_LONG, {"column": ColumnRef("company", "客户名称"), "length": 201, "limit": 200}),
    ],
)
def test_invalid_row_reason(cells: dict[str, object], message: str, params: dict[str, object]) -> None:
    result = one(**cells)
    assert result.rows == ()
    [issue] = result.invalid
    assert issue.row == 2
    assert issue.message == message
    assert issue.params == params


def test_invalid_rows_keep_sheet_numbers_between_blocks() -> None:
    data = csv_bytes(
        [["客户名称", "国家"], ["Acme", "IN"], [], ["", "IN"], [], ["Beta", "Narnia"], ["Gamma", "DE"]], encoding="gbk"
    )
    table = read_sheet("t.csv", data)
    result = check_rows(RowChecker(table=table, mapping=map_columns(table.headers), today=TODAY, locale="en"), table.rows)
    assert [row.row for row in result.rows] == [2, 7]
    assert [(issue.row, issue.message) for issue in result.invalid] == [(4, NO_COMPANY), (6, COUNTRY_NOT_RECOGNISED)]
