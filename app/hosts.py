"""Who may talk to this server: the `Host` a request names, and the `Origin` of a browser's WebSocket.

DNS rebinding points a name the attacker owns (evil.example) at 127.0.0.1, so the victim's browser sends the
attacker's page's requests to this server with `Host: evil.example` and the matching `Origin`. Two checks stop
it, and neither trusts the other:

- `HostCheck` (a pure ASGI middleware, HTTP and WebSocket): the Host must be a loopback name (`LOOPBACK`)
  or one of the settings' `allowed_hosts` (`*` serves any Host, and gives up this protection). A request
  without a Host (an HTTP/1.0 health check; browsers always send one) passes. Refused: HTTP 400, or a
  WebSocket closed before its handshake (HTTP 403).
- `origin_allowed`: a WebSocket with an `Origin` is accepted when that origin is listed in `allowed_origins`,
  or when it is the page's own — the same host and port as `Host`, *and* a host this server serves.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import refusal

LOOPBACK = ("localhost", "127.0.0.1", "::1")
log = logging.getLogger("nnlive.http")


def host_name(host: str) -> str:
    """The name part of a Host header or netloc, lower case: "[::1]:8000" → "::1", "Lab.Example:80" →
    "lab.example" (a trailing dot dropped)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    name, _, port = host.rpartition(":")
    return (name if name and port.isdigit() else host).rstrip(".")


def host_allowed(host: str | None, allowed_hosts: tuple[str, ...]) -> bool:
    """True for no Host, a loopback name, a listed name, or any name when `*` is listed."""
    if host is None or "*" in allowed_hosts:
        return True
    name = host_name(host)
    return name in LOOPBACK or name in allowed_hosts


def origin_allowed(
    origin: str | None, host: str | None, allowed_origins: tuple[str, ...], allowed_hosts: tuple[str, ...]
) -> bool:
    """No Origin (scripts), a listed origin, or the page's own: same host and port as `host`, and a host this
    server serves (an Origin equal to a rebound Host is not enough)."""
    if origin is None or "*" in allowed_origins or origin.rstrip("/") in allowed_origins:
        return True
    parts = urlsplit(origin)
    return (
        parts.scheme in ("http", "https")
        and host is not None
        and parts.netloc.lower() == host.lower()
        and host_allowed(parts.netloc, allowed_hosts)
    )


class HostCheck:
    """Refuse requests whose Host this server does not serve (see the module docstring)."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app, self.allowed_hosts = app, allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host")
        if host_allowed(host, self.allowed_hosts):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        log.warning(
            "refused host=%r path=%s client=%s", host, scope.get("path"), client[0] if client else None
        )
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "host not served"})
            return
        names = ", ".join((*LOOPBACK, *self.allowed_hosts))
        allowed = f"one of: {names} (NNLIVE_ALLOWED_HOSTS adds names)"
        await refusal(400, host, allowed, f"Host {host!r} is not served here; {allowed}")(
            scope, receive, send
        )
