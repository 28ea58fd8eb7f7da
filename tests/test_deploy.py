"""deploy/: HAProxy's configuration is valid for the real haproxy, the compose file has the shape
docs/deploy.md describes (no Docker engine here: it is parsed, not run), and the real thing on loopback:
HAProxy in front of two app servers, a live session through it, one replica stopped mid-run — its session
ends, the client reconnects through the balancer and resumes (`configure.resume`) on the other, and the
health checks see it."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import yaml
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from app.encoding import decode_frame
from tests.conftest import ROOT, LiveServer
from tests.services import Balancer, need

DEPLOY = ROOT / "deploy"
SCENE = {
    "data": {"points": [[0, 0], [0, 1], [1, 0], [1, 1]], "labels": [0, 1, 1, 0]},
    "network": {"hidden": [3]},
    "training": {"epochs": None, "learning_rate": 0.1},
}


def test_haproxy_accepts_the_deploy_configuration() -> None:
    haproxy = need("haproxy")
    checked = subprocess.run(
        [haproxy, "-c", "-f", str(DEPLOY / "haproxy.cfg")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    config = (DEPLOY / "haproxy.cfg").read_text()
    assert "timeout tunnel" in config and "option httpchk GET /api/health" in config


def test_the_compose_file_runs_replicas_behind_the_balancer_with_shared_postgres_and_redis() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"app", "balancer", "postgres", "redis"}
    app = services["app"]
    assert app["deploy"]["replicas"] >= 2 and "ports" not in app  # reached only through the balancer
    assert (
        app["environment"]["DATABASE_URL"].startswith("postgresql://")
        and "@postgres:" in app["environment"]["DATABASE_URL"]
    )
    assert app["environment"]["REDIS_URL"].startswith("redis://redis:")
    assert {name for name, dep in app["depends_on"].items() if dep["condition"] == "service_healthy"} == {
        "postgres",
        "redis",
    }
    for name, service in services.items():
        assert service["healthcheck"]["test"], name
    assert "/api/health" in " ".join(app["healthcheck"]["test"])
    balancer = services["balancer"]
    assert balancer["image"].startswith("haproxy:")
    assert any(v.startswith("./haproxy.cfg:") for v in balancer["volumes"])
    assert balancer["depends_on"]["app"]["condition"] == "service_healthy"
    assert "server-template app" in (DEPLOY / "haproxy.cfg").read_text()  # every replica of `app`, by DNS


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def live_sessions(server: LiveServer) -> float:
    """The server's nnlive_live_sessions gauge, from its own /metrics."""
    text = httpx.get(server.url + "/metrics", timeout=5).text
    return float(
        next(line.split()[1] for line in text.splitlines() if line.startswith("nnlive_live_sessions "))
    )


def next_frame(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message = ws.recv(timeout=30)
        if isinstance(message, bytes):
            return decode_frame(message)


def test_a_stopped_replica_costs_only_its_sessions_and_they_resume_on_the_other() -> None:
    servers = [LiveServer(args=["--workers", "1"]), LiveServer(args=["--workers", "1"])]
    balancer = None
    try:
        balancer = Balancer([f"127.0.0.1:{s.port}" for s in servers], check_ms=200)
        wait_for(lambda: balancer.status() == {"app0": "UP", "app1": "UP"}, 20)
        url = balancer.ws_url + "/ws/train"
        with connect(url) as first:
            first.recv(timeout=30)  # hello
            first.send(json.dumps({"type": "configure", "config": SCENE}))
            wait_for(lambda: sum(live_sessions(s) for s in servers) == 1.0, 10)
            victim = next(k for k, s in enumerate(servers) if live_sessions(s) == 1.0)
            with connect(url) as second:  # round robin: the next session goes to the other replica
                second.recv(timeout=30)
                second.send(json.dumps({"type": "configure", "config": SCENE}))
                wait_for(lambda: [live_sessions(s) for s in servers] == [1.0, 1.0], 10)
                first.send(json.dumps({"type": "play"}))
                frame = next_frame(first)
                while frame["epoch"] < 20:
                    frame = next_frame(first)
                servers[victim].stop()
                with pytest.raises(ConnectionClosed):  # the stopped replica's session ends
                    while True:
                        message = first.recv(timeout=30)
                        if isinstance(message, bytes):
                            frame = decode_frame(message)
                # what the page does on reconnect: configure with the latest weights and where the run was
                resumed = {**SCENE, "network": {**SCENE["network"], "weights": frame["weights"]}}
                with connect(url) as again:
                    again.recv(timeout=30)
                    again.send(
                        json.dumps(
                            {
                                "type": "configure",
                                "config": resumed,
                                "resume": {"epoch": frame["epoch"], "step": frame["step"]},
                            }
                        )
                    )
                    back = next_frame(again)
                    assert (back["epoch"], back["step"]) == (frame["epoch"], frame["step"])
                    assert back["weights"] == frame["weights"]
                # the other replica's session never noticed
                second.send(json.dumps({"type": "step", "n": 5}))
                assert next_frame(second)["type"] == "frame"
        names = {0: "app0", 1: "app1"}
        wait_for(lambda: balancer.status()[names[victim]] == "DOWN", 20)
        assert balancer.status()[names[1 - victim]] == "UP"
    finally:
        if balancer is not None:
            balancer.stop()
        for server in servers:
            if server.process.poll() is None:
                server.stop()
