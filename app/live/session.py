"""A live training session, in a training process (app/live/worker.py): a `Session` owns a `nncore.Trainer`
and runs in turns on the process's scheduler thread (app/live/scheduler.py), never in the web process's event
loop (protocol: docs/protocol.md). The web process's side of the same session is app/live/handle.py; what the
session produces leaves through its `Out` (texts in order, the newest frame), which carries it to that side.

A turn (`turn()`): the pending commands in order, then either a piece of the frame being built or up to
CHUNK_SECONDS of `trainer.step()` calls (less when others wait) and the start of a frame if one is due. So
pause, set and close take effect within one turn. Commands wait in a queue, run in order at the start of the
next turn; at most MAX_PENDING_COMMANDS wait (one more is refused with an `error` in its place), and the
`error`s for messages the web process refused wait in the same queue, so replies keep the order of the
client's messages. Any exception of a command becomes an `error` for that command (logged with the session's
context); the session goes on.

**The work of one turn is capped**, so that a heavy session (a big network, a big batch, big grids) never
holds the worker for long: training stops at the turn's deadline (after at least one update: an update is the
smallest piece of training); a frame's grids are evaluated in pieces of about PIECE_SECONDS of CPU
(`nncore.frames.GridBuilder`), over as many turns as they need, while the session trains no further (the frame
shows one state); the scheduler's fair queue (app/live/scheduler.py) then gives the heavy session no more CPU
than any other. Frames a command asks for (after configure, pause, a step's end, weights, points, a `frame`
change) are built once after the turn's commands (the newest frame wins); while playing, a frame is started
only when the `Out` wants one (the last one has been written to the socket) and the frame interval has passed,
and the next one is due at most one interval later (however many frames commands forced meanwhile).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from app.encoding import encode_frame, wire_json
from app.errors import config_problem, problem, ws_error
from app.live.outbox import MAX_PENDING_TEXTS
from app.live.pace import Pace
from app.live.scheduler import SCHEDULER
from app.metrics import FRAME_ENCODE, FRAMES, WS_ERRORS
from app.protocol import (
    Ack,
    Command,
    Configure,
    Data,
    Error,
    Event,
    FrameOptions,
    Pause,
    Play,
    Points,
    Reset,
    ServerText,
    Set,
    Step,
    Weights,
)
from app.settings import Settings
from nncore import Trainer
from nncore.errors import ConfigError
from nncore.frames import GridBuilder, snapshot

CHUNK_SECONDS = 0.02  # the longest run of training in one turn
MIN_CHUNK_SECONDS = 0.0005  # the shortest, when many sessions wait for a turn: ~40 % of an overloaded turn
PIECE_SECONDS = 0.005  # CPU for one piece of a frame's grids (the piece size adapts to the network)
FIRST_PIECE = 4096  # grid points of a session's first piece, before it has measured its network
MAX_PENDING_COMMANDS = 64
# While playing, the hidden neurons' grids come with at most this many frames a second (the output grid with
# every frame); a frame a command asks for (configure, pause, a step's end, an edit) always has them. Neuron
# tiles are small and change slowly: this halves a default frame's bytes (docs/performance.md).
NEURON_FPS = 5.0
log = logging.getLogger("nnlive.sessions")


class Out(Protocol):
    """Where a session's output goes (app/live/worker.py's `Link` carries it to the web process)."""

    fps: float  # the session's frame rate; the web side paces frames with it

    def put(self, message: ServerText) -> None:
        """A text message, never dropped, in order."""
        ...

    def wants_frame(self) -> bool:
        """True when the last frame has been written to the socket: a new one would go out."""
        ...

    def offer_frame(self, data: bytes) -> None:
        """The newest frame (it replaces one still waiting)."""
        ...

    def close(self, code: int, reason: str) -> None:
        """The session's last turn is over; the socket closes with `code` if it is still open."""
        ...


@dataclass(frozen=True)
class Rejection:
    """An `error` for a message the web process refused (unparsable): it waits in the command queue like a
    command, so replies keep the order of the client's messages."""

    message: Error


class Session:
    """One live session. `submit`, `reject` and `stop` come from the process's reader thread; the rest runs in
    the scheduler's thread during the session's turn; only turns touch the trainer."""

    def __init__(self, settings: Settings, out: Out, session_id: int, client: str | None = None) -> None:
        self.id = session_id
        self.settings = settings
        self.client = client
        self._commands: queue.Queue[Command | Rejection] = queue.Queue()  # only the reader thread puts
        self.out = out
        self._stopping = threading.Event()
        self._ended = False
        self.close: tuple[int, str] = (1011, "internal error")  # close code and reason if it ends on its own
        # turn state
        self.trainer: Trainer | None = None
        self.options = FrameOptions(fps=settings.max_fps)
        self.out.fps = self.options.fps
        self.pace = Pace()
        self._events_sent = 0
        self._next_frame_at = 0.0
        self._last_frame_step = -1
        self._forced = False  # a command asked for a frame
        self._next_neurons_at = 0.0  # while playing, the next frame with neuron grids not before then
        self._building: _Frame | None = None
        self._piece = FIRST_PIECE  # grid points per piece, adapted to PIECE_SECONDS
        self._started_at = time.monotonic()
        self.frames = 0

    # ---- from the reader thread --------------------------------------------------------------------------

    def submit(self, command: Command) -> None:
        """Queue a command for the next turn; with MAX_PENDING_COMMANDS waiting, an `error` takes its place
        ("slow down") and the command is dropped."""
        if self._commands.qsize() >= MAX_PENDING_COMMANDS:
            busy = f"more than {MAX_PENDING_COMMANDS} commands are waiting; slow down"
            self.reject(ws_error(problem(None, command.type, busy, busy), command.id))
            return
        self._commands.put_nowait(command)
        SCHEDULER.wake(self)

    def reject(self, error: Error) -> None:
        """Queue the `error` for a refused message behind the commands before it; a client that piles up
        more than MAX_PENDING_TEXTS of them is cut off like one that never reads."""
        if self._commands.qsize() >= MAX_PENDING_COMMANDS + MAX_PENDING_TEXTS:
            self.close = (1008, "too many unread messages")
            self.stop()
            return
        self._commands.put_nowait(Rejection(error))
        SCHEDULER.wake(self)

    def stop(self) -> None:
        """End the session at its next turn (within one chunk); safe to call twice."""
        self._stopping.set()
        SCHEDULER.wake(self)

    # ---- a turn (the scheduler thread) -------------------------------------------------------------------

    def turn(self) -> float | None:
        """One turn (in a scheduler thread): pending commands, then a piece of the frame being built or a
        chunk of training (and a frame started if one is due). Returns the monotonic time of the next turn
        wanted (now or later), or None to wait for a command."""
        if self._stopping.is_set():
            self._end()
            return None
        for _ in range(MAX_PENDING_COMMANDS + MAX_PENDING_TEXTS):
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                break
            self._apply(command)
        deadline = time.monotonic() + max(MIN_CHUNK_SECONDS, CHUNK_SECONDS / (1 + SCHEDULER.waiting()))
        if self._forced and self.trainer is not None:
            self._start_frame()
        if self._building is None and not self.pace.paused:
            self._train_chunk(deadline)
            self._forward_events()
            if self._forced or self._frame_due():
                self._start_frame()
        if self._building is not None:
            self._build(deadline)
        now = time.monotonic()
        if self._stopping.is_set() or not self._commands.empty() or self._building is not None:
            return now
        if self.pace.paused or self.trainer is None:
            return None
        return self.pace.next_turn(self.trainer, now, self.options.fps)

    def fail(self) -> None:
        """After an unexpected error in a turn: tell the client and end."""
        self._send(
            ws_error(problem(None, None, "", "internal error in this session; reconnect to start over"))
        )
        self._end()

    def _end(self) -> None:
        if not self._ended:
            epochs = self.trainer.epoch if self.trainer is not None else 0
            self.trainer, self._building = None, None
            self._ended = True
            self.out.close(*self.close)
            seconds = time.monotonic() - self._started_at
            log.info(
                "session end id=%s seconds=%.1f frames=%d epochs=%d", self.id, seconds, self.frames, epochs
            )

    def _train_chunk(self, deadline: float) -> None:
        """Updates until `deadline` (at least one; earlier when a frame falls due), the pace's limit, or a
        step's target."""
        trainer = self.trainer
        assert trainer is not None
        now = time.monotonic()
        if self.out.wants_frame():  # stop when the next frame is due, but train at least MIN_CHUNK_SECONDS
            deadline = min(deadline, max(now + MIN_CHUNK_SECONDS, self._next_frame_at))  # (frames are late)
        paced = self.pace.paced_step(trainer)
        while not trainer.done and not self._stopping.is_set():
            if trainer.step_count + 1 > paced or self.pace.reached(trainer):
                break
            trainer.step()
            if time.monotonic() >= deadline:
                break
        if self.pace.settle(trainer):
            self._forward_events()
            self._forced = True

    def _send(self, message: ServerText) -> None:
        if isinstance(message, Error):
            WS_ERRORS.inc()
        self.out.put(message)

    # ---- frames ------------------------------------------------------------------------------------------

    def _frame_due(self) -> bool:
        """While playing: the `Out` wants a frame, the interval has passed and the trainer moved."""
        trainer = self.trainer
        return (
            trainer is not None
            and self.out.wants_frame()
            and time.monotonic() >= self._next_frame_at
            and trainer.step_count != self._last_frame_step
        )

    def _want_frame(self, fresh: bool = True) -> None:
        """A command asks for a frame: a new one (`fresh`: the state changed), or the one being built, which
        shows the state as it is (no training happens while a frame is built)."""
        partial = (
            self._building is not None and self.options.neurons and self._building.builder.neuron_size is None
        )
        if fresh or self._building is None or partial:  # (a frame a command asks for has the neuron grids)
            self._building = None
            self._forced = True

    def _start_frame(self) -> None:
        """Start building a frame of the trainer as it is now, with the session's frame options."""
        trainer = self.trainer
        assert trainer is not None
        o = self.options
        now = time.monotonic()
        neurons = o.neurons and (self._forced or now >= self._next_neurons_at)
        if neurons:
            self._next_neurons_at = now + 1.0 / NEURON_FPS
        builder = GridBuilder(trainer, o.grid, o.neuron_grid if neurons else None)
        self._building = _Frame(snapshot(trainer), builder)
        self._forced = False
        self._last_frame_step = trainer.step_count

    def _build(self, deadline: float) -> None:
        """Pieces of the frame being built until `deadline` (at least one); when it is complete, encode it and
        offer it."""
        frame = self._building
        assert frame is not None
        while True:
            started = time.thread_time()
            frame.builder.advance(self._piece)
            spent = time.thread_time() - started
            frame.cpu += spent
            if frame.builder.done:
                break
            # the next piece: about PIECE_SECONDS of CPU, at least a row of a small grid
            self._piece = max(256, int(self._piece * min(4.0, PIECE_SECONDS / max(spent, 1e-5))))
            if time.monotonic() >= deadline:
                return
        started = time.thread_time()
        data = encode_frame({**frame.header, "grid": frame.builder.grids()})
        frame.cpu += time.thread_time() - started
        self._building = None
        self.out.offer_frame(data)
        self.frames += 1
        FRAMES.inc()
        FRAME_ENCODE.observe(frame.cpu)
        # Frames are due on a grid of 1/fps, so late frames do not lower the rate; the next is due at most one
        # interval from now, however many frames commands forced meanwhile.
        now, interval = time.monotonic(), 1.0 / self.options.fps
        self._next_frame_at = max(now, min(self._next_frame_at, now) + interval)

    def _forward_events(self) -> None:
        """Each trainer event exactly once, as an `event` message, whether or not frames were dropped."""
        if self.trainer is None:
            return
        events = self.trainer.events
        for event in events[self._events_sent :]:
            self._send(Event(event=event["type"], epoch=event["epoch"], message=event["message"]))
        self._events_sent = len(events)

    # ---- commands ----------------------------------------------------------------------------------------

    def _apply(self, command: Command | Rejection) -> None:
        """Run one client command; a ConfigError becomes an `error` naming the field, any other exception an
        `error` saying so (logged with the session's context), and the session carries on."""
        if isinstance(command, Rejection):
            self._send(command.message)
            return
        try:
            if isinstance(command, Configure):
                trainer = Trainer(command.config)
                if command.resume is not None:
                    trainer.resume(command.resume.epoch, command.resume.step)
                self._start_trainer(trainer)
            elif self.trainer is None:
                raise ConfigError("type", command.type, "send configure first: there is no network yet")
            else:
                self._command(command, self.trainer)
        except ConfigError as exc:
            self._send(ws_error(config_problem(exc), command.id))
        except Exception:
            log.exception(
                "command failed session=%s command=%s config=%s", self.id, command.type, self._summary()
            )
            message = f"internal error while applying {command.type!r}; the session goes on"
            self._send(ws_error(problem(None, command.type, "", message), command.id))

    def _summary(self) -> dict[str, Any] | None:
        """The current config in brief, for logs."""
        if self.trainer is None:
            return None
        c = self.trainer.config
        dataset = c["data"].get("dataset", f"{len(c['data'].get('points', []))} points")
        return {"data": dataset, "hidden": c["network"]["hidden"], "epoch": self.trainer.epoch}

    def _start_trainer(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self.pace.pause()
        self._events_sent = 0
        self._send_data(trainer)
        self._want_frame()

    def _send_data(self, trainer: Trainer) -> None:
        d = trainer.data
        train = {"points": d.X_train, "labels": d.y_train}
        test = {"points": d.X_test, "labels": d.y_test}
        message = {
            "train": train,
            "test": test,
            "extent": trainer.extent,
            "task": d.task,
            "classes": d.classes,
        }
        self._send(Data(**wire_json({**message, "config": trainer.config})))

    def _command(self, command: Command, trainer: Trainer) -> None:
        if isinstance(command, Play):
            if trainer.done:
                raise ConfigError("type", "play", "training is done; send reset or configure to start over")
            self.pace.play(trainer)
            self._send(Event(event="playing", epoch=trainer.epoch, message="playing"))
        elif isinstance(command, Pause):
            self.pace.pause()
            self._send(Event(event="paused", epoch=trainer.epoch, message="paused"))
            self._want_frame(fresh=False)
        elif isinstance(command, Step):
            self._step(command, trainer)
        elif isinstance(command, Reset):
            self._start_trainer(Trainer(trainer.config))
        elif isinstance(command, Set):
            self._set(command, trainer)
            self._send(Ack(id=command.id, of="set"))
        elif isinstance(command, Points):
            trainer.edit_points(command.op, command.points, command.labels, command.indices)
            self._send(Ack(id=command.id, of="points"))
            self._send_data(trainer)
            self._want_frame()
        elif isinstance(command, Weights):
            self._weights(command, trainer)
            self._send(Ack(id=command.id, of="weights"))
            self._want_frame()

    def _step(self, command: Step, trainer: Trainer) -> None:
        limit = self.settings.max_step
        if command.n > limit:
            raise ConfigError("n", command.n, f"must be an integer in [1, {limit}]")
        if trainer.done:
            raise ConfigError("type", "step", "training is done; send reset or configure to start over")
        self.pace.step(command.unit, command.n, trainer)

    def _set(self, command: Set, trainer: Trainer) -> None:
        """Check everything first, then apply: a refused `set` changes nothing."""
        s = self.settings
        options = None
        if command.frame is not None:
            options = self.options.changed(command.frame, s.max_grid, s.max_neuron_grid, s.max_fps)
        hyper = command.hyper()
        if hyper:
            trainer.update_hyper(hyper)  # checks every change before applying any
        if command.speed is not None:
            self.pace.set_speed(command.speed, trainer)
        if options is not None:
            self.options = options
            self.out.fps = options.fps
            self._want_frame()

    def _weights(self, command: Weights, trainer: Trainer) -> None:
        if command.kind == "W":
            if command.i is None:
                raise ConfigError("i", None, "kind W needs the row i")
            trainer.set_weight(command.layer, command.i, command.j, command.value)
        else:
            trainer.set_bias(command.layer, command.j, command.value)


@dataclass
class _Frame:
    """A frame being built: everything but its grid (taken when it started), its grids, and the CPU so far."""

    header: dict[str, Any]
    builder: GridBuilder
    cpu: float = 0.0
