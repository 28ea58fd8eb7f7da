"""A session's outbox: what its worker produces, handed to the event loop that sends it.

- texts (`data`, `event`, `error`, `ack`): a deque, in order, never dropped; a client that lets more than
  MAX_PENDING_TEXTS pile up unread is cut off (the owner's `on_overflow`);
- frames: a one-place slot, the newest frame wins. The worker asks `wants_frame()` before it computes one: a
  frame is wanted only when the last one has been sent, so a slow client costs no frame work and never queues
  stale frames;
- the rate: a token bucket lets at most `fps` frames a second leave, FRAME_BURST back to back after a quiet
  spell.

Worker side: `put`, `offer_frame`, `wants_frame`, `close`. Event-loop side: `attach`, `post`, `drain`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from app.protocol import ServerText

MAX_PENDING_TEXTS = 1000  # a client that never reads its errors and acks is cut off beyond this
FRAME_BURST = 2.0  # frames the sender may send back to back after a quiet spell

Outgoing = ServerText | bytes


@dataclass
class TokenBucket:
    """At most `rate` tokens a second on average, up to `burst` saved up."""

    burst: float
    tokens: float
    at: float  # when `tokens` was last brought up to date

    def take(self, now: float, rate: float) -> float:
        """Take a token if there is one (returns 0.0); else the seconds until there will be one."""
        self.tokens, self.at = min(self.burst, self.tokens + (now - self.at) * rate), now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / rate


class Outbox:
    """Texts, the newest-frame slot and the frame rate of one session (see the module docstring)."""

    def __init__(self, fps: float, on_overflow: Callable[[], None]) -> None:
        self.fps = fps  # frames per second at most; the session changes it
        self._on_overflow = on_overflow
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._texts: collections.deque[ServerText] = collections.deque()
        self._lock = threading.Lock()  # guards the slot and `_sender_idle`
        self._slot: bytes | None = None
        self._sender_idle = True
        self._closed = False

    # ---- event-loop side ---------------------------------------------------------------------------------

    def attach(self) -> None:
        """Remember the running event loop, which the worker side wakes (call it from that loop)."""
        self._loop = asyncio.get_running_loop()

    def post(self, message: ServerText) -> None:
        """Queue a text from the event loop itself, ahead of any command's reply (hello)."""
        if self._queue(message):
            self._wake.set()

    async def drain(self) -> AsyncIterator[Outgoing]:
        """Everything to send, in order: texts as models, frames as bytes. Ends after `close` once everything
        was handed out. Resuming the iterator means the last item has been sent."""
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(FRAME_BURST, FRAME_BURST, loop.time())
        while True:
            self._wake.clear()
            while self._texts:
                yield self._texts.popleft()
            frame, wait = None, None
            with self._lock:
                if self._slot is not None:
                    wait = bucket.take(loop.time(), self.fps)
                    if wait == 0.0:
                        frame, self._slot = self._slot, None
            if frame is not None:
                yield frame
                with self._lock:
                    self._sender_idle = True
                continue
            if self._closed and self._slot is None and not self._texts:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    # ---- worker side -------------------------------------------------------------------------------------

    def put(self, message: ServerText) -> None:
        """Queue a text from a worker thread."""
        if self._queue(message):
            self._notify()

    def wants_frame(self) -> bool:
        """True when the last frame has been sent and none waits: a new one would go out."""
        with self._lock:
            return self._sender_idle and self._slot is None

    def offer_frame(self, data: bytes) -> None:
        """Put a frame in the slot, replacing any that still waits."""
        with self._lock:
            self._slot = data
            self._sender_idle = False
        self._notify()

    def close(self) -> None:
        """Nothing more will come: `drain` ends once the rest is handed out."""
        self._closed = True
        self._notify()

    def _queue(self, message: ServerText) -> bool:
        if len(self._texts) >= MAX_PENDING_TEXTS:
            self._on_overflow()
            return False
        self._texts.append(message)
        return True

    def _notify(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody listens any more
                self._loop.call_soon_threadsafe(self._wake.set)
