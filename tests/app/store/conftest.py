"""The store contract runs against both backends: `store` is an SQLite file and a real PostgreSQL database,
each new and migrated for the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.store import PostgresStore, SqliteStore
from app.store.sql import SqlStore

BACKENDS = ["sqlite", "postgres"]


def make_store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> SqlStore:
    """A new, unmigrated store of `backend` (the PostgreSQL one on a fresh database)."""
    if backend == "sqlite":
        return SqliteStore(tmp_path / "scenes.sqlite3")
    return PostgresStore(request.getfixturevalue("database_url"), pool_size=4)


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """A store without its schema yet, SQLite and PostgreSQL in turn."""
    made = make_store(request.param, request, tmp_path)
    yield made
    made.close()


@pytest.fixture
def store(empty_store: SqlStore) -> SqlStore:
    """A migrated store, SQLite and PostgreSQL in turn."""
    empty_store.migrate()
    return empty_store


def query(store: SqlStore, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of `sql` straight from the store's database (to look under the interface)."""
    with store._transaction() as connection:
        cursor = store._run(connection, sql, params)
        return list(cursor.fetchall()) if cursor.description else []
