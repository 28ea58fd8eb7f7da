"""Live training sessions: each WebSocket connection has a `Session` that owns a `nncore.Trainer`; the event
loop only posts commands and sends what the session puts out (protocol: docs/protocol.md).

The training work runs in the `Scheduler`'s worker threads (`TRAIN_THREADS` per process, shared by every
session), never in the event loop. A session with work to do (commands, or training while playing) waits in a
first-come-first-served queue; a worker gives it one *turn* — its pending commands, then up to
`CHUNK_SECONDS` of `trainer.step()` calls (less when others wait), then a frame if one is due — and puts it
back at the end of the queue. So pause, set and close take effect within one turn, every playing session gets
its share in a steady rhythm, and a paused session costs nothing. (A thread per session, taking turns through
a lock, spent its time waking threads: a woken thread waits for the OS, then for the GIL, which one thread
can hold anyway.)

Hand-offs between a session's two sides:
- commands, event loop → worker: a queue, run in order at the start of the session's next turn; at most
  MAX_PENDING_COMMANDS commands wait (one more is refused: `Busy`), and the `error`s for refused messages
  wait in the same queue, so replies keep the order of the client's messages;
- texts (`data`, `event`, `error`, `ack`), worker → event loop: a deque, never dropped;
- frames, worker → event loop: a one-place slot, the newest frame wins. While playing, a frame is encoded only
  when the sender is idle (the last frame went out) and the frame interval has passed, so a slow client costs
  no frame work and never queues stale frames. Frames a command asks for (after configure, pause, step,
  weights, …) replace whatever waits in the slot. The sender never exceeds the frame rate.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import enum
import heapq
import itertools
import logging
import math
import queue
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from app.encoding import encode_frame, wire_json
from app.errors import config_problem, problem, ws_error
from app.schemas import Command, Configure, Pause, Play, Points, Reset, Set, Step, Weights
from app.settings import Settings
from nncore import Trainer
from nncore.errors import ConfigError

log = logging.getLogger("nnlive.sessions")

# One worker: sessions of small networks are Python-bound, and two busy workers only trade the GIL back and
# forth (each NumPy product releases it); with one, three TestClient sessions trained 2.4× more epochs.
TRAIN_THREADS = 1
CHUNK_SECONDS = 0.02  # the longest run of training in one turn
MIN_CHUNK_SECONDS = 0.0005  # the shortest, when many sessions wait for a turn: ~40 % of an overloaded turn
MAX_FRAME_DELAY = 1.0  # the longest an expensive frame holds back its session's next one, in seconds
FRAME_BURST = 2.0  # frames the sender may send back to back after a quiet spell
MAX_PENDING_COMMANDS = 64
MAX_PENDING_TEXTS = 1000  # a client that never reads its errors and acks is cut off beyond this
_ids = itertools.count(1)

Outgoing = dict[str, Any] | bytes


@dataclass(frozen=True)
class Rejection:
    """An `error` for a message the event loop refused (unparsable, or Busy): it waits in the command queue
    like a command, so replies keep the order of the client's messages."""

    message: dict[str, Any]


class Mode(enum.Enum):
    PAUSED = "paused"
    PLAYING = "playing"
    STEPPING = "stepping"


class SessionLimit(RuntimeError):
    """The process already runs its maximum number of sessions."""


class Busy(RuntimeError):
    """A client sent commands faster than its session can apply them."""


@dataclass
class FrameOptions:
    """What each frame carries and how often one may go out."""

    grid: int = 100
    neuron_grid: int = 32
    neurons: bool = True
    fps: float = 30.0


class Scheduler:
    """Worker threads that give sessions turns, first come first served (see the module docstring).

    `wake(session)` queues a session for a turn now, `wake(session, at)` not before monotonic time `at` (a
    paced session ahead of its schedule). A session is queued at most once and run by one worker at a time;
    `Session.turn()` returns when it wants its next turn: now, at a time, or None (wait for a command).
    """

    def __init__(self, threads: int = TRAIN_THREADS) -> None:
        self._cond = threading.Condition()
        self._ready: collections.deque[Session] = collections.deque()
        self._timed: list[tuple[float, int, Session]] = []  # a heap of (time, tie-break, session)
        self._threads = threads
        self._started = False

    def waiting(self) -> int:
        """Sessions queued for a turn right now."""
        return len(self._ready)

    def wake(self, session: Session, at: float | None = None) -> None:
        """Give `session` a turn now (or not before `at`)."""
        with self._cond:
            if not self._started:
                self._started = True
                for k in range(self._threads):
                    threading.Thread(target=self._work, name=f"nnlive-trainer-{k}", daemon=True).start()
            self._queue(session, at)

    def _queue(self, session: Session, at: float | None) -> None:
        if session._running:  # its worker queues it again when the turn ends
            session._again = True if at is None else session._again
            return
        if session._queued:
            if at is None and session._wake_at is not None:  # sleeping until later: make it now
                session._wake_at = None
                self._ready.append(session)
                self._cond.notify()
            return
        session._queued = True
        if at is None:
            self._ready.append(session)
        else:
            session._wake_at = at
            heapq.heappush(self._timed, (at, session.id, session))
        self._cond.notify()

    def _next(self) -> Session:
        """Wait for the next session whose turn it is."""
        with self._cond:
            while True:
                now = time.monotonic()
                while self._timed and self._timed[0][0] <= now:
                    at, _, session = heapq.heappop(self._timed)
                    if session._wake_at == at:  # not woken earlier by a command
                        session._wake_at = None
                        self._ready.append(session)
                if self._ready:
                    session = self._ready.popleft()
                    session._queued, session._running, session._again = False, True, False
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
                session._running = False
                if session._again:
                    at = time.monotonic()
                if at is not None:
                    self._queue(session, None if at <= time.monotonic() else at)


SCHEDULER = Scheduler()


class Registry:
    """The live sessions of an app, counted until each has really ended (its last turn is over)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._sessions: set[Session] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def add(self, session: Session) -> None:
        with self._lock:
            if len(self._sessions) >= self.limit:
                raise SessionLimit(f"this server runs at most {self.limit} live sessions; try again later")
            self._sessions.add(session)

    def discard(self, session: Session) -> None:
        with self._lock:
            self._sessions.discard(session)


class Session:
    """One live session. Event-loop side: `start`, `post`, `submit`, `outgoing`, `stop`. Everything else runs
    in a scheduler thread during the session's turn; only turns touch the trainer."""

    def __init__(self, settings: Settings, registry: Registry) -> None:
        self.id = next(_ids)
        self.settings = settings
        self._registry = registry
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._commands: queue.Queue[Command | Rejection] = queue.Queue()  # only the event loop puts
        self._texts: collections.deque[dict[str, Any]] = collections.deque()
        self._lock = threading.Lock()  # guards the frame slot and `_sender_idle`
        self._slot: bytes | None = None
        self._sender_idle = True
        self._stopping = threading.Event()
        self._ended = False
        self.close: tuple[int, str] = (1011, "internal error")  # close code and reason if it ends on its own
        # the scheduler's bookkeeping (guarded by its lock)
        self._queued = self._running = self._again = False
        self._wake_at: float | None = None
        # worker state
        self.trainer: Trainer | None = None
        self.options = FrameOptions(fps=settings.max_fps)
        self._mode = Mode.PAUSED
        self._speed = 0.0
        self._target: tuple[str, int] | None = None  # ("epoch" | "update", value) while stepping
        self._pace_origin = (0.0, 0)  # (time, step_count) when playing started at a set speed
        self._events_sent = 0
        self._next_frame_at = 0.0
        self._last_frame_step = -1

    # ---- event-loop side ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Register (raises SessionLimit when full); from now on commands get turns."""
        self._registry.add(self)
        self._loop = asyncio.get_running_loop()

    @property
    def stopping(self) -> bool:
        """True once the session is ending (disconnect, or a client that never reads its messages)."""
        return self._stopping.is_set()

    def post(self, message: dict[str, Any]) -> None:
        """Queue a text message from the event loop itself, ahead of any command's reply (hello)."""
        if len(self._texts) >= MAX_PENDING_TEXTS:
            self._cut_off()
            return
        self._texts.append(message)
        self._wake.set()

    def submit(self, command: Command) -> None:
        """Queue a command for the worker; raises Busy when too many are pending."""
        if self._commands.qsize() >= MAX_PENDING_COMMANDS:
            raise Busy(f"more than {MAX_PENDING_COMMANDS} commands are waiting; slow down")
        self._commands.put_nowait(command)
        SCHEDULER.wake(self)

    def reject(self, error: dict[str, Any]) -> None:
        """Queue the `error` for a refused message behind the commands before it; a client that piles up
        more than MAX_PENDING_TEXTS of them is cut off like one that never reads."""
        if self._commands.qsize() >= MAX_PENDING_COMMANDS + MAX_PENDING_TEXTS:
            self._cut_off()
            return
        self._commands.put_nowait(Rejection(error))
        SCHEDULER.wake(self)

    def _cut_off(self) -> None:
        """A client that lets too many messages pile up unread: end with close code 1008."""
        self.close = (1008, "too many unread messages")
        self.stop()

    def stop(self) -> None:
        """End the session at its next turn (within one chunk); safe to call twice."""
        self._stopping.set()
        SCHEDULER.wake(self)

    async def outgoing(self) -> AsyncIterator[Outgoing]:
        """Messages to send, in order: texts as dicts, frames as bytes. Ends after the session has ended and
        everything it produced was handed out. Resuming the iterator means the last item has been sent."""
        loop = asyncio.get_running_loop()
        tokens, refilled = FRAME_BURST, loop.time()  # a token bucket: at most fps frames/s on average
        while True:
            self._wake.clear()
            while self._texts:
                yield self._texts.popleft()
            fps, now = self.options.fps, loop.time()
            tokens, refilled = min(FRAME_BURST, tokens + (now - refilled) * fps), now
            frame, wait = None, None
            with self._lock:
                if self._slot is not None:
                    wait = (1.0 - tokens) / fps
                    if tokens >= 1.0:
                        frame, self._slot = self._slot, None
            if frame is not None:
                tokens -= 1.0
                yield frame
                with self._lock:
                    self._sender_idle = True
                continue
            if self._ended and self._slot is None and not self._texts:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    # ---- worker side: hand-offs ----------------------------------------------------------------------------

    def _notify(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody listens any more
                self._loop.call_soon_threadsafe(self._wake.set)

    def _send(self, message: dict[str, Any]) -> None:
        if len(self._texts) >= MAX_PENDING_TEXTS:
            self._cut_off()
            return
        self._texts.append(message)
        self._notify()

    def _error(self, detail: dict[str, Any], message_id: Any = None) -> None:
        self._send(ws_error(detail, message_id))

    def _frame(self, force: bool) -> None:
        """Put a fresh frame in the slot: always when `force`, else only when the sender is idle, the interval
        has passed and the trainer moved since the last frame."""
        trainer = self.trainer
        if trainer is None:
            return
        now = time.monotonic()
        if not force:
            with self._lock:
                idle = self._sender_idle and self._slot is None
            if not idle or now < self._next_frame_at or trainer.step_count == self._last_frame_step:
                return
        o, started = self.options, time.thread_time()
        data = encode_frame(trainer.frame(grid=o.grid, neuron_grid=o.neuron_grid if o.neurons else None))
        with self._lock:
            self._slot = data
            self._sender_idle = False
        # Frames are due on a grid of 1/fps, so late frames do not lower the rate; an expensive frame (a big
        # network at big grids: 150 ms of CPU) waits its fair share, so its session cannot starve the others.
        share = min(MAX_FRAME_DELAY, (time.thread_time() - started) * (1 + SCHEDULER.waiting()))
        self._next_frame_at = max(now + share, self._next_frame_at + 1.0 / o.fps)
        self._last_frame_step = trainer.step_count
        self._notify()

    def _forward_events(self) -> None:
        """Each trainer event exactly once, as an `event` message, whether or not frames were dropped."""
        if self.trainer is None:
            return
        events = self.trainer.events
        for event in events[self._events_sent :]:
            self._send(
                {
                    "type": "event",
                    "event": event["type"],
                    "epoch": event["epoch"],
                    "message": event["message"],
                }
            )
        self._events_sent = len(events)

    # ---- worker side: the loop ---------------------------------------------------------------------------

    def turn(self) -> float | None:
        """One turn (in a scheduler thread): pending commands, a chunk of training, a frame if due. Returns
        the monotonic time of the next turn wanted (now or later), or None to wait for a command."""
        if self._stopping.is_set():
            self._end()
            return None
        for _ in range(MAX_PENDING_COMMANDS + MAX_PENDING_TEXTS):
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                break
            self._apply(command)
        if self._mode is not Mode.PAUSED:
            self._train_chunk()
        self._forward_events()
        if self._mode is not Mode.PAUSED:
            self._frame(force=False)
        return self._next_turn()

    def fail(self) -> None:
        """After an unexpected error in a turn: tell the client and end."""
        self._error(problem(None, None, "", "internal error in this session; reconnect to start over"))
        self._end()

    def _end(self) -> None:
        if not self._ended:
            self.trainer = None
            self._ended = True
            self._registry.discard(self)
            self._notify()

    def _next_turn(self) -> float | None:
        """Now while there is training to do; later when playing at a speed and ahead; None when paused."""
        now = time.monotonic()
        if self._stopping.is_set() or not self._commands.empty():
            return now
        if self._mode is Mode.PAUSED or self.trainer is None:
            return None
        if self._mode is Mode.PLAYING and self._speed > 0:
            behind = self._paced_step() - self.trainer.step_count
            if behind < 1:
                return now + min(
                    1.0 / self.options.fps, (1 - behind) / (self._speed * self._updates_per_epoch())
                )
        return now

    def _updates_per_epoch(self) -> int:
        assert self.trainer is not None
        return self.trainer.updates_per_epoch

    def _paced_step(self) -> float:
        """The step count a session playing at `speed` epochs/s should have reached by now."""
        started, step0 = self._pace_origin
        return step0 + (time.monotonic() - started) * self._speed * self._updates_per_epoch()

    def _train_chunk(self) -> None:
        trainer = self.trainer
        assert trainer is not None
        now = time.monotonic()
        # a shorter turn when others wait, so that every session's frames keep coming
        deadline = now + max(MIN_CHUNK_SECONDS, CHUNK_SECONDS / (1 + SCHEDULER.waiting()))
        with self._lock:
            wants_frame = self._sender_idle and self._slot is None
        if wants_frame:  # stop when the next frame is due, but train at least MIN_CHUNK_SECONDS: under load
            deadline = min(deadline, max(now + MIN_CHUNK_SECONDS, self._next_frame_at))  # frames are late
        paced = self._paced_step() if self._mode is Mode.PLAYING and self._speed > 0 else math.inf
        while not trainer.done and not self._stopping.is_set():
            if trainer.step_count + 1 > paced or self._reached_target():
                break
            trainer.step()
            if time.monotonic() >= deadline:
                break
        if trainer.done or (self._mode is Mode.STEPPING and self._reached_target()):
            self._mode, self._target = Mode.PAUSED, None
            self._forward_events()
            self._frame(force=True)

    def _reached_target(self) -> bool:
        if self._target is None or self.trainer is None:
            return False
        unit, value = self._target
        return (self.trainer.epoch if unit == "epoch" else self.trainer.step_count) >= value

    # ---- worker side: commands -----------------------------------------------------------------------------

    def _apply(self, command: Command | Rejection) -> None:
        """Run one client command; a ConfigError becomes an `error` and the session carries on."""
        if isinstance(command, Rejection):
            self._send(command.message)
            return
        try:
            if isinstance(command, Configure):
                self._configure(command.config)
            elif self.trainer is None:
                raise ConfigError("type", command.type, "send configure first: there is no network yet")
            else:
                self._command(command)
        except ConfigError as exc:
            self._error(config_problem(exc), command.id)

    def _configure(self, config: dict[str, Any]) -> None:
        self._start_trainer(Trainer(config))

    def _start_trainer(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self._mode, self._target, self._events_sent = Mode.PAUSED, None, 0
        self._send_data()
        self._frame(force=True)

    def _send_data(self) -> None:
        t = self.trainer
        assert t is not None
        d = t.data
        message = {
            "type": "data",
            "train": {"points": d.X_train, "labels": d.y_train},
            "test": {"points": d.X_test, "labels": d.y_test},
            "extent": t.extent,
            "task": d.task,
            "classes": d.classes,
            "config": t.config,
        }
        self._send(wire_json(message))

    def _command(self, command: Command) -> None:
        trainer = self.trainer
        assert trainer is not None
        if isinstance(command, Play):
            if trainer.done:
                raise ConfigError("type", "play", "training is done; send reset or configure to start over")
            self._play(Mode.PLAYING)
            self._send({"type": "event", "event": "playing", "epoch": trainer.epoch, "message": "playing"})
        elif isinstance(command, Pause):
            self._mode, self._target = Mode.PAUSED, None
            self._send({"type": "event", "event": "paused", "epoch": trainer.epoch, "message": "paused"})
            self._frame(force=True)
        elif isinstance(command, Step):
            self._step(command)
        elif isinstance(command, Reset):
            self._start_trainer(Trainer(trainer.config))
        elif isinstance(command, Set):
            self._set(command)
            self._send({"type": "ack", "id": command.id, "of": "set"})
        elif isinstance(command, Points):
            self._points(command)
            self._send({"type": "ack", "id": command.id, "of": "points"})
            self._send_data()
            self._frame(force=True)
        elif isinstance(command, Weights):
            self._weights(command)
            self._send({"type": "ack", "id": command.id, "of": "weights"})
            self._frame(force=True)

    def _play(self, mode: Mode) -> None:
        assert self.trainer is not None
        if mode is Mode.PLAYING:
            self._target = None  # play after a step: no target left
        self._mode = mode
        self._pace_origin = (time.monotonic(), self.trainer.step_count)

    def _step(self, command: Step) -> None:
        assert self.trainer is not None
        limit = self.settings.max_step
        if command.n > limit:
            raise ConfigError("n", command.n, f"must be an integer in [1, {limit}]")
        if self.trainer.done:
            raise ConfigError("type", "step", "training is done; send reset or configure to start over")
        now = self.trainer.epoch if command.unit == "epoch" else self.trainer.step_count
        self._target = (command.unit, now + command.n)
        self._play(Mode.STEPPING)

    def _set(self, command: Set) -> None:
        """Check everything first, then apply: a refused `set` changes nothing."""
        assert self.trainer is not None
        options = self._frame_options(command.frame.model_dump(exclude_none=True)) if command.frame else None
        hyper = command.hyper()
        if hyper:
            self.trainer.update_hyper(hyper)  # checks every change before applying any
        if command.speed is not None:
            self._speed = command.speed
            if self._mode is Mode.PLAYING:
                self._play(Mode.PLAYING)
        if options is not None:
            self.options = options
            self._frame(force=True)

    def _frame_options(self, changes: dict[str, Any]) -> FrameOptions:
        """The frame options with `changes` applied (a new object); raises ConfigError on a bad one."""
        s = self.settings
        limits = {"grid": (2, s.max_grid), "neuron_grid": (2, s.max_neuron_grid)}
        for key, (lo, hi) in limits.items():
            if key in changes and not lo <= changes[key] <= hi:
                raise ConfigError(f"frame.{key}", changes[key], f"must be an integer in [{lo}, {hi}]")
        if "fps" in changes:
            changes["fps"] = min(float(changes["fps"]), s.max_fps)
        return dataclasses.replace(self.options, **changes)

    def _points(self, command: Points) -> None:
        assert self.trainer is not None
        self.trainer.edit_points(command.op, command.points, command.labels, command.indices)

    def _weights(self, command: Weights) -> None:
        assert self.trainer is not None
        if command.kind == "W":
            if command.i is None:
                raise ConfigError("i", None, "kind W needs the row i")
            self.trainer.set_weight(command.layer, command.i, command.j, command.value)
        else:
            self.trainer.set_bias(command.layer, command.j, command.value)
