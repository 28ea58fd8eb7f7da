"""Issue 12's audit, the findings that need a real server (`python -m app serve` on a free loopback port):
keep-alive after a bad request, a client that gives up, health beside training, a huge body, a heavy live
session beside small ones, logs and metrics. Each failed before the hardening (checked against the code
before it)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.app.test_live_server import SPIRAL
from tests.conftest import LiveServer

pytestmark = [pytest.mark.server, pytest.mark.timeout(180)]

SLOW = {  # a minute of CPU if nothing stops it (over the default budget: these servers raise it)
    "data": {"dataset": "spiral", "n": 8, "test_fraction": 0},
    "network": {"hidden": [2] * 8, "batch_norm": True, "dropout": 0.5},
    "training": {"epochs": 30_000, "batch_size": 2},
}


def raw_request(server: LiveServer, sock: socket.socket, method: str, path: str, body: bytes = b"") -> None:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    sock.sendall(head.encode() + body)


def raw_response(sock: socket.socket) -> tuple[int, bytes]:
    """Status and body of one HTTP/1.1 response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split()[1]), body


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks (100 a second)


# ---- 1. after a 500 on a lone surrogate, the next request on the connection was reset -----------------


def test_the_connection_carries_on_after_a_lone_surrogate(live_server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as sock:
        raw_request(live_server, sock, "POST", "/api/train", b'{"data": {"dataset": "\\ud800"}}')
        status, body = raw_response(sock)
        assert status == 422 and b"\\\\ud800" in body
        raw_request(live_server, sock, "GET", "/api/health")  # the same keep-alive connection
        assert raw_response(sock)[0] == 200


# ---- 6. a client that gave up did not stop its job ------------------------------------------------------


def test_training_stops_when_its_client_leaves() -> None:
    server = LiveServer(env={"NNLIVE_TRAIN_BUDGET": "1e13", "NNLIVE_REQUEST_DEADLINE": "600"})
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            raw_request(server, sock, "POST", "/api/train", json.dumps(SLOW).encode())
            time.sleep(1.0)  # training
        time.sleep(1.0)  # the server notices within one update
        before = cpu_seconds(server.process.pid)
        time.sleep(2.0)
        busy = (cpu_seconds(server.process.pid) - before) / 2.0
        assert busy < 0.3  # a job still running would use a whole core
        metrics = httpx.get(server.url + "/metrics").text
        assert 'nnlive_heavy_requests_refused_total{reason="cancelled"} 1.0' in metrics
    finally:
        server.stop()


# ---- 7. health starved behind training requests --------------------------------------------------------


def test_health_answers_at_once_beside_many_training_requests(live_server: LiveServer) -> None:
    config = {
        "data": {"dataset": "spiral", "n": 400},
        "network": {"hidden": [8, 8]},
        "training": {"epochs": 300},
    }
    statuses: list[int] = []
    retry_after: list[str] = []

    def train() -> None:
        response = httpx.post(live_server.url + "/api/train", json=config, timeout=120)
        statuses.append(response.status_code)
        retry_after.append(response.headers.get("retry-after", ""))

    threads = [threading.Thread(target=train) for _ in range(42)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    health = httpx.get(live_server.url + "/api/health", timeout=5.0)  # 36 s before the fix
    assert health.status_code == 200
    for thread in threads:
        thread.join()
    assert statuses.count(200) >= 2 and statuses.count(429) >= 30  # 2 heavy workers; the rest: retry later
    assert all(after.isdigit() for status, after in zip(statuses, retry_after, strict=True) if status == 429)


# ---- 8. a 50 MB body was parsed (1.8 GB of memory, the event loop blocked for 7.6 s) -----------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(live_server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as sock:
        head = (
            f"POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
            "Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
        )
        sock.sendall(head.encode() + b'{"config": {}, "points": [' + b"[0, 0], " * 8000)
        status, body = raw_response(sock)  # answered without the other 49.9 MB
        assert status == 413
        assert "at most 2097152 bytes" in json.loads(body)["detail"][0]["message"]


# ---- 9. one heavy live session slowed all the others ------------------------------------------------------

HEAVY = {  # the audit's: 8 arms, 5000 points, 9 features, 8×64 softmax, full batch
    "data": {"dataset": "spiral_k", "k": 8, "n": 5000},
    "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)", "cos(x1)", "cos(x2)"],
    "network": {"hidden": [64] * 8, "output_activation": "softmax"},
    "training": {"batch_size": 5000, "loss": "cross_entropy", "epochs": 100_000},
}


async def small_sessions(url: str, n: int, seconds: float, heavy_after: float | None) -> tuple[int, int]:
    """n small sessions play; frames they receive in `seconds` before the heavy session plays and in
    `seconds` after (it starts at `heavy_after`)."""
    counts = [[0, 0] for _ in range(n)]
    phase = 0

    async def small(k: int) -> None:
        async with connect(url + "/ws/train", max_size=None) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "configure", "config": SPIRAL}))
            await ws.send(json.dumps({"type": "play"}))
            while phase < 2:
                message = await ws.recv()
                if isinstance(message, bytes) and phase in (0, 1):
                    counts[k][phase] += 1

    async def heavy() -> None:
        async with connect(url + "/ws/train", max_size=None) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "configure", "config": HEAVY}))
            await ws.send(json.dumps({"type": "set", "frame": {"grid": 200, "neuron_grid": 64}}))
            await asyncio.sleep(heavy_after or 0)
            await ws.send(json.dumps({"type": "play"}))
            while phase < 2:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ws.recv(), 0.5)

    async def clock() -> None:
        nonlocal phase
        phase = -1
        await asyncio.sleep(1.0)  # warm-up
        phase = 0
        await asyncio.sleep(seconds)
        phase = -1
        await asyncio.sleep(1.5)  # the heavy session starts playing, its first turns
        phase = 1
        await asyncio.sleep(seconds)
        phase = 2

    tasks = [small(k) for k in range(n)] + [clock()]
    if heavy_after is not None:
        tasks.append(heavy())
    await asyncio.gather(*tasks)
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def test_a_heavy_session_does_not_slow_the_small_ones(live_server: LiveServer) -> None:
    """The audit's heavy session beside four small ones: the small ones' frames while it plays, against their
    frames just before, in the same run (the machine's load hits both alike). Before the fair queue and the
    capped turns they fell to about a fifth."""
    before, during = asyncio.run(small_sessions(live_server.ws_url, 4, 3.0, heavy_after=1.0 + 3.0 + 0.5))
    assert before > 4 * 3.0 * 5  # the small sessions stream at all (30 fps each on an idle machine)
    assert during >= 0.5 * before, (before, during)


# ---- 15. logs with time and level, session lines, metrics -------------------------------------------------


def test_the_log_has_one_format_and_a_line_per_session_and_metrics_count(tmp_path: Path) -> None:
    server = LiveServer(args=["--log-level", "info"])
    try:

        async def one_session() -> None:
            async with connect(server.ws_url + "/ws/train", max_size=None) as ws:
                await ws.recv()
                await ws.send(json.dumps({"type": "configure", "config": SPIRAL}))
                await ws.send(json.dumps({"type": "play"}))
                for _ in range(10):
                    await ws.recv()
                await ws.send(json.dumps({"type": "close"}))

        asyncio.run(one_session())
        httpx.get(server.url + "/api/health")
        time.sleep(1.0)
        metrics = httpx.get(server.url + "/metrics").text
    finally:
        server.stop()
    log = server.log.read_text()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} "
    assert re.search(stamp + r"INFO nnlive.sessions: session start id=\d+ client=127.0.0.1", log)
    ended = re.search(
        stamp + r"INFO nnlive.sessions: session end id=\d+ seconds=[\d.]+ frames=(\d+) epochs=\d+", log
    )
    assert ended and int(ended.group(1)) >= 5
    assert re.search(
        stamp + r"INFO nnlive.http: request method=GET path=/api/health status=200 ms=[\d.]+", log
    )
    assert all(
        re.match(stamp + r"(DEBUG|INFO|WARNING|ERROR) \S+: ", line) for line in log.splitlines() if line
    )
    for name in (
        "nnlive_live_sessions 0.0",
        "nnlive_sessions_started_total 1.0",
        "nnlive_session_queue_wait_seconds_count",
        "nnlive_frame_encode_seconds_count",
        'nnlive_http_request_duration_seconds_count{method="GET",route="/api/health",status="200"}',
    ):
        assert name in metrics, name
    frames = re.search(r"nnlive_frame_encode_seconds_count (\S+)", metrics)
    assert frames and float(frames.group(1)) >= 5


def test_log_level_warning_leaves_out_the_request_lines() -> None:
    server = LiveServer(args=["--log-level", "warning"])
    try:
        httpx.get(server.url + "/api/catalog")
        httpx.get(server.url + "/api/catalog", headers={"host": "evil.example"})
    finally:
        server.stop()
    log = server.log.read_text()
    assert "request method=" not in log and "WARNING nnlive.http: refused host='evil.example'" in log
