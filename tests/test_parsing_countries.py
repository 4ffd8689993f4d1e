"""Tests for country names and codes."""

from __future__ import annotations

import pytest

from bot.errors import ParseError
from handlers.parsing import country_name, resolve_country
from handlers.parsing_countries import (
    COUNTRY_NOT_RECOGNISED,
    COUNTRY_NOT_RECOGNISED_SUGGESTION,
    COUNTRY_NOT_RECOGNISED_TWO_SUGGESTIONS,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("印度", "IN"),
        ("India", "IN"),
        ("IN", "IN"),
        ("in", "IN"),
        ("ind", "IN"),
        ("IND", "IN"),
        ("ＩＮ", "IN"),
        (" india ", "IN"),
        ("INDIA", "IN"),
        ("美国", "US"),
        ("美國", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("America", "US"),
        ("United States of America", "US"),
        ("US", "US"),
        ("英国", "GB"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("GB", "GB"),
        ("阿联酋", "AE"),
        ("UAE", "AE"),
        ("迪拜", "AE"),
        ("Dubai", "AE"),
        ("United Arab Emirates", "AE"),
        ("韩国", "KR"),
        ("南韓", "KR"),
        ("Korea", "KR"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("俄罗斯", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("土耳其", "TR"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
        ("越南", "VN"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("香港", "HK"),
        ("HK", "HK"),
        ("Hong Kong", "HK"),
        ("台湾", "TW"),
        ("臺灣", "TW"),
        ("TW", "TW"),
        ("沙特", "SA"),
        ("沙特阿拉伯", "SA"),
        ("印尼", "ID"),
        ("the Netherlands", "NL"),
        ("Bosnia and Herzegovina", "BA"),
        ("Bosnia & Herzegovina", "BA"),
        ("Guinea Bissau", "GW"),
    ],
)
def test_resolve_country_forms(text: str, expected: str) -> None:
    assert resolve_country(text) == expected


def test_resolve_country_iso_code_wins_over_names() -> None:
    # "ID" is Indonesia's code even though "id" could read as a word.
    assert resolve_country("ID") == "ID"
    assert resolve_country("CH") == "CH"


@pytest.mark.parametrize(
    ("text", "suggested_code", "suggestion"),
    [
        ("Indai", "IN", "印度 / India (IN)"),
        ("Inida", "IN", "印度 / India (IN)"),
        ("Germny", "DE", "德国 / Germany (DE)"),
        ("Germnay", "DE", "德国 / Germany (DE)"),
        ("Brasil", "BR", "巴西 / Brazil (BR)"),
        ("Egpyt", "EG", "埃及 / Egypt (EG)"),
        ("德过", "DE", "德国 / Germany (DE)"),
        ("美过", "US", "美国 / United States (US)"),
        ("马来西牙", "MY", "马来西亚 / Malaysia (MY)"),
    ],
)
def test_resolve_country_suggests_close_match(text: str, suggested_code: str, suggestion: str) -> None:
    with pytest.raises(ParseError) as caught:
        resolve_country(text)
    assert caught.value.message == COUNTRY_NOT_RECOGNISED_SUGGESTION
    assert caught.value.params["code"] == suggested_code
    assert caught.value.params["suggestion"] == suggestion
    assert caught.value.params["value"] == text


def test_resolve_country_suggestion_reads_in_both_languages() -> None:
    with pytest.raises(ParseError) as caught:
        resolve_country("Indai")
    assert "Did you mean 印度 / India (IN)?" in str(caught.value)


@pytest.mark.parametrize("text", ["印读", "印杜"])
def test_resolve_country_equally_close_names_both_suggested(text: str) -> None:
    # One wrong character of 印度 (India) is also one wrong character of 印尼 (Indonesia).
    with pytest.raises(ParseError) as caught:
        resolve_country(text)
    assert caught.value.message == COUNTRY_NOT_RECOGNISED_TWO_SUGGESTIONS
    assert {caught.value.params["code"], caught.value.params["other_code"]} == {"IN", "ID"}
    assert "印度 / India (IN)" in str(caught.value)
    assert "印度尼西亚 / Indonesia (ID)" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["Xyzzy", "Narnia", "Atlantis", "Iram", "大国", "印", "", "ZZ", "QQQ", "Atlantis Republic 123"],
)
def test_resolve_country_unknown_without_suggestion(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        resolve_country(text)
    assert caught.value.message == COUNTRY_NOT_RECOGNISED
    assert "印度 / India / IN" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "locale", "expected"),
    [
        ("IN", "zh_CN", "印度"),
        ("IN", "en", "India"),
        ("in", "zh-CN", "印度"),
        ("US", "zh_CN", "美国"),
        ("DE", "en", "Germany"),
    ],
)
def test_country_name_locales(code: str, locale: str, expected: str) -> None:
    assert country_name(code, locale) == expected


def test_country_name_unknown_code() -> None:
    with pytest.raises(ValueError, match="QQ"):
        country_name("QQ", "en")
