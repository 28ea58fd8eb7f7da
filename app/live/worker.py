"""A training process: it runs the turns of the live sessions the web process assigns to it (app/live/pool.py
starts it with `multiprocessing`'s spawn and talks to it over a socket pair, app/live/wire.py).

Two threads: the *reader* takes the web process's messages — a new session, a command, "frame sent", stop —
and hands them to the sessions (`Session.submit`, `reject`, `stop`; the frame slot's state), as the event loop
did when sessions ran in the web process; the scheduler's thread (app/live/scheduler.py) gives the sessions
their turns, and what they produce goes back through their `Link`. Every second the process also sends its
training metrics (app/metrics.py). When the web process goes away (the socket ends) the process exits.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import signal
import socket
import threading

from app.live.session import Rejection, Session
from app.live.wire import (
    COMMAND,
    END,
    EXIT,
    METRICS,
    OPEN,
    READY,
    SENT,
    STOP,
    TEXT,
    Message,
    Reader,
    frame_message,
    write_message,
)
from app.logs import configure
from app.metrics import METRICS_SECONDS, training_samples
from app.protocol import ServerText

log = logging.getLogger("nnlive.training")

# glibc's malloc returns memory to the system as soon as more than twice the last large block is free at the
# top of the heap, and serves large blocks with mmap: every frame's grid arrays (11 024 × 8 float32 values,
# 350 KB each) then cost fresh page faults — a 2-8-8-1 network's grids took 0.62 ms instead of 0.20 ms. Fixed
# thresholds keep up to TRIM_THRESHOLD of free memory in the process and large blocks in the heap.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)
TRIM_THRESHOLD = 64 * 2**20
MMAP_THRESHOLD = 32 * 2**20  # glibc's largest


def tune_malloc() -> bool:
    """Fix glibc's trim and mmap thresholds (see above); False where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name)
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


class Link:
    """A session's `Out` in this process: texts and frames to the web process, and whether the last frame has
    been written to the socket (frames are numbered; the web process reports each one it wrote)."""

    def __init__(self, process: TrainingProcess, session_id: int) -> None:
        self.fps = 0.0
        self._process, self._id = process, session_id
        self._offered = 0  # the scheduler thread writes it
        self._sent = 0  # the reader thread writes it

    def put(self, message: ServerText) -> None:
        self._process.send((TEXT, self._id, message.model_dump_json()))

    def wants_frame(self) -> bool:
        return self._sent >= self._offered

    def offer_frame(self, data: bytes) -> None:
        self._offered += 1
        self._process.send(frame_message(self._id, self._offered, self.fps, data))

    def sent(self, seq: int) -> None:
        self._sent = max(self._sent, seq)

    def close(self, code: int, reason: str) -> None:
        self._process.forget(self._id)
        self._process.send((END, self._id, code, reason))


class TrainingProcess:
    """The sessions of this process and its one socket to the web process (writes from both threads, under
    a lock)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._write = threading.Lock()
        self._sessions: dict[int, tuple[Session, Link]] = {}
        self._done = threading.Event()

    def send(self, message: Message) -> None:
        try:
            with self._write:
                write_message(self._sock, message)
        except OSError:  # the web process is gone: the reader sees the end too
            self._done.set()

    def forget(self, session_id: int) -> None:
        self._sessions.pop(session_id, None)

    def serve(self) -> None:
        """Take the web process's messages until it says EXIT or goes away; then stop every session."""
        self.send((READY, 0, os.getpid()))
        threading.Thread(target=self._report, name="nnlive-metrics", daemon=True).start()
        reader = Reader(self._sock.makefile("rb"))
        try:
            while (message := reader.read()) is not None and message[0] != EXIT:
                try:
                    self._dispatch(message)
                except Exception:  # one session's trouble, not the process's
                    log.exception("could not handle a %r message for session %s", message[0], message[1])
        except (OSError, EOFError):
            pass
        finally:
            self._done.set()
            for session, _ in list(self._sessions.values()):
                session.stop()
            with contextlib.suppress(OSError):
                self.send((METRICS, 0, training_samples()))

    def _dispatch(self, message: Message) -> None:
        kind, session_id, *fields = message
        if kind == OPEN:
            settings, client = fields
            link = Link(self, session_id)
            self._sessions[session_id] = (Session(settings, link, session_id, client), link)
            return
        entry = self._sessions.get(session_id)
        if entry is None:  # the session ended meanwhile
            return
        session, link = entry
        if kind == COMMAND:
            (command,) = fields
            if isinstance(command, Rejection):
                session.reject(command.message)
            else:
                session.submit(command)
        elif kind == SENT:  # a playing session sees it at its next turn; a paused one makes no frames
            link.sent(fields[0])
        elif kind == STOP:
            session.stop()

    def _report(self) -> None:
        """The training metrics every METRICS_SECONDS."""
        while not self._done.wait(METRICS_SECONDS):
            self.send((METRICS, 0, training_samples()))


def main(sock: socket.socket, log_level: str) -> None:
    """The training process's entry point (a `multiprocessing` spawn target). It ignores SIGINT and SIGTERM
    (Ctrl+C in a terminal reaches every process of the group): it ends with the web process, when that one
    says EXIT or its socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    configure(log_level)
    tune_malloc()
    log.debug("training process %d started", os.getpid())
    TrainingProcess(sock).serve()
