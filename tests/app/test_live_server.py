"""`/ws/train` on a real uvicorn server on a free loopback port: the `websockets` client and raw sockets."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
import time
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from app.encoding import decode_frame
from tests.conftest import LiveServer

pytestmark = [pytest.mark.server, pytest.mark.timeout(90)]

SPIRAL = {
    "data": {"dataset": "spiral", "n": 300, "noise": 0.0},
    "features": ["x1", "x2", "sin(x1)", "sin(x2)"],
    "network": {"hidden": [8, 8]},
    "training": {"learning_rate": 0.03, "epochs": 100_000},
}


async def play(url: str, seconds: float, config: dict[str, Any] = SPIRAL) -> tuple[list[dict], list[float]]:
    """Connect, configure, play for `seconds`; the decoded frames and their arrival times."""
    frames, times = [], []
    async with connect(url + "/ws/train", max_size=None) as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello" and hello["protocol"] == 1
        await ws.send(json.dumps({"type": "configure", "config": config}))
        assert json.loads(await ws.recv())["type"] == "data"
        frames.append(decode_frame(await ws.recv()))
        await ws.send(json.dumps({"type": "play"}))
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            message = await ws.recv()
            if isinstance(message, bytes):
                frames.append(decode_frame(message))
                times.append(time.monotonic())
        await ws.send(json.dumps({"type": "close"}))
    return frames, times


def test_a_session_on_a_real_server_trains_and_streams_frames(live_server: LiveServer) -> None:
    frames, times = asyncio.run(play(live_server.ws_url, 2.0))
    assert 10 <= len(times) / 2.0 <= 31  # frames per second: at most 30 (fewer on a busy machine)
    assert frames[-1]["step"] > frames[1]["step"] > 0 and frames[-1]["epoch"] > 0
    assert frames[-1]["metrics"]["train_loss"] < 0.8 * frames[0]["metrics"]["train_loss"]
    assert frames[-1]["grid"]["output"].shape == (100, 100)


def stalled_client(server: LiveServer) -> socket.socket:
    """A raw WebSocket client that configures a big-frame session, plays, and then never reads again."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws/train HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert response.startswith(b"HTTP/1.1 101")
    big = {"type": "set", "frame": {"grid": 200, "neuron_grid": 64}}
    for message in ({"type": "configure", "config": SPIRAL}, big, {"type": "play"}):
        payload, mask = json.dumps(message).encode(), os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        sock.sendall(struct.pack("!BBH", 0x81, 0xFE, len(payload)) + mask + masked)
    return sock


def test_stalled_clients_do_not_slow_another_client(live_server: LiveServer) -> None:
    """Four clients with 2.7 MB frames that never read again: another client's frames are counted against its
    own frames alone, measured just before in the same run (the machine's load hits both alike), and it still
    learns (its loss falls below 0.8 of where it started)."""
    _, alone = asyncio.run(play(live_server.ws_url, 3.0))
    stalled = [stalled_client(live_server) for _ in range(4)]
    try:
        time.sleep(0.5)
        frames, times = asyncio.run(play(live_server.ws_url, 3.0))
    finally:
        for sock in stalled:
            sock.close()
    # a server that let the stalled sockets block its event loop or its other sessions would deliver next to
    # nothing
    assert len(times) >= 0.5 * len(alone), (len(alone), len(times))
    assert frames[-1]["epoch"] > frames[1]["epoch"]
    assert frames[-1]["metrics"]["train_loss"] < 0.8 * frames[0]["metrics"]["train_loss"]


def test_another_origin_is_refused_on_a_real_server(live_server: LiveServer) -> None:
    async def attempt(origin: str) -> None:
        async with connect(live_server.ws_url + "/ws/train", origin=origin) as ws:  # type: ignore[arg-type]
            assert json.loads(await ws.recv())["type"] == "hello"

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(attempt("http://evil.example"))
    assert refused.value.response.status_code == 403
    asyncio.run(attempt(live_server.url))  # the page's own origin
