"""What a frame holds: the one definition of the snapshot a trainer reports (layout in docs/architecture.md).

    {"epoch", "step", "done",
     "metrics": {"train_loss", "test_loss", "train_accuracy", "test_accuracy", "mistakes"},
     "weights": [{"W": (n_in, n_out), "b": (n_out,)}, …],        copies, safe to hand to another thread
     "update": None | {"rule", "index", "x", "t", "a", "z", "error", "dW", "db", "learning_rate"},
     "grid": None | {"size", "extent", "output", "output_range", "neuron_size", "layers", "layer_ranges"}}

Grids are float32. `xs = linspace(x_min, x_max, G)`, `ys = linspace(y_min, y_max, G)`, and value `[i, j]` is
the network at `(xs[j], ys[i])`: row i is y_i, column j is x_j (Plotly's heatmap z[row][col]). A softmax
output is (k, G, G), one probability plane per class; each hidden layer is (units, g, g). The raw grid points
go through the same `features.transform` as the training data, and output grid and neuron grids share one
float32 forward pass that leaves the network's training caches alone. Ranges are the activation's range where
it is bounded, else the values' min and max.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Protocol

import numpy as np

from nncore.features import transform
from nncore.limits import GRID, NEURON_GRID
from nncore.network import Network


class Source(Protocol):
    """What a frame is made from (a `Trainer` is one): this module reads these and nothing else."""

    config: dict[str, Any]
    network: Network
    extent: list[float]
    epoch: int
    step_count: int
    done: bool
    metrics: dict[str, Any]
    last_update: dict[str, Any] | None


def plane(extent: list[float], size: int) -> np.ndarray:
    """The raw points (size², 2) of a size×size grid over `extent`, row-major with y along the rows."""
    xs = np.linspace(extent[0], extent[1], size)
    ys = np.linspace(extent[2], extent[3], size)
    return np.column_stack([np.tile(xs, size), np.repeat(ys, size)])


def _range(values: np.ndarray, bounds: tuple[float, float]) -> list[float]:
    """The activation's bounds if finite, else the finite values' [min, max] (widened when flat)."""
    if math.isfinite(bounds[0]) and math.isfinite(bounds[1]):
        return [float(bounds[0]), float(bounds[1])]
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    return [lo, hi] if hi > lo else [lo - 0.5, hi + 0.5]


@functools.lru_cache(maxsize=8)
def _inputs(
    extent: tuple[float, ...], size: int, neuron_size: int | None, features: tuple[str, ...]
) -> np.ndarray:
    """The float32 network inputs of both grids, stacked (cached: they only change with the view)."""
    points = plane(list(extent), size)
    if neuron_size is not None:
        points = np.vstack([points, plane(list(extent), neuron_size)])
    X = transform(points, features).astype(np.float32)
    X.flags.writeable = False
    return X


def grids(trainer: Source, size: int, neuron_size: int | None) -> dict[str, Any]:
    """The output over a size×size grid and, with `neuron_size`, every hidden unit over a smaller grid.

    Evaluated in float32 in one pass over both grids (the grids are float32 anyway).
    """
    net, extent = trainer.network, [float(v) for v in trainer.extent]
    n_out = size * size
    X = _inputs(tuple(extent), size, neuron_size, tuple(trainer.config["features"]))
    with np.errstate(all="ignore"):
        out, hidden = net.evaluate(X)
    out = out.astype(np.float32, copy=False)
    k = out.shape[1]
    output = out[:n_out].T.reshape(k, size, size) if k > 1 else out[:n_out, 0].reshape(size, size)
    layers, ranges = [], []
    if neuron_size is not None:
        for h in hidden:
            layers.append(
                np.ascontiguousarray(h[n_out:].T, dtype=np.float32).reshape(-1, neuron_size, neuron_size)
            )
            ranges.append(_range(layers[-1], net.activation.range))
    return {
        "size": size,
        "extent": extent,
        "output": np.ascontiguousarray(output),
        "output_range": _range(output, net.output.range),
        "neuron_size": neuron_size,
        "layers": layers,
        "layer_ranges": ranges,
    }


def make_frame(trainer: Source, grid: int | None = None, neuron_grid: int | None = None) -> dict[str, Any]:
    """A frame of `trainer` now; `grid` (G) adds the output grid, `neuron_grid` (g) also the neuron grids.

    G and g are integers in `GRID`'s and `NEURON_GRID`'s range (a ConfigError on `grid` / `neuron_grid`).
    """
    if grid is not None:
        grid = GRID.check("grid", grid)
        neuron_grid = None if neuron_grid is None else NEURON_GRID.check("neuron_grid", neuron_grid)
    update = trainer.last_update
    return {
        "epoch": trainer.epoch,
        "step": trainer.step_count,
        "done": trainer.done,
        "metrics": dict(trainer.metrics),
        "weights": trainer.network.weights(),
        "update": None if update is None else dict(update),
        "grid": None if grid is None else grids(trainer, grid, neuron_grid),
    }
