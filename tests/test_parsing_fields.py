"""Tests for the `NAME key: value` field grammar."""

from __future__ import annotations

import pytest

from bot.errors import ParseError
from handlers.field_aliases import FIELD_ALIASES
from handlers.parsing import ParsedFields, parse_fields
from handlers.parsing_fields import FIELD_EMPTY, FIELD_JOINED, FIELD_NOT_ALLOWED, FIELD_NOT_RECOGNISED, FIELD_TWICE
from handlers.parsing_text import fold_key

CUSTOMER_FIELDS = frozenset({"name", "country", "tier", "note", "source", "tags", "zone", "city"})
DEAL_FIELDS = frozenset({"product", "spec", "qty", "price", "stage", "probability", "close", "note"})



@pytest.mark.parametrize(
    ("text", "allowed", "expected"),
    [
        (
            "Sharma Print House 名称: ACME Ltd 国家: 印度 等级: A 备注: call at 10:30, see http://x.com",
            CUSTOMER_FIELDS,
            ParsedFields(
                leading="Sharma Print House",
                fields={
                    "name": "ACME Ltd",
                    "country": "印度",
                    "tier": "A",
                    "note": "call at 10:30, see http://x.com",
                },
            ),
        ),
        (
            "名称：ACME，国家：印度；等级：Ａ",
            CUSTOMER_FIELDS,
            ParsedFields(leading="", fields={"name": "ACME", "country": "印度", "tier": "A"}),
        ),
        (
            "NAME: Acme\nCountry : India\nTIER:b",
            CUSTOMER_FIELDS,
            ParsedFields(leading="", fields={"name": "Acme", "country": "India", "tier": "b"}),
        ),
        (
            "Acme; country: IN; tier: C",
            CUSTOMER_FIELDS,
            ParsedFields(leading="Acme", fields={"country": "IN", "tier": "C"}),
        ),
        (
            "Acme Unit  Price: USD 2.5 FOB Shanghai 数量: 1×20GP expected close: 3月5日",
            DEAL_FIELDS,
            ParsedFields(
                leading="Acme",
                fields={"price": "USD 2.5 FOB Shanghai", "qty": "1×20GP", "close": "3月5日"},
            ),
        ),
        (
            "Acme 规格: 0.27mm, 1030×800; 成功率: 60%",
            DEAL_FIELDS,
            ParsedFields(leading="Acme", fields={"spec": "0.27mm, 1030×800", "probability": "60%"}),
        ),
        ("Just a name", CUSTOMER_FIELDS, ParsedFields(leading="Just a name", fields={})),
        ("", CUSTOMER_FIELDS, ParsedFields(leading="", fields={})),
        (
            "Acme tags: print, CTP tz: Asia/Kolkata 城市: Mumbai 来源: Alibaba",
            CUSTOMER_FIELDS,
            ParsedFields(
                leading="Acme",
                fields={"tags": "print, CTP", "zone": "Asia/Kolkata", "city": "Mumbai", "source": "Alibaba"},
            ),
        ),
    ],
)
def test_parse_fields_forms(text: str, allowed: frozenset[str], expected: ParsedFields) -> None:
    assert parse_fields(text, allowed=allowed) == expected


def test_parse_fields_note_keeps_unlisted_keys() -> None:
    parsed = parse_fields("Acme 备注: 价格: 太高, email: later 国家: 印度", allowed=CUSTOMER_FIELDS)
    assert parsed.fields["note"] == "价格: 太高, email: later"
    assert parsed.fields["country"] == "印度"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Acme 备注: Tel: +91 1234", "Tel: +91 1234"),
        ("Acme 备注：电话：+91 1234", "电话:+91 1234"),
        ("名称: Acme 备注: 询盘内容 Name: Raj", "询盘内容 Name: Raj"),
        ("名称: Acme 国家: 印度 备注: 询盘 country: India", "询盘 country: India"),
        ("Acme 备注: hi 备注: there", "hi 备注: there"),
        ("Acme 备注: Country: India", "Country: India"),
    ],
)
def test_parse_fields_note_keeps_pasted_keys(text: str, note: str) -> None:
    allowed = CUSTOMER_FIELDS | {"phone"}
    assert parse_fields(text, allowed=allowed).fields["note"] == note


def test_parse_fields_pasted_key_sets_no_field() -> None:
    parsed = parse_fields("Acme 备注: Tel: +91 1234", allowed=CUSTOMER_FIELDS | {"phone"})
    assert "phone" not in parsed.fields
    assert parsed.leading == "Acme"


def test_parse_fields_note_ended_by_new_field() -> None:
    parsed = parse_fields("Acme 备注: Tel: +91 1234 国家: 印度", allowed=CUSTOMER_FIELDS | {"phone"})
    assert parsed.fields == {"note": "Tel: +91 1234", "country": "印度"}

    parsed = parse_fields("Acme 备注: hi 国家: 印度", allowed=CUSTOMER_FIELDS)
    assert parsed.fields == {"note": "hi", "country": "印度"}

    parsed = parse_fields("Acme 备注: 询盘 Tel: +91 98765 43210", allowed=CUSTOMER_FIELDS | {"phone"})
    assert parsed.fields == {"note": "询盘", "phone": "+91 98765 43210"}


def test_parse_fields_leading_field_counts_as_given() -> None:
    text = "Acme 备注: 询盘内容 Name: Raj"
    parsed = parse_fields(text, allowed=CUSTOMER_FIELDS, leading_field="name")
    assert parsed == ParsedFields(leading="Acme", fields={"note": "询盘内容 Name: Raj"})

    without_leading = parse_fields("备注: 询盘内容 Name: Raj", allowed=CUSTOMER_FIELDS, leading_field="name")
    assert without_leading.fields == {"note": "询盘内容", "name": "Raj"}


def test_parse_fields_note_allows_loose_keys() -> None:
    parsed = parse_fields("Acme note: Re: your offer; Attn: Mr. Shah", allowed=CUSTOMER_FIELDS)
    assert parsed.fields == {"note": "Re: your offer; Attn: Mr. Shah"}


def test_parse_fields_custom_free_text_field() -> None:
    parsed = parse_fields(
        "Acme 规格: 厚度: 0.27mm 备注: x",
        allowed=DEAL_FIELDS,
        free_text_fields=frozenset({"spec", "note"}),
    )
    assert parsed.fields["spec"] == "厚度: 0.27mm"


def test_parse_fields_markup_and_emoji_intact() -> None:
    name = "*Sharma* _Print_ [House] <b>&amp; 🖨️ 👨\u200d👩\u200d👧"
    parsed = parse_fields(f"名称: {name} 国家: IN", allowed=CUSTOMER_FIELDS)
    assert parsed.fields["name"] == name
    leading = parse_fields(f"{name} 国家: IN", allowed=CUSTOMER_FIELDS).leading
    assert leading == name


def test_parse_fields_long_value_intact() -> None:
    long_value = ("lorem ipsum, 价格 10:30 " * 250)[:5000].strip()
    parsed = parse_fields(f"Acme 备注: {long_value}", allowed=CUSTOMER_FIELDS)
    assert parsed.fields["note"] == long_value
    assert len(parsed.fields["note"]) >= 4990

    long_name = "A" * 5000
    assert parse_fields(f"名称: {long_name}", allowed=CUSTOMER_FIELDS).fields["name"] == long_name


@pytest.mark.parametrize(
    ("text", "message", "params"),
    [
        ("Acme email: x@y.com", FIELD_NOT_ALLOWED, {"key": "email", "field": "email"}),
        ("Acme 价格: USD 2", FIELD_NOT_ALLOWED, {"key": "价格", "field": "price"}),
        ("Acme 地址: 上海", FIELD_NOT_RECOGNISED, {"key": "地址"}),
        ("Acme 地址:上海", FIELD_NOT_RECOGNISED, {"key": "地址"}),
        ("Acme address: Mumbai", FIELD_NOT_RECOGNISED, {"key": "address"}),
        ("Acme 国家: 印度 website: x", FIELD_NOT_RECOGNISED, {"key": "website"}),
        ("国家:印度等级:A", FIELD_JOINED, {"key": "等级"}),
        ("Acme (国家:印度)", FIELD_JOINED, {"key": "国家"}),
        ("名称: a name: b", FIELD_TWICE, {"key": "name", "field": "name"}),
        ("国家: 印度 地区: IN", FIELD_TWICE, {"key": "地区", "field": "country"}),
        ("名称: 国家: 印度", FIELD_EMPTY, {"key": "名称", "field": "name"}),
        ("Acme 国家: ;", FIELD_EMPTY, {"key": "国家", "field": "country"}),
        ("Acme 备注:", FIELD_EMPTY, {"key": "备注", "field": "note"}),
    ],
)
def test_parse_fields_errors(text: str, message: str, params: dict[str, str]) -> None:
    with pytest.raises(ParseError) as caught:
        parse_fields(text, allowed=CUSTOMER_FIELDS)
    assert caught.value.message == message
    for name, value in params.items():
        assert caught.value.params[name] == value


def test_parse_fields_error_lists_both_languages() -> None:
    with pytest.raises(ParseError) as caught:
        parse_fields("Acme foo: bar", allowed=frozenset({"name", "country"}))
    assert caught.value.params["accepted"] == "名称/name, 国家/country"


def test_parse_fields_url_schemes_not_keys() -> None:
    parsed = parse_fields("名称: Acme http: //odd mailto: a@b.com", allowed=CUSTOMER_FIELDS)
    assert parsed.fields["name"] == "Acme http: //odd mailto: a@b.com"


def test_parse_fields_times_not_keys() -> None:
    assert parse_fields("名称: Acme 10:30 ltd", allowed=CUSTOMER_FIELDS).fields["name"] == "Acme 10:30 ltd"


def test_parse_fields_unknown_allowed_field_is_programming_error() -> None:
    with pytest.raises(ValueError, match="nickname"):
        parse_fields("x", allowed=frozenset({"nickname"}))
    with pytest.raises(ValueError, match="nickname"):
        parse_fields("x", allowed=CUSTOMER_FIELDS, leading_field="nickname")


def test_field_aliases_unique_across_fields() -> None:
    seen: dict[str, str] = {}
    for field, aliases in FIELD_ALIASES.items():
        assert field in aliases, field
        for alias in aliases:
            key = fold_key(alias)
            assert key not in seen, f"{alias} is used by {seen.get(key)} and {field}"
            seen[key] = field
