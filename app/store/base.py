"""The one small interface every scene store has (`SceneStore`), and the records it takes and gives.

A store keeps scenes by id: the checked content (`SceneContent`, from app/store/content.py), the hash of the
owner's edit token, and a `kind` and `class_id` for what the classroom keeps (e.g. a learner's snapshot in a
class); a saved scene has kind "scene" and no class. Stores know nothing of HTTP, tokens or limits: the
routes check those. Every method blocks (call them from a worker thread, never from the event loop); a
backend that cannot be reached raises `StoreUnavailable`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol

SCENE = "scene"  # the kind of a scene saved through /api/scenes


def dumps(value: Any) -> str:
    """Compact JSON, as scenes are stored and measured (NaN and infinities are refused, as JSON has none)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


class StoreUnavailable(RuntimeError):
    """The store's backend cannot be reached or refused the operation (a 503 for clients)."""


@dataclass(frozen=True)
class SceneContent:
    """What a scene holds, already checked: its title, the normalized config (drawn points in
    `config["data"]`), the trained weights or None, the run's history (decimated, with an "epoch" list) or
    None."""

    title: str
    config: dict[str, Any]
    weights: list[dict[str, Any]] | None = None
    history: dict[str, list[Any]] | None = None

    @cached_property
    def body(self) -> str:
        """The stored JSON text of everything but the title."""
        return dumps({"config": self.config, "weights": self.weights, "history": self.history})

    @property
    def size(self) -> int:
        """The bytes the scene takes in the store: its title and body as UTF-8."""
        return len(self.title.encode()) + len(self.body.encode())

    @classmethod
    def from_body(cls, title: str, body: str) -> SceneContent:
        """The content back from its stored form."""
        parts = json.loads(body)
        return cls(title, parts["config"], parts["weights"], parts["history"])

    @property
    def history_points(self) -> int:
        """How many epochs the history keeps (0 without one)."""
        return len(self.history["epoch"]) if self.history else 0


@dataclass(frozen=True)
class SceneInfo:
    """A scene's metadata: what a gallery lists without loading the scene."""

    id: str
    title: str
    kind: str
    class_id: str | None
    size: int  # bytes of the stored title and body (UTF-8 JSON)
    has_weights: bool
    history_points: int
    created: datetime
    updated: datetime

    @property
    def url(self) -> str:
        """The short link that opens the scene on the page."""
        return f"/s/{self.id}"


@dataclass(frozen=True)
class Scene:
    """A whole stored scene."""

    info: SceneInfo
    content: SceneContent


class SceneStore(Protocol):
    """Saved scenes by id. Implementations: `SqliteStore` (embedded), `PostgresStore` (`DATABASE_URL`)."""

    def create(
        self, content: SceneContent, token_hash: str, *, kind: str = SCENE, class_id: str | None = None
    ) -> SceneInfo:
        """Store a new scene under a fresh random id (app/store/keys.py)."""
        ...

    def get(self, scene_id: str) -> Scene | None:
        """The scene, or None when no scene has that id."""
        ...

    def token_hash(self, scene_id: str) -> str | None:
        """The stored hash of the scene's edit token, or None when no scene has that id."""
        ...

    def update(self, scene_id: str, content: SceneContent) -> SceneInfo | None:
        """Replace the scene's content (its id, kind, class and creation time stay); None when it is gone."""
        ...

    def delete(self, scene_id: str) -> bool:
        """Delete the scene; whether there was one."""
        ...

    def lookup(self, ids: Sequence[str]) -> list[SceneInfo]:
        """Metadata of the scenes among `ids`, in the order asked, unknown ids left out."""
        ...

    def in_class(self, class_id: str, kind: str | None = None) -> list[SceneInfo]:
        """Metadata of a class's scenes (of one kind, or all), oldest first."""
        ...

    def close(self) -> None:
        """Release connections (the store is not used after)."""
        ...
