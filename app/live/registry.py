"""The live sessions of an app: counted, and refused beyond the process's limit and beyond one client's share.

Counts live in the web process (the one that owns the sockets), whichever process trains the sessions.
"""

from __future__ import annotations

import collections
import threading

from app.metrics import LIVE_SESSIONS


class SessionLimit(RuntimeError):
    """The process already runs its maximum number of sessions, or this client its share; `reason` says which
    ("full" or "client")."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class Registry:
    """The live sessions of an app, counted until each has really ended (its last turn is over), in total and
    per client address."""

    def __init__(self, limit: int, per_client: int | None = None) -> None:
        self.limit = limit
        self.per_client = per_client or limit
        self._sessions: dict[object, str | None] = {}  # session → client address
        self._clients: collections.Counter[str | None] = collections.Counter()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def add(self, session: object, client: str | None = None) -> None:
        """Count `session` of `client` (its address); SessionLimit when full or when the client has its
        share."""
        with self._lock:
            if len(self._sessions) >= self.limit:
                message = f"this server runs at most {self.limit} live sessions; try again later"
                raise SessionLimit(message, "full")
            if self._clients[client] >= self.per_client:
                message = (
                    f"at most {self.per_client} live sessions per client address; close one and try again"
                )
                raise SessionLimit(message, "client")
            self._sessions[session] = client
            self._clients[client] += 1
            LIVE_SESSIONS.inc()

    def discard(self, session: object) -> None:
        with self._lock:
            if session not in self._sessions:
                return
            client = self._sessions.pop(session)
            self._clients[client] -= 1
            if self._clients[client] <= 0:
                del self._clients[client]
            LIVE_SESSIONS.dec()
