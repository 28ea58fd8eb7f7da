"""Prometheus metrics (prometheus-client), recorded where each event happens and exposed at `GET /metrics`.

- `nnlive_http_request_duration_seconds{method, route, status}` (histogram): every HTTP request, by route
  template;
- `nnlive_heavy_requests_in_progress` (gauge): training and landscape requests running (app/heavy.py);
- `nnlive_heavy_requests_refused_total{reason}` (counter): `busy` (429), `deadline` (503), `cancelled` (the
  client left);
- `nnlive_live_sessions` (gauge): live WebSocket sessions now; `nnlive_sessions_started_total` (counter);
- `nnlive_sessions_refused_total{reason}` (counter): `full`, `client` (per-address cap), `origin`, `idle`;
- `nnlive_session_queue_wait_seconds` (histogram): how long a session waited for its turn
  (app/live/scheduler.py);
- `nnlive_session_turn_cpu_seconds` (histogram): CPU time of one turn;
- `nnlive_frame_encode_seconds` (histogram): a frame's grids and its encoding to bytes (app/live/session.py);
- `nnlive_frames_total`, `nnlive_ws_errors_total` (counters): frames produced, `error` messages sent.

Plus prometheus-client's process metrics (CPU, memory, open files). `RequestMetrics` (a pure ASGI middleware)
times the HTTP requests and writes one log line per request (docs/api.md, "Logs").
"""

from __future__ import annotations

import logging
import time

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FAST = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
SLOW = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_DURATION = Histogram(
    "nnlive_http_request_duration_seconds",
    "HTTP requests by route",
    ["method", "route", "status"],
    buckets=SLOW,
)
HEAVY_IN_PROGRESS = Gauge("nnlive_heavy_requests_in_progress", "training and landscape requests running")
HEAVY_REFUSED = Counter(
    "nnlive_heavy_requests_refused_total", "heavy requests refused or stopped", ["reason"]
)
LIVE_SESSIONS = Gauge("nnlive_live_sessions", "live WebSocket sessions")
SESSIONS_STARTED = Counter("nnlive_sessions_started_total", "live sessions started")
SESSIONS_REFUSED = Counter("nnlive_sessions_refused_total", "WebSocket sessions refused", ["reason"])
QUEUE_WAIT = Histogram("nnlive_session_queue_wait_seconds", "a session's wait for its turn", buckets=FAST)
TURN_CPU = Histogram("nnlive_session_turn_cpu_seconds", "CPU time of one session turn", buckets=FAST)
FRAME_ENCODE = Histogram("nnlive_frame_encode_seconds", "a frame's grids and encoding", buckets=FAST)
FRAMES = Counter("nnlive_frames_total", "frames produced")
WS_ERRORS = Counter("nnlive_ws_errors_total", "error messages sent to WebSocket clients")

http_log = logging.getLogger("nnlive.http")
_QUIET = ("/static/", "/vendor/", "/docs/static/")  # files: logged at DEBUG


async def metrics_endpoint(request: Request) -> Response:
    """`GET /metrics`: every metric in Prometheus's text format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _route(scope: Scope) -> str:
    """The route template (`/api/datasets/{name}`), so that labels stay few; "unmatched" for a 404."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path is not None else "unmatched"


class RequestMetrics:
    """Time every HTTP request into HTTP_DURATION and log it as one line:
    `request method=GET path=/api/health status=200 ms=0.8 client=127.0.0.1`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            HTTP_DURATION.labels(scope["method"], _route(scope), str(status)).observe(seconds)
            path, client = scope.get("path", ""), scope.get("client")
            level = logging.DEBUG if path.startswith(_QUIET) else logging.INFO
            http_log.log(
                level,
                "request method=%s path=%s status=%d ms=%.1f client=%s",
                scope["method"],
                path,
                status,
                seconds * 1000,
                client[0] if client else None,
            )
