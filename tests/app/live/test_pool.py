"""The training processes (app/live/pool.py): sessions spread over them, and one that dies costs only its own
sessions — each gets an `error` and the close code 1011 — while the server stays up and a new process takes
its place."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from app.live.handle import LOST
from app.main import create_app
from app.settings import Settings
from tests.app.test_ws import POINTS, is_frame, of_type, receive, session, until
from tests.conftest import LiveServer

pytestmark = pytest.mark.timeout(120)


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_sessions_go_to_the_process_with_the_fewest() -> None:
    app = create_app(Settings(workers=2))
    with session(app, POINTS), session(app, POINTS):
        counts = sorted(len(p.handles) for p in app.state.pool.processes)
        assert counts == [1, 1]


def test_a_dead_training_process_ends_only_its_sessions_and_is_replaced() -> None:
    app = create_app(Settings(workers=2))
    pool = app.state.pool
    with session(app, POINTS) as first, session(app, POINTS) as second:
        # sessions are numbered in order: the first socket's has the smaller id; each is in its own process
        first_id = min(i for p in pool.processes for i in p.handles)
        victim = next(p for p in pool.processes if first_id in p.handles)
        for ws in (first, second):
            ws.send_json({"type": "play"})
            until(ws, is_frame)
        os.kill(victim.pid, signal.SIGKILL)
        assert until(first, of_type("error"))[-1]["message"] == LOST
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                receive(first)
        assert closed.value.code == 1011
        # the other process's session plays on
        before = until(second, is_frame)[-1]["epoch"]
        until(second, lambda m: is_frame(m) and m["epoch"] > before)
        # a new process takes the dead one's place
        wait_for(lambda: pool.ready() == 2 and victim.pid not in [p.pid for p in pool.processes], 60)
    assert TestClient(app).get("/api/health").status_code == 200
    with session(app, POINTS) as fresh, session(app, POINTS) as another:
        for ws in (fresh, another):  # one of them runs in the new process
            ws.send_json({"type": "step", "n": 3})
            until(ws, lambda m: is_frame(m) and m["epoch"] == 3)


def test_a_real_server_survives_the_death_of_a_training_process() -> None:
    """`nnlive serve --workers 2`: SIGKILL a training process (a child of the server); its session gets the
    error and 1011, the server answers and serves new sessions."""
    server = LiveServer(args=["--workers", "2"])
    try:
        with connect(server.ws_url + "/ws/train") as ws:
            assert '"hello"' in ws.recv()
            children = _children(server.process.pid)
            assert len(children) >= 2  # two training processes (and multiprocessing's resource tracker)
            ws.send('{"type": "configure", "config": {"data": {"dataset": "xor"}}}')
            ws.send('{"type": "play"}')
            while not isinstance(ws.recv(), bytes):
                pass
            for pid in children:
                if _is_training(pid):
                    os.kill(pid, signal.SIGKILL)
            texts = []
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    message = ws.recv()
                    if isinstance(message, str):
                        texts.append(message)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
            assert any(LOST in t for t in texts)
        assert httpx.get(server.url + "/api/health").status_code == 200
        with connect(server.ws_url + "/ws/train") as ws:
            ws.recv()
            ws.send('{"type": "configure", "config": {"data": {"dataset": "xor"}}}')
            assert '"data"' in ws.recv()
            assert isinstance(ws.recv(), bytes)
    finally:
        server.stop()


def _children(pid: int) -> list[int]:
    tasks = f"/proc/{pid}/task/{pid}/children"
    with open(tasks) as file:
        return [int(v) for v in file.read().split()]


def _is_training(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return b"spawn_main" in file.read()
    except OSError:
        return False
