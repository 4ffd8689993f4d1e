"""Import from the console (`:file PATH`) and the command line (`followup-bot import FILE --as NAME`)."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from bot.clock import ManualClock
from bot.config import Settings
from bot.import_cli import run_import
from bot.models import Customer, PendingImport
from bot.store import Store, migrate
from bot.transports.base import Incoming
from bot.transports.console import PLATFORM, ConsoleSession
from handlers.parsing import parse_duration
from handlers.router import Router
from handlers.routes import build_router
from tests.sheets import csv_bytes

SHEET = csv_bytes(
    [["客户名称", "国家", "联系人"], ["Sharma Print House", "印度", "Rahul"], ["Nordic Offset AB", "SE", "Anna"]],
    encoding="gbk",
)


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def join(router: Router, name: str) -> None:
    await router.handle(Incoming(platform=PLATFORM, user_id=name, chat_id=name, text="/start en", display_name=name))


def console(router: Router, clock: ManualClock, output: io.StringIO) -> ConsoleSession:
    async def run_until(target: datetime) -> int:
        return 0

    return ConsoleSession(
        name="Li",
        handle=router.handle,
        clock=clock,
        run_until=run_until,
        parse_duration=parse_duration,
        output=output,
        display_zone=clock.now().tzinfo,  # type: ignore[arg-type]
        follow_system_time=False,
        locale="en",
    )


async def test_console_file_directive_previews_and_confirms(
    router: Router, clock: ManualClock, store: Store, tmp_path: Path
) -> None:
    await join(router, "Li")
    path = tmp_path / "my customers.csv"
    path.write_bytes(SHEET)
    output = io.StringIO()
    session = console(router, clock, output)

    await session.feed(f':file "{path}"\n')

    printed = output.getvalue()
    assert f'> :file "{path}"' in printed
    assert "my customers.csv: 2 rows under the header on row 1." in printed
    assert "[Import 2 customers → /import yes " in printed
    assert await count(store, Customer) == 0

    await session.feed("/import yes\n")
    assert "Imported 2 customers from my customers.csv" in output.getvalue()
    assert await count(store, Customer) == 2


async def test_console_file_directive_missing_file(router: Router, clock: ManualClock, tmp_path: Path) -> None:
    output = io.StringIO()
    await console(router, clock, output).feed(f":file {tmp_path / 'nowhere.xlsx'}\n")
    assert output.getvalue().startswith(f"There is no file {tmp_path / 'nowhere.xlsx'}.")


@pytest.mark.parametrize(("answer", "status", "customers"), [("n", 1, 0), ("y", 0, 2)])
async def test_command_line_asks_before_import(
    router: Router, settings: Settings, store: Store, tmp_path: Path, answer: str, status: int, customers: int
) -> None:
    await join(router, "Li")
    path = tmp_path / "c.csv"
    path.write_bytes(SHEET)
    output = io.StringIO()
    questions: list[str] = []

    def ask(question: str) -> str:
        questions.append(question)
        return answer

    result = await run_import(settings, path=path, name="Li", assume_yes=False, locale="en", output=output, ask=ask)

    assert result == status
    assert questions == ["Import? [y/N] "]
    assert "New customers: 2. Duplicates: 0. Invalid rows: 0." in output.getvalue()
    assert await count(store, Customer) == customers
    assert await count(store, PendingImport) == 0


async def test_command_line_unknown_member(settings: Settings, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(SHEET)
    output = io.StringIO()

    result = await run_import(settings, path=path, name="Nobody", assume_yes=True, locale="en", output=output)

    assert result == 1
    assert output.getvalue().startswith("No single member of the team matches Nobody.")
    assert "followup-bot console --as Nobody" in output.getvalue()


def test_entry_point_import_with_yes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    (tmp_path / "c.csv").write_bytes(SHEET)

    async def prepare() -> None:
        store = Store(url)
        await migrate(store)
        settings = Settings(url, None, None, "Team", "zh_CN", "Asia/Shanghai", "WARNING")
        await join(build_router(store=store, clock=ManualClock(datetime.now().astimezone()), settings=settings), "Li")
        await store.dispose()

    async def customers() -> int:
        store = Store(url)
        try:
            return await count(store, Customer)
        finally:
            await store.dispose()

    asyncio.run(prepare())
    assert main(["import", "c.csv", "--as", "Li", "--yes"]) == 0
    assert asyncio.run(customers()) == 2
