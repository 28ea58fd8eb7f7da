"""Classes and their learners in the store (migration 0002_classes.sql): `ClassTable` over an `SqlStore`.

A class has a join code (6 characters from CODE_ALPHABET, no 0/O or 1/I/L to misread: 31⁶ ≈ 9·10⁸
codes, so a code is not found by trying a few), a teacher's token (256 bits, kept only as its SHA-256, like a
scene's edit token: app/store/keys.py), a title and its `state` (`ClassState`: what the teacher last
decided). A learner who joins gets a member id (a scene-id-like random key) under the name they typed. Every
method blocks: call it from a worker thread.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from app.store import keys
from app.store.base import StoreUnavailable
from app.store.sql import SqlStore

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NAME_LENGTH = 40  # characters of a learner's name
TITLE_LENGTH = 200  # characters of a class's title
ATTEMPTS = 5
Mode = Literal["free", "paused", "watching"]
MODES: tuple[Mode, ...] = ("free", "paused", "watching")


def new_code() -> str:
    """A fresh join code: 6 characters of CODE_ALPHABET."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str | None:
    """`text` as a join code (case and surrounding spaces do not matter), or None when it cannot be one."""
    code = text.strip().upper()
    ok = len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)
    return code if ok else None


@dataclass(frozen=True)
class ClassState:
    """What the teacher decided: the class's mode ("free": learners run their own copy; "paused": everyone's
    run is paused; "watching": learners watch the teacher's broadcast), the scene pushed last (`scene`: a
    saved scene's id, counted by `scene_version` so a push of the same scene loads again), whether names are
    anonymised on the teacher's screen, and the learner shown on the projector (a member id or None)."""

    mode: Mode = "free"
    scene: str | None = None
    scene_version: int = 0
    anonymous: bool = False
    spotlight: str | None = None
    collect_version: int = 0  # counts "collect snapshots" requests

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def changed(self, **changes: Any) -> ClassState:
        return replace(self, **changes)

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> ClassState:
        known = {k: v for k, v in value.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class ClassRecord:
    """A class as stored."""

    code: str
    title: str
    state: ClassState = field(default_factory=ClassState)

    @property
    def url(self) -> str:
        """The link learners open to join."""
        return f"/c/{self.code}"


@dataclass(frozen=True)
class Member:
    """A learner in a class: their id (their key in the class's messages), their name, when they joined."""

    id: str
    name: str
    joined: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class ClassTable:
    """The classes and members tables of `store` (SQLite or PostgreSQL, the same statements)."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store

    def create(self, title: str, token_hash: str, state: ClassState | None = None) -> ClassRecord:
        """A new class under a fresh code."""
        state = state or ClassState()
        now = _now()
        sql = (
            "INSERT INTO classes (code, token_hash, title, state, created_at, updated_at)"
            " VALUES (:code, :token_hash, :title, :state, :now, :now) ON CONFLICT (code) DO NOTHING"
            " RETURNING code"
        )
        values = {"token_hash": token_hash, "title": title, "state": json.dumps(state.to_json()), "now": now}
        for _ in range(ATTEMPTS):
            code = new_code()
            if self.store._one(sql, {**values, "code": code}) is not None:
                return ClassRecord(code, title, state)
        raise StoreUnavailable(f"no free class code found in {ATTEMPTS} tries")

    def get(self, code: str) -> ClassRecord | None:
        row = self.store._one("SELECT code, title, state FROM classes WHERE code = :code", {"code": code})
        return None if row is None else ClassRecord(row[0], row[1], ClassState.from_json(json.loads(row[2])))

    def teacher_matches(self, code: str, token: str) -> bool:
        """Whether `token` is the teacher's token of class `code` (False for an unknown class)."""
        row = self.store._one("SELECT token_hash FROM classes WHERE code = :code", {"code": code})
        return row is not None and keys.token_matches(token, str(row[0]))

    def token_hash(self, code: str) -> str | None:
        row = self.store._one("SELECT token_hash FROM classes WHERE code = :code", {"code": code})
        return None if row is None else str(row[0])

    def set_state(self, code: str, state: ClassState) -> None:
        sql = "UPDATE classes SET state = :state, updated_at = :now WHERE code = :code"
        with self.store._transaction() as connection:
            params = {"state": json.dumps(state.to_json()), "now": _now(), "code": code}
            self.store._run(connection, sql, params)

    def join(self, code: str, name: str) -> Member:
        """Add a learner named `name` to class `code` (which exists)."""
        member = Member(keys.new_id(), name, _now())
        sql = (
            "INSERT INTO class_members (id, class_code, name, joined_at) VALUES (:id, :code, :name, :joined)"
            " RETURNING id"
        )
        self.store._one(sql, {"id": member.id, "code": code, "name": name, "joined": member.joined})
        return member

    def member(self, code: str, member_id: str) -> Member | None:
        sql = "SELECT id, name, joined_at FROM class_members WHERE class_code = :code AND id = :id"
        row = self.store._one(sql, {"code": code, "id": member_id})
        return None if row is None else Member(*row)

    def members(self, code: str) -> list[Member]:
        """The class's learners, in the order they joined."""
        sql = "SELECT id, name, joined_at FROM class_members WHERE class_code = :code ORDER BY joined_at, id"
        return [Member(*row) for row in self.store._all(sql, {"code": code})]
