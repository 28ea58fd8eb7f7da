"""Saved scenes behind one small interface (`SceneStore`, app/store/base.py): an SQLite file by default
(app/store/sqlite.py, in `NNLIVE_DATA_DIR`), PostgreSQL when `DATABASE_URL` is set (app/store/postgres.py).
The schema comes from numbered SQL files (app/store/migrate.py); what a scene may hold is checked by
app/store/content.py; ids and edit tokens come from app/store/keys.py."""

from __future__ import annotations

from app.settings import Settings
from app.store.base import SCENE, Scene, SceneContent, SceneInfo, SceneStore, StoreUnavailable
from app.store.postgres import PostgresStore
from app.store.sql import SqlStore
from app.store.sqlite import SqliteStore

SQLITE_FILE = "scenes.sqlite3"  # the embedded store's file in the data directory


def open_store(settings: Settings) -> SceneStore:
    """The store `settings` choose, its schema up to date: PostgreSQL at `database_url`, else SQLite."""
    store: SqlStore
    if settings.database_url:
        store = PostgresStore(settings.database_url, settings.database_pool_size)
    else:
        store = SqliteStore(settings.data_dir / SQLITE_FILE)
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


__all__ = [
    "SCENE",
    "PostgresStore",
    "Scene",
    "SceneContent",
    "SceneInfo",
    "SceneStore",
    "SqliteStore",
    "StoreUnavailable",
    "open_store",
]
