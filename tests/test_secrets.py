"""Tokens come from the environment or .env and never reach the logs; logs name customers by id."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.__main__ import DATA_LOGGERS, quiet_data_loggers
from bot.config import load_settings
from bot.transports.base import Incoming, Reply
from bot.transports.pacing import RateLimiter
from bot.transports.telegram import TelegramTransport
from handlers.router import Router
from tests.chat import Chat
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_transport_telegram import UNPACED

SECRET = "123456:AAF-super-secret-token-text"


def test_token_read_from_dotenv_and_hidden_in_repr(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"TELEGRAM_BOT_TOKEN={SECRET}\nDATABASE_URL=sqlite:///x.db\n", encoding="utf-8")
    settings = load_settings({}, dotenv=dotenv)
    assert settings.telegram_token == SECRET
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    assert SECRET not in f"{settings!r} {[settings]}"


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("TELEGRAM_BOT_TOKEN=from-file\n", encoding="utf-8")
    assert load_settings({"TELEGRAM_BOT_TOKEN": SECRET}, dotenv=dotenv).telegram_token == SECRET


async def test_transport_start_and_messages_never_log_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    async def echo(incoming: Incoming) -> list[Reply]:
        return [Reply(text=f"echo {incoming.text}")]

    async with FakeTelegramAPI(max_poll_wait=0.5) as api:
        transport = TelegramTransport(
            token=api.token,
            handler=echo,
            base_url=api.base_url,
            commands=[("help", "帮助", "help")],
            polling_timeout=1,
            limiter=RateLimiter(UNPACED),
        )
        await transport.start()
        try:
            api.push_text(5001, "hello")
            await api.wait_for_messages(1)
        finally:
            await transport.stop()
        token = api.token
    assert "telegram transport started" in caplog.text
    assert token not in caplog.text
    assert all(token not in record.getMessage() for record in caplog.records)


async def test_logs_name_customers_by_id_not_contact_details(
    router: Router, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    await chat.say(
        "/add 名称: Sharma Print House 国家: IN 等级: A 联系人: Rahul Sharma "
        "邮箱: rahul@sharmaprint.in 电话: +91 98200 12345"
    )
    await chat.say("/card Sharma Print House")
    await chat.say("/find rahul@sharmaprint.in")
    await chat.say("/log Sharma Print House call asked for price")
    ours = "\n".join(
        record.getMessage() for record in caplog.records if record.name.split(".")[0] in ("bot", "handlers", "reminders")
    )
    assert "customer_id=1" in ours
    for detail in ("rahul", "98200", "Sharma"):
        assert detail not in ours


def test_sql_parameter_loggers_quieted_at_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    # aiosqlite logs every statement with its parameters (contact details) at DEBUG.
    for name in DATA_LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    monkeypatch.setattr(logging.getLogger(), "level", logging.DEBUG)
    quiet_data_loggers()
    assert all(not logging.getLogger(name).isEnabledFor(logging.DEBUG) for name in DATA_LOGGERS)
    assert logging.getLogger("bot.services.customers").isEnabledFor(logging.DEBUG)
