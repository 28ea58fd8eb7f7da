"""The training processes of the web process: `Pool(size)` runs `size` of them (app/live/worker.py), started
with `multiprocessing`'s spawn, each talking to the web process over its own socket pair (app/live/wire.py).

A new session goes to the ready process that runs the fewest sessions (`Pool.open`). A *reader thread* per
process takes what the process sends — texts, frames, ends, metrics — and hands them to the sessions' handles
(app/live/handle.py), whose outboxes wake their own event loop; writes to a process come from any thread under
its lock. (Threads rather than `loop.add_reader`: the handles of one pool may live on different event loops —
the test client runs one per connection — and a reader never blocks any loop, whatever a process does.)

A process that dies costs only its own sessions: each gets an `error` and the close code 1011 (the page
reconnects and restores its run), and the process is started again in its place. The pool belongs to the web
process, not to an app: apps with the same number of processes share one (`pool_for`), and the processes end
with the web process (they are daemons, and each exits when its socket closes).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import multiprocessing.util  # registers its exit function now, so ours (below) runs before it
import socket
import threading
import time
from typing import Protocol

from app.live import worker
from app.live.outbox import Outbox
from app.live.wire import END, EXIT, FRAME, METRICS, OPEN, READY, TEXT, Message, Reader, write_message
from app.logs import LEVELS
from app.metrics import TRAINING_PROCESSES, TRAINING_RESTARTS, WORKERS
from app.settings import Settings

log = logging.getLogger("nnlive.training")
START_SECONDS = 60.0  # how long the server's start waits for its training processes at most
RESTART_DELAY = 1.0  # a process that died before it was ready starts again after this pause (no busy loop)
BUFFER_BYTES = 4 * 2**20  # socket buffers: a large `configure` or frame goes in one write


class SessionHandle(Protocol):
    """What the pool needs of a session's web-process side (app/live/handle.py's `SessionHandle`)."""

    id: int
    settings: Settings
    client: str | None
    outbox: Outbox

    def ended(self, code: int, reason: str) -> None: ...

    def lost(self) -> None: ...


class NoTrainingProcess(RuntimeError):
    """No training process became ready in time."""


class TrainingProcess:
    """The web process's side of one training process: the process, its socket, its sessions."""

    def __init__(self, pool: Pool, slot: int) -> None:
        self.pool, self.slot = pool, slot
        self.sock, child = socket.socketpair()
        for end in (self.sock, child):
            for option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
                end.setsockopt(socket.SOL_SOCKET, option, BUFFER_BYTES)
        context = multiprocessing.get_context("spawn")
        self.process = context.Process(
            target=worker.main,
            args=(child, _log_level()),
            name=f"nnlive-training-{slot}",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.handles: dict[int, SessionHandle] = {}
        self.ready = False
        self.alive = True
        self._write = threading.Lock()
        reader = threading.Thread(target=self._read, name=f"nnlive-reader-{slot}", daemon=True)
        reader.start()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def send(self, message: Message) -> bool:
        """Write one message; False when the process is gone (its reader then ends its sessions)."""
        if not self.alive:
            return False
        try:
            with self._write:
                write_message(self.sock, message)
        except OSError:
            return False
        return True

    def _read(self) -> None:
        reader = Reader(self.sock.makefile("rb"))
        try:
            while (message := reader.read()) is not None:
                self._dispatch(message)
        except Exception:  # a broken message or socket ends the process's sessions like its death
            if not self.pool.closing:
                log.exception("training process %s: reading failed", self.pid)
        finally:
            self.pool.lost(self)

    def _dispatch(self, message: Message) -> None:
        kind, session_id, *fields = message
        if kind == FRAME:
            handle = self.handles.get(session_id)
            if handle is not None:
                handle.outbox.offer_frame(*fields)
        elif kind == TEXT:
            handle = self.handles.get(session_id)
            if handle is not None:
                handle.outbox.put(fields[0])
        elif kind == END:
            handle = self.handles.pop(session_id, None)
            if handle is not None:
                handle.ended(*fields)
        elif kind == METRICS:
            WORKERS.update(self, fields[0])
        elif kind == READY:
            self.ready = True
            TRAINING_PROCESSES.inc()
            log.info("training process ready pid=%s slot=%d", fields[0], self.slot)


class Pool:
    """`size` training processes, started on first use (`start`) and started again when one dies."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.closing = False
        self._lock = threading.Lock()
        self._processes: list[TrainingProcess] = []

    @property
    def processes(self) -> list[TrainingProcess]:
        with self._lock:
            return list(self._processes)

    def start(self) -> None:
        """Start the processes if they are not running yet (they take a second or two to be ready)."""
        with self._lock:
            if not self._processes and not self.closing:
                self._processes = [TrainingProcess(self, slot) for slot in range(self.size)]

    def ready(self) -> int:
        """Processes ready to take sessions."""
        return sum(p.ready for p in self.processes)

    async def open(self, handle: SessionHandle) -> TrainingProcess:
        """Give `handle`'s session to the process with the fewest sessions. A process still starting takes
        it too: the OPEN waits in its socket until it reads it (NoTrainingProcess only while closing)."""
        self.start()
        with self._lock:
            alive = [p for p in self._processes if p.alive]
            if not alive or self.closing:
                raise NoTrainingProcess("the server is shutting down; try again in a moment")
            process = min(alive, key=lambda p: len(p.handles))
            process.handles[handle.id] = handle
        process.send((OPEN, handle.id, handle.settings, handle.client))
        return process

    async def wait_ready(self, timeout: float = START_SECONDS) -> bool:
        """Wait until every process has started (at most `timeout` seconds); True when they all have."""
        self.start()
        deadline = time.monotonic() + timeout
        while self.ready() < self.size:
            if time.monotonic() > deadline or self.closing:
                return False
            await asyncio.sleep(0.05)
        return True

    def lost(self, process: TrainingProcess) -> None:
        """`process` died or its socket broke (its reader thread calls this): end its sessions at once, then
        start another process in its place (after RESTART_DELAY if it never became ready)."""
        with self._lock:
            process.alive = False
            handles, process.handles = list(process.handles.values()), {}
        for handle in handles:
            handle.lost()
        if process.ready:
            TRAINING_PROCESSES.dec()
        WORKERS.end(process)
        process.process.join(timeout=1)
        if process.process.is_alive():  # a broken socket, not a death: make it one
            process.process.kill()
            process.process.join(timeout=5)
        process.sock.close()
        if self.closing:
            return
        log.error(
            "training process pid=%s stopped (exit code %s); %d sessions lost; starting another",
            process.pid,
            process.process.exitcode,
            len(handles),
        )
        if not process.ready:
            time.sleep(RESTART_DELAY)
        with self._lock:
            if self.closing or process not in self._processes:
                return
            self._processes[process.slot] = TrainingProcess(self, process.slot)
        TRAINING_RESTARTS.inc()

    def close(self, timeout: float = 5.0) -> None:
        """Stop every process (their sessions end)."""
        with self._lock:
            self.closing = True
            processes, self._processes = self._processes, []
        for process in processes:
            process.send((EXIT, 0))
        for process in processes:
            process.process.join(timeout)
            if process.process.is_alive():
                process.process.kill()


_POOLS: dict[int, Pool] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(size: int) -> Pool:
    """The web process's pool of `size` training processes (one per size, shared by its apps)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(size)
        if pool is None:
            pool = _POOLS[size] = Pool(size)
        return pool


@atexit.register
def _close_pools() -> None:
    """Say goodbye to every training process. It must run before multiprocessing's own exit function, which
    joins its children after a SIGTERM they ignore (worker.py) and would wait forever: atexit runs functions
    in reverse order of registration, and multiprocessing.util registered its own on import, above."""
    for pool in list(_POOLS.values()):
        pool.close(timeout=2.0)


def _log_level() -> str:
    """The web process's level for nnlive's loggers, which the training processes take over."""
    name = logging.getLevelName(logging.getLogger("nnlive").getEffectiveLevel()).lower()
    return name if name in LEVELS else "info"
