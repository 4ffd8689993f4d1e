"""The core scenario through the console transport, driven by piped stdin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store
from tests.conftest import reset_postgres

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.txt"


def run_console(script: str, *, tmp_path: Path, args: list[str], database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "TELEGRAM_BOT_TOKEN"}
    environment["DATABASE_URL"] = database_url or f"sqlite+aiosqlite:///{tmp_path / 'console.db'}"
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", *args],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )


def test_demo_script_reminds_after_three_days(tmp_path: Path) -> None:
    result = run_console(
        DEMO.read_text(encoding="utf-8"), tmp_path=tmp_path, args=["--as", "Li", "--now", "2026-12-07T10:00+08:00"]
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout
    # The clock line comes first, then the reminder it releases: the Thursday 09:00 digest.
    clock_line = "🕘 2026-12-10T10:00+08:00"
    assert clock_line in output
    after_advance = output.split(clock_line, 1)[1]
    # The digest's sections are separated by blank lines; the next prompt ends it.
    digest = after_advance.split("\n> ", 1)[0]
    assert digest.lstrip().startswith("🔔")
    assert "Sharma Print House" in digest
    assert "11:30–20:30" in digest
    assert "09:00–18:00" in digest
    # Nothing was due on Tuesday or Wednesday, so no digest went out before Thursday.
    assert output.count("🔔") == 1
    # The first /today, on Monday, lists nothing: the quote was just logged.
    before_advance = output.split(clock_line, 1)[0]
    assert "11:30–20:30" not in before_advance


def test_console_english_replies_with_lang_flag(tmp_path: Path) -> None:
    result = run_console("/start\n/today\n", tmp_path=tmp_path, args=["--as", "Ann", "--lang", "en"])
    assert result.returncode == 0, result.stderr
    assert "Welcome, Ann!" in result.stdout
    assert "Nothing due today" in result.stdout


def test_console_bad_directive_is_explained(tmp_path: Path) -> None:
    result = run_console(
        ":advance soon\n:at 2020-01-01T00:00+00:00\n:at 2029-01-01T00:00+08:00\n:at tomorrow\n",
        tmp_path=tmp_path,
        args=["--as", "Li", "--now", "2026-12-07T10:00+08:00", "--lang", "en"],
    )
    assert result.returncode == 0, result.stderr
    assert "Invalid directive ':advance soon'" in result.stdout
    assert "The clock only moves forward." in result.stdout
    assert "at most 366 days" in result.stdout
    assert "Invalid directive ':at tomorrow'" in result.stdout
    assert "🕘" not in result.stdout


def test_console_directive_errors_in_chinese(tmp_path: Path) -> None:
    result = run_console(":at 2020-01-01T00:00+00:00\n", tmp_path=tmp_path, args=["--as", "Li", "--now", "2026-12-07T10:00+08:00"])
    assert result.returncode == 0, result.stderr
    assert "The clock only moves forward." not in result.stdout
    assert re.search(r"[\u4e00-\u9fff]", result.stdout)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL is not set")
async def test_demo_script_on_postgresql(tmp_path: Path, postgres_url: str | None) -> None:
    assert postgres_url is not None
    url = postgres_url
    # The console migrates the schema itself; start it from an empty database.
    store = Store(url)
    await reset_postgres(store)
    await store.dispose()
    result = run_console(
        DEMO.read_text(encoding="utf-8"),
        tmp_path=tmp_path,
        args=["--as", "Li", "--now", "2026-12-07T10:00+08:00"],
        database_url=url,
    )
    assert result.returncode == 0, result.stderr
    assert "11:30–20:30" in result.stdout
