"""Tests for handlers.parsing: text normalisation and the public API."""

from __future__ import annotations

import pytest

import handlers.parsing as parsing
from handlers.parsing import normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＣＭＥ　Ｌｔｄ", "ACME Ltd"),
        ("国家：印度，等级：Ａ；", "国家:印度,等级:A;"),
        ("数量：１２", "数量:12"),
        ("  Sharma    Print\tHouse  ", "Sharma Print House"),
        ("line one  \n   line two", "line one\nline two"),
        ("a\r\nb", "a\nb"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("non\u00a0breaking", "non breaking"),
        ("", ""),
    ],
)
def test_normalize_text_forms(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_keeps_emoji_sequences() -> None:
    family = "👨\u200d👩\u200d👧 *Bold* _x_ [a](b) <i>&amp;</i>"
    assert normalize_text(family) == family


def test_public_api_names_resolve() -> None:
    for name in parsing.__all__:
        assert getattr(parsing, name) is not None, name
