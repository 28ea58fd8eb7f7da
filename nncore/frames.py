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


class GridBuilder:
    """The grids of one frame, evaluated a piece at a time: `advance(points)` runs the network over up to
    `points` more grid points (output grid first, then the neuron grid), `done` says whether all are in, and
    `grids()` assembles them. A live session builds a large frame over several turns this way, so that no
    single turn holds the CPU for long; the network must not change until the builder is done.
    """

    def __init__(self, source: Source, size: int, neuron_size: int | None) -> None:
        self.network, self.size, self.neuron_size = source.network, size, neuron_size
        self.extent = [float(v) for v in source.extent]
        self._X = _inputs(tuple(self.extent), size, neuron_size, tuple(source.config["features"]))
        self._n_out = size * size  # rows of X that belong to the output grid; the rest are the neuron grid
        self._at = 0
        self._outputs: list[np.ndarray] = []
        self._hidden: list[list[np.ndarray]] = []  # per piece, the hidden values of neuron-grid rows

    @property
    def done(self) -> bool:
        return self._at >= len(self._X)

    @property
    def remaining(self) -> int:
        """Grid points still to evaluate."""
        return len(self._X) - self._at

    def advance(self, points: int) -> bool:
        """Evaluate the next `points` (at least one) grid points; True when every point is done."""
        start, end = self._at, min(len(self._X), self._at + max(1, points))
        with np.errstate(all="ignore"):
            out, hidden = self.network.evaluate(self._X[start:end])
        self._outputs.append(out[: max(0, self._n_out - start)].astype(np.float32, copy=False))
        if self.neuron_size is not None and end > self._n_out:
            first = max(start, self._n_out) - start
            self._hidden.append([h[first:] for h in hidden])
        self._at = end
        return self.done

    def grids(self) -> dict[str, Any]:
        """The frame's `grid` (see the module docstring); call it when `done`."""
        net, size = self.network, self.size
        out = np.concatenate(self._outputs)
        k = out.shape[1]
        output = out.T.reshape(k, size, size) if k > 1 else out[:, 0].reshape(size, size)
        layers, ranges = [], []
        if self.neuron_size is not None:
            g = self.neuron_size
            for pieces in zip(*self._hidden, strict=True):
                values = np.concatenate(pieces)
                layers.append(np.ascontiguousarray(values.T, dtype=np.float32).reshape(-1, g, g))
                ranges.append(_range(layers[-1], net.activation.range))
        return {
            "size": size,
            "extent": self.extent,
            "output": np.ascontiguousarray(output),
            "output_range": _range(output, net.output.range),
            "neuron_size": self.neuron_size,
            "layers": layers,
            "layer_ranges": ranges,
        }


def grids(trainer: Source, size: int, neuron_size: int | None) -> dict[str, Any]:
    """The output over a size×size grid and, with `neuron_size`, every hidden unit over a smaller grid.

    Evaluated in float32 in one pass over both grids (the grids are float32 anyway).
    """
    builder = GridBuilder(trainer, size, neuron_size)
    builder.advance(builder.remaining)
    return builder.grids()


def snapshot(trainer: Source) -> dict[str, Any]:
    """Everything of a frame but its grid (copies: safe to keep while the trainer goes on)."""
    update = trainer.last_update
    return {
        "epoch": trainer.epoch,
        "step": trainer.step_count,
        "done": trainer.done,
        "metrics": dict(trainer.metrics),
        "weights": trainer.network.weights(),
        "update": None if update is None else dict(update),
        "grid": None,
    }


def make_frame(trainer: Source, grid: int | None = None, neuron_grid: int | None = None) -> dict[str, Any]:
    """A frame of `trainer` now; `grid` (G) adds the output grid, `neuron_grid` (g) also the neuron grids.

    G and g are integers in `GRID`'s and `NEURON_GRID`'s range (a ConfigError on `grid` / `neuron_grid`).
    """
    frame = snapshot(trainer)
    if grid is not None:
        grid = GRID.check("grid", grid)
        neuron_grid = None if neuron_grid is None else NEURON_GRID.check("neuron_grid", neuron_grid)
        frame["grid"] = grids(trainer, grid, neuron_grid)
    return frame
