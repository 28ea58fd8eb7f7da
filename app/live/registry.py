"""The live sessions of one app: counted, and refused beyond the process's limit."""

from __future__ import annotations

import threading


class SessionLimit(RuntimeError):
    """The process already runs its maximum number of sessions."""


class Registry:
    """The live sessions of an app, counted until each has really ended (its last turn is over)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._sessions: set[object] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def add(self, session: object) -> None:
        with self._lock:
            if len(self._sessions) >= self.limit:
                raise SessionLimit(f"this server runs at most {self.limit} live sessions; try again later")
            self._sessions.add(session)

    def discard(self, session: object) -> None:
        with self._lock:
            self._sessions.discard(session)
