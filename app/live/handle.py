"""The web process's side of one live session: counted in the app's registry (the machine's limits), given to
a training process (app/live/pool.py), its commands forwarded there in order, and what it produces waiting in
its outbox (app/live/outbox.py) for the socket. The session's turns run in the training process
(app/live/session.py).

Event-loop side: `start`, `post`, `submit`, `reject`, `outgoing`, `stop`. From the pool's reader thread:
`ended` (the session's last turn is over) and `lost` (its training process died).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import AsyncIterator

from app.errors import problem, ws_error
from app.live.outbox import Outbox, Outgoing
from app.live.pool import NoTrainingProcess, Pool, TrainingProcess
from app.live.registry import Registry, SessionLimit
from app.live.session import Rejection
from app.live.wire import COMMAND, SENT, STOP
from app.metrics import SESSIONS_STARTED
from app.protocol import Command, Error, FrameOptions, ServerText
from app.settings import Settings

_ids = itertools.count(1)
log = logging.getLogger("nnlive.sessions")
LOST = "the training process of this session stopped; reconnect to go on"


class SessionHandle:
    """One live session, as the web process sees it (see the module docstring)."""

    def __init__(self, settings: Settings, registry: Registry, pool: Pool, client: str | None = None) -> None:
        self.id = next(_ids)
        self.settings = settings
        self.client = client
        self.options = FrameOptions(fps=settings.max_fps)  # the session's frame options before any `set`
        self.outbox = Outbox(settings.max_fps, on_overflow=self._cut_off, on_sent=self._sent)
        self.close: tuple[int, str] = (1011, "internal error")  # close code and reason if it ends on its own
        self._registry, self._pool = registry, pool
        self._process: TrainingProcess | None = None
        self._stopping = threading.Event()
        self._cut = False
        self._ended = threading.Lock()  # held once the session has ended

    # ---- event-loop side ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Count the session (SessionLimit when the machine or this client is full) and give it to a training
        process (SessionLimit when none is ready)."""
        self._registry.add(self, self.client)
        self.outbox.attach()
        try:
            self._process = await self._pool.open(self)
        except NoTrainingProcess as exc:
            self._registry.discard(self)
            raise SessionLimit(str(exc), "unavailable") from None
        SESSIONS_STARTED.inc()
        log.info("session start id=%s client=%s process=%s", self.id, self.client, self._process.pid)

    @property
    def stopping(self) -> bool:
        """True once the session is ending (disconnect, a client that never reads, or a lost process)."""
        return self._stopping.is_set()

    def post(self, message: ServerText) -> None:
        """Queue a text message from the event loop itself, ahead of any command's reply (hello)."""
        self.outbox.post(message)

    def submit(self, command: Command) -> None:
        """Forward a command to the session, in order."""
        self._send((COMMAND, self.id, command))

    def reject(self, error: Error) -> None:
        """Forward the `error` for a refused message: it goes out behind the replies to the commands before
        it."""
        self._send((COMMAND, self.id, Rejection(error)))

    def outgoing(self) -> AsyncIterator[Outgoing]:
        """The outbox's `drain()`: texts and frames to send, in order, until the session has ended."""
        return self.outbox.drain()

    def stop(self) -> None:
        """End the session (within one turn of its process); safe to call twice."""
        if not self._stopping.is_set():
            self._stopping.set()
            self._send((STOP, self.id))

    def _sent(self, seq: int) -> None:
        self._send((SENT, self.id, seq))

    def _cut_off(self) -> None:
        """A client that lets too many messages pile up unread: end with close code 1008."""
        self._cut = True
        self.close = (1008, "too many unread messages")
        self.stop()

    def _send(self, message: tuple[object, ...]) -> None:
        if self._process is not None:
            self._process.send(message)

    # ---- from the pool's reader thread -------------------------------------------------------------------

    def ended(self, code: int, reason: str) -> None:
        """The session's last turn is over; `code` closes the socket if it is still open."""
        if not self._cut:
            self.close = (code, reason)
        self._finish()

    def lost(self) -> None:
        """The session's training process died: tell the client, and close with 1011."""
        self.outbox.put(ws_error(problem(None, None, "", LOST)).model_dump_json())
        self.close = (1011, "training process stopped")
        self._stopping.set()
        self._finish()

    def _finish(self) -> None:
        if self._ended.acquire(blocking=False):
            self._registry.discard(self)
            self.outbox.close()
