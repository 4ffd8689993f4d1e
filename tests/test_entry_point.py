"""The `followup-bot` entry point with a token: a real process talking to the fake Bot API."""

from __future__ import annotations

import asyncio
import subprocess
import os
import signal
import sys
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegramAPI


async def test_bot_process_answers_start_and_stops_on_sigterm(tmp_path: Path) -> None:
    async with FakeTelegramAPI(max_poll_wait=0.5) as api:
        environment = dict(os.environ)
        environment.update(
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_BASE_URL=api.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            LOG_LEVEL="INFO",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await api.wait_for_calls("setMyCommands", timeout=30)
            api.push_text(42, "/start", language_code="en", first_name="Ann")
            (message,) = await api.wait_for_messages(1, chat_id=42, timeout=30)
            assert "Welcome, Ann!" in message["text"]
        finally:
            process.send_signal(signal.SIGTERM)
            _stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        log = stderr.decode()
        assert process.returncode == 0, log
        assert "bot running platforms=telegram" in log
        assert "bot stopped" in log
        # The token is part of every Bot API URL; it must never reach the log.
        assert api.token not in log


def test_bad_grace_setting_exits_with_message(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "TELEGRAM_BOT_TOKEN"}
    environment.update(FOLLOWUP_DIGEST_GRACE_HOURS="twelve", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "FOLLOWUP_DIGEST_GRACE_HOURS must be a number of hours from 0 to 168, got 'twelve'" in result.stderr
    assert not (tmp_path / "bot.db").exists()
