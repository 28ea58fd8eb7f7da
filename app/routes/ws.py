"""`WS /ws/train`: one connection is one live training session (protocol: docs/protocol.md).

This module speaks the protocol over the socket: the origin check (app/hosts.py; the Host was checked before),
the per-client and per-machine session limits (app/live/registry.py), `hello`, parsing client messages into
commands (app/protocol.py) with their size and nesting bounded first (app/bounds.py), the time a new
connection has to send its first `configure`, and one sender task that writes what the session produces. The
session's handle (app/live/handle.py) forwards the commands to its training process (app/live/pool.py), where
the session (app/live/session.py) does the work.
"""

from __future__ import annotations

import logging
import time

import anyio
from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect, WebSocketState

from app import __version__
from app.bounds import BadJSON, loads
from app.classroom.tap import ClassRefused, Tap, tap_for
from app.errors import problem, pydantic_problems, ws_error
from app.hosts import origin_allowed
from app.live.handle import SessionHandle
from app.live.registry import SessionLimit
from app.metrics import SESSIONS_REFUSED
from app.protocol import Close, Command, Configure, Error, Hello, Limits, client_message
from app.settings import Settings
from nncore import DEFAULT_CONFIG, LIMITS

log = logging.getLogger("nnlive.ws")
router = APIRouter()


def hello(settings: Settings, session: SessionHandle) -> Hello:
    """The first message of every session."""
    return Hello(
        version=__version__,
        session=session.id,
        limits=Limits(config=LIMITS, server=settings.public()),
        defaults=DEFAULT_CONFIG,
        frame=session.options,  # the session's own, before any `set`
    )


def parse(text: str, settings: Settings) -> Command | Close | Error:
    """A command, or an `error` message saying what is wrong with `text` — whatever `text` is: no exception
    escapes (an unforeseen one is logged and answered like any other bad message)."""
    try:
        return _parse(text, settings)
    except Exception:
        log.exception("could not parse a message of %d characters", len(text))
        return ws_error(problem(None, text[:80], "a JSON object", "this message could not be read"))


def _parse(text: str, settings: Settings) -> Command | Close | Error:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > settings.max_message_bytes:
        limit = settings.max_message_bytes
        return ws_error(problem(None, f"{size} bytes", f"messages of at most {limit} bytes"))
    try:
        raw = loads(text, settings.max_json_depth)
    except BadJSON as exc:
        return ws_error(problem(None, text[:80], "a JSON object", f"{exc}; send a JSON object"))
    message_id = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(message_id, (str, int, type(None))) or isinstance(message_id, bool):
        message_id = None  # only a string or a number is echoed
    try:
        return client_message.validate_python(raw)
    except ValidationError as exc:
        return ws_error(pydantic_problems(exc.errors(), skip_tag=True)[0], message_id)


@router.websocket("/ws/train")
async def train_socket(websocket: WebSocket) -> None:
    """A live training session; see docs/protocol.md."""
    settings: Settings = websocket.app.state.settings
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    client = websocket.client.host if websocket.client else None
    if not origin_allowed(origin, host, settings.allowed_origins, settings.allowed_hosts):
        log.warning("refused a WebSocket origin=%r host=%r client=%s", origin, host, client)
        SESSIONS_REFUSED.labels("origin").inc()
        await websocket.close(code=1008, reason="origin not allowed")  # before accept: an HTTP 403
        return
    await websocket.accept()
    try:
        tap = await tap_for(websocket)  # a class's teacher or learner: the class sees this session
    except ClassRefused as exc:
        await websocket.send_text(ws_error(problem("class", None, str(exc), str(exc))).model_dump_json())
        await websocket.close(code=1008, reason="not in this class")
        return
    session = SessionHandle(settings, websocket.app.state.sessions, websocket.app.state.pool, client)
    try:
        await session.start()
    except SessionLimit as exc:
        SESSIONS_REFUSED.labels(exc.reason).inc()
        log.warning("refused a session client=%s: %s", client, exc)
        await websocket.send_text(ws_error(problem(None, None, str(exc), str(exc))).model_dump_json())
        await websocket.close(code=1013, reason="too many sessions")
        return
    try:
        session.post(hello(settings, session))
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_send_all, websocket, session, tap)
            await _receive_all(websocket, session, settings)
            tasks.cancel_scope.cancel()
    finally:
        session.stop()


async def _receive_all(websocket: WebSocket, session: SessionHandle, settings: Settings) -> None:
    """Read client messages until the client leaves or sends `close`, or the session ends. A connection gets
    `configure_timeout` seconds to send its first `configure`, then it is closed (1008): a socket that only
    holds a place would shut others out."""
    configured, deadline = False, time.monotonic() + settings.configure_timeout
    while not session.stopping:
        message = None
        with anyio.move_on_after(None if configured else deadline - time.monotonic()):
            message = await websocket.receive()
        if message is None:
            SESSIONS_REFUSED.labels("idle").inc()
            log.info("session idle id=%s: no configure within %g s", session.id, settings.configure_timeout)
            await websocket.close(code=1008, reason="no configure in time")
            return
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text is None:
            session.reject(
                ws_error(problem(None, "binary", "JSON text messages", "send commands as JSON text"))
            )
            continue
        command = parse(text, settings)
        if isinstance(command, Error):
            session.reject(command)
        elif isinstance(command, Close):
            await websocket.close(code=1000)
            return
        else:
            configured = configured or isinstance(command, Configure)
            session.submit(command)


async def _send_all(websocket: WebSocket, session: SessionHandle, tap: Tap | None = None) -> None:
    """Write everything the session produces (and show it to the class of `tap`); close the socket if the
    session ends on its own."""
    try:
        async for item in session.outgoing():
            if isinstance(item, bytes):
                await websocket.send_bytes(item)
            else:
                await websocket.send_text(item)  # JSON already (NaN and ±inf as null)
            if tap is not None:
                await tap.saw(item)
        if websocket.application_state is WebSocketState.CONNECTED:
            code, reason = session.close  # 1008: a client that never reads; 1011: a server error
            await websocket.close(code=code, reason=reason)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the client went away; the receiver sees the disconnect
