"""Cost-model benchmark: nncore/cost.py's estimate against the CPU time the work really takes (`make bench`).

The model counts work units of about one nanosecond of one core on the reference machine. For a spread of
requests — shallow and deep, narrow and wide, batch norm and dropout, small and large batches, a classic rule,
grids returned as JSON, loss landscapes — this runs the work and prints its process CPU time beside the
model's estimate and their ratio (estimate / measured; 1.0 is exact). A ratio far below 1 means the model lets
through work it should refuse; recalibrate the constants of nncore/cost.py when that happens. The median of
several runs is reported with the load average, as docs/performance.md asks.

Usage: python bench/cost.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

if __name__ == "__main__":  # one BLAS thread, as the app runs (app/main.py)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from collections.abc import Callable
from typing import Any

from nncore import train, validate_config
from nncore.cost import landscape_work, train_work
from nncore.landscape import loss_landscape

SPIRAL = {"dataset": "spiral", "n": 400, "test_fraction": 0.5}
NINE = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)", "cos(x1)", "cos(x2)"]


def scene(hidden: list[int], epochs: int, data: Any = SPIRAL, **more: Any) -> dict[str, Any]:
    """A config: `more` holds training keys, or network keys (batch_norm, dropout) and `features`."""
    network = {"hidden": hidden, **{k: more.pop(k) for k in ("batch_norm", "dropout") if k in more}}
    features = more.pop("features", ["x1", "x2"])
    return {"data": data, "features": features, "network": network, "training": {"epochs": epochs, **more}}


CASES: list[tuple[str, dict[str, Any], int]] = [  # name, config, grid (0: none)
    ("2-8-8-1, batch 10", scene([8, 8], 100), 0),
    ("2-(2×8)-1, batch 2", scene([2] * 8, 20, batch_size=2), 0),
    ("2-(2×8)-1, bn + dropout", scene([2] * 8, 20, batch_size=2, batch_norm=True, dropout=0.5, l1=1e-3), 0),
    ("2-64-64-1, batch 100", scene([64, 64], 100, batch_size=100), 0),
    ("2-(64×8)-1, batch 10", scene([64] * 8, 5), 0),
    ("5000 points, 9 features, 2-32-32-8", scene([32, 32], 3, {"dataset": "spiral_k", "k": 8, "n": 5000},
                                                  features=NINE, batch_size=50), 0),
    ("perceptron on 400 points", scene([], 50, {"dataset": "gauss", "n": 400}, rule="perceptron"), 0),
    ("2-8-8-1 + grids 100/32", scene([8, 8], 1), 100),
    ("2-(64×8)-1 + grids 200/32", scene([64] * 8, 1), 200),
]  # fmt: skip
LANDSCAPES: list[tuple[str, dict[str, Any], int]] = [
    ("landscape, 200 points, grid 41", scene([], 100, {"dataset": "gauss", "n": 200}), 41),
    ("landscape, 5000 points, grid 101", scene([], 20, {"dataset": "gauss", "n": 5000}), 101),
]


def load() -> list[str]:
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def cpu_seconds(work: Callable[[], Any]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {load()}")
    print(f"{'request':40} {'model s':>9} {'measured s (median, range)':>28} {'model/measured':>15}")
    runs: list[tuple[str, float, Callable[[], Any]]] = []
    for name, config, grid in CASES:
        normalized = validate_config(config)
        runs.append(
            (
                name,
                train_work(normalized, grid).total,
                lambda c=normalized, g=grid: json.dumps(train(c, g or None)),
            )
        )
    for name, config, grid in LANDSCAPES:
        normalized = validate_config(config)
        runs.append(
            (name, landscape_work(normalized, grid).total, lambda c=normalized, g=grid: loss_landscape(c, g))
        )
    for name, estimate, run in runs:
        times = [cpu_seconds(run) for _ in range(args.repeats)]
        median = statistics.median(times)
        spread = f"{median:.3f} ({min(times):.3f}–{max(times):.3f})"
        print(f"{name:40} {estimate / 1e9:9.3f} {spread:>28} {estimate / 1e9 / median:15.2f}", flush=True)
    print(f"load average after: {load()}")


if __name__ == "__main__":
    sys.exit(main())
