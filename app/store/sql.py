"""The scene store over SQL: every statement written once, for SQLite and PostgreSQL alike.

A backend (app/store/sqlite.py, app/store/postgres.py) supplies a connection in a transaction
(`_transaction`), the same holding the migration lock (`_locked`), and the translation of `:name`
parameters into its own style (`_sql`). Every operation here is a single statement, so it needs no
transaction of more than one step; `INSERT … ON CONFLICT DO NOTHING` and `RETURNING` (SQLite ≥ 3.35) keep
each one so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from app.store import keys, migrate
from app.store.base import SCENE, Scene, SceneContent, SceneInfo, StoreUnavailable

INFO = "id, title, kind, class_id, size, has_weights, history_points, created_at, updated_at"
ATTEMPTS = 5  # fresh ids tried before giving up (a clash of two 72-bit ids is already a rarity)


class SqlStore:
    """`SceneStore` over a DB-API connection; subclasses open and lock it."""

    def _transaction(self) -> AbstractContextManager[Any]:
        """A connection in a transaction: committed when the block ends, rolled back when it raises."""
        raise NotImplementedError

    def _locked(self) -> AbstractContextManager[Any]:
        """A transaction holding the lock every process takes before migrating."""
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        """`sql` with `:name` parameters in this backend's style."""
        return sql

    def close(self) -> None:
        """Release connections."""

    def _run(self, connection: Any, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        if params is None:
            return connection.execute(sql)
        return connection.execute(self._sql(sql), dict(params))

    def _one(self, sql: str, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        with self._transaction() as connection:
            row: tuple[Any, ...] | None = self._run(connection, sql, params).fetchone()
            return row

    def _all(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        with self._transaction() as connection:
            return list(self._run(connection, sql, params).fetchall())

    def migrate(self, found: list[migrate.Migration] | None = None) -> list[int]:
        """Bring the schema up to date with the migration files (or `found`, e.g. in a test); the versions
        this call applied (app/store/migrate.py)."""
        with self._locked() as connection:
            return migrate.apply(lambda sql, params: self._run(connection, sql, params), found)

    def create(
        self, content: SceneContent, token_hash: str, *, kind: str = SCENE, class_id: str | None = None
    ) -> SceneInfo:
        now = _now()
        values = {**_columns(content), "token_hash": token_hash, "kind": kind, "class_id": class_id}
        sql = (
            "INSERT INTO scenes (id, token_hash, kind, class_id, title, body, size, has_weights,"
            " history_points, created_at, updated_at) VALUES (:id, :token_hash, :kind, :class_id, :title,"
            " :body, :size, :has_weights, :history_points, :now, :now)"
            f" ON CONFLICT (id) DO NOTHING RETURNING {INFO}"
        )
        for _ in range(ATTEMPTS):
            row = self._one(sql, {**values, "id": keys.new_id(), "now": now})
            if row is not None:
                return _info(row)
        raise StoreUnavailable(f"no free scene id found in {ATTEMPTS} tries")

    def get(self, scene_id: str) -> Scene | None:
        row = self._one(f"SELECT {INFO}, body FROM scenes WHERE id = :id", {"id": scene_id})
        if row is None:
            return None
        info = _info(row)
        return Scene(info, SceneContent.from_body(info.title, row[-1]))

    def token_hash(self, scene_id: str) -> str | None:
        row = self._one("SELECT token_hash FROM scenes WHERE id = :id", {"id": scene_id})
        return None if row is None else str(row[0])

    def update(self, scene_id: str, content: SceneContent) -> SceneInfo | None:
        sql = (
            "UPDATE scenes SET title = :title, body = :body, size = :size, has_weights = :has_weights,"
            f" history_points = :history_points, updated_at = :now WHERE id = :id RETURNING {INFO}"
        )
        row = self._one(sql, {**_columns(content), "id": scene_id, "now": _now()})
        return None if row is None else _info(row)

    def delete(self, scene_id: str) -> bool:
        with self._transaction() as connection:
            cursor = self._run(connection, "DELETE FROM scenes WHERE id = :id", {"id": scene_id})
            return bool(cursor.rowcount == 1)

    def lookup(self, ids: Sequence[str]) -> list[SceneInfo]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        names = {f"id{k}": scene_id for k, scene_id in enumerate(wanted)}
        marks = ", ".join(f":{name}" for name in names)
        rows = self._all(f"SELECT {INFO} FROM scenes WHERE id IN ({marks})", names)
        found = {row[0]: _info(row) for row in rows}
        return [found[scene_id] for scene_id in wanted if scene_id in found]

    def in_class(self, class_id: str, kind: str | None = None) -> list[SceneInfo]:
        params = {"class_id": class_id} if kind is None else {"class_id": class_id, "kind": kind}
        where = " AND ".join(f"{name} = :{name}" for name in params)
        sql = f"SELECT {INFO} FROM scenes WHERE {where} ORDER BY created_at, id"
        return [_info(row) for row in self._all(sql, params)]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _columns(content: SceneContent) -> dict[str, Any]:
    return {
        "title": content.title,
        "body": content.body,
        "size": content.size,
        "has_weights": content.weights is not None,
        "history_points": content.history_points,
    }


def _info(row: Sequence[Any]) -> SceneInfo:
    scene_id, title, kind, class_id, size, has_weights, points, created, updated = row[:9]
    return SceneInfo(
        id=scene_id,
        title=title,
        kind=kind,
        class_id=class_id,
        size=int(size),
        has_weights=bool(has_weights),
        history_points=int(points),
        created=datetime.fromisoformat(created),
        updated=datetime.fromisoformat(updated),
    )
