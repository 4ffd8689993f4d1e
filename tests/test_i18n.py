"""Catalogs: every marked string is translated, and replies in zh_CN carry no English message ids."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.messages.pofile import read_po

from bot.clock import ManualClock
from bot.i18n import LOCALES_DIR, Translator, normalize_locale
from handlers.router import Router
from scripts.update_catalogs import extract, is_translated
from tests.chat import Chat

PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z ,'.]{14,}[A-Za-z]")

# Commands with good and bad input, covering every command and most error paths.
SCRIPT = [
    "/start",
    "/help",
    "/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul 邮箱: rahul@sharmaprint.in 来源: Alibaba",
    "/add 名称: Acme Inc 国家: US 等级: B",
    "1",
    "/add 名称: Foo 国家: Indai",
    "/add 名称: Foo 国家: India 颜色: blue",
    "/add 名称: Foo 国家: India 生日: 2月30日",
    "/add 名称: Foo 国家: India 等级: Z",
    "/add 名称: Foo 国家: India 邮箱: nope",
    "/add 国家: India",
    "/add 名称: Sharma Print House 国家: IN",
    "/card Sharma",
    "/card Nobody",
    "/find Sharma",
    "/find zzz",
    "/log Sharma email sent the catalogue",
    "/log Sharma",
    "/deal Sharma 产品: CTCP plate 数量: 1×20GP 价格: USD 2.5 FOB Shanghai 阶段: quoted",
    "/deal Sharma 产品: CTCP 价格: USD",
    "/deal Sharma 产品: CTCP 阶段: won",
    "/stage Sharma sample",
    "/stage Sharma flying",
    "/stage Sharma won",
    "/today",
    "/done Nobody",
    "/snooze Sharma someday",
    "/snooze Sharma 1d",
    "/inquiry Sharma 产品: CTCP plate 数量: 1×20GP 渠道: alibaba 邮箱: buyer@gmail.com",
    "/inquiry",
    "/inquiry Sharma 收到: 明年",
    "/inquiry Sharma 渠道: pigeon",
    "/replied Sharma",
    "/replied Sharma",
    "/watch add @rival-plates.com competitor",
    "/watch add nope",
    "/watch",
    "/watch remove @rival-plates.com",
    "/terms",
    "/terms 付款: 30% T/T deposit, 70% against B/L copy 交期: 15 days after deposit 有效期: 15",
    "/terms 有效期: 999",
    "/reply Sharma",
    "/reply Nobody",
    "/draft Sharma",
    "/check Dear Sir, best quality, lowest price!! Price USD 2.5, see attached.",
    "/check",
    "/digest",
    "/digest holidays on",
    "/digest holidays maybe",
    "/digest lead 99",
    "/digest here",
    "/lang fr",
    "/tz Mars/Olympus",
    "/frobnicate",
    "hello",
    "/add 名称: Foo 国家: India 备注: " + "y" * 4100,
]


def catalog(locale: str):  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_catalog_translates_every_marked_string(locale: str) -> None:
    translations = catalog(locale)
    missing = [
        message.id
        for message in extract()
        if message.id and (translations.get(message.id) is None or not is_translated(translations.get(message.id)))
    ]
    assert missing == []


def test_zh_placeholders_match_english() -> None:
    mismatched = []
    for message in catalog("zh_CN"):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        target = message.string if isinstance(message.string, str) else message.string[0]
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
            mismatched.append(source)
    assert mismatched == []


def test_locale_tags_normalised() -> None:
    assert normalize_locale("zh-hans") == "zh_CN"
    assert normalize_locale("zh-TW") == "zh_CN"
    assert normalize_locale("en-US") == "en"
    assert normalize_locale("fr") is None
    assert Translator("fr").locale == "zh_CN"


def _english_fragments() -> set[str]:
    """Long English runs of the message ids, which must not show in a Chinese reply.

    Runs that the Chinese catalog keeps too (examples such as Sharma Print House) are left out.
    """
    zh_texts = " ".join(
        message.string if isinstance(message.string, str) else " ".join(message.string)
        for message in catalog("zh_CN")
    )
    fragments = set()
    for message in extract():
        if not message.id:
            continue
        texts = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in texts:
            for part in PLACEHOLDER.split(text):
                fragments.update(match.group(0).strip() for match in ENGLISH_RUN.finditer(part))
    return {fragment for fragment in fragments if fragment not in zh_texts}


async def run_script(router: Router, clock: ManualClock, locale: str) -> list[str]:
    chat = Chat(router, user_id=f"i18n-{locale}", name="Li", locale=locale)
    replies = []
    for line in SCRIPT:
        if line == "/today":
            clock.advance(timedelta(days=3))
        replies.append(await chat.say(line))
    return replies


async def test_zh_replies_have_no_english_message_text(router: Router, clock: ManualClock) -> None:
    fragments = _english_fragments()
    replies = await run_script(router, clock, "zh-hans")
    leaks = [(reply, fragment) for reply in replies for fragment in fragments if fragment in reply]
    assert leaks == []
    assert all(re.search(r"[\u4e00-\u9fff]", reply) for reply in replies)


async def test_en_replies_are_english_and_complete(router: Router, clock: ManualClock) -> None:
    replies = await run_script(router, clock, "en")
    assert all(reply.strip() for reply in replies)
    assert not [reply for reply in replies if "%(" in reply]
    assert "Registered Sharma Print House" in replies[2]


@pytest.mark.parametrize("locale", ["zh-hans", "en"])
async def test_welcome_example_registers_customer(router: Router, locale: str) -> None:
    chat = Chat(router, user_id=f"example-{locale}", locale=locale)
    welcome = await chat.say("/start")
    example = next(line for line in welcome.splitlines() if line.startswith("/add "))
    reply = await chat.say(example)
    assert "Sharma Print House (#1)" in reply or "Sharma Print House（#1）" in reply
