"""The embedded scene store: one SQLite file, nothing to set up.

Every operation opens its own short connection (cheap for a local file, and safe from any thread); the file
is in WAL mode, so readers never wait for a writer and several server processes on one machine share it.
A replica on another machine needs PostgreSQL instead (`DATABASE_URL`): app/store/postgres.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from app.store.base import StoreUnavailable
from app.store.sql import SqlStore

BUSY_SECONDS = 30.0  # how long a statement waits for another process's write lock


class SqliteStore(SqlStore):
    """Scenes in the SQLite file `path` (created with its folder; `migrate()` makes its schema)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the scene store's folder {path.parent}: {exc}") from exc
        with self._transaction() as connection:
            connection.execute("PRAGMA journal_mode=WAL")  # stays set in the file

    @contextmanager
    def _connection(self, begin: str | None) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the scene store {self.path}: {exc}") from exc
        try:
            if begin is not None:
                connection.execute(begin)
            yield connection
            if connection.in_transaction:
                connection.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # locked too long, disk full, read-only file, …
            raise StoreUnavailable(f"the scene store {self.path} failed: {exc}") from exc
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            connection.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        # Each operation of SqlStore is one statement: autocommit makes it its own transaction.
        return self._connection(None)

    def _locked(self) -> AbstractContextManager[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the database's write lock at once: a second process waits here, then sees
        # the first one's schema_version.
        return self._connection("BEGIN IMMEDIATE")
