"""`WS /ws/train`: one connection is one live training session (protocol: docs/protocol.md).

This module speaks the protocol over the socket: the origin check, `hello`, parsing client messages into
commands (app/protocol.py), and one sender task that writes what the session produces. The session
(app/live/session.py) does the work in the scheduler's threads.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect, WebSocketState

from app import __version__
from app.errors import problem, pydantic_problems, ws_error
from app.live.registry import SessionLimit
from app.live.session import Busy, Session
from app.protocol import Close, Command, Error, Hello, Limits, client_message
from app.settings import Settings
from nncore import DEFAULT_CONFIG, LIMITS

log = logging.getLogger("nnlive.ws")
router = APIRouter()


def origin_allowed(websocket: WebSocket, allowed: tuple[str, ...]) -> bool:
    """No Origin (scripts), the page's own origin (same host and port), or one the settings allow."""
    origin = websocket.headers.get("origin")
    if origin is None or "*" in allowed or origin.rstrip("/") in allowed:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == websocket.headers.get("host")


def hello(settings: Settings, session: Session) -> Hello:
    """The first message of every session."""
    return Hello(
        version=__version__,
        session=session.id,
        limits=Limits(config=LIMITS, server=settings.public()),
        defaults=DEFAULT_CONFIG,
        frame=session.options,  # the session's own, before any `set`
    )


def parse(text: str, settings: Settings) -> Command | Close | Error:
    """A command, or an `error` message saying what is wrong with `text`."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > settings.max_message_bytes:
        limit = settings.max_message_bytes
        return ws_error(problem(None, f"{size} bytes", f"messages of at most {limit} bytes"))
    try:
        raw = json.loads(text)
    except ValueError as exc:
        return ws_error(problem(None, text[:80], "a JSON object", f"not JSON ({exc}); send a JSON object"))
    message_id = raw.get("id") if isinstance(raw, dict) else None
    try:
        return client_message.validate_python(raw)
    except ValidationError as exc:
        return ws_error(pydantic_problems(exc.errors(), skip_tag=True)[0], message_id)


@router.websocket("/ws/train")
async def train_socket(websocket: WebSocket) -> None:
    """A live training session; see docs/protocol.md."""
    settings: Settings = websocket.app.state.settings
    if not origin_allowed(websocket, settings.allowed_origins):
        log.warning("refused a WebSocket from origin %s", websocket.headers.get("origin"))
        await websocket.close(code=1008, reason="origin not allowed")  # before accept: an HTTP 403
        return
    await websocket.accept()
    session = Session(settings, websocket.app.state.sessions)
    try:
        session.start()
    except SessionLimit as exc:
        await websocket.send_text(ws_error(problem(None, None, str(exc), str(exc))).model_dump_json())
        await websocket.close(code=1013, reason="too many sessions")
        return
    try:
        session.post(hello(settings, session))
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_send_all, websocket, session)
            await _receive_all(websocket, session, settings)
            tasks.cancel_scope.cancel()
    finally:
        session.stop()


async def _receive_all(websocket: WebSocket, session: Session, settings: Settings) -> None:
    """Read client messages until the client leaves or sends `close`, or the session ends."""
    while not session.stopping:
        message = await websocket.receive()
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
            try:
                session.submit(command)
            except Busy as exc:
                session.reject(ws_error(problem(None, command.type, str(exc), str(exc)), command.id))


async def _send_all(websocket: WebSocket, session: Session) -> None:
    """Write everything the session produces; close the socket if the session ends on its own."""
    try:
        async for item in session.outgoing():
            if isinstance(item, bytes):
                await websocket.send_bytes(item)
            else:
                await websocket.send_text(item.model_dump_json())  # NaN and ±inf as null
        if websocket.application_state is WebSocketState.CONNECTED:
            code, reason = session.close  # 1008 for a client that does not read, 1011 for a server error
            await websocket.close(code=code, reason=reason)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the client went away; the receiver sees the disconnect
