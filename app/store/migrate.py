"""Schema migrations: numbered SQL files (`migrations/0001_scenes.sql`, …) applied in order, each once, and
recorded in the `schema_version` table — the same files and statements for SQLite and PostgreSQL.

Why not Alembic: the schema is one table whose changes are plain DDL, and the two backends share every
statement; Alembic would bring SQLAlchemy (a second database layer next to sqlite3 and psycopg) to run a
handful of SQL files. This runner is the whole scheme: the caller opens a transaction holding a lock that
every process takes before migrating (PostgreSQL: a transaction-scoped advisory lock; SQLite: `BEGIN
IMMEDIATE`, the database's write lock), and `apply` runs the pending files inside it. Replicas that start at
once wait for each other: the first applies the files, the others find them recorded and apply nothing; a
failing file rolls the whole transaction back, so a version is recorded exactly when its statements stuck.
A file is never edited once released; a change is a new file with the next number.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "migrations"
FILE_NAME = re.compile(r"(\d{4})_(\w+)\.sql")
SCHEMA_VERSION = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""

#: Runs one statement with named parameters (`:name`) in the caller's transaction; returns the cursor.
Run = Callable[[str, Mapping[str, Any] | None], Any]


@dataclass(frozen=True)
class Migration:
    """One SQL file: its version (the file's number), its name and its statements."""

    version: int
    name: str
    statements: tuple[str, ...]


def migrations(folder: Path = FOLDER) -> list[Migration]:
    """The migration files of `folder` in order; their numbers must run 1, 2, 3, … without a gap."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = FILE_NAME.fullmatch(path.name)
        if match is None:
            raise RuntimeError(f"migration file {path.name} is not named like 0001_what_it_does.sql")
        text = path.read_text(encoding="utf-8")
        found.append(Migration(int(match.group(1)), match.group(2), statements(text)))
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers in {folder} must be 1, 2, 3, … without gaps; found {numbers}")
    return found


def statements(sql: str) -> tuple[str, ...]:
    """The statements of an SQL script, split where a statement is complete (strings and comments are
    respected: sqlite3.complete_statement)."""
    out, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip().strip(";").strip():
                out.append(current.strip())
            current = ""
    if current.strip():
        raise RuntimeError(f"an SQL statement is not terminated with ';': {current.strip()[:80]!r}")
    return tuple(out)


def apply(run: Run, found: list[Migration] | None = None) -> list[int]:
    """Apply the migrations not yet recorded, in order; returns the versions applied (none: up to date).

    Call it inside one transaction that holds the migration lock (see the module's docstring)."""
    run(SCHEMA_VERSION, None)
    done = {int(row[0]) for row in run("SELECT version FROM schema_version", None).fetchall()}
    applied = []
    for migration in found if found is not None else migrations():
        if migration.version in done:
            continue
        for statement in migration.statements:
            run(statement, None)
        now = datetime.now(UTC).isoformat()
        record = "INSERT INTO schema_version (version, name, applied_at) VALUES (:version, :name, :now)"
        run(record, {"version": migration.version, "name": migration.name, "now": now})
        applied.append(migration.version)
    return applied
