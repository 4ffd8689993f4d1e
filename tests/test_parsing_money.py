"""Tests for prices and quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.errors import ParseError
from handlers.parsing import Money, Quantity, parse_money, parse_quantity
from handlers.parsing_money import (
    CONTAINER_COUNT_NOT_WHOLE,
    CONTAINER_NOT_RECOGNISED,
    PRICE_NO_AMOUNT,
    PRICE_NO_CURRENCY,
    PRICE_NOT_A_NUMBER,
    PRICE_NOT_POSITIVE,
    PRICE_NOT_RECOGNISED,
    PRICE_TOO_LARGE,
    PRICE_TOO_PRECISE,
    PRICE_TWO_AMOUNTS,
    PRICE_TWO_CURRENCIES,
    PRICE_TWO_INCOTERMS,
    PRICE_UNKNOWN_CURRENCY,
    QUANTITY_NO_NUMBER,
    QUANTITY_NOT_POSITIVE,
    QUANTITY_NOT_RECOGNISED,
    QUANTITY_TOO_LARGE,
    QUANTITY_TOO_PRECISE,
    UNIT_NOT_RECOGNISED,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("USD 2.5 FOB Shanghai", Money("USD", Decimal("2.5"), "FOB", "Shanghai")),
        ("$2.5", Money("USD", Decimal("2.5"))),
        ("US$ 2.50/pc CIF Mumbai", Money("USD", Decimal("2.50"), "CIF", "Mumbai", "pcs")),
        ("2.5美元", Money("USD", Decimal("2.5"))),
        ("2.5 USD", Money("USD", Decimal("2.5"))),
        ("€3", Money("EUR", Decimal("3"))),
        ("EUR3.2 EXW", Money("EUR", Decimal("3.2"), "EXW")),
        ("RMB 18", Money("CNY", Decimal("18"))),
        ("￥18", Money("CNY", Decimal("18"))),
        ("¥18", Money("CNY", Decimal("18"))),
        ("人民币18元", Money("CNY", Decimal("18"))),
        ("18元/套", Money("CNY", Decimal("18"), unit="sets")),
        ("USD 1,250.00 CFR Nhava Sheva", Money("USD", Decimal("1250.00"), "CFR", "Nhava Sheva")),
        ("USD 2.5 C&F Mumbai", Money("USD", Decimal("2.5"), "CFR", "Mumbai")),
        ("USD 2.5 CNF Mumbai", Money("USD", Decimal("2.5"), "CFR", "Mumbai")),
        ("usd 2.5 fob shanghai", Money("USD", Decimal("2.5"), "FOB", "shanghai")),
        ("FOB Ningbo USD 3.3", Money("USD", Decimal("3.3"), "FOB", "Ningbo")),
        ("2.5美元/片 FOB上海", Money("USD", Decimal("2.5"), "FOB", "上海", "pcs")),
        ("USD 3.3 per sqm DAP", Money("USD", Decimal("3.3"), "DAP", None, "sqm")),
        ("USD 3.2/m2 DDP Berlin, Germany", Money("USD", Decimal("3.2"), "DDP", "Berlin, Germany", "sqm")),
        ("HK$ 10", Money("HKD", Decimal("10"))),
        ("JPY 300", Money("JPY", Decimal("300"))),
        ("300日元", Money("JPY", Decimal("300"))),
        ("JP¥300", Money("JPY", Decimal("300"))),
        ("CN¥18", Money("CNY", Decimal("18"))),
        ("ＵＳＤ　２．５", Money("USD", Decimal("2.5"))),
        ("INR 250 CPT Delhi", Money("INR", Decimal("250"), "CPT", "Delhi")),
        ("€3,20", Money("EUR", Decimal("3.20"))),
        ("USD 2,5", Money("USD", Decimal("2.5"))),
        ("2,5 EUR", Money("EUR", Decimal("2.5"))),
        ("EUR 2,45 FOB Hamburg", Money("EUR", Decimal("2.45"), "FOB", "Hamburg")),
        ("USD 1.250,00", Money("USD", Decimal("1250.00"))),
        ("EUR 1.250.000", Money("EUR", Decimal("1250000"))),
        ("USD 2,500", Money("USD", Decimal("2500"))),
        ("5万美元", Money("USD", Decimal("50000"))),
        ("1.5万美元", Money("USD", Decimal("15000"))),
        ("USD 5万", Money("USD", Decimal("50000"))),
        ("8千美元", Money("USD", Decimal("8000"))),
        ("5万元", Money("CNY", Decimal("50000"))),
        ("2亿人民币", Money("CNY", Decimal("200000000"))),
        ("USD 999999999999.9999", Money("USD", Decimal("999999999999.9999"))),
        ("USD 0.0001", Money("USD", Decimal("0.0001"))),
        ("USD 2.50000", Money("USD", Decimal("2.5"))),
    ],
)
def test_parse_money_forms(text: str, expected: Money) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("incoterm", ["EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"])
def test_parse_money_incoterms_2020(incoterm: str) -> None:
    assert parse_money(f"USD 1 {incoterm.lower()} Port").incoterm == incoterm


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("USD", PRICE_NO_AMOUNT),
        ("FOB Shanghai", PRICE_NO_AMOUNT),
        ("", PRICE_NO_AMOUNT),
        ("USD 0", PRICE_NOT_POSITIVE),
        ("USD 0.00 FOB", PRICE_NOT_POSITIVE),
        ("USD -2.5", PRICE_NOT_POSITIVE),
        ("USD 2.5 3.0", PRICE_TWO_AMOUNTS),
        ("USD 2.5-3", PRICE_TWO_AMOUNTS),
        ("2.5 FOB Shanghai", PRICE_NO_CURRENCY),
        ("USD 2.5 EUR", PRICE_TWO_CURRENCIES),
        ("$2.5 RMB", PRICE_TWO_CURRENCIES),
        ("USD 2.5 FOB CIF", PRICE_TWO_INCOTERMS),
        ("XYZ 2.5", PRICE_UNKNOWN_CURRENCY),
        ("USD 1,2,3", PRICE_NOT_RECOGNISED),
        ("USD 2,5,0", PRICE_NOT_RECOGNISED),
        ("USD 1e9", PRICE_NOT_A_NUMBER),
        ("USD 2.5E+3", PRICE_NOT_A_NUMBER),
        ("USD 1000000000000", PRICE_TOO_LARGE),
        ("USD 1,000,000,000,000.00", PRICE_TOO_LARGE),
        ("USD 10000亿", PRICE_TOO_LARGE),
        ("USD " + "9" * 5000, PRICE_TOO_LARGE),
        ("USD 1.23456", PRICE_TOO_PRECISE),
        ("USD 0.00001", PRICE_TOO_PRECISE),
        ("USD 2.5 Shanghai", PRICE_NOT_RECOGNISED),
        ("USD 2.5 pcs", PRICE_NOT_RECOGNISED),
        ("USD 2.5/foo", UNIT_NOT_RECOGNISED),
    ],
)
def test_parse_money_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_money(text)
    assert caught.value.message == message


def test_parse_money_error_names_currency_and_text() -> None:
    with pytest.raises(ParseError) as caught:
        parse_money("XYZ 2.5")
    assert caught.value.params["currency"] == "XYZ"

    with pytest.raises(ParseError) as caught:
        parse_money("USD 2.5 Shanghai")
    assert caught.value.params["extra"] == "Shanghai"


def test_parse_money_exponent_names_number() -> None:
    with pytest.raises(ParseError) as caught:
        parse_money("USD 1e9")
    assert caught.value.params["number"] == "1e9"
    assert "not a number" in str(caught.value)


def test_parse_money_limit_errors_name_limit() -> None:
    with pytest.raises(ParseError) as caught:
        parse_money("USD 1000000000000")
    assert caught.value.params["limit"] == "1,000,000,000,000"

    with pytest.raises(ParseError) as caught:
        parse_money("USD 1.23456")
    assert caught.value.params["places"] == 4
    assert "more than 4 decimal places" in str(caught.value)


def test_parse_money_places_argument_limits_decimals() -> None:
    assert parse_money("USD 1.23", places=2).amount == Decimal("1.23")
    with pytest.raises(ParseError) as caught:
        parse_money("USD 1.234", places=2)
    assert caught.value.message == PRICE_TOO_PRECISE
    assert caught.value.params["places"] == 2


def test_parse_money_no_number_message_shows_form() -> None:
    with pytest.raises(ParseError) as caught:
        parse_money("USD")
    assert "USD 2.5 FOB Shanghai" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1×20GP", Quantity(Decimal(1), "20GP", True)),
        ("1x20GP", Quantity(Decimal(1), "20GP", True)),
        ("1 x 40HQ", Quantity(Decimal(1), "40HQ", True)),
        ("2*40HQ", Quantity(Decimal(2), "40HQ", True)),
        ("3X40hq", Quantity(Decimal(3), "40HQ", True)),
        ("1个20GP", Quantity(Decimal(1), "20GP", True)),
        ("1个20尺柜", Quantity(Decimal(1), "20GP", True)),
        ("1个40尺高柜", Quantity(Decimal(1), "40HQ", True)),
        ("两个40HQ", Quantity(Decimal(2), "40HQ", True)),
        ("2 x 40HC", Quantity(Decimal(2), "40HQ", True)),
        ("1x20ft", Quantity(Decimal(1), "20GP", True)),
        ("1x20'", Quantity(Decimal(1), "20GP", True)),
        ("2x40'HQ", Quantity(Decimal(2), "40HQ", True)),
        ("40ft", Quantity(Decimal(1), "40GP", True)),
        ("1x45HQ", Quantity(Decimal(1), "45HQ", True)),
        ("1x20RF", Quantity(Decimal(1), "20RF", True)),
        ("1x40RF", Quantity(Decimal(1), "40RF", True)),
        ("5000 pcs", Quantity(Decimal(5000), "pcs")),
        ("5000片", Quantity(Decimal(5000), "pcs")),
        ("5,000 pieces", Quantity(Decimal(5000), "pcs")),
        ("10000 sqm", Quantity(Decimal(10000), "sqm")),
        ("10000平方米", Quantity(Decimal(10000), "sqm")),
        ("100㎡", Quantity(Decimal(100), "sqm")),
        ("3 tons", Quantity(Decimal(3), "t")),
        ("3吨", Quantity(Decimal(3), "t")),
        ("2.5 MT", Quantity(Decimal("2.5"), "t")),
        ("200 sets", Quantity(Decimal(200), "sets")),
        ("500kg", Quantity(Decimal(500), "kg")),
        ("300 meters", Quantity(Decimal(300), "m")),
        ("50 ctns", Quantity(Decimal(50), "cartons")),
        ("4 pallets", Quantity(Decimal(4), "pallets")),
        ("20卷", Quantity(Decimal(20), "rolls")),
        ("1万片", Quantity(Decimal(10000), "pcs")),
        ("1.5万片", Quantity(Decimal(15000), "pcs")),
        ("5千克", Quantity(Decimal(5), "kg")),
        ("5千 kg", Quantity(Decimal(5000), "kg")),
        ("999999999999 pcs", Quantity(Decimal(999999999999), "pcs")),
        ("2.125 t", Quantity(Decimal("2.125"), "t")),
        ("5000", Quantity(Decimal(5000), "pcs")),
        ("40", Quantity(Decimal(40), "pcs")),
        ("５０００ＰＣＳ", Quantity(Decimal(5000), "pcs")),
    ],
)
def test_parse_quantity_forms(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pcs", QUANTITY_NO_NUMBER),
        ("", QUANTITY_NO_NUMBER),
        ("0", QUANTITY_NOT_POSITIVE),
        ("0 pcs", QUANTITY_NOT_POSITIVE),
        ("-5 pcs", QUANTITY_NOT_POSITIVE),
        ("0x20GP", QUANTITY_NOT_POSITIVE),
        ("1.5x20GP", CONTAINER_COUNT_NOT_WHOLE),
        ("1x20HQ", CONTAINER_NOT_RECOGNISED),
        ("1x45GP", CONTAINER_NOT_RECOGNISED),
        ("5 bananas", UNIT_NOT_RECOGNISED),
        ("2,5 t", QUANTITY_NOT_RECOGNISED),
        ("pcs 5000", QUANTITY_NOT_RECOGNISED),
        ("1000000000000 pcs", QUANTITY_TOO_LARGE),
        ("1亿亿", UNIT_NOT_RECOGNISED),
        ("10000亿片", QUANTITY_TOO_LARGE),
        ("99999999999999x20GP", QUANTITY_TOO_LARGE),
        ("2.1234 t", QUANTITY_TOO_PRECISE),
    ],
)
def test_parse_quantity_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_quantity(text)
    assert caught.value.message == message


def test_parse_quantity_unit_error_names_unit() -> None:
    with pytest.raises(ParseError) as caught:
        parse_quantity("5 bananas")
    assert caught.value.params["unit"] == "bananas"


def test_parse_quantity_limit_errors_name_limit() -> None:
    with pytest.raises(ParseError) as caught:
        parse_quantity("1000000000000 pcs")
    assert caught.value.params["limit"] == "1,000,000,000,000"

    with pytest.raises(ParseError) as caught:
        parse_quantity("2.1234 t")
    assert caught.value.params["places"] == 3
