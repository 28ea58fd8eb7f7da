"""Worker threads that give live sessions turns, the fairest first: the session that has used the least CPU.

A session with work to do (commands, or training while playing) waits in a queue; a worker gives it one *turn*
— `turn()` runs its pending commands, a chunk of training and a frame if one is due, and returns when it wants
its next turn: now, at a monotonic time, or None (wait for a command) — and queues it again. So every playing
session gets its share in a steady rhythm, and a paused session costs nothing. (A thread per session, taking
turns through a lock, spent its time waking threads: a woken thread waits for the OS, then for the GIL,
which one thread can hold anyway.)

**Fair shares.** The queue is ordered by each session's *virtual time*, the CPU time its turns have used
(`time.thread_time`), counted in grains of GRAIN seconds — first come, first served within a grain. A session
whose turns are expensive (a big network's update takes 30 ms where a small one's chunk takes 2 ms) moves
ahead in virtual time and waits until the others have had as much CPU; so one heavy session takes one share
of the CPU, never the others' (docs/protocol.md, "Flow control"). A session that joins or wakes from waiting
starts at the queue's current virtual time (no credit for the time it slept). The work within a turn is
capped by the session (app/live/session.py): so a turn, however heavy the session, holds the worker for about
one chunk.

The scheduler keeps its bookkeeping to itself: a session only offers `turn()` and `fail()` (the `Turns`
protocol), and is queued at most once and run by one worker at a time. It records the wait for a turn and the
CPU of each turn (app/metrics.py).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from app.metrics import QUEUE_WAIT, TURN_CPU

log = logging.getLogger("nnlive.sessions")

# One worker: sessions of small networks are Python-bound, and two busy workers only trade the GIL back and
# forth (each NumPy product releases it); with one, three TestClient sessions trained 2.4× more epochs.
TRAIN_THREADS = 1
GRAIN = 0.005  # seconds of CPU: sessions within one grain of virtual time take turns in order of arrival


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
    vtime: float | None = None  # CPU seconds used, on the queue's clock; None: joins at the clock
    ready_since: float = 0.0  # when it last entered the ready queue


class Scheduler:
    """`wake(session)` queues a session for a turn now, `wake(session, at)` not before monotonic time `at`."""

    def __init__(self, threads: int = TRAIN_THREADS, name: str = "nnlive-trainer") -> None:
        self._cond = threading.Condition()
        self._ready: list[
            tuple[int, int, Turns]
        ] = []  # a heap of (grain of virtual time, tie-break, session)
        self._timed: list[tuple[float, int, Turns]] = []  # a heap of (time, tie-break, session)
        self._places: dict[Turns, _Place] = {}  # sessions that are queued or running
        self._ties = itertools.count()
        self._clock = 0.0  # the virtual time of the latest turn given
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

    def _queue(self, session: Turns, at: float | None, vtime: float | None = None) -> None:
        place = self._places.setdefault(session, _Place(vtime=vtime))
        if place.running:  # its worker queues it again when the turn ends
            place.again = place.again or at is None
            return
        if place.queued:
            if at is None and place.wake_at is not None:  # sleeping until later: make it now
                place.wake_at = None
                self._ready_now(session, place)
                self._cond.notify()
            return
        place.queued = True
        if at is None:
            self._ready_now(session, place)
        else:
            place.wake_at = at
            heapq.heappush(self._timed, (at, next(self._ties), session))
        self._cond.notify()

    def _ready_now(self, session: Turns, place: _Place) -> None:
        """Into the ready queue at its virtual time (no earlier than the clock: no credit for sleeping)."""
        place.vtime = max(self._clock, place.vtime if place.vtime is not None else self._clock)
        place.ready_since = time.monotonic()
        heapq.heappush(self._ready, (int(place.vtime / GRAIN), next(self._ties), session))

    def _next(self) -> tuple[Turns, float]:
        """Wait for the next session whose turn it is; it and its virtual time."""
        with self._cond:
            while True:
                now = time.monotonic()
                while self._timed and self._timed[0][0] <= now:
                    at, _, session = heapq.heappop(self._timed)
                    place = self._places.get(session)
                    if place is not None and place.wake_at == at:  # not woken earlier by a command
                        place.wake_at = None
                        self._ready_now(session, place)
                if self._ready:
                    session = heapq.heappop(self._ready)[2]
                    old = self._places[session]
                    vtime = old.vtime if old.vtime is not None else self._clock
                    self._clock = max(self._clock, vtime)
                    QUEUE_WAIT.observe(now - old.ready_since)
                    self._places[session] = _Place(running=True, vtime=vtime)
                    return session, vtime
                self._cond.wait(self._timed[0][0] - now if self._timed else None)

    def _work(self) -> None:
        while True:
            session, vtime = self._next()
            started = time.thread_time()
            try:
                at = session.turn()
            except Exception:
                log.exception("session %s failed", session.id)
                session.fail()
                at = None
            used = time.thread_time() - started
            TURN_CPU.observe(used)
            with self._cond:
                place = self._places.pop(session)
                if place.again:
                    at = time.monotonic()
                if at is not None:  # a session that waits for a command forgets its virtual time
                    self._queue(session, None if at <= time.monotonic() else at, vtime + used)


SCHEDULER = Scheduler()
