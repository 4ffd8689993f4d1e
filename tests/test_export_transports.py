"""Files in replies: /export through python-telegram-bot and the fake Bot API, and the console."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.clock import ManualClock
from bot.config import Settings
from bot.services.exports import XLSX_MIME_TYPE
from bot.store import Store
from bot.transports.base import Delivery, OutgoingFile, Reply
from bot.transports.console import ConsoleSession, save_file
from bot.transports.pacing import RateLimiter, RateLimits
from bot.transports.telegram import TELEGRAM_LIMITS, TelegramTransport, render_reply
from handlers.parsing import parse_duration
from handlers.routes import build_router
from reminders.dispatcher import Dispatcher
from tests.fakes.telegram_api import FakeTelegramAPI, FloodLimits
from tests.fakes.virtual_clock import VirtualClock
from tests.members import code_in

UNPACED = RateLimits(messages_per_second=None, chat_interval=0.0)
ADMIN_ID = 1001
REP_ID = 2002
WORKBOOK = OutgoingFile(filename="followup-export-2026-12-07.xlsx", data=b"PK\x03\x04 workbook", mime_type=XLSX_MIME_TYPE)


@dataclass
class TelegramBot:
    api: FakeTelegramAPI
    dispatcher: Dispatcher


@pytest.fixture
async def telegram_bot(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[TelegramBot]:
    router = build_router(store=store, clock=clock, settings=settings)
    async with FakeTelegramAPI(max_poll_wait=0.5) as api:
        transport = TelegramTransport(
            token=api.token, handler=router.handle, base_url=api.base_url, polling_timeout=1, limiter=RateLimiter(UNPACED)
        )
        dispatcher = Dispatcher(store=store, clock=clock, notifiers={"telegram": transport.notifier}, worker_id="export")
        await transport.start()
        try:
            yield TelegramBot(api=api, dispatcher=dispatcher)
        finally:
            await transport.stop()


async def say(api: FakeTelegramAPI, user_id: int, text: str, *, first_name: str) -> str:
    before = len(api.sent_messages(user_id))
    api.push_text(user_id, text, first_name=first_name, language_code="en")
    sent = await api.wait_for_messages(before + 1, chat_id=user_id)
    return str(sent[before]["text"])


# ---------------------------------------------------------------------------- Telegram


async def test_export_arrives_as_document(telegram_bot: TelegramBot) -> None:
    api = telegram_bot.api
    await say(api, ADMIN_ID, "/start", first_name="Boss")
    await say(api, ADMIN_ID, "/add 名称: Sharma Print House 国家: 印度 等级: A", first_name="Boss")

    summary = await say(api, ADMIN_ID, "/export", first_name="Boss")
    [document_call] = await api.wait_for_documents(1, chat_id=ADMIN_ID)

    assert summary.startswith("Team export of 2026-12-07: 1 customer, 0 deals, 0 interactions.")
    upload = document_call["document"]
    assert upload["filename"] == "followup-export-2026-12-07.xlsx"
    assert upload["content_type"] == XLSX_MIME_TYPE
    workbook = load_workbook(io.BytesIO(upload["data"]))
    assert workbook.sheetnames == ["Customers", "Deals", "Interactions"]
    assert workbook["Customers"]["A2"].value == "Sharma Print House"
    assert workbook["Customers"]["O2"].value == "Boss"
    # The summary text goes first, then the document.
    methods = [call.method.lower() for call in api.calls if call.method.lower() in ("sendmessage", "senddocument")]
    assert methods[-2:] == ["sendmessage", "senddocument"]


async def test_rep_export_alerts_admin_on_telegram(telegram_bot: TelegramBot) -> None:
    api = telegram_bot.api
    await say(api, ADMIN_ID, "/start", first_name="Boss")
    code = code_in(await say(api, ADMIN_ID, "/invite rep", first_name="Boss"))
    await say(api, REP_ID, f"/start {code}", first_name="Li")

    refusal = await say(api, REP_ID, "/export", first_name="Li")
    assert "Only admins and managers can export" in refusal
    assert api.sent_documents() == []

    before = len(api.sent_messages(ADMIN_ID))
    assert await telegram_bot.dispatcher.dispatch_due() == 1
    [alert] = api.sent_messages(ADMIN_ID)[before:]
    assert "Li, a rep, tried to export" in alert["text"]
    assert f"via Telegram chat {REP_ID}" in alert["text"]


async def test_document_waits_for_chat_pacing() -> None:
    clock = VirtualClock()
    async with FakeTelegramAPI(max_poll_wait=0.5, flood_limits=FloodLimits(), monotonic=clock.monotonic) as api:
        limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=clock.monotonic, sleep=clock.sleep)
        transport = TelegramTransport(
            token=api.token, handler=_no_reply, base_url=api.base_url, polling_timeout=1, limiter=limiter
        )
        await transport.start()
        try:
            delivery = Delivery(platform="telegram", chat_id="3003", reply=Reply(text="Export", file=WORKBOOK))
            await clock.run(transport.notifier.send(delivery))
        finally:
            await transport.stop()

    [message] = api.calls_to("sendMessage")
    [document] = api.calls_to("sendDocument")
    assert api.flood_error_count == 0
    # One message a second per chat: the document waits for the text before it.
    assert document.received_at - message.received_at == pytest.approx(1.0)
    assert document.params["document"]["data"] == WORKBOOK.data


async def _no_reply(_incoming: object) -> list[Reply]:
    return []


def test_render_reply_puts_file_last() -> None:
    messages = render_reply(Reply(text="Team export", file=WORKBOOK))
    assert [message.text for message in messages] == ["Team export", ""]
    assert messages[0].document is None
    assert messages[1].document == WORKBOOK


def test_render_reply_file_without_text() -> None:
    [message] = render_reply(Reply(text="", file=WORKBOOK))
    assert message.document == WORKBOOK


# ---------------------------------------------------------------------------- console


def test_console_save_never_overwrites(tmp_path: Path) -> None:
    first = save_file(WORKBOOK, tmp_path)
    second = save_file(WORKBOOK, tmp_path)
    assert first == tmp_path / "followup-export-2026-12-07.xlsx"
    assert second == tmp_path / "followup-export-2026-12-07-1.xlsx"
    assert second.read_bytes() == WORKBOOK.data


def test_console_save_stays_in_directory(tmp_path: Path) -> None:
    escaping = OutgoingFile(filename="../../evil.xlsx", data=b"x", mime_type=XLSX_MIME_TYPE)
    assert save_file(escaping, tmp_path) == tmp_path / "evil.xlsx"


async def test_console_export_writes_file(store: Store, clock: ManualClock, settings: Settings, tmp_path: Path) -> None:
    router = build_router(store=store, clock=clock, settings=settings)
    output = io.StringIO()

    async def run_until(target: datetime) -> int:
        return 0

    session = ConsoleSession(
        name="Ann",
        handle=router.handle,
        clock=clock,
        run_until=run_until,
        parse_duration=parse_duration,
        output=output,
        display_zone=clock.now().tzinfo,  # type: ignore[arg-type]
        follow_system_time=False,
        locale="en",
        file_directory=tmp_path,
    )
    await session.feed("/start")
    await session.feed("/export")
    await session.feed("/export")

    saved = sorted(path.name for path in tmp_path.glob("*.xlsx"))
    assert saved == ["followup-export-2026-12-07-1.xlsx", "followup-export-2026-12-07.xlsx"]
    assert f"📎 {tmp_path / 'followup-export-2026-12-07.xlsx'}" in output.getvalue()
    assert f"📎 {tmp_path / 'followup-export-2026-12-07-1.xlsx'}" in output.getvalue()
    workbook = load_workbook(tmp_path / "followup-export-2026-12-07.xlsx")
    assert workbook.sheetnames == ["Customers", "Deals", "Interactions"]
