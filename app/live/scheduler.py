"""Worker threads that give live sessions turns, first come first served.

A session with work to do (commands, or training while playing) waits in a queue; a worker gives it one *turn*
— `turn()` runs its pending commands, a chunk of training and a frame if one is due, and returns when it wants
its next turn: now, at a monotonic time, or None (wait for a command) — and queues it again. So every playing
session gets its share in a steady rhythm, and a paused session costs nothing. (A thread per session, taking
turns through a lock, spent its time waking threads: a woken thread waits for the OS, then for the GIL,
which one thread can hold anyway.)

The scheduler keeps its bookkeeping to itself: a session only offers `turn()` and `fail()` (the `Turns`
protocol), and is queued at most once and run by one worker at a time.
"""

from __future__ import annotations

import collections
import heapq
import itertools
import logging
import threading
import time
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("nnlive.sessions")

# One worker: sessions of small networks are Python-bound, and two busy workers only trade the GIL back and
# forth (each NumPy product releases it); with one, three TestClient sessions trained 2.4× more epochs.
TRAIN_THREADS = 1


class Turns(Protocol):
    """What the scheduler needs of a session."""

    id: int

    def turn(self) -> float | None:
        """Run one turn; return the monotonic time of the next turn wanted (now or later), or None."""
        ...

    def fail(self) -> None:
        """End after an unexpected error in `turn`."""
        ...


@dataclass
class _Place:
    """Where a session stands with the scheduler."""

    queued: bool = False  # in the ready queue, or waiting in the timed heap
    running: bool = False  # a worker runs its turn now
    again: bool = False  # woken while running: it gets another turn at once
    wake_at: float | None = None  # in the timed heap until then


class Scheduler:
    """`wake(session)` queues a session for a turn now, `wake(session, at)` not before monotonic time `at`."""

    def __init__(self, threads: int = TRAIN_THREADS, name: str = "nnlive-trainer") -> None:
        self._cond = threading.Condition()
        self._ready: collections.deque[Turns] = collections.deque()
        self._timed: list[tuple[float, int, Turns]] = []  # a heap of (time, tie-break, session)
        self._places: dict[Turns, _Place] = {}  # sessions that are queued or running
        self._ties = itertools.count()
        self._threads, self._name = threads, name
        self._started = False

    def waiting(self) -> int:
        """Sessions queued for a turn right now."""
        return len(self._ready)

    def wake(self, session: Turns, at: float | None = None) -> None:
        """Give `session` a turn now (or not before `at`)."""
        with self._cond:
            if not self._started:
                self._started = True
                for k in range(self._threads):
                    threading.Thread(target=self._work, name=f"{self._name}-{k}", daemon=True).start()
            self._queue(session, at)

    def _queue(self, session: Turns, at: float | None) -> None:
        place = self._places.setdefault(session, _Place())
        if place.running:  # its worker queues it again when the turn ends
            place.again = place.again or at is None
            return
        if place.queued:
            if at is None and place.wake_at is not None:  # sleeping until later: make it now
                place.wake_at = None
                self._ready.append(session)
                self._cond.notify()
            return
        place.queued = True
        if at is None:
            self._ready.append(session)
        else:
            place.wake_at = at
            heapq.heappush(self._timed, (at, next(self._ties), session))
        self._cond.notify()

    def _next(self) -> Turns:
        """Wait for the next session whose turn it is."""
        with self._cond:
            while True:
                now = time.monotonic()
                while self._timed and self._timed[0][0] <= now:
                    at, _, session = heapq.heappop(self._timed)
                    place = self._places.get(session)
                    if place is not None and place.wake_at == at:  # not woken earlier by a command
                        place.wake_at = None
                        self._ready.append(session)
                if self._ready:
                    session = self._ready.popleft()
                    self._places[session] = _Place(running=True)
                    return session
                self._cond.wait(self._timed[0][0] - now if self._timed else None)

    def _work(self) -> None:
        while True:
            session = self._next()
            try:
                at = session.turn()
            except Exception:
                log.exception("session %s failed", session.id)
                session.fail()
                at = None
            with self._cond:
                place = self._places.pop(session)
                if place.again:
                    at = time.monotonic()
                if at is not None:
                    self._queue(session, None if at <= time.monotonic() else at)


SCHEDULER = Scheduler()
