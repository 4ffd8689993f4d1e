"""Tests for email addresses and phone numbers."""

from __future__ import annotations

import pytest

from bot.errors import ParseError
from handlers.parsing import parse_email, parse_phone
from handlers.parsing_contacts import EMAIL_INVALID, PHONE_INVALID, PHONE_NO_COUNTRY_CODE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("John.Doe@ACME.COM", "John.Doe@acme.com"),
        ("  buyer@sharma-print.co.in ", "buyer@sharma-print.co.in"),
        ("mailto:a@b.co", "a@b.co"),
        ("<purchase+ctp@acme.com>", "purchase+ctp@acme.com"),
        ("ｓａｌｅｓ＠ａｃｍｅ．ｃｏｍ", "sales@acme.com"),
        ("x@中文.中国", "x@中文.中国"),
    ],
)
def test_parse_email_forms(text: str, expected: str) -> None:
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    "text",
    ["a@b", "a b@c.com", "a@@b.com", "@acme.com", "john@", "a@b.c", "john.@acme.com", "a@-acme.com", ""],
)
def test_parse_email_invalid(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_email(text)
    assert caught.value.message == EMAIL_INVALID
    assert caught.value.params["value"] == text.strip()


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("+91 98765 43210", None, "+919876543210"),
        ("+91-98765-43210", "US", "+919876543210"),
        ("0091 98765 43210", None, "+919876543210"),
        ("98765 43210", "IN", "+919876543210"),
        ("098765 43210", "in", "+919876543210"),
        ("13812345678", "CN", "+8613812345678"),
        ("tel:+1 415 555 2671", None, "+14155552671"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("＋９１ ９８７６５ ４３２１０", None, "+919876543210"),
    ],
)
def test_parse_phone_forms(text: str, country: str | None, expected: str) -> None:
    assert parse_phone(text, country=country) == expected


@pytest.mark.parametrize(
    ("text", "country", "message"),
    [
        ("98765 43210", None, PHONE_NO_COUNTRY_CODE),
        ("+91 12345", None, PHONE_INVALID),
        ("12345", "IN", PHONE_INVALID),
        ("call me", "IN", PHONE_INVALID),
        ("", "IN", PHONE_INVALID),
    ],
)
def test_parse_phone_errors(text: str, country: str | None, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_phone(text, country=country)
    assert caught.value.message == message
