"""Fairness bench for live sessions (`make bench`; not run by the tests): issue 12's finding 9, measured.

Starts a real server (`python -m app serve`) on a free loopback port and ten small sessions (bench/load.py's
spiral scene) that play as fast as they can. For `--seconds` it measures their frames per second and the p99
interval between frames (all ten pooled) *alone*; then the audit's heavy session joins (`spiral_k` with 8 arms
and 5000 points, 9 features, 8 hidden layers of 64, softmax, batch 5000, frames of 200×200 and 64×64 neurons)
and plays, and the same is measured again. It prints one line per run and, over `--runs` runs, the median and
range of the small sessions' frames per second and p99, alone and beside the heavy one, with the load average.

    .venv/bin/python bench/fairness.py [--runs 3] [--seconds 6] [--small 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from pathlib import Path

import numpy as np
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import SPIRAL_SCENE, free_port, start_server

HEAVY = {
    "data": {"dataset": "spiral_k", "k": 8, "n": 5000},
    "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)", "cos(x1)", "cos(x2)"],
    "network": {"hidden": [64] * 8, "output_activation": "softmax"},
    "training": {"batch_size": 5000, "loss": "cross_entropy", "epochs": 100_000},
}


async def run(url: str, small: int, seconds: float) -> dict[str, float]:
    """One run: the small sessions' fps and p99 alone, then beside the heavy session."""
    times: list[list[list[float]]] = [[[], []] for _ in range(small)]
    phase = -1
    loop = asyncio.get_running_loop()

    async def small_session(k: int) -> None:
        async with connect(url + "/ws/train", max_size=None, compression=None) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "configure", "config": SPIRAL_SCENE}))
            await ws.send(json.dumps({"type": "play"}))
            while phase < 2:
                message = await ws.recv()
                if isinstance(message, bytes) and phase in (0, 1):
                    times[k][phase].append(loop.time())

    async def heavy_session(go: asyncio.Event) -> None:
        async with connect(url + "/ws/train", max_size=None, compression=None) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "configure", "config": HEAVY}))
            await ws.send(json.dumps({"type": "set", "frame": {"grid": 200, "neuron_grid": 64}}))
            await go.wait()
            await ws.send(json.dumps({"type": "play"}))
            while phase < 2:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ws.recv(), 0.5)

    async def clock(go: asyncio.Event) -> None:
        nonlocal phase
        await asyncio.sleep(2.0)
        phase = 0
        await asyncio.sleep(seconds)
        phase = -1
        go.set()
        await asyncio.sleep(2.0)
        phase = 1
        await asyncio.sleep(seconds)
        phase = 2

    go = asyncio.Event()
    await asyncio.gather(*(small_session(k) for k in range(small)), heavy_session(go), clock(go))
    out = {}
    for p, name in ((0, "alone"), (1, "beside")):
        fps = [len(t[p]) / seconds for t in times]
        gaps = np.concatenate([np.diff(t[p]) for t in times if len(t[p]) > 1])
        out[f"fps_{name}"] = float(np.median(fps))
        out[f"p99_{name}"] = float(np.percentile(gaps, 99) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--small", type=int, default=10)
    args = parser.parse_args()
    results = []
    for k in range(args.runs):
        port = free_port()
        server = start_server(port)
        try:
            load = Path("/proc/loadavg").read_text().split()[0]
            result = asyncio.run(run(f"ws://127.0.0.1:{port}", args.small, args.seconds))
        finally:
            server.terminate()
            server.wait()
        results.append(result)
        fps = f"fps alone {result['fps_alone']:.1f}, beside {result['fps_beside']:.1f}"
        p99 = f"p99 alone {result['p99_alone']:.0f} ms, beside {result['p99_beside']:.0f} ms"
        print(f"run {k + 1}: load {load}; {fps}; {p99}", flush=True)
    for key in ("fps_alone", "fps_beside", "p99_alone", "p99_beside"):
        values = [r[key] for r in results]
        print(f"{key}: median {np.median(values):.1f} (range {min(values):.1f}–{max(values):.1f})")
    print("load average after:", Path("/proc/loadavg").read_text().strip())


if __name__ == "__main__":
    main()
