"""Tests for tier, stage, source, interaction kind and probability."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.errors import ParseError
from handlers.parsing import parse_interaction, parse_probability, parse_source, parse_stage, parse_tier
from handlers.parsing_choices import (
    INTERACTION_EMPTY,
    PROBABILITY_NOT_RECOGNISED,
    PROBABILITY_OUT_OF_RANGE,
    SOURCE_EMPTY,
    STAGE_NOT_RECOGNISED,
    TIER_NOT_RECOGNISED,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A", "A"),
        ("a", "A"),
        ("Ａ", "A"),
        ("A级", "A"),
        ("Ａ级", "A"),
        ("hot", "A"),
        ("HOT", "A"),
        ("热", "A"),
        ("b", "B"),
        ("B类", "B"),
        ("warm", "B"),
        ("温", "B"),
        ("C", "C"),
        ("cold", "C"),
        ("冷", "C"),
    ],
)
def test_parse_tier_forms(text: str, expected: str) -> None:
    assert parse_tier(text) == expected


@pytest.mark.parametrize("text", ["D", "AB", "", "1", "very hot"])
def test_parse_tier_errors(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_tier(text)
    assert caught.value.message == TIER_NOT_RECOGNISED
    assert caught.value.params["value"] == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("询盘", "inquiry"),
        ("询价", "inquiry"),
        ("Inquiry", "inquiry"),
        ("报价", "quoted"),
        ("已报价", "quoted"),
        ("quoted", "quoted"),
        ("样品", "sample"),
        ("寄样", "sample"),
        ("谈判", "negotiation"),
        ("议价", "negotiation"),
        ("成交", "won"),
        ("赢单", "won"),
        ("WON", "won"),
        ("丢单", "lost"),
        ("失败", "lost"),
        ("输单", "lost"),
        ("lost", "lost"),
    ],
)
def test_parse_stage_forms(text: str, expected: str) -> None:
    assert parse_stage(text) == expected


def test_parse_stage_error_lists_stages() -> None:
    with pytest.raises(ParseError) as caught:
        parse_stage("shipped")
    assert caught.value.message == STAGE_NOT_RECOGNISED
    assert caught.value.params["accepted"].startswith("询盘/inquiry, 报价/quoted")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alibaba", ("b2b", "Alibaba")),
        ("阿里巴巴国际站", ("b2b", "阿里巴巴国际站")),
        ("阿里", ("b2b", "阿里")),
        ("Made-in-China.com", ("b2b", "Made-in-China.com")),
        ("中国制造网", ("b2b", "中国制造网")),
        ("Global Sources", ("b2b", "Global Sources")),
        ("环球资源", ("b2b", "环球资源")),
        ("B2B", ("b2b", "B2B")),
        ("Canton Fair  2026", ("fair", "Canton Fair 2026")),
        ("广交会", ("fair", "广交会")),
        ("展会", ("fair", "展会")),
        ("exhibition in Dubai", ("fair", "exhibition in Dubai")),
        ("trade fair", ("fair", "trade fair")),
        ("Google", ("search", "Google")),
        ("谷歌", ("search", "谷歌")),
        ("搜索", ("search", "搜索")),
        ("SEO", ("search", "SEO")),
        ("search", ("search", "search")),
        ("介绍", ("referral", "介绍")),
        ("转介绍", ("referral", "转介绍")),
        ("referral", ("referral", "referral")),
        ("朋友介绍", ("referral", "朋友介绍")),
        ("LinkedIn", ("other", "LinkedIn")),
        ("research firm", ("other", "research firm")),
    ],
)
def test_parse_source_forms(text: str, expected: tuple[str, str]) -> None:
    assert parse_source(text) == expected


def test_parse_source_empty() -> None:
    with pytest.raises(ParseError) as caught:
        parse_source("  ")
    assert caught.value.message == SOURCE_EMPTY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email sent catalog", ("email", "sent catalog")),
        ("Email: price list", ("email", "price list")),
        ("邮件 发了目录", ("email", "发了目录")),
        ("发邮件：报价单", ("email", "报价单")),
        ("call 谈了价格", ("call", "谈了价格")),
        ("电话沟通", ("call", "沟通")),
        ("打电话给John", ("call", "给John")),
        ("chat asked for MOQ", ("chat", "asked for MOQ")),
        ("WhatsApp: asked", ("chat", "asked")),
        ("微信聊了", ("chat", "聊了")),
        ("wechat", ("chat", "")),
        ("聊天 about samples", ("chat", "about samples")),
        ("Skype, intro", ("chat", "intro")),
        ("meeting in Dubai", ("meeting", "in Dubai")),
        ("会议", ("meeting", "")),
        ("开会讨论", ("meeting", "讨论")),
        ("见面 at fair", ("meeting", "at fair")),
        ("quote USD 2.5", ("quote", "USD 2.5")),
        ("报价 2.5", ("quote", "2.5")),
        ("sample sent", ("sample", "sent")),
        ("样品已寄", ("sample", "已寄")),
        ("寄样", ("sample", "")),
        ("visit factory", ("visit", "factory")),
        ("拜访客户", ("visit", "客户")),
        ("来访", ("visit", "")),
        ("calling later", ("note", "calling later")),
        ("customer is nice", ("note", "customer is nice")),
        ("客户说下周下单", ("note", "客户说下周下单")),
    ],
)
def test_parse_interaction_forms(text: str, expected: tuple[str, str]) -> None:
    assert parse_interaction(text) == expected


def test_parse_interaction_empty() -> None:
    with pytest.raises(ParseError) as caught:
        parse_interaction("")
    assert caught.value.message == INTERACTION_EMPTY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60%", Decimal("0.6")),
        ("60 %", Decimal("0.6")),
        ("６０％", Decimal("0.6")),
        ("0.6", Decimal("0.6")),
        ("60", Decimal("0.6")),
        ("0", Decimal("0")),
        ("1", Decimal("1")),
        ("100", Decimal("1")),
        ("100%", Decimal("1")),
        ("0.5%", Decimal("0.005")),
    ],
)
def test_parse_probability_forms(text: str, expected: Decimal) -> None:
    assert parse_probability(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("150", PROBABILITY_OUT_OF_RANGE),
        ("101%", PROBABILITY_OUT_OF_RANGE),
        ("-5", PROBABILITY_OUT_OF_RANGE),
        ("-5%", PROBABILITY_OUT_OF_RANGE),
        ("六成", PROBABILITY_NOT_RECOGNISED),
        ("high", PROBABILITY_NOT_RECOGNISED),
        ("", PROBABILITY_NOT_RECOGNISED),
    ],
)
def test_parse_probability_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_probability(text)
    assert caught.value.message == message


def test_parse_probability_message_renders_percent_sign() -> None:
    with pytest.raises(ParseError) as caught:
        parse_probability("150")
    assert str(caught.value) == "Probability '150' is outside 0 to 100%. Write e.g. 60% or 0.6."
