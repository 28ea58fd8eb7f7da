"""Load bench for live sessions (`make bench`; not run by the tests). Method and results: docs/performance.md.

Starts a real server (`python -m app serve`) on a free loopback port, then for growing N opens N concurrent
`websockets` clients that each configure the spiral scene, play as fast as possible, and read every frame.
For each N it reports the frames per second each client received, the p50/p99 interval between frames (all
clients' intervals pooled; also the worst client's p99), the epochs per second each session trained, and the
server's CPU (from /proc/<pid>/stat, the web process and its training processes: 100 % = one
core). It ends with the largest N where every client got
>= 10 frames/s and the pooled p99 stayed under 200 ms.

    .venv/bin/python bench/load.py [--levels 10,25,50,...] [--seconds 8] [--no-compression]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
SPIRAL_SCENE = {
    "data": {"dataset": "spiral", "n": 400, "noise": 0.0, "test_fraction": 0.3, "seed": 8},
    "features": ["x1", "x2"],
    "network": {"hidden": [8, 8], "activation": "tanh"},
    "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 10, "epochs": 100_000},
}
MIN_FPS, MAX_P99 = 10.0, 0.200
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Client:
    times: list[float] = field(default_factory=list)
    epochs: list[tuple[float, int]] = field(default_factory=list)
    error: str | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    port: int, nice: int = 0, workers: int | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`python -m app serve` on `port` (`workers` training processes; `env` added to the environment), once it
    answers /api/health."""
    limits = {"NNLIVE_MAX_SESSIONS": "1000", "NNLIVE_MAX_SESSIONS_PER_CLIENT": "1000"}
    env = {**os.environ, **limits, **(env or {})}
    command = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def server_pids(pid: int) -> list[int]:
    """The server process and its children (the training processes)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(c) for c in children)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and its training processes so far."""
    total = 0.0
    for p in server_pids(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def run_and_wait(pid: int) -> tuple[int, int]:
    """Nanoseconds the server's threads (all its processes) ran, and waited ready to run, so far."""
    ran = waited = 0
    tasks = [
        t
        for p in server_pids(pid)
        if Path(f"/proc/{p}/task").exists()
        for t in Path(f"/proc/{p}/task").iterdir()
    ]
    for task in tasks:
        try:
            run, wait, _ = (int(v) for v in (task / "schedstat").read_text().split())
        except (OSError, ValueError):
            continue  # a thread that just ended
        ran, waited = ran + run, waited + wait
    return ran, waited


def epoch_of(frame: bytes) -> int:
    length = int.from_bytes(frame[:4], "little")
    return int(json.loads(frame[4 : 4 + length])["epoch"])


async def run_client(url: str, client: Client, start: float, stop: float, compression: bool) -> None:
    """One user: configure the scene, play, read frames until `stop`; record frame times after `start`."""
    try:
        async with connect(url, max_size=None, compression="deflate" if compression else None) as ws:
            await ws.recv()  # hello
            await ws.send(json.dumps({"type": "configure", "config": SPIRAL_SCENE}))
            await ws.send(json.dumps({"type": "play"}))
            last = b""
            while (now := time.monotonic()) < stop:
                message = await asyncio.wait_for(ws.recv(), timeout=stop - now + 5)
                if isinstance(message, bytes) and now >= start:
                    client.times.append(time.monotonic())
                    if len(client.times) == 1:
                        client.epochs.append((client.times[0], epoch_of(message)))
                    last = message  # the client stays light: only the first and last header are parsed
            if len(client.times) > 1:
                client.epochs.append((client.times[-1], epoch_of(last)))
    except Exception as exc:  # a failed client is reported, not fatal
        client.error = f"{type(exc).__name__}: {exc}"


async def level(url: str, n: int, warmup: float, seconds: float, pid: int, compression: bool) -> dict:
    """N clients at once: per-client frame rates, pooled intervals, epochs/s and server CPU."""
    clients = [Client() for _ in range(n)]
    start = time.monotonic() + warmup
    stop = start + seconds
    tasks = [asyncio.create_task(run_client(url, c, start, stop, compression)) for c in clients]
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    cpu0, t0, (ran0, waited0) = cpu_seconds(pid), time.monotonic(), run_and_wait(pid)
    own0 = time.process_time()
    await asyncio.sleep(max(0.0, stop - time.monotonic()))
    cpu = (cpu_seconds(pid) - cpu0) / (time.monotonic() - t0)
    own = (time.process_time() - own0) / (time.monotonic() - t0)
    ran, waited = (b - a for a, b in zip((ran0, waited0), run_and_wait(pid), strict=True))
    await asyncio.gather(*tasks)
    fps = np.array([len(c.times) / seconds for c in clients])
    gaps = [np.diff(c.times) for c in clients if len(c.times) > 1]
    pooled = np.concatenate(gaps) if gaps else np.array([np.inf])
    worst_p99 = max((float(np.percentile(g, 99)) for g in gaps), default=np.inf)
    rates = [
        (c.epochs[-1][1] - c.epochs[0][1]) / (c.epochs[-1][0] - c.epochs[0][0])
        for c in clients
        if len(c.epochs) > 1
    ]
    errors = [c.error for c in clients if c.error]
    return {
        "n": n,
        "fps_min": float(fps.min()),
        "fps_median": float(np.median(fps)),
        "p50_ms": 1000 * float(np.percentile(pooled, 50)),
        "p99_ms": 1000 * float(np.percentile(pooled, 99)),
        "worst_client_p99_ms": 1000 * worst_p99,
        "epochs_per_s": float(np.median(rates)) if rates else 0.0,
        "server_cpu_pct": 100 * cpu,
        "starved_pct": 100 * waited / max(1, ran + waited),
        "client_cpu_pct": 100 * own,
        "cpu_ms_per_frame": 1000 * cpu / max(1e-9, float(fps.sum())),
        "errors": len(errors),
        "ok": bool(fps.min() >= MIN_FPS and np.percentile(pooled, 99) < MAX_P99 and not errors),
        "first_error": errors[0] if errors else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--levels", default="10,20,30,40,50,60,70,80,100", help="client counts to try, ascending"
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument(
        "--no-compression", action="store_true", help="clients do not offer permessage-deflate"
    )
    parser.add_argument("--all", action="store_true", help="run every level even after one fails")
    parser.add_argument("--nice", type=int, default=0, help="start the server with this niceness (< 0: root)")
    parser.add_argument(
        "--workers", type=int, default=None, help="training processes (default: the server's)"
    )
    parser.add_argument(
        "--balancer",
        action="store_true",
        help="measure through HAProxy (tests/services.py) in front of the server",
    )
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.nice, args.workers)
    url = f"ws://127.0.0.1:{port}/ws/train"
    balancer = None
    if args.balancer:
        sys.path.insert(0, str(ROOT))
        from tests.services import Balancer

        balancer = Balancer([f"127.0.0.1:{port}"])
        url = f"{balancer.ws_url}/ws/train"
    print(f"nnlive load bench: spiral scene {SPIRAL_SCENE['network']['hidden']}, grid 100 + neurons 32, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"compression {'off' if args.no_compression else 'deflate (as browsers)'}, "
          f"server nice {args.nice}, workers {args.workers or 'default'}, "
          f"{'through HAProxy' if balancer else 'direct'}")  # fmt: skip
    header = f"{'N':>4} {'fps min':>8} {'fps med':>8} {'p50 ms':>7} {'p99 ms':>7} {'worst p99':>9} "
    print(header + f"{'epochs/s':>9} {'CPU %':>6} {'ms/frame':>8} {'starved %':>9} {'clients CPU %':>13} "
          f"{'errors':>6}  ok")  # fmt: skip
    best = 0
    try:
        for n in (int(v) for v in args.levels.split(",")):
            r = asyncio.run(level(url, n, args.warmup, args.seconds, server.pid, not args.no_compression))
            ok = "yes" if r["ok"] else "no"
            print(f"{n:>4} {r['fps_min']:>8.1f} {r['fps_median']:>8.1f} {r['p50_ms']:>7.0f} "
                  f"{r['p99_ms']:>7.0f} {r['worst_client_p99_ms']:>9.0f} {r['epochs_per_s']:>9.1f} "
                  f"{r['server_cpu_pct']:>6.0f} {r['cpu_ms_per_frame']:>8.2f} {r['starved_pct']:>9.0f} "
                  f"{r['client_cpu_pct']:>13.0f} "
                  f"{r['errors']:>6}  {ok}",
                  flush=True)  # fmt: skip
            if r["first_error"]:
                print("      first error:", r["first_error"])
            if r["ok"]:
                best = n
            elif not args.all:
                break
            time.sleep(1.0)  # let the sessions end
    finally:
        if balancer is not None:
            balancer.stop()
        server.terminate()
        server.wait(timeout=10)
    print(f"largest N with every client >= {MIN_FPS:g} frames/s and p99 < {1000 * MAX_P99:g} ms: {best}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
