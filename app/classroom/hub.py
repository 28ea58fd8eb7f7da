"""A process's share of every class: the sockets of the class in this process (`Seat`s), one broker
subscription per class (`Room`), and the fan-out of what the class's channel carries to those sockets.

Every message on a class's channel (`channel(code)`) is one kind byte and its body:
- `F` + a binary frame of the teacher's broadcast: the exact bytes the teacher's own socket sent (the frame is
  computed and encoded once, by the teacher's session); each learner's seat keeps only the newest one, so a
  slow watcher skips frames and never holds up the others;
- `J` + a JSON event (docs/classroom.md, "Class socket"): decoded once per process, encoded once, and the same
  text queued to every seat it is for — `summary`, `joined`, `left` and `snapshot` to the teacher's seats;
  `data` (the broadcast's points and config) to learners; `state` to everyone.
All of this runs on the event loop and does no more than move references: no message is encoded per seat.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

from app.classroom.broker import Broker

FRAME, EVENT = b"F", b"J"
MAX_TEXTS = 1000  # texts a seat may have waiting before it is closed as a client that does not read
TEACHER_EVENTS = {"summary", "joined", "left", "snapshot"}
LEARNER_EVENTS = {"data"}
log = logging.getLogger("nnlive.classroom")
Role = Literal["teacher", "learner"]


def channel(code: str) -> str:
    """The broker channel of class `code`."""
    return f"class:{code}"


def kept_data(code: str) -> str:
    """The broker key of the broadcast's latest `data` event (for learners who come in late)."""
    return f"class:{code}:data"


@dataclass(eq=False)
class Seat:
    """One class socket in this process: its texts in order, the newest broadcast frame, and a wake-up."""

    role: Role
    member: str | None = None  # a learner's member id
    texts: collections.deque[str] = field(default_factory=collections.deque)
    frame: bytes | None = None
    closed: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    frames_sent: int = 0

    def put_text(self, text: str) -> None:
        if len(self.texts) >= MAX_TEXTS:
            self.close()
            return
        self.texts.append(text)
        self.wake.set()

    def offer_frame(self, frame: bytes) -> None:
        self.frame = frame
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()

    async def outgoing(self) -> AsyncIterator[str | bytes]:
        """What to send, in order: texts first, then the newest frame; ends when the seat is closed."""
        while not self.closed:
            self.wake.clear()
            while self.texts:
                yield self.texts.popleft()
            if self.frame is not None:
                frame, self.frame = self.frame, None
                self.frames_sent += 1
                yield frame
                continue
            if not self.closed:
                await self.wake.wait()


class Room:
    """Class `code` in this process: its seats and its subscription."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.seats: set[Seat] = set()
        self.ready = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def dispatch(self, message: bytes) -> None:
        kind, body = message[:1], message[1:]
        if kind == FRAME:
            for seat in self.seats:
                if seat.role == "learner":
                    seat.offer_frame(body)
            return
        if kind != EVENT:
            return
        text = body.decode()
        event_type = json.loads(text).get("type")
        for seat in self.seats:
            if event_type in TEACHER_EVENTS and seat.role != "teacher":
                continue
            if event_type in LEARNER_EVENTS and seat.role != "learner":
                continue
            seat.put_text(text)


class Hub:
    """The classes of this process over `broker`."""

    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.rooms: dict[str, Room] = {}

    async def enter(self, code: str, seat: Seat) -> None:
        """Seat `seat` in class `code`; returns once the class's channel reaches it."""
        room = self.rooms.get(code)
        if room is None:
            room = self.rooms[code] = Room(code)
            room.task = asyncio.create_task(self._listen(room))
        room.seats.add(seat)
        await room.ready.wait()

    def leave(self, code: str, seat: Seat) -> None:
        """Take `seat` out; the last one out ends the class's subscription in this process."""
        seat.close()
        room = self.rooms.get(code)
        if room is None:
            return
        room.seats.discard(seat)
        if not room.seats:
            del self.rooms[code]
            if room.task is not None:
                room.task.cancel()

    async def _listen(self, room: Room) -> None:
        try:
            async with self.broker.subscribe(channel(room.code)) as messages:
                room.ready.set()
                async for message in messages:
                    room.dispatch(message)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("class %s lost its channel; its seats are closed", room.code)
            for seat in list(room.seats):
                seat.close()
            self.rooms.pop(room.code, None)
            room.ready.set()

    async def event(self, code: str, event: dict[str, Any]) -> None:
        """Publish a JSON event to class `code` (every process's seats it is for)."""
        await self.event_text(code, json.dumps(event, separators=(",", ":")).encode())

    async def event_text(self, code: str, text: bytes) -> None:
        """Publish a JSON event already encoded (UTF-8) to class `code`."""
        await self.broker.publish(channel(code), EVENT + text)

    async def frame(self, code: str, frame: bytes) -> None:
        """Publish a broadcast frame (its bytes as the teacher's socket sent them) to class `code`."""
        await self.broker.publish(channel(code), FRAME + frame)

    async def close(self) -> None:
        for room in list(self.rooms.values()):
            for seat in list(room.seats):
                self.leave(room.code, seat)
        with contextlib.suppress(Exception):
            await self.broker.close()
