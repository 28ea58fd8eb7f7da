"""A live training session: each WebSocket connection has a `Session` that owns a `nncore.Trainer`. The event
loop only submits commands and drains the session's outbox; the work runs in the scheduler's worker threads,
never in the event loop (protocol: docs/protocol.md).

A turn (`turn()`, in a worker): the pending commands in order, then up to CHUNK_SECONDS of `trainer.step()`
calls (less when others wait), then a frame if one is due. So pause, set and close take effect within one
turn. Commands wait in a queue, run in order at the start of the next turn; at most MAX_PENDING_COMMANDS wait
(one more is refused: `Busy`), and the `error`s for refused messages wait in the same queue, so replies keep
the order of the client's messages. While playing, a frame is computed only when the outbox wants one and
the frame interval has passed; frames a command asks for (after configure, pause, step, weights, …) are
computed at once and replace whatever waits.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from app.encoding import encode_frame, wire_json
from app.errors import config_problem, problem, ws_error
from app.live.outbox import MAX_PENDING_TEXTS, Outbox, Outgoing
from app.live.pace import Pace
from app.live.registry import Registry
from app.live.scheduler import SCHEDULER
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

CHUNK_SECONDS = 0.02  # the longest run of training in one turn
MIN_CHUNK_SECONDS = 0.0005  # the shortest, when many sessions wait for a turn: ~40 % of an overloaded turn
MAX_FRAME_DELAY = 1.0  # the longest an expensive frame holds back its session's next one, in seconds
MAX_PENDING_COMMANDS = 64
_ids = itertools.count(1)


class Busy(RuntimeError):
    """A client sent commands faster than its session can apply them."""


@dataclass(frozen=True)
class Rejection:
    """An `error` for a message the event loop refused (unparsable, or Busy): it waits in the command queue
    like a command, so replies keep the order of the client's messages."""

    message: Error


class Session:
    """One live session. Event-loop side: `start`, `post`, `submit`, `reject`, `outgoing`, `stop`. The rest
    runs in a scheduler thread during the session's turn; only turns touch the trainer."""

    def __init__(self, settings: Settings, registry: Registry) -> None:
        self.id = next(_ids)
        self.settings = settings
        self._registry = registry
        self._commands: queue.Queue[Command | Rejection] = queue.Queue()  # only the event loop puts
        self.outbox = Outbox(settings.max_fps, on_overflow=self._cut_off)
        self._stopping = threading.Event()
        self._ended = False
        self.close: tuple[int, str] = (1011, "internal error")  # close code and reason if it ends on its own
        # worker state
        self.trainer: Trainer | None = None
        self.options = FrameOptions(fps=settings.max_fps)
        self.pace = Pace()
        self._events_sent = 0
        self._next_frame_at = 0.0
        self._last_frame_step = -1

    # ---- event-loop side ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Register (raises SessionLimit when full); from now on commands get turns."""
        self._registry.add(self)
        self.outbox.attach()

    @property
    def stopping(self) -> bool:
        """True once the session is ending (disconnect, or a client that never reads its messages)."""
        return self._stopping.is_set()

    def post(self, message: ServerText) -> None:
        """Queue a text message from the event loop itself, ahead of any command's reply (hello)."""
        self.outbox.post(message)

    def submit(self, command: Command) -> None:
        """Queue a command for the worker; raises Busy when too many are pending."""
        if self._commands.qsize() >= MAX_PENDING_COMMANDS:
            raise Busy(f"more than {MAX_PENDING_COMMANDS} commands are waiting; slow down")
        self._commands.put_nowait(command)
        SCHEDULER.wake(self)

    def reject(self, error: Error) -> None:
        """Queue the `error` for a refused message behind the commands before it; a client that piles up
        more than MAX_PENDING_TEXTS of them is cut off like one that never reads."""
        if self._commands.qsize() >= MAX_PENDING_COMMANDS + MAX_PENDING_TEXTS:
            self._cut_off()
            return
        self._commands.put_nowait(Rejection(error))
        SCHEDULER.wake(self)

    def outgoing(self) -> AsyncIterator[Outgoing]:
        """The outbox's `drain()`: texts and frames to send, in order, until the session has ended."""
        return self.outbox.drain()

    def _cut_off(self) -> None:
        """A client that lets too many messages pile up unread: end with close code 1008."""
        self.close = (1008, "too many unread messages")
        self.stop()

    def stop(self) -> None:
        """End the session at its next turn (within one chunk); safe to call twice."""
        self._stopping.set()
        SCHEDULER.wake(self)

    # ---- worker side: a turn -----------------------------------------------------------------------------

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
        if not self.pace.paused:
            self._train_chunk()
        self._forward_events()
        if not self.pace.paused:
            self._frame(force=False)
        now = time.monotonic()
        if self._stopping.is_set() or not self._commands.empty():
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
            self.trainer = None
            self._ended = True
            self._registry.discard(self)
            self.outbox.close()

    def _train_chunk(self) -> None:
        trainer = self.trainer
        assert trainer is not None
        now = time.monotonic()
        # a shorter turn when others wait, so that every session's frames keep coming
        deadline = now + max(MIN_CHUNK_SECONDS, CHUNK_SECONDS / (1 + SCHEDULER.waiting()))
        if self.outbox.wants_frame():  # stop when the next frame is due, but train at least MIN_CHUNK_SECONDS
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
            self._frame(force=True)

    def _send(self, message: ServerText) -> None:
        self.outbox.put(message)

    def _frame(self, force: bool) -> None:
        """Put a fresh frame in the outbox: always when `force`, else only when the outbox wants one, the
        interval has passed and the trainer moved since the last frame."""
        trainer = self.trainer
        if trainer is None:
            return
        now = time.monotonic()
        if not force and (
            not self.outbox.wants_frame()
            or now < self._next_frame_at
            or trainer.step_count == self._last_frame_step
        ):
            return
        o, started = self.options, time.thread_time()
        self.outbox.offer_frame(
            encode_frame(trainer.frame(grid=o.grid, neuron_grid=o.neuron_grid if o.neurons else None))
        )
        # Frames are due on a grid of 1/fps, so late frames do not lower the rate; an expensive frame (a big
        # network at big grids: 150 ms of CPU) waits its fair share, so its session cannot starve the others.
        share = min(MAX_FRAME_DELAY, (time.thread_time() - started) * (1 + SCHEDULER.waiting()))
        self._next_frame_at = max(now + share, self._next_frame_at + 1.0 / o.fps)
        self._last_frame_step = trainer.step_count

    def _forward_events(self) -> None:
        """Each trainer event exactly once, as an `event` message, whether or not frames were dropped."""
        if self.trainer is None:
            return
        events = self.trainer.events
        for event in events[self._events_sent :]:
            self._send(Event(event=event["type"], epoch=event["epoch"], message=event["message"]))
        self._events_sent = len(events)

    # ---- worker side: commands ---------------------------------------------------------------------------

    def _apply(self, command: Command | Rejection) -> None:
        """Run one client command; a ConfigError becomes an `error` and the session carries on."""
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

    def _start_trainer(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self.pace.pause()
        self._events_sent = 0
        self._send_data(trainer)
        self._frame(force=True)

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
            self._frame(force=True)
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
            self._frame(force=True)
        elif isinstance(command, Weights):
            self._weights(command, trainer)
            self._send(Ack(id=command.id, of="weights"))
            self._frame(force=True)

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
            self.outbox.fps = options.fps
            self._frame(force=True)

    def _weights(self, command: Weights, trainer: Trainer) -> None:
        if command.kind == "W":
            if command.i is None:
                raise ConfigError("i", None, "kind W needs the row i")
            trainer.set_weight(command.layer, command.i, command.j, command.value)
        else:
            trainer.set_bias(command.layer, command.j, command.value)
