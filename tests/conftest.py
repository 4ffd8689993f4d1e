"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.config import Settings, normalize_database_url
from bot.models import Base
from bot.store import Store, migrate
from handlers.routes import build_router
from handlers.router import Router

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _backends() -> list[object]:
    postgres = os.environ.get("TEST_DATABASE_URL")
    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not postgres, reason="TEST_DATABASE_URL is not set"),
        ),
    ]


async def _create_database(admin_url: str, name: str, *, drop: bool = False) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of this test process's own on the TEST_DATABASE_URL server, or None.

    Each pytest process works in its own database, so that several test runs on one
    machine never drop each other's tables.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    admin_url = base.replace("postgresql+asyncpg://", "postgresql://", 1)
    name = f"{admin_url.rsplit('/', 1)[1]}_{os.getpid()}"
    asyncio.run(_create_database(admin_url, name))
    yield normalize_database_url(f"{admin_url.rsplit('/', 1)[0]}/{name}")
    asyncio.run(_create_database(admin_url, name, drop=True))


async def reset_postgres(store: Store) -> None:
    async with store.engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=_backends())
async def store(request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None) -> AsyncIterator[Store]:
    """A freshly migrated database; each test starts empty."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    else:
        assert postgres_url is not None
        url = postgres_url
    database = Store(url)
    if request.param == "postgresql":
        await reset_postgres(database)
    await migrate(database)
    yield database
    await database.dispose()


@pytest.fixture
def settings(store: Store) -> Settings:
    return Settings(
        database_url=store.url,
        telegram_token=None,
        telegram_base_url=None,
        team_name="Test team",
        default_locale="zh_CN",
        default_zone="Asia/Shanghai",
        log_level="INFO",
    )


@pytest.fixture
def clock() -> ManualClock:
    # Monday 7 Dec 2026, 10:00 in Beijing: an ordinary workday in China and India.
    return ManualClock(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def router(store: Store, clock: ManualClock, settings: Settings) -> Router:
    return build_router(store=store, clock=clock, settings=settings)
