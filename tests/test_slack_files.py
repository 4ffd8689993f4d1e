"""Files in Slack replies: /export and /pipeline chart uploaded with files_upload_v2 through
slack-bolt, the bot's signed HTTP endpoint and the fake Web API, and import progress shown in
one message that chat.update edits."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import handlers.imports
from bot.clock import ManualClock
from bot.config import Settings
from bot.models import PendingImport
from bot.services.exports import XLSX_MIME_TYPE
from bot.store import Store
from bot.transports.base import Incoming, OutgoingFile, Reply
from bot.transports.pacing import RateLimiter
from bot.transports.slack import SlackTransport
from tests.fakes.slack_api import FakeSlackAPI, SlackSender
from tests.members import code_in
from tests.sheets import csv_bytes
from tests.slack_harness import SIGNING_SECRET, UNPACED, SlackBot, message_text, running_slack_bot

ADMIN = "U0ADMIN1"
MANAGER = "U0MGR001"
REP = "U0REP001"
SALES_CHANNEL = "C0SALES1"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ADD_SHARMA = "add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma 邮箱: rahul@sharmaprint.in"
ADD_NORDIC = "add 名称: Nordic Offset AB 国家: Sweden 等级: B 联系人: Anna Berg 邮箱: anna@nordicoffset.se"
DEAL_SHARMA = "deal Sharma Print House 产品: CTCP plate 数量: 1×20GP 价格: USD 2.5 FOB Shanghai 阶段: quoted"


async def join(bot: SlackBot, user_id: str, *, role: str) -> None:
    """Have the admin invite `user_id` as `role` over Slack, and start with the code."""
    code = code_in(await bot.say(ADMIN, f"invite {role}"))
    welcome = await bot.say(user_id, f"start {code}")
    assert welcome


@pytest.fixture
async def slack_bot(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[SlackBot]:
    async with running_slack_bot(store=store, clock=clock, settings=settings) as bot:
        bot.api.add_user(ADMIN, name="Chen Jing", locale="en-US")
        bot.api.add_user(MANAGER, name="Liu Yang", locale="en-US")
        bot.api.add_user(REP, name="Wei Wang", locale="en-US")
        await bot.say(ADMIN, "start")
        await join(bot, MANAGER, role="manager")
        await join(bot, REP, role="rep")
        assert "Sharma Print House" in await bot.say(REP, ADD_SHARMA)
        assert "Nordic Offset AB" in await bot.say(REP, ADD_NORDIC)
        yield bot


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def customer_names(data: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(data))
    rows = list(workbook["Customers"].iter_rows(values_only=True))
    column = rows[0].index("Company")
    return sorted(str(row[column]) for row in rows[1:])


# ---------------------------------------------------------------------------- uploads in the DM


async def test_export_uploaded_to_manager_dm(slack_bot: SlackBot) -> None:
    bot = slack_bot
    dm = bot.api.direct_channel(MANAGER)

    summary = await bot.say(MANAGER, "export")

    assert summary.startswith("Team export of ")
    assert "2 customers" in summary
    [upload] = bot.api.shared_files(dm)
    assert upload.filename.endswith(".xlsx")
    assert upload.title == upload.filename
    assert upload.data is not None
    assert customer_names(upload.data) == ["Nordic Offset AB", "Sharma Print House"]
    assert bot.api.shared_files() == [upload]


async def test_pipeline_chart_uploaded_as_png(slack_bot: SlackBot) -> None:
    bot = slack_bot
    assert "CTCP plate" in await bot.say(REP, DEAL_SHARMA)

    caption = await bot.say(MANAGER, "pipeline chart")

    assert caption
    [upload] = bot.api.shared_files(bot.api.direct_channel(MANAGER))
    assert upload.filename.endswith(".png")
    assert upload.data is not None
    assert upload.data.startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("method", ["files.getUploadURLExternal", "files.completeUploadExternal"])
async def test_rate_limited_upload_retried(slack_bot: SlackBot, method: str) -> None:
    bot = slack_bot
    bot.api.rate_limit_next(1, retry_after=1, method=method)

    await bot.say(MANAGER, "export")

    calls = bot.api.calls_to(method)
    assert [call.status for call in calls] == [429, 200]
    # The retry waited for Retry-After.
    assert calls[1].received_at - calls[0].received_at >= 0.9
    [upload] = bot.api.shared_files()
    assert upload.channel == bot.api.direct_channel(MANAGER)
    assert upload.data is not None
    assert customer_names(upload.data) == ["Nordic Offset AB", "Sharma Print House"]


async def test_upload_failure_reported_in_dm(slack_bot: SlackBot) -> None:
    bot = slack_bot
    bot.api.fail_next("files.completeUploadExternal", "not_in_channel")

    replies = await bot.say(MANAGER, "export")

    assert replies.startswith("Team export of ")
    notice = message_text(bot.api.posted(bot.api.direct_channel(MANAGER))[-1])
    assert notice.startswith("The file followup-export-")
    assert notice.endswith(
        " could not be uploaded to Slack, or the upload timed out. "
        "If it is not in your direct message with the bot, ask for it again."
    )
    assert bot.api.shared_files() == []


async def test_rep_export_refused_without_upload(slack_bot: SlackBot) -> None:
    bot = slack_bot

    refusal = await bot.say(REP, "export")

    assert refusal == (
        "Only admins and managers can export the team's data. "
        "Your request was recorded, and your managers were notified."
    )
    assert bot.api.calls_to("files.getUploadURLExternal") == []
    assert bot.api.shared_files() == []


# ---------------------------------------------------------------------------- commands typed in a channel


async def test_channel_export_refused_without_upload(slack_bot: SlackBot) -> None:
    bot = slack_bot

    status, _body, _seconds = await bot.sender.command(MANAGER, "export", channel_id=SALES_CHANNEL)
    assert status == 200
    [answer] = await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()

    assert message_text(answer.params) == "To keep your customer list private, send me this in a private chat."
    assert answer.params["response_type"] == "ephemeral"
    assert bot.api.shared_files() == []
    assert bot.api.posted(SALES_CHANNEL) == []


WORKBOOK = OutgoingFile(filename="report.xlsx", data=b"PK\x03\x04 workbook bytes", mime_type=XLSX_MIME_TYPE)


async def reply_with_workbook(incoming: Incoming) -> list[Reply]:
    """Reply to any command with a file, as no route does yet for a command typed in a channel."""
    return [Reply(text=f"Report for {incoming.user_id}", file=WORKBOOK)]


@pytest.fixture
async def file_replying_bot() -> AsyncIterator[tuple[FakeSlackAPI, SlackSender, SlackTransport]]:
    async with FakeSlackAPI() as api:
        api.add_user(MANAGER, name="Liu Yang", locale="en-US")
        transport = SlackTransport(
            bot_token=api.token,
            signing_secret=SIGNING_SECRET,
            handler=reply_with_workbook,
            command_names={"report"},
            base_url=api.api_url,
            limiter=RateLimiter(UNPACED),
            http_port=0,
        )
        await transport.start()
        sender = SlackSender(api, url=f"http://127.0.0.1:{transport.port}/slack/events", secret=SIGNING_SECRET)
        try:
            yield api, sender, transport
        finally:
            await transport.stop()


async def test_channel_file_reply_goes_to_dm(file_replying_bot: tuple[FakeSlackAPI, SlackSender, SlackTransport]) -> None:
    api, sender, transport = file_replying_bot

    status, _body, _seconds = await sender.command(MANAGER, "report", channel_id=SALES_CHANNEL)
    assert status == 200
    [answer] = await api.wait_for_calls("response_url", 1)
    await transport.drain()

    [upload] = api.shared_files()
    assert upload.channel == api.direct_channel(MANAGER)
    assert upload.data == WORKBOOK.data
    assert upload.filename == "report.xlsx"
    assert answer.params["response_type"] == "ephemeral"
    assert message_text(answer.params) == (
        f"Report for {MANAGER}\n\n"
        "The file report.xlsx is in your direct message with the bot, so that only you can see it."
    )
    assert api.posted(SALES_CHANNEL) == []
    assert api.calls_to("chat.postEphemeral") == []


async def test_channel_file_upload_failure_told_ephemerally(
    file_replying_bot: tuple[FakeSlackAPI, SlackSender, SlackTransport],
) -> None:
    api, sender, transport = file_replying_bot
    # A Retry-After beyond the transport's longest wait gives up at once.
    api.rate_limit_next(1, retry_after=120, method="files.completeUploadExternal")

    await sender.command(MANAGER, "report", channel_id=SALES_CHANNEL)
    [answer] = await api.wait_for_calls("response_url", 1)
    await transport.drain()

    assert api.shared_files() == []
    assert message_text(answer.params).endswith(
        "The file report.xlsx could not be uploaded to Slack, or the upload timed out. "
        "If it is not in your direct message with the bot, ask for it again."
    )


async def test_dm_file_failure_notice_while_paused_sent_through_response_url(
    file_replying_bot: tuple[FakeSlackAPI, SlackSender, SlackTransport],
) -> None:
    api, sender, transport = file_replying_bot
    # The direct message is paused for two minutes: the text, the upload and the notice all wait.
    api.rate_limit_next(1, retry_after=120)

    await sender.command(MANAGER, "report")
    text, notice = await api.wait_for_calls("response_url", 2)
    await transport.drain()

    assert message_text(text.params) == f"Report for {MANAGER}"
    assert message_text(notice.params).startswith("The file report.xlsx could not be uploaded to Slack")
    assert api.shared_files() == []


# ---------------------------------------------------------------------------- import progress

SHEET_25_ROWS = csv_bytes([["客户名称", "国家"]] + [[f"Buyer {number:02d}", "IN"] for number in range(25)])


async def share_sheet(bot: SlackBot, *, user_id: str, posts: int) -> list[dict[str, object]]:
    """Share the 25-row sheet in the user's DM and return the `posts` messages that follow."""
    dm = bot.api.direct_channel(user_id)
    before = len(bot.api.posted(dm))
    file = bot.api.add_file("F0SHEET25", "buyers.csv", SHEET_25_ROWS)
    event = bot.sender.message_event(user_id, "", subtype="file_share", files=[file])
    status, _body, _seconds = await bot.sender.event(event)
    assert status == 200
    await bot.api.wait_for_posts(before + posts, channel=dm, timeout=10)
    await bot.transport.drain()
    return bot.api.posted(dm)[before:]


async def test_import_progress_message_updated(slack_bot: SlackBot, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    bot = slack_bot
    monkeypatch.setattr(handlers.imports, "CHECK_CHUNK_ROWS", 10)
    dm = bot.api.direct_channel(REP)

    progress, preview = await share_sheet(bot, user_id=REP, posts=2)

    assert message_text(progress) == "Checking rows: 10 of 25…"
    [posted_progress] = [call for call in bot.api.calls_to("chat.postMessage") if call.params.get("blocks") == progress["blocks"]]
    updates = bot.api.updates(dm)
    assert [message_text(update) for update in updates] == ["Checking rows: 20 of 25…", "Checking rows: 25 of 25…"]
    assert {update["ts"] for update in updates} == {posted_progress.response["ts"]}
    assert "New customers: 25." in message_text(preview)
    assert await count(store, PendingImport) == 1


async def test_import_progress_edits_throttled(store: Store, clock: ManualClock, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handlers.imports, "CHECK_CHUNK_ROWS", 10)
    async with running_slack_bot(store=store, clock=clock, settings=settings, progress_interval=60.0) as bot:
        bot.api.add_user(REP, name="Wei Wang", locale="en-US")
        await bot.say(REP, "start")

        progress, preview = await share_sheet(bot, user_id=REP, posts=2)

        assert message_text(progress) == "Checking rows: 10 of 25…"
        # The later reports came within the interval, so the preview supersedes them.
        assert bot.api.calls_to("chat.update") == []
        assert "New customers: 25." in message_text(preview)


async def test_small_import_shows_no_progress(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot

    [preview] = await share_sheet(bot, user_id=REP, posts=1)

    assert "New customers: 25." in message_text(preview)
    assert bot.api.calls_to("chat.update") == []
