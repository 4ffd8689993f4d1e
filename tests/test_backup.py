"""`followup-bot backup` and `restore` on SQLite: consistent under a writer, checked, atomic."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.backup_cli import BackupError, backup, check_database, restore
from bot.store import Store, migrate

BATCH = 10


def migrated_database(path: Path) -> Path:
    async def run() -> None:
        store = Store(f"sqlite+aiosqlite:///{path}")
        await migrate(store)
        await store.dispose()

    asyncio.run(run())
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO teams (name, default_locale, default_zone, cadence_overrides, created_at) "
            "VALUES ('Team', 'zh_CN', 'Asia/Shanghai', '{}', '2026-12-07 02:00:00')"
        )
    connection.close()
    return path


def insert_batch(connection: sqlite3.Connection, number: int) -> None:
    """Insert BATCH members in one transaction, so a committed state has a multiple of BATCH."""
    with connection:
        for index in range(BATCH):
            connection.execute(
                "INSERT INTO members (team_id, display_name, role, zone, active, digest_hour, digest_on_holidays, created_at) "
                "VALUES (1, ?, 'rep', 'Asia/Shanghai', 1, 9, 0, '2026-12-07 02:00:00')",
                (f"rep {number}-{index}",),
            )


def count_members(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM members").fetchone()[0])
    finally:
        connection.close()


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return migrated_database(tmp_path / "followup.db")


def test_backup_during_writes_restores_consistent_state(database: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    batches = [0]

    def writer() -> None:
        connection = sqlite3.connect(database, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            insert_batch(connection, batches[0])
            batches[0] += 1
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while batches[0] < 20:
            threading.Event().wait(0.01)
        copies = [tmp_path / f"backup-{number}.db" for number in range(3)]
        for copy in copies:
            backup(database, copy)
    finally:
        stop.set()
        thread.join()
    final = count_members(database)
    for copy in copies:
        assert integrity(copy) == "ok"
        counted = count_members(copy)
        # A committed state: whole batches only, and no more than the writer committed.
        assert counted % BATCH == 0
        assert 20 * BATCH <= counted <= final
    # Restore the last copy onto a copy of the live database, which has more rows by now.
    target = tmp_path / "restored.db"
    target.write_bytes(database.read_bytes())
    assert count_members(target) == final
    restore(copies[-1], target)
    assert integrity(target) == "ok"
    assert count_members(target) == count_members(copies[-1])
    assert check_database(target) == check_database(database)


def test_restore_refuses_a_file_that_is_not_followup(database: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (id INTEGER)")
    connection.close()
    before = database.read_bytes()
    with pytest.raises(BackupError, match="not a FollowUp database"):
        restore(other, database)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a SQLite database"):
        restore(garbage, database)
    assert database.read_bytes() == before


def test_restore_refuses_unknown_migration(database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    backup(database, copy)
    connection = sqlite3.connect(copy)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    with pytest.raises(BackupError, match="unknown migration 9999"):
        restore(copy, database)
    assert count_members(database) == 0


def test_cli_backup_and_restore(database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "nightly.db"
    assert main(["backup", str(target)]) == 0
    assert "Backup written to" in capsys.readouterr().out
    connection = sqlite3.connect(database)
    insert_batch(connection, 0)
    connection.close()
    assert count_members(database) == BATCH
    assert main(["restore", str(target)]) == 0
    assert count_members(database) == 0
    assert main(["restore", str(tmp_path / "missing.db")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_cli_backup_on_postgresql_points_to_pg_dump(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/followup")
    monkeypatch.chdir(tmp_path)
    assert main(["backup", str(tmp_path / "x.db")]) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_backup_leaves_no_sidecar_files(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    insert_batch(connection, 0)
    backup(database, folder / "copy.db")
    connection.close()
    assert sorted(path.name for path in folder.iterdir()) == ["copy.db"]
    assert count_members(folder / "copy.db") == BATCH
    assert sorted(path.name for path in folder.iterdir()) == ["copy.db"]


def test_cli_backup_into_missing_folder_names_it(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "no-such-folder"
    assert main(["backup", str(missing / "nightly.db")]) == 2
    error = capsys.readouterr().err
    assert f"the folder {missing} does not exist" in error
    assert "Traceback" not in error
    assert not missing.exists()
