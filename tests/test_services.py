"""The test suite's own services really run: Redis answers PING, PostgreSQL answers a query, and HAProxy
proxies to a real app server and sees it healthy."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Any

import httpx

from tests.services import Balancer, PostgresServer, RedisServer


def test_redis_answers_ping(redis_server: RedisServer) -> None:
    with socket.create_connection(("127.0.0.1", redis_server.port), timeout=5) as sock:
        sock.sendall(b"PING\r\n")
        assert sock.recv(64) == b"+PONG\r\n"


def test_postgres_answers_a_query(postgres_server: PostgresServer) -> None:
    out = subprocess.run(
        ["psql", postgres_server.url, "-tAc", "SELECT 6 * 7"], check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == "42"


def test_balancer_proxies_to_a_healthy_app(live_server: Any) -> None:
    balancer = Balancer([f"127.0.0.1:{live_server.port}", "127.0.0.1:1"], check_ms=200)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and balancer.status() != {"app0": "UP", "app1": "DOWN"}:
            time.sleep(0.1)
        assert balancer.status() == {"app0": "UP", "app1": "DOWN"}  # port 1: nothing listens there
        assert httpx.get(balancer.url + "/api/health", timeout=5).json()["status"] == "ok"
    finally:
        balancer.stop()
