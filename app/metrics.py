"""Prometheus metrics (prometheus-client), recorded where each event happens and exposed at `GET /metrics`.

- `nnlive_http_request_duration_seconds{method, route, status}` (histogram): every HTTP request, by route
  template;
- `nnlive_heavy_requests_in_progress` (gauge): training and landscape requests running (app/heavy.py);
- `nnlive_heavy_requests_refused_total{reason}` (counter): `busy` (429), `deadline` (503), `cancelled` (the
  client left);
- `nnlive_live_sessions` (gauge): live WebSocket sessions now; `nnlive_sessions_started_total` (counter);
- `nnlive_sessions_refused_total{reason}` (counter): `full`, `client` (per-address cap), `origin`, `idle`;
- `nnlive_training_processes` (gauge): training processes ready to take sessions (app/live/pool.py);
  `nnlive_training_restarts_total` (counter): training processes that died and were started again;

and the training metrics, recorded in the training processes (the `TRAINING` registry):

- `nnlive_session_queue_wait_seconds` (histogram): how long a session waited for its turn
  (app/live/scheduler.py);
- `nnlive_session_turn_cpu_seconds` (histogram): CPU time of one turn;
- `nnlive_frame_encode_seconds` (histogram): a frame's grids and its encoding to bytes (app/live/session.py);
- `nnlive_frames_total`, `nnlive_ws_errors_total` (counters): frames produced, `error` messages sent.

Each training process sends its `TRAINING` samples to the web process every METRICS_SECONDS (and when it
stops); `WORKERS` adds them up, with those of processes that have ended, so the web process's `/metrics` shows
the machine's totals. (prometheus-client's own multiprocess mode was not used: it needs a directory of files
shared by every process, set before the library is imported, and gives up the process metrics.)

Plus prometheus-client's process metrics (CPU, memory, open files) of the web process. `RequestMetrics` (a
pure ASGI middleware) times the HTTP requests and writes one log line per request (docs/api.md, "Logs").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
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
TRAINING_PROCESSES = Gauge("nnlive_training_processes", "training processes ready to take sessions")
TRAINING_RESTARTS = Counter("nnlive_training_restarts_total", "training processes started again after dying")

METRICS_SECONDS = 1.0  # how often a training process sends its TRAINING samples
TRAINING = CollectorRegistry(auto_describe=True)  # observed in the training processes
QUEUE_WAIT = Histogram(
    "nnlive_session_queue_wait_seconds", "a session's wait for its turn", buckets=FAST, registry=TRAINING
)
TURN_CPU = Histogram(
    "nnlive_session_turn_cpu_seconds", "CPU time of one session turn", buckets=FAST, registry=TRAINING
)
FRAME_ENCODE = Histogram(
    "nnlive_frame_encode_seconds", "a frame's grids and encoding", buckets=FAST, registry=TRAINING
)
FRAMES = Counter("nnlive_frames_total", "frames produced", registry=TRAINING)
WS_ERRORS = Counter("nnlive_ws_errors_total", "error messages sent to WebSocket clients", registry=TRAINING)

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]  # (sample name, labels) → value


def training_samples() -> Samples:
    """This process's TRAINING values so far (what a training process sends; `_created` times left out)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in TRAINING.collect()
        for s in family.samples
        if not s.name.endswith("_created")
    }


class Workers:
    """The TRAINING metrics of every training process, added up (a prometheus-client collector): the latest
    samples of each running process, plus the last ones of processes that have ended."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[object, Samples] = {}
        self._ended: Samples = {}

    def update(self, process: object, samples: Samples) -> None:
        with self._lock:
            self._running[process] = samples

    def end(self, process: object) -> None:
        """`process` has ended: its last samples stay in the totals."""
        with self._lock:
            for key, value in self._running.pop(process, {}).items():
                self._ended[key] = self._ended.get(key, 0.0) + value

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            sources = [self._ended, *self._running.values()]
        for family in TRAINING.collect():  # this process's own values (sessions run here in no other way)
            merged = Metric(family.name, family.documentation, family.type, family.unit)
            for s in family.samples:
                if s.name.endswith("_created"):
                    continue
                key = (s.name, tuple(sorted(s.labels.items())))
                merged.add_sample(s.name, s.labels, s.value + sum(src.get(key, 0.0) for src in sources))
            yield merged


WORKERS = Workers()
REGISTRY.register(WORKERS)

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
