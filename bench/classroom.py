"""Classroom bench (`make bench`; not run by the tests). Method and results: docs/performance.md, "Classroom".

Starts a real server (`python -m app serve`, the embedded default: SQLite and the in-process broker) on a free
loopback port and measures the issue's two targets, each over several runs:

- **broadcast**: one teacher plays the default scene on `/ws/train?class=…&teacher=…`; W learners watch on
  their class sockets. Per watcher: frames per second received; pooled: the delay from the teacher's client
  receiving a frame to a watcher receiving the same bytes (p50, p99), and the p99 gap between a watcher's
  frames. Target: every watcher >= 10 frames/s, delay p99 < 250 ms.
- **dashboard**: L learners each play their own default scene (`/ws/train?class=…&member=…`, reading every
  frame as the page does); the teacher's class socket counts each learner's summaries. Target: every tile
  refreshed >= 1 per second.

It prints the server's CPU (from /proc/<pid>/stat; 100 % = one core), for the broadcast also the bench's own
CPU and how long the server's threads waited ready to run for a CPU ("starved", /proc/<pid>/task/*/schedstat:
other processes had the cores; 100 % = one thread waiting all the time), and /proc/loadavg before and after
each run. The bench's clients run in this one process, on the same 2 cores as the server.

    .venv/bin/python bench/classroom.py [--watchers 500] [--learners 60] [--seconds 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import signal
import statistics
import struct
import sys
import time
from pathlib import Path

import httpx
import numpy as np
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import cpu_seconds, free_port, run_and_wait, start_server

ROOT = Path(__file__).resolve().parent.parent
SCENE = {"training": {"epochs": None}}  # the default scene, trained until paused (as the page does)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def new_class(api: httpx.AsyncClient, learners: int) -> tuple[str, str, list[str]]:
    made = (await api.post("/api/classes", json={"title": "bench"})).json()
    code = made["code"]
    members = []
    for k in range(learners):
        answer = await api.post(f"/api/classes/{code}/members", json={"name": f"learner {k}"})
        members.append(answer.json()["id"])
    return code, made["teacher_token"], members


STEP = re.compile(rb'"step":(\d+)')


def step_of(frame: bytes) -> int:
    """The update count in a frame's header (unique per frame of one run): the frame's identity."""
    match = STEP.search(frame, 4, 200)
    return int(match.group(1)) if match else -1


async def raw_watcher(host: str, port: int, path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A bare WebSocket client (the handshake, then frames read straight off the stream): 500 `websockets`
    clients in one process would measure the client's own Python, not the server."""
    reader, writer = await asyncio.open_connection(host, port, limit=2**22)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"handshake refused: {head[:80]!r}")
    return reader, writer


async def next_message(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """(opcode, payload) of the next WebSocket frame from the server (unmasked, unfragmented)."""
    first, second = await reader.readexactly(2)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack(">H", await reader.readexactly(2))[0]
    elif size == 127:
        size = struct.unpack(">Q", await reader.readexactly(8))[0]
    return first & 0x0F, await reader.readexactly(size)


async def broadcast(url: str, watchers: int, seconds: float, pid: int) -> dict[str, float]:
    ws_url = url.replace("http", "ws")
    host, port = url.removeprefix("http://").split(":")
    async with httpx.AsyncClient(base_url=url, timeout=60) as api:
        code, token, members = await new_class(api, watchers)
    sent_at: dict[int, float] = {}
    arrivals: list[list[float]] = [[] for _ in range(watchers)]
    delays: list[float] = []
    stop = asyncio.Event()
    opened, connected = asyncio.Event(), [0]
    window = [float("inf"), float("inf")]  # the measured seconds, once the run is warm

    async def watch(k: int) -> None:
        reader, writer = await raw_watcher(host, int(port), f"/ws/class/{code}?member={members[k]}")
        connected[0] += 1
        if connected[0] == watchers:
            opened.set()
        try:
            while not stop.is_set():
                opcode, payload = await next_message(reader)
                now = time.monotonic()
                if opcode == 2 and window[0] <= now <= window[1]:
                    arrivals[k].append(now)
                    at = sent_at.get(step_of(payload))
                    if at is not None:
                        delays.append(now - at)
                elif opcode == 8:
                    return
        finally:
            writer.close()

    tasks = [asyncio.create_task(watch(k)) for k in range(watchers)]
    await asyncio.wait_for(opened.wait(), 120)
    await asyncio.sleep(1.0)
    async with connect(f"{ws_url}/ws/train?class={code}&teacher={token}", max_size=None) as teacher:
        await teacher.recv()  # hello
        await teacher.send(json.dumps({"type": "configure", "config": SCENE}))
        await teacher.send(json.dumps({"type": "play"}))
        start = time.monotonic() + 2.0
        window[:] = [start, start + seconds]
        cpu0, mine0, wait0 = None, 0.0, 0
        while time.monotonic() < window[1]:
            message = await teacher.recv()
            now = time.monotonic()
            if now >= start and cpu0 is None:
                cpu0, mine0, wait0 = cpu_seconds(pid), time.process_time(), run_and_wait(pid)[1]
            if isinstance(message, bytes):
                sent_at[step_of(message)] = now
        cpu = (cpu_seconds(pid) - (cpu0 or 0.0)) / seconds
        client_cpu = (time.process_time() - mine0) / seconds
        starved = (run_and_wait(pid)[1] - wait0) / 1e9 / seconds
        stop.set()
    await asyncio.sleep(0.5)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    fps = [len(a) / seconds for a in arrivals]
    gaps = np.concatenate([np.diff(a) for a in arrivals if len(a) > 1] or [np.zeros(1)])
    teacher_fps = sum(start <= t <= window[1] for t in sent_at.values()) / seconds
    return {
        "fps_min": min(fps),
        "fps_median": statistics.median(fps),
        "delay_p50_ms": 1000 * float(np.percentile(delays, 50)) if delays else float("nan"),
        "delay_p99_ms": 1000 * float(np.percentile(delays, 99)) if delays else float("nan"),
        "gap_p99_ms": 1000 * float(np.percentile(gaps, 99)),
        "teacher_fps": teacher_fps,
        "server_cpu": 100 * cpu,
        "client_cpu": 100 * client_cpu,
        "server_starved": 100 * starved,
    }


async def dashboard(url: str, learners: int, seconds: float, pid: int) -> dict[str, float]:
    ws_url = url.replace("http", "ws")
    async with httpx.AsyncClient(base_url=url, timeout=60) as api:
        code, token, members = await new_class(api, learners)
    stop = asyncio.Event()
    frames = [0] * learners

    async def learn(k: int) -> None:
        async with connect(f"{ws_url}/ws/train?class={code}&member={members[k]}", max_size=None) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "configure", "config": {**SCENE, "seed": k}}))
            await ws.send(json.dumps({"type": "play"}))
            while not stop.is_set():
                try:
                    message = await asyncio.wait_for(ws.recv(), 1.0)
                except TimeoutError:
                    continue
                if isinstance(message, bytes):
                    frames[k] += 1

    seen: dict[str, list[float]] = {m: [] for m in members}
    async with connect(f"{ws_url}/ws/class/{code}?teacher={token}", max_size=None) as teacher:
        await teacher.recv()
        tasks = [asyncio.create_task(learn(k)) for k in range(learners)]
        warm_until = time.monotonic() + 3.0
        end = warm_until + seconds
        cpu0, counted0 = None, 0
        while time.monotonic() < end:
            try:
                message = await asyncio.wait_for(teacher.recv(), 1.0)
            except TimeoutError:
                continue
            now = time.monotonic()
            if now >= warm_until and cpu0 is None:
                cpu0, counted0 = cpu_seconds(pid), sum(frames)
            if now >= warm_until and isinstance(message, str):
                event = json.loads(message)
                if event["type"] == "summary":
                    seen[event["member"]].append(now)
        cpu = (cpu_seconds(pid) - (cpu0 or 0.0)) / seconds
        learner_fps = (sum(frames) - counted0) / seconds / learners
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    rates = [len(times) / seconds for times in seen.values()]
    gaps = np.concatenate([np.diff(t) for t in seen.values() if len(t) > 1] or [np.zeros(1)])
    return {
        "tile_min": min(rates),
        "tile_median": statistics.median(rates),
        "tile_gap_p99_s": float(np.percentile(gaps, 99)),
        "learner_fps": learner_fps,
        "server_cpu": 100 * cpu,
    }


def summary(runs: list[dict[str, float]], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):.1f} [{min(values):.1f}–{max(values):.1f}]"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watchers", type=int, default=500)
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["broadcast", "dashboard"], default=None)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    print(f"classroom bench: {os.cpu_count()} CPUs, /proc/loadavg {loadavg()} before")
    port = free_port()
    many = {"NNLIVE_MAX_SESSIONS": "2000", "NNLIVE_MAX_SESSIONS_PER_CLIENT": "2000"}  # all from 127.0.0.1
    server = start_server(port, env={**many, "NNLIVE_DATA_DIR": f"/tmp/nnlive-bench-classroom-{port}"})
    url = f"http://127.0.0.1:{port}"
    try:
        scenarios = {
            "broadcast": (
                lambda: broadcast(url, args.watchers, args.seconds, server.pid),
                f"{args.watchers} watchers",
                [
                    *("fps_min", "fps_median", "delay_p50_ms", "delay_p99_ms", "gap_p99_ms", "teacher_fps"),
                    *("server_cpu", "client_cpu", "server_starved"),
                ],
            ),
            "dashboard": (
                lambda: dashboard(url, args.learners, args.seconds, server.pid),
                f"{args.learners} learners",
                ["tile_min", "tile_median", "tile_gap_p99_s", "learner_fps", "server_cpu"],
            ),
        }
        for name, (run, size, keys) in scenarios.items():
            if args.only not in (None, name):
                continue
            runs = []
            for k in range(args.runs):
                runs.append(asyncio.run(run()))
                figures = {key: round(value, 2) for key, value in runs[-1].items()}
                print(f"{name} run {k + 1}: {json.dumps(figures)} loadavg {loadavg()}")
            print(f"{name}, {size}, median [range] of {args.runs} runs:")
            print("  " + ", ".join(f"{key} {summary(runs, key)}" for key in keys))
    finally:
        server.terminate()
        server.wait()
    print(f"/proc/loadavg {loadavg()} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
