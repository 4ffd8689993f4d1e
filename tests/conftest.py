"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

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


async def reset_postgres(store: Store) -> None:
    async with store.engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=_backends())
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A freshly migrated database; each test starts empty."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    else:
        url = normalize_database_url(os.environ["TEST_DATABASE_URL"])
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
