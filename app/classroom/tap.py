"""The one hook between a live session and a class: a `Tap` sees what a `/ws/train` socket sends
(app/routes/ws.py calls `saw` after each message) and tells the class.

- The teacher's socket (`/ws/train?class=CODE&teacher=TOKEN`) is the **broadcast**: each binary frame is
  published as it was sent — the same bytes, computed once — and each `data` message (the points and config)
  too, the latest kept for learners who come in late.
- A learner's socket (`/ws/train?class=CODE&member=ID`) publishes a **summary** of the run
  (app/classroom/summary.py) on a grid of SUMMARY_SECONDS — the first frame after each due time (so late
  frames do not stretch the period) — and at once when the scene changes.

A tap never stops the session it watches: a class that cannot be reached is logged, and the run goes on.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket

from app.classroom.hub import Hub, kept_data
from app.classroom.records import ClassTable, Member, normal_code
from app.classroom.summary import frame_summary, settings_of
from app.protocol import Data
from app.store import keys

SUMMARY_SECONDS = 0.8  # summaries fall due on this grid: with frames a few per second, a tile refreshes > 1/s
log = logging.getLogger("nnlive.classroom")


def is_data(text: str) -> bool:
    """A session's `data` message (its points and config): the training processes write every message as
    pydantic's JSON, its `type` first (app/live/worker.py), so a prefix tells without parsing the rest."""
    return text.startswith('{"type":"data"')


class ClassRefused(ValueError):
    """The socket named a class it may not speak for: unknown class, wrong teacher token, unknown member."""


class Tap:
    """What class `code` sees of one live session: the teacher's broadcast (`member` None) or a learner's
    summaries."""

    def __init__(self, hub: Hub, code: str, member: Member | None) -> None:
        self.hub, self.code, self.member = hub, code, member
        self.settings: dict[str, Any] | None = None
        self.next_summary = 0.0
        self.failures = 0

    async def saw(self, item: str | bytes) -> None:
        """The session sent `item`; tell the class what it needs of it."""
        try:
            if self.member is None:
                await self._broadcast(item)
            else:
                await self._summarise(item)
        except Exception:
            self.failures += 1
            if self.failures == 1 or self.failures % 100 == 0:
                log.exception("class %s: could not publish (%d failures)", self.code, self.failures)

    async def _broadcast(self, item: str | bytes) -> None:
        if isinstance(item, bytes):
            await self.hub.frame(self.code, item)
        elif is_data(item):
            text = item.encode()
            await self.hub.broker.remember(kept_data(self.code), text)
            await self.hub.event_text(self.code, text)

    async def _summarise(self, item: str | bytes) -> None:
        member = self.member
        assert member is not None
        if isinstance(item, str):
            if is_data(item):
                self.settings = settings_of(Data.model_validate_json(item).config)
                self.next_summary = 0.0  # the next frame is summarised at once
            return
        now = time.monotonic()
        if now < self.next_summary:
            return
        self.next_summary = max(now, self.next_summary + SUMMARY_SECONDS)
        summary = {"type": "summary", "member": member.id, "name": member.name, "settings": self.settings}
        await self.hub.event(self.code, {**summary, **frame_summary(item)})


async def tap_for(websocket: WebSocket) -> Tap | None:
    """The tap a `/ws/train` socket asks for with `?class=CODE` and `teacher=TOKEN` or `member=ID`; None
    without `class`; ClassRefused when the class, the token or the member is not right."""
    asked = websocket.query_params.get("class")
    if asked is None:
        return None
    classes: ClassTable = websocket.app.state.classes
    hub: Hub = websocket.app.state.hub
    code = normal_code(asked)
    if code is None:
        raise ClassRefused(f"{asked[:12]!r} is not a class code")
    token, member_id = websocket.query_params.get("teacher"), websocket.query_params.get("member")
    if token is not None:
        if not await run_in_threadpool(classes.teacher_matches, code, token):
            raise ClassRefused(f"this teacher token does not run the class {code}")
        return Tap(hub, code, None)
    if member_id is None or not keys.is_id(member_id):
        raise ClassRefused("a class socket needs teacher=<token> or member=<member id>")
    member = await run_in_threadpool(classes.member, code, member_id)
    if member is None:
        raise ClassRefused(f"no learner {member_id!r} in the class {code}; join it first")
    return Tap(hub, code, member)
