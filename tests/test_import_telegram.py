"""Customer import through python-telegram-bot against the fake Bot API: document in, preview,
button press, summary, and the progress message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.attachments import MAX_ATTACHMENT_BYTES
from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Customer, PendingImport
from bot.store import Store
from bot.transports.pacing import RateLimiter, RateLimits
from bot.transports.telegram import TelegramTransport
from handlers.routes import build_router
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.sheets import csv_bytes, xlsx_bytes

REP_ID = 1001
UNPACED = RateLimits(messages_per_second=None, chat_interval=0.0)
SHEET = xlsx_bytes(
    [
        ["2026 客户表"],
        ["客户名称", "国家", "联系人", "邮箱", "最近跟进"],
        ["Sharma Print House", "印度", "Rahul", "rahul@sharmaprint.in", "2026/12/1"],
        ["Nordic Offset AB", "Sweden", "Anna", "anna@nordicoffset.se", "05-Nov-2026"],
        ["", "IN", "Vikram", "", ""],
    ],
    merges=["A1:E1"],
)


@pytest.fixture
async def api(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[FakeTelegramAPI]:
    router = build_router(store=store, clock=clock, settings=settings)
    async with FakeTelegramAPI(max_poll_wait=0.5) as fake:
        transport = TelegramTransport(
            token=fake.token,
            handler=router.handle,
            base_url=fake.base_url,
            polling_timeout=1,
            limiter=RateLimiter(UNPACED),
            progress_interval=0.0,
        )
        await transport.start()
        try:
            fake.push_text(REP_ID, "/start en")
            await fake.wait_for_messages(1, chat_id=REP_ID)
            yield fake
        finally:
            await transport.stop()


async def next_messages(api: FakeTelegramAPI, push: Any, count: int = 1) -> list[dict[str, Any]]:
    """Run `push`, then wait for `count` more messages to the rep and return them."""
    before = len(api.sent_messages(REP_ID))
    push()
    sent = await api.wait_for_messages(before + count, chat_id=REP_ID, timeout=10)
    return sent[before:]


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_document_preview_button_and_summary(api: FakeTelegramAPI, store: Store) -> None:
    [preview] = await next_messages(api, lambda: api.push_document(REP_ID, "客户.xlsx", SHEET))

    [download] = api.calls_to("getFile")
    assert download.ok
    assert "客户.xlsx: 3 rows under the header on row 2." in preview["text"]
    assert "New customers: 2. Duplicates: 0. Invalid rows: 1." in preview["text"]
    assert "Row 5: No company name." in preview["text"]
    [[confirm, cancel]] = preview["reply_markup"]["inline_keyboard"]
    assert confirm["text"] == "Import 2 customers"
    assert cancel["text"] == "Cancel"
    assert await count(store, Customer) == 0

    [summary] = await next_messages(api, lambda: api.push_callback(REP_ID, confirm["callback_data"]))

    assert summary["text"].startswith("Imported 2 customers from 客户.xlsx (contacts: 2).")
    assert "Follow-up clocks start from the sheet's last-contact date for 2, and from today for 0." in summary["text"]
    assert await count(store, Customer) == 2
    assert await count(store, PendingImport) == 0


async def test_caption_maps_columns(api: FakeTelegramAPI, store: Store) -> None:
    sheet = csv_bytes([["公司名", "国家"], ["Acme Ltd", "IN"]], encoding="gbk")
    [preview] = await next_messages(api, lambda: api.push_document(REP_ID, "c.csv", sheet, caption="列: 公司名=客户名称"))

    assert "公司名 → company name" in preview["text"]
    assert "New customers: 1." in preview["text"]


async def test_oversize_document_refused_before_download(api: FakeTelegramAPI, store: Store) -> None:
    push = lambda: api.push_document(REP_ID, "huge.xlsx", b"PK", declared_size=MAX_ATTACHMENT_BYTES + 1)  # noqa: E731

    [refusal] = await next_messages(api, push)

    # The rep's Telegram client is set to Chinese.
    assert refusal["text"] == "文件 huge.xlsx 大小为 10.0 MB，请发送不超过 10 MB 的文件。"
    assert api.calls_to("getFile") == []
    assert await count(store, PendingImport) == 0


async def test_group_document_not_downloaded(api: FakeTelegramAPI, store: Store) -> None:
    api.push_document(REP_ID, "c.xlsx", SHEET, chat_type="supergroup", chat_id=-100500)
    # A text after the file shows that the bot has handled the file by then.
    await next_messages(api, lambda: api.push_text(REP_ID, "/import"))

    assert api.calls_to("getFile") == []
    assert api.sent_messages(-100500) == []
    assert await count(store, PendingImport) == 0


async def test_progress_message_sent_then_edited(api: FakeTelegramAPI, store: Store) -> None:
    rows = [["客户名称", "国家"]] + [[f"Buyer {number:04d}", "IN"] for number in range(2500)]
    # The progress message comes first, then the preview.
    progress, preview = await next_messages(api, lambda: api.push_document(REP_ID, "big.csv", csv_bytes(rows)), 2)

    assert progress["text"] == "Checking rows: 2000 of 2500…"
    edits = [call for call in api.calls_to("editMessageText") if call.ok]
    assert [call.params["text"] for call in edits] == ["Checking rows: 2500 of 2500…"]
    assert {call.params["message_id"] for call in edits} == {int(api.calls_to("sendMessage")[-2].response["result"]["message_id"])}
    assert "New customers: 2500." in preview["text"]
