"""Schema migrations: numbered files in order, each applied once — also when several processes start at once —
and a failing one leaves nothing behind. On SQLite and on a real PostgreSQL."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.store import SqliteStore, StoreUnavailable, migrate
from app.store.sql import SqlStore
from tests.app.store.conftest import query

FILES = migrate.migrations()


def test_the_migration_files_are_numbered_from_one_and_hold_statements() -> None:
    assert [m.version for m in FILES] == list(range(1, len(FILES) + 1))
    assert FILES[0].name == "scenes" and any("CREATE TABLE scenes" in s for s in FILES[0].statements)


def test_statements_split_where_a_statement_ends() -> None:
    sql = "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\n"
    sql += "INSERT INTO a VALUES ('c;');\n"
    assert migrate.statements(sql) == (
        "-- a comment; with a semicolon\nCREATE TABLE a (x TEXT DEFAULT 'a;b');",
        "INSERT INTO a VALUES ('c;');",
    )
    with pytest.raises(RuntimeError, match="not terminated"):
        migrate.statements("CREATE TABLE a (x TEXT)")


def test_a_gap_or_a_stray_file_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_one.sql").write_text("SELECT 1;")
    (tmp_path / "0003_three.sql").write_text("SELECT 3;")
    with pytest.raises(RuntimeError, match=r"without gaps; found \[1, 3\]"):
        migrate.migrations(tmp_path)
    (tmp_path / "0003_three.sql").rename(tmp_path / "two.sql")
    with pytest.raises(RuntimeError, match=r"two\.sql is not named like"):
        migrate.migrations(tmp_path)


def test_migrating_again_applies_nothing(empty_store: SqlStore) -> None:
    assert empty_store.migrate() == [m.version for m in FILES]
    assert empty_store.migrate() == []
    rows = query(empty_store, "SELECT version, name FROM schema_version ORDER BY version")
    assert [tuple(r) for r in rows] == [(m.version, m.name) for m in FILES]
    assert query(empty_store, "SELECT COUNT(*) FROM scenes") == [(0,)]


def test_a_failing_migration_leaves_no_trace(empty_store: SqlStore) -> None:
    missing = (StoreUnavailable, psycopg.errors.UndefinedTable)
    broken = migrate.Migration(
        len(FILES) + 1, "broken", ("CREATE TABLE extra (x INTEGER)", "SELECT * FROM nowhere")
    )
    with pytest.raises(missing, match="nowhere"):
        empty_store.migrate([*FILES, broken])
    # the whole transaction rolled back: not even the first files are recorded, nor the table made
    with pytest.raises(missing):
        query(empty_store, "SELECT * FROM schema_version")
    assert empty_store.migrate() == [m.version for m in FILES]
    with pytest.raises(missing, match="extra"):
        query(empty_store, "SELECT * FROM extra")


def _start_and_migrate(where: str, barrier: Any, results: Any) -> None:
    """One process: open the store, wait for the others, migrate with them; report what it applied."""
    from app.store import PostgresStore, SqliteStore

    store = PostgresStore(where, pool_size=1) if where.startswith("postgresql:") else SqliteStore(Path(where))
    barrier.wait(timeout=60)
    try:
        results.put(store.migrate())
    except BaseException as exc:
        results.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()


def test_processes_starting_at_once_apply_the_schema_once(
    empty_store: SqlStore, request: pytest.FixtureRequest
) -> None:
    sqlite = isinstance(empty_store, SqliteStore)
    where = str(empty_store.path) if sqlite else request.getfixturevalue("database_url")
    context = multiprocessing.get_context("spawn")
    count = 4
    barrier, results = context.Barrier(count), context.Queue()
    processes = [
        context.Process(target=_start_and_migrate, args=(where, barrier, results)) for _ in range(count)
    ]
    for process in processes:
        process.start()
    answers = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert sorted(answers, key=len) == [[], [], [], [m.version for m in FILES]], answers
    assert len(query(empty_store, "SELECT version FROM schema_version")) == len(FILES)
    assert empty_store.migrate() == []
