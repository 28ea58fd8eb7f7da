"""Where a live frame's CPU goes (`make bench`; not run by the tests). Method and results:
docs/performance.md, "Live sessions".

For the bench's spiral scene (2-8-8-1) and the budget case (2-4-2-1), trained a few epochs, it times each
stage of one frame as a live session makes it, in process CPU time (median of `--repeats` rounds of `--frames`
frames each, one BLAS thread): the snapshot (everything but the grids), the grids (the network over the output
grid and the neuron grid), their assembly, the header (metrics and weights) and the grids' quantization in
`encode_frame`, the hand-over to the web process (`app/live/wire.py`: a message written to a socket pair and
read back), and the bytes on the wire.

    .venv/bin/python bench/frame_cost.py [--frames 200] [--repeats 7] [--grid 100 --neuron-grid 32]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.encoding import encode_frame
from app.live.session import NEURON_FPS
from app.live.wire import Reader, frame_message, write_message
from app.live.worker import tune_malloc
from app.protocol import FrameOptions
from nncore import Trainer
from nncore.frames import GridBuilder, snapshot

SCENES = {
    "2-8-8-1 spiral (bench/load.py)": {
        "data": {"dataset": "spiral", "n": 400, "noise": 0.0, "test_fraction": 0.3, "seed": 8},
        "network": {"hidden": [8, 8], "activation": "tanh"},
        "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 10},
    },
    "2-4-2-1 spiral (the budget case)": {"data": {"dataset": "spiral"}, "network": {"hidden": [4, 2]}},
}


def cpu_per_call(work: Callable[[], Any], frames: int, repeats: int) -> float:
    """Median over `repeats` rounds of the process CPU seconds per call of `work`."""
    rounds = []
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(frames):
            work()
        rounds.append((time.process_time() - started) / frames)
    return statistics.median(rounds)


def stages(
    trainer: Trainer, options: FrameOptions, frames: int, repeats: int
) -> tuple[dict[str, float], int]:
    """CPU seconds per frame of each stage, and the frame's bytes on the wire."""
    neuron_grid = options.neuron_grid if options.neurons else None
    built = GridBuilder(trainer, options.grid, neuron_grid)
    built.advance(built.remaining)
    grid = built.grids()
    header = snapshot(trainer)
    frame = {**header, "grid": grid}
    data = encode_frame(frame)
    no_grid = {**header, "grid": None}

    def evaluate() -> None:
        builder = GridBuilder(trainer, options.grid, neuron_grid)
        builder.advance(builder.remaining)

    a, b = socket.socketpair()
    reader = Reader(b.makefile("rb"))

    def hand_over() -> None:
        write_message(a, frame_message(1, 1, options.fps, data))
        reader.read()

    out = {
        "snapshot": cpu_per_call(lambda: snapshot(trainer), frames, repeats),
        "grids: the network over both grids": cpu_per_call(evaluate, frames, repeats),
        "grids: assembly": cpu_per_call(built.grids, frames, repeats),
        "encode: header (metrics, weights)": cpu_per_call(lambda: encode_frame(no_grid), frames, repeats),
    }
    whole = cpu_per_call(lambda: encode_frame(frame), frames, repeats)
    out["encode: quantize the grids"] = max(0.0, whole - out["encode: header (metrics, weights)"])
    out["hand-over to the web process"] = cpu_per_call(hand_over, frames, repeats)
    a.close()
    b.close()
    return out, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--grid", type=int, default=None, help="output grid side (default: the session's)")
    parser.add_argument(
        "--neuron-grid", type=int, default=None, help="neuron grid side (default: the session's)"
    )
    parser.add_argument(
        "--before", action="store_true", help="as before issue 16: glibc's default malloc thresholds"
    )
    args = parser.parse_args()
    if not args.before:
        tune_malloc()  # what a training process does (app/live/worker.py)
    options = FrameOptions()
    if args.grid is not None:
        options = options.model_copy(update={"grid": args.grid})
    if args.neuron_grid is not None:
        options = options.model_copy(update={"neuron_grid": args.neuron_grid})
    load = Path("/proc/loadavg").read_text().split()[0]
    print(f"frame cost: grid {options.grid}, neuron grid {options.neuron_grid}, load average {load}")
    for name, config in SCENES.items():
        trainer = Trainer({**config, "training": {**config.get("training", {}), "epochs": 100_000}})
        trainer.run_epochs(5)
        costs, size = stages(trainer, options, args.frames, args.repeats)
        print(f"\n{name}: {size} bytes on the wire")
        for stage, seconds in costs.items():
            print(f"  {stage:<40} {1000 * seconds:6.3f} ms")
        total = sum(costs.values())
        print(f"  {'total':<40} {1000 * total:6.3f} ms")
        if options.neurons:  # while playing at 30 frames/s, 1 frame in 30 / NEURON_FPS has the neuron grids
            share = min(1.0, NEURON_FPS / options.fps)
            bare, bare_size = stages(
                trainer, options.model_copy(update={"neurons": False}), args.frames, args.repeats
            )
            mean = share * total + (1 - share) * sum(bare.values())
            print(f"  without neuron grids: {1000 * sum(bare.values()):.3f} ms, {bare_size} bytes; "
                  f"playing at {options.fps:g} frames/s (neuron grids in {share:.0%}): {1000 * mean:.3f} ms, "
                  f"{share * size + (1 - share) * bare_size:.0f} bytes a frame on average")  # fmt: skip


if __name__ == "__main__":
    main()
