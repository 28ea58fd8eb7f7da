"""The messages between the web process and a training process (app/live/pool.py ↔ app/live/worker.py), over
one socket pair per training process.

Each message is a small tuple `(kind, session id, *fields)`, pickled, behind a 4-byte little-endian length.
Frames travel as the bytes the WebSocket sends (`encode_frame`'s), texts as the JSON text the WebSocket sends:
the web process only moves them. Commands travel as the `app/protocol.py` models the web process parsed.

Web → training process:

| kind | fields | what |
|---|---|---|
| `OPEN` | settings, client | a new session (its id is the web process's) |
| `COMMAND` | a `Command`, or a `Rejection` (a refused message's `error`) | in the client's order |
| `SENT` | seq | frame `seq` has been written to the socket: the session may make the next one |
| `STOP` | — | the client left (or was cut off): end the session at its next turn |
| `EXIT` | — | (session id 0) finish: the web process is shutting down |

Training process → web:

| kind | fields | what |
|---|---|---|
| `READY` | pid | the process has started and takes sessions (session id 0) |
| `TEXT` | JSON text | a `data`, `event`, `error` or `ack` message, never dropped, in order |
| `FRAME` | seq, fps, bytes | the newest frame (it replaces one still waiting); `fps` is the session's rate |
| `END` | code, reason | the session's last turn is over; close the socket with `code` if still open |
| `METRICS` | samples | (session id 0) the process's training metrics so far (app/metrics.py `TRAINING`) |
"""

from __future__ import annotations

import pickle
import socket
import struct
from typing import IO, Any

OPEN, COMMAND, SENT, STOP, EXIT = "open", "command", "sent", "stop", "exit"
READY, TEXT, FRAME, END, METRICS = "ready", "text", "frame", "end", "metrics"
_LENGTH = struct.Struct("<I")

Message = tuple[Any, ...]


def pack(message: Message) -> bytes:
    """One message as its length and pickled tuple."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(body)) + body


def write_message(sock: socket.socket, message: Message) -> None:
    """Send one message whole (the caller holds the socket's write lock when threads share it)."""
    sock.sendall(pack(message))


def frame_message(session: int, seq: int, fps: float, data: bytes) -> Message:
    return (FRAME, session, seq, fps, data)


class Reader:
    """Messages from a blocking binary stream (`socket.makefile("rb")`); `read()` is None at the end."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def read(self) -> Message | None:
        head = self._stream.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            return None
        (length,) = _LENGTH.unpack(head)
        body = self._stream.read(length)
        if len(body) < length:
            return None
        message: Message = pickle.loads(body)
        return message
