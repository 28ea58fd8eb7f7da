"""The scene store in PostgreSQL (`DATABASE_URL`): what replicas on several machines share.

psycopg 3 with a psycopg-pool connection pool (`database_pool_size` connections at most per process; each
is checked before use, so a restarted database costs a reconnect, not an error). Migrations hold a
transaction-scoped advisory lock, so replicas that start at once apply them once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from app.store.base import StoreUnavailable
from app.store.sql import SqlStore

MIGRATION_LOCK = 0x6E6E6C697665  # the advisory lock's key: "nnlive" in ASCII
CONNECT_SECONDS = 10.0  # how long the first connection may take before the server refuses to start
_NAMED = re.compile(r":(\w+)")


def describe(url: str) -> str:
    """The database `url` names, without its password: "nnlive@db.example:5432/nnlive"."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "(an unreadable DATABASE_URL)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"{user}{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


class PostgresStore(SqlStore):
    """Scenes in the PostgreSQL database at `url` (`migrate()` makes its schema)."""

    def __init__(self, url: str, pool_size: int = 10, connect_seconds: float = CONNECT_SECONDS) -> None:
        self.where = describe(url)
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            check=ConnectionPool.check_connection,
            name="nnlive-scenes",
        )
        try:
            self.pool.open(wait=True, timeout=connect_seconds)
        except PoolTimeout as exc:
            self.pool.close()
            raise StoreUnavailable(
                f"cannot connect to the PostgreSQL database {self.where} within {connect_seconds:g} s "
                "(DATABASE_URL); is it running and reachable?"
            ) from exc

    def close(self) -> None:
        self.pool.close()

    def _sql(self, sql: str) -> str:
        return _NAMED.sub(r"%(\1)s", sql)

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        try:
            with self.pool.connection() as connection:
                yield connection
        except (PoolTimeout, psycopg.OperationalError) as exc:
            raise StoreUnavailable(f"the scene store's database {self.where} failed: {exc}") from exc

    @contextmanager
    def _locked(self) -> Iterator[Any]:
        with self._transaction() as connection:
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            yield connection
