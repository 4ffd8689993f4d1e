"""The calendar feed end to end: /calendar, the HTTP server on 127.0.0.1, revocation, and the ics CLI."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from icalendar import Calendar
from sqlalchemy import select, update

from bot.calendar_cli import run_ics
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.models import AuditEvent, CalendarFeed, Member
from bot.store import Store
from bot.web import NOT_FOUND_BODY, FeedServer, start_feed_server
from handlers.router import Router
from handlers.routes import build_router
from tests.chat import Chat
from tests.fakes.telegram_api import FakeTelegramAPI

FEED_PATH = re.compile(r"http://127\.0\.0\.1:8080(/calendar/[A-Za-z0-9_-]{43}\.ics)")
DRIVER_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy")
PRIVATE_CHAT_ONLY = "To keep your customer list private, send me this in a private chat."


@pytest.fixture
async def rep(router: Router) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    await chat.say("/add 名称: Sharma Print House 国家: IN 等级: A 联系人: Priya 生日: 12月20日")
    return chat


@pytest.fixture
async def server(store: Store, clock: ManualClock) -> AsyncIterator[FeedServer]:
    feed_server = FeedServer(store=store, clock=clock, host="127.0.0.1", port=0)
    await feed_server.start()
    yield feed_server
    await feed_server.stop()


def feed_path(reply: str) -> str:
    match = FEED_PATH.search(reply)
    assert match is not None, reply
    return match.group(1)


async def fetch(server: FeedServer, path: str, *, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as session:
        async with session.request(method, f"http://127.0.0.1:{server.port}{path}") as response:
            return response.status, dict(response.headers), await response.read()


async def feeds(store: Store) -> list[CalendarFeed]:
    async with store.session() as session:
        return list((await session.execute(select(CalendarFeed).order_by(CalendarFeed.id))).scalars())


async def audit_actions(store: Store) -> list[tuple[str, dict[str, object]]]:
    async with store.session() as session:
        statement = select(AuditEvent).where(AuditEvent.action.like("calendar%")).order_by(AuditEvent.id)
        return [(event.action, event.detail) for event in (await session.execute(statement)).scalars()]


# --- /calendar ---------------------------------------------------------------------------


async def test_calendar_creates_feed_once(rep: Chat, store: Store) -> None:
    reply = await rep.say("/calendar")
    path = feed_path(reply)
    assert "Google Calendar: Other calendars → From URL" in reply
    assert "File → New Calendar Subscription" in reply
    assert "The link is private" in reply
    (feed,) = await feeds(store)
    assert path == f"/calendar/{feed.token}.ics"
    assert feed.revoked_at is None
    assert await audit_actions(store) == [("calendar_feed_create", {"feed_id": feed.id})]

    assert feed_path(await rep.say("日历")) == path
    assert len(await feeds(store)) == 1
    assert len(await audit_actions(store)) == 1


async def test_calendar_bad_argument_shows_usage(rep: Chat, store: Store) -> None:
    reply = await rep.say("/calendar sometimes")
    assert reply.startswith("Write /calendar for your calendar link, /calendar new for a new link")
    assert await feeds(store) == []


async def test_calendar_in_group_refused(rep: Chat, router: Router, store: Store) -> None:
    group = Chat(router, user_id="100", name="Li", locale="en", group_id="-500")
    assert await group.say("/calendar") == PRIVATE_CHAT_ONLY
    assert await feeds(store) == []


async def test_calendar_off_without_feed(rep: Chat, store: Store) -> None:
    assert await rep.say("/calendar off") == "You have no calendar feed. Send /calendar to create one."
    assert await audit_actions(store) == []


async def test_calendar_server_off_refuses_link(store: Store, clock: ManualClock, settings: Settings) -> None:
    router = build_router(store=store, clock=clock, settings=dataclasses.replace(settings, http_port=None))
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    reply = await chat.say("/calendar")
    assert reply.startswith("The calendar feed is turned off on this bot (FOLLOWUP_HTTP_PORT is 0 or empty).")
    assert await feeds(store) == []


async def test_calendar_public_url_used(store: Store, clock: ManualClock, settings: Settings) -> None:
    # Another process serves the feeds, so this one needs no server of its own.
    public = dataclasses.replace(settings, http_port=None, public_url="https://crm.example.com/bot")
    chat = Chat(build_router(store=store, clock=clock, settings=public), user_id="100", name="Li", locale="en")
    await chat.say("/start")
    reply = await chat.say("/calendar")
    (feed,) = await feeds(store)
    assert f"https://crm.example.com/bot/calendar/{feed.token}.ics" in reply


# --- HTTP ----------------------------------------------------------------------------------


async def test_feed_served_for_active_token(rep: Chat, store: Store, server: FeedServer, clock: ManualClock) -> None:
    status, headers, body = await fetch(server, feed_path(await rep.say("/calendar")))
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"] == "private, max-age=300"
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "FollowUp Bot: Li"
    (followup,) = [event for event in calendar.events if str(event["UID"]).startswith("followup-")]
    assert str(followup["SUMMARY"]) == "Follow up Sharma Print House (IN)"
    assert followup["DTSTART"].params["TZID"] == "Asia/Kolkata"
    # Tier A, registered Monday 7 December: due Thursday 10 December, 09:00 in India.
    assert followup.start == datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    (birthday,) = [event for event in calendar.events if str(event["UID"]).startswith("birthday-")]
    assert birthday.start == datetime(2026, 12, 20, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    (feed,) = await feeds(store)
    assert feed.last_read_at == clock.now()


async def test_head_sends_headers_only(rep: Chat, server: FeedServer) -> None:
    status, headers, body = await fetch(server, feed_path(await rep.say("/calendar")), method="HEAD")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body == b""


async def test_unknown_token_404(rep: Chat, server: FeedServer) -> None:
    status, _headers, body = await fetch(server, f"/calendar/{secrets.token_urlsafe(32)}.ics")
    assert status == 404
    assert body.decode() == NOT_FOUND_BODY
    status, _headers, body = await fetch(server, "/calendar/short.ics")
    assert status == 404
    assert body.decode() == NOT_FOUND_BODY


async def test_off_stops_feed_at_once(rep: Chat, store: Store, server: FeedServer) -> None:
    path = feed_path(await rep.say("/calendar"))
    assert (await fetch(server, path))[0] == 200
    reply = await rep.say("/calendar off")
    assert reply == "Your calendar feed is off; its link has stopped working. Send /calendar for a new link."
    status, _headers, body = await fetch(server, path)
    assert status == 404
    assert body.decode() == NOT_FOUND_BODY
    (feed,) = await feeds(store)
    assert [action for action, _detail in await audit_actions(store)] == ["calendar_feed_create", "calendar_feed_revoke"]
    assert (await audit_actions(store))[1][1] == {"feed_ids": [feed.id]}


async def test_new_replaces_link(rep: Chat, store: Store, server: FeedServer) -> None:
    old_path = feed_path(await rep.say("/calendar"))
    reply = await rep.say("/calendar new")
    assert reply.startswith("Your calendar feed has a new link; the old link has stopped working.")
    new_path = feed_path(reply)
    assert new_path != old_path
    assert (await fetch(server, old_path))[0] == 404
    assert (await fetch(server, new_path))[0] == 200
    old, new = await feeds(store)
    assert old.revoked_at is not None
    assert new.revoked_at is None
    # /calendar now shows the new link.
    assert feed_path(await rep.say("/calendar")) == new_path


async def test_feed_of_inactive_member_404(rep: Chat, store: Store, server: FeedServer) -> None:
    path = feed_path(await rep.say("/calendar"))
    async with store.session() as session, session.begin():
        await session.execute(update(Member).values(active=False))
    assert (await fetch(server, path))[0] == 404


async def test_token_never_logged(rep: Chat, server: FeedServer, caplog: pytest.LogCaptureFixture) -> None:
    path = feed_path(await rep.say("/calendar"))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    with caplog.at_level(logging.DEBUG):
        await rep.say("/calendar")
        await fetch(server, path)
        await fetch(server, path.replace(token[:5], "AAAAA"))
        await rep.say("/calendar new")
    # The database driver logs SQL parameters at DEBUG, tokens and contact details alike; only
    # our own and aiohttp's lines are checked.
    lines = [record.getMessage() for record in caplog.records if not record.name.startswith(DRIVER_LOGGERS)]
    assert any(line.startswith("calendar feed served feed_id=") for line in lines)
    assert not [line for line in lines if token in line]


# --- CLI -----------------------------------------------------------------------------------


async def test_ics_cli_writes_feed(rep: Chat, settings: Settings, clock: ManualClock, tmp_path: Path) -> None:
    target = tmp_path / "li.ics"
    assert await run_ics(settings, name="Li", output=str(target), now=clock.now()) == 0
    calendar = Calendar.from_ical(target.read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.events]
    assert "Follow up Sharma Print House (IN)" in summaries
    assert "Birthday: Priya (Sharma Print House, IN)" in summaries


async def test_ics_cli_unknown_member_exits_2(
    rep: Chat, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_ics(settings, name="Nobody", output=str(tmp_path / "x.ics")) == 2
    assert "no active member named 'Nobody' in team 'Test team'" in capsys.readouterr().err
    assert not (tmp_path / "x.ics").exists()


async def test_ics_command_process(rep: Chat, store: Store, tmp_path: Path) -> None:
    if not store.is_sqlite:
        pytest.skip("the process reads the SQLite file; PostgreSQL is covered in-process")
    environment = dict(os.environ, DATABASE_URL=store.url, FOLLOWUP_TEAM_NAME="Test team")
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    command = [sys.executable, "-m", "bot", "ics", "--as"]
    done = subprocess.run([*command, "li"], cwd=tmp_path, env=environment, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    calendar = Calendar.from_ical((tmp_path / "li.ics").read_bytes())
    assert any(str(event["SUMMARY"]) == "Follow up Sharma Print House (IN)" for event in calendar.events)

    missing = subprocess.run([*command, "Nobody"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert "followup-bot ics: no active member named 'Nobody'" in missing.stderr


# --- Settings ------------------------------------------------------------------------------


def test_http_settings_defaults(tmp_path: Path) -> None:
    settings = load_settings({}, dotenv=tmp_path / "none.env")
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8080)
    assert settings.feed_base_url == "http://127.0.0.1:8080"


@pytest.mark.parametrize("value", ["0", "", " "])
def test_http_port_zero_or_empty_turns_server_off(value: str, tmp_path: Path) -> None:
    settings = load_settings({"FOLLOWUP_HTTP_PORT": value}, dotenv=tmp_path / "none.env")
    assert settings.http_port is None
    assert settings.feed_base_url is None


def test_public_url_wins(tmp_path: Path) -> None:
    environ = {"FOLLOWUP_HTTP_HOST": "0.0.0.0", "FOLLOWUP_HTTP_PORT": "9000", "FOLLOWUP_PUBLIC_URL": "https://bot.example.com/"}
    settings = load_settings(environ, dotenv=tmp_path / "none.env")
    assert (settings.http_host, settings.http_port) == ("0.0.0.0", 9000)
    assert settings.feed_base_url == "https://bot.example.com"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("FOLLOWUP_HTTP_PORT", "http", "FOLLOWUP_HTTP_PORT must be a port number from 1 to 65535"),
        ("FOLLOWUP_HTTP_PORT", "70000", "got '70000'"),
        ("FOLLOWUP_PUBLIC_URL", "bot.example.com", "FOLLOWUP_PUBLIC_URL must start with http:// or https://"),
    ],
)
def test_http_settings_invalid(key: str, value: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        load_settings({key: value}, dotenv=tmp_path / "none.env")


async def test_port_in_use_logged_not_raised(
    store: Store, clock: ManualClock, settings: Settings, server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    same_port = dataclasses.replace(settings, http_port=server.port)
    with caplog.at_level(logging.ERROR):
        assert await start_feed_server(same_port, store=store, clock=clock) is None
    assert f"calendar feed server failed to start host=127.0.0.1 port={server.port}" in caplog.text


# --- The bot process ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_bot_process_serves_feed_until_stopped(tmp_path: Path) -> None:
    port = free_port()
    async with FakeTelegramAPI(max_poll_wait=0.5) as api:
        environment = dict(
            os.environ,
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_BASE_URL=api.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            FOLLOWUP_HTTP_PORT=str(port),
            LOG_LEVEL="INFO",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=environment,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            await api.wait_for_calls("setMyCommands", timeout=30)
            api.push_text(42, "/start", language_code="en", first_name="Ann")
            api.push_text(42, "/calendar", language_code="en", first_name="Ann")
            _welcome, message = await api.wait_for_messages(2, chat_id=42, timeout=30)
            match = re.search(re.escape(f"http://127.0.0.1:{port}/calendar/") + r"[A-Za-z0-9_-]{43}\.ics", message["text"])
            assert match is not None, message["text"]
            async with aiohttp.ClientSession() as session, session.get(match.group(0)) as response:
                assert response.status == 200
                assert Calendar.from_ical(await response.read())["X-WR-CALNAME"] == "FollowUp Bot: Ann"
        finally:
            process.send_signal(signal.SIGTERM)
            _stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        log = stderr.decode()
        assert process.returncode == 0, log
        assert f"calendar feed server started host=127.0.0.1 port={port}" in log
        assert f"calendar feed server stopped host=127.0.0.1 port={port}" in log
        assert match.group(0).rsplit("/", 1)[1] not in log
