"""Bounds before work: no request body or WebSocket message is parsed before its size and nesting are known.

- `nesting(data)`: the depth of JSON text, measured on the raw bytes in linear time (a deep `[[[[…` would
  otherwise reach the parser's recursion, and every step after it);
- `loads(text, max_depth)`: a WebSocket message as JSON, or `BadJSON` saying why not (too deep, not JSON,
  NaN or Infinity, which JSON has not);
- `BodyBounds`: a pure ASGI middleware in front of every route. A body whose Content-Length is over
  `max_bytes` is a 413 before a byte of it is read; a body that passes the limit while it streams in is a 413
  at that moment; a JSON body nested deeper than `max_depth` is a 422. Only then does FastAPI parse it.
  (FastAPI's own `max_body_size` counts bytes only; the nesting needs the bytes in hand, so one middleware
  does both.)
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem, refusal, unprocessable

_DELETE = bytes(c for c in range(256) if c not in b'"[]{}')  # all but what nesting depends on
_STEP = np.zeros(256, dtype=np.int8)
_STEP[list(b"[{")] = 1
_STEP[list(b"]}")] = -1
_QUOTE = ord('"')


class BadJSON(ValueError):
    """Text that is not a JSON value this server reads; the message says why."""


def nesting(data: bytes) -> int:
    """How deeply the arrays and objects of JSON text nest (brackets inside strings do not count).

    Escaped backslashes and quotes are dropped first, so every remaining quote opens or closes a string; then
    a bracket counts where an even number of quotes precedes it. Linear, and C-speed: 2 MB in about 15 ms.
    """
    structure = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _DELETE)
    if not structure:
        return 0
    codes = np.frombuffer(structure, dtype=np.uint8)
    in_string = np.bitwise_xor.accumulate(codes == _QUOTE)
    steps = _STEP[codes]
    steps[in_string] = 0
    return int(np.cumsum(steps, dtype=np.int64).max(initial=0))


def too_deep(depth: int, max_depth: int) -> str:
    return f"JSON nested {depth} levels deep; at most {max_depth} levels are read"


def _no_constant(name: str) -> Any:
    raise BadJSON(f"{name} is not JSON; send numbers as finite numbers")


def loads(text: str, max_depth: int) -> Any:
    """`text` parsed as JSON after its nesting was checked; BadJSON with the reason otherwise."""
    depth = nesting(text.encode("utf-8", "surrogatepass"))
    if depth > max_depth:
        raise BadJSON(too_deep(depth, max_depth))
    try:
        return json.loads(text, parse_constant=_no_constant)
    except BadJSON:
        raise
    except (ValueError, RecursionError) as exc:
        raise BadJSON(f"not JSON ({exc})") from None


class BodyBounds:
    """Refuse oversized and over-nested request bodies before the app reads them (see the module
    docstring)."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_depth: int) -> None:
        self.app, self.max_bytes, self.max_depth = app, max_bytes, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(f"{int(declared)} bytes", scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left before its body was complete: nothing to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(f"more than {self.max_bytes} bytes", scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if "json" in headers.get("content-type", "") or not headers.get("content-type"):
            try:
                body.decode(json.detect_encoding(body))  # what the parser will do, or a 400 of its own
            except UnicodeDecodeError as exc:
                reason = f"the body is not JSON text ({exc}); send UTF-8 JSON"
                await unprocessable([problem(None, None, "a JSON body", reason)])(scope, receive, send)
                return
            depth = nesting(body)
            if depth > self.max_depth:
                allowed = f"a JSON body nested at most {self.max_depth} levels deep"
                response = unprocessable(
                    [problem(None, f"{depth} levels", allowed, too_deep(depth, self.max_depth))]
                )
                await response(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, value: str, scope: Scope, receive: Receive, send: Send) -> None:
        allowed = f"a body of at most {self.max_bytes} bytes"
        message = f"the request body is {value}; this server reads at most {self.max_bytes} bytes"
        await refusal(413, value, allowed, message, {"connection": "close"})(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """A `receive` that hands the app the buffered body once, then passes on (to report a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
