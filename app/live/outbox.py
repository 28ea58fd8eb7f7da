"""A session's outbox in the web process: what its training process produced, waiting for the socket.

- texts (`data`, `event`, `error`, `ack`, as the JSON text they are sent as): a deque, in order, never
  dropped; a client that lets more than MAX_PENDING_TEXTS pile up unread is cut off (the owner's
  `on_overflow`);
- frames: a one-place slot, the newest frame wins. Every frame written to the socket is reported back
  (`on_sent(seq)`): the training process makes the next frame only then, so a slow client costs no frame work
  and never queues stale frames;
- the rate: a token bucket lets at most `fps` frames a second leave, FRAME_BURST back to back after a quiet
  spell.

Producer side (the pool's reader thread): `put`, `offer_frame`, `close`. Event-loop side: `attach`, `post`,
`drain`.
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

Outgoing = str | bytes  # a text message's JSON, or a binary frame


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

    def __init__(self, fps: float, on_overflow: Callable[[], None], on_sent: Callable[[int], None]) -> None:
        self.fps = fps  # frames per second at most: the rate of the latest frame offered
        self._on_overflow = on_overflow
        self._on_sent = on_sent
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._texts: collections.deque[str] = collections.deque()
        self._lock = threading.Lock()  # guards the slot
        self._slot: tuple[int, bytes] | None = None  # (seq, frame)
        self._closed = False

    # ---- event-loop side ---------------------------------------------------------------------------------

    def attach(self) -> None:
        """Remember the running event loop, which the producer side wakes (call it from that loop)."""
        self._loop = asyncio.get_running_loop()

    def post(self, message: ServerText) -> None:
        """Queue a text from the event loop itself, ahead of any command's reply (hello)."""
        if self._queue(message.model_dump_json()):
            self._wake.set()

    async def drain(self) -> AsyncIterator[Outgoing]:
        """Everything to send, in order: texts as JSON text, frames as bytes. Ends after `close` once
        everything was handed out. Resuming the iterator means the last item has been sent."""
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
                yield frame[1]
                self._on_sent(frame[0])
                continue
            if self._closed and self._slot is None and not self._texts:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    # ---- producer side -----------------------------------------------------------------------------------

    def put(self, text: str) -> None:
        """Queue a text message's JSON (from the reader thread)."""
        if self._queue(text):
            self._notify()

    def offer_frame(self, seq: int, fps: float, data: bytes) -> None:
        """Put frame `seq` in the slot, replacing any that still waits; `fps` is the session's rate now."""
        with self._lock:
            self._slot = (seq, data)
            self.fps = fps
        self._notify()

    def close(self) -> None:
        """Nothing more will come: `drain` ends once the rest is handed out."""
        self._closed = True
        self._notify()

    def _queue(self, text: str) -> bool:
        if len(self._texts) >= MAX_PENDING_TEXTS:
            self._on_overflow()
            return False
        self._texts.append(text)
        return True

    def _notify(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody listens any more
                self._loop.call_soon_threadsafe(self._wake.set)
