"""Customer import from a file shared in a Slack direct message: download with the bot token,
preview, button press, summary."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.attachments import MAX_ATTACHMENT_BYTES
from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Customer, PendingImport
from bot.store import Store
from tests.slack_harness import SlackBot, button_values, message_text, running_slack_bot
from tests.sheets import xlsx_bytes

REP = "U0REP001"
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
async def slack_bot(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[SlackBot]:
    async with running_slack_bot(store=store, clock=clock, settings=settings) as bot:
        bot.api.add_user(REP, name="Wei Wang", locale="en-US")
        await bot.say(REP, "start")
        yield bot


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def share(bot: SlackBot, file: dict[str, object], *, text: str = "") -> list[dict[str, object]]:
    dm = bot.api.direct_channel(REP)
    before = len(bot.api.posted(dm))
    event = bot.sender.message_event(REP, text, subtype="file_share", files=[file])
    status, _body, _seconds = await bot.sender.event(event)
    assert status == 200
    await bot.api.wait_for_posts(before + 1, channel=dm, timeout=10)
    await bot.transport.drain()
    return bot.api.posted(dm)[before:]


async def test_shared_file_previewed_and_imported(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    [preview] = await share(bot, bot.api.add_file("F0SHEET1", "客户.xlsx", SHEET))

    [download] = bot.api.calls_to("file")
    assert download.ok
    text = message_text(preview)
    assert "客户.xlsx: 3 rows under the header on row 2." in text
    assert "New customers: 2. Duplicates: 0. Invalid rows: 1." in text
    confirm, _cancel = button_values(preview)
    assert await count(store, Customer) == 0

    summary = await bot.press(REP, confirm)

    assert summary.startswith("Imported 2 customers from 客户.xlsx (contacts: 2).")
    assert await count(store, Customer) == 2
    assert await count(store, PendingImport) == 0


async def test_oversize_file_refused_before_download(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    file = bot.api.add_file("F0HUGE01", "huge.xlsx", b"PK")
    file["size"] = MAX_ATTACHMENT_BYTES + 1

    [refusal] = await share(bot, file)

    assert message_text(refusal) == "The file huge.xlsx is 10.0 MB. Send a file of at most 10 MB."
    assert bot.api.calls_to("file") == []
    assert await count(store, PendingImport) == 0


async def test_missing_file_reported(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    file = bot.api.add_file("F0GONE01", "gone.xlsx", SHEET)
    del bot.api.files["F0GONE01"]

    [failure] = await share(bot, file)

    assert message_text(failure) == "The file gone.xlsx could not be downloaded from Slack. Send it again."
    assert await count(store, PendingImport) == 0
