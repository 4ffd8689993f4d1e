"""Engine and sessions: SQLite through aiosqlite, or PostgreSQL through asyncpg."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class Store:
    """Owns the engine and hands out sessions; one `async with store.session() as s, s.begin()`
    is one unit of work."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, object] = {"echo": echo}
        if self.is_sqlite:
            # SQLite allows one writer at a time. One pooled connection makes units of work
            # queue in the event loop rather than fail with "database is locked" when a read
            # transaction tries to become a write. A unit of work must not open a second one.
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=60)
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.session = async_sessionmaker(self.engine, expire_on_commit=False)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # Foreign keys are off by default in SQLite; WAL lets another process read while the bot writes.
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _run_upgrade(connection: object, url: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(store: Store) -> None:
    """Bring the schema to the newest Alembic revision."""
    async with store.engine.begin() as connection:
        await connection.run_sync(_run_upgrade, store.url)
    logger.info("database migrated url_scheme=%s", store.url.split(":", 1)[0])
