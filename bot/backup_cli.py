"""`followup-bot backup PATH` and `followup-bot restore PATH` for a SQLite database.

The backup uses SQLite's online backup API, so it is a consistent copy even while the bot
writes: it holds one read snapshot of the database (WAL mode lets the bot keep writing).
The copy is written next to PATH and renamed into place, so PATH never holds half a backup.
A restore checks that the file is a FollowUp database at a known migration and passes
PRAGMA integrity_check, then copies it onto the configured database with the same API,
in one write transaction. For PostgreSQL, pg_dump and pg_restore are the tools.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from pathlib import Path

from bot.config import Settings
from bot.store import MIGRATIONS_DIR

logger = logging.getLogger(__name__)

# Tables every FollowUp database has; a file without them is not one.
REQUIRED_TABLES = frozenset({"alembic_version", "teams", "members", "customers", "audit_events"})
PG_DUMP_HINT = (
    "followup-bot: the database is PostgreSQL; use its own tools, e.g.\n"
    "  pg_dump --format=custom --file=followup.dump \"$DATABASE_URL\"\n"
    "  pg_restore --clean --if-exists --dbname=\"$DATABASE_URL\" followup.dump"
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator."""

    exit_status = 1


class TargetFolderMissing(BackupError):
    """The folder to write the backup into does not exist; the command line names a wrong path."""

    exit_status = 2


def sqlite_path(database_url: str) -> Path | None:
    """Return the file of a sqlite URL, or None for another database."""
    if not database_url.startswith("sqlite"):
        return None
    _scheme, _, rest = database_url.partition(":///")
    if not rest or rest.startswith(":memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(rest.split("?", 1)[0])


def known_revisions() -> set[str]:
    """Return the revision ids of our migrations, read from their file names (0001_… → 0001)."""
    return {path.name.split("_", 1)[0] for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")}


def check_database(path: Path) -> str:
    """Check that `path` is an intact FollowUp database; return its migration revision."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = REQUIRED_TABLES - tables
            if missing:
                raise BackupError(f"{path} is not a FollowUp database (no {', '.join(sorted(missing))} table)")
            [(integrity,)] = connection.execute("PRAGMA integrity_check").fetchall()
            if integrity != "ok":
                raise BackupError(f"{path} is damaged: integrity_check says {integrity}")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database: {error}") from error
    if revision is None or revision[0] not in known_revisions():
        raise BackupError(f"{path} is at an unknown migration {revision[0] if revision else None}; this version cannot restore it")
    return str(revision[0])


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy `source` into a new file next to `target`, check it, then rename it into place.

    The copy is switched from the bot's WAL journal to DELETE before it is checked, so that
    neither the copy nor the partial file leaves -wal or -shm files behind. The bot turns
    WAL on again when it opens a restored database.
    """
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    _remove_with_sidecars(partial)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
        check_database(partial)
        os.replace(partial, target)
    finally:
        _remove_with_sidecars(partial)


def _remove_with_sidecars(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        path.with_name(name).unlink(missing_ok=True)


def backup(database: Path, target: Path) -> str:
    """Write a consistent copy of `database` to `target`; return its migration revision."""
    check_database(database)
    if not target.parent.is_dir():
        raise TargetFolderMissing(f"the folder {target.parent} does not exist; create it or name another backup path")
    if target.resolve() == database.resolve():
        raise BackupError("the backup file must not be the database itself")
    # A long busy timeout: the backup waits for a writer's commit rather than fail.
    source = sqlite3.connect(database, timeout=60)
    try:
        _copy(source, target)
    finally:
        source.close()
    return check_database(target)


def restore(backup_file: Path, database: Path) -> str:
    """Replace the contents of `database` with `backup_file` in one write transaction.

    The bot must be stopped: its open connections would otherwise keep serving requests
    against data that changed beneath them.
    """
    revision = check_database(backup_file)
    if backup_file.resolve() == database.resolve():
        raise BackupError("the backup file is the database itself")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(database, timeout=60)
        try:
            # The backup API writes every page of the target in one transaction, so a reader
            # sees either the old database or the restored one.
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    check_database(database)
    return revision


def main_backup(settings: Settings, *, command: str, path: str) -> int:
    """Run `backup PATH` or `restore PATH`; return the exit status."""
    try:
        database = sqlite_path(settings.database_url)
        if database is None:
            print(PG_DUMP_HINT, file=sys.stderr)
            return 2
        if command == "backup":
            revision = backup(database, Path(path))
            print(f"Backup written to {path} (migration {revision}).")
        else:
            revision = restore(Path(path), database)
            print(f"Restored {database} from {path} (migration {revision}). Start the bot to bring it up to date.")
    except BackupError as error:
        print(f"followup-bot: {error}", file=sys.stderr)
        return error.exit_status
    logger.info("%s done revision=%s", command, revision)
    return 0
