"""The loss landscape of one neuron: the loss over a grid of two weights, and the optimizer's path across it.

For a config with no hidden layer and one output unit (trained by backprop), `loss_landscape(config)`:

1. trains the config as the trainer would (same seed, same data, same updates) and records after every update
   the neuron's first two weights (w1, w2) and the training loss there — the path;
2. keeps every other parameter (the bias b, and the weights of any further input features) at its value at
   the end of training, and evaluates the training loss at each (w1, w2) of a G×G grid — the surface.

The loss is the config's own: the output activation and loss of `nncore.losses` on the training split's
targets, plus the L1/L2 penalty when the config has one (the objective gradient descent minimizes). Because
the other parameters are fixed at their final values, the surface's lowest cell is where the walk should end
when training has converged (lesson 9 of docs/lessons.md).

Layout as in frames: `loss[i][j]` is the loss at `(w1[j], w2[i])` — Plotly's `z[row][col]` with `x = w1`,
`y = w2`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nncore.activations import get_activation
from nncore.config import validate_config
from nncore.errors import ConfigError, ShouldStop, check_stop
from nncore.jsonable import jsonable
from nncore.limits import LANDSCAPE_GRID, LIMITS
from nncore.regularizers import penalty
from nncore.trainer import Trainer

#: The most updates a landscape's path records (a long run keeps its first MAX_STEPS updates).
MAX_STEPS = int(LIMITS["landscape_steps"])
#: A given w1_range or w2_range lies within ±RANGE.
RANGE = LIMITS["landscape_range"]


class _Objective:
    """The training loss of the trainer's neuron as a function of its weights W (n_in, 1) and bias b (1,)."""

    def __init__(self, trainer: Trainer) -> None:
        training = trainer.config["training"]
        self.X, self.T = trainer.X, trainer.T  # the training split's features and targets
        self.loss = trainer.loss
        self.output = get_activation(trainer.config["network"]["output_activation"], output=True)
        self.l1, self.l2 = float(training["l1"]), float(training["l2"])

    def __call__(self, W: np.ndarray, b: np.ndarray) -> float:
        a = self.X @ W + b
        z = a if self.loss.requires_output else self.output.f(a)
        return self.loss.value(z, self.T) + penalty([W], self.l1, self.l2)

    def surface(
        self, w1s: np.ndarray, w2s: np.ndarray, W: np.ndarray, b: np.ndarray, should_stop: ShouldStop | None
    ) -> np.ndarray:
        """loss[i, j] at w1 = w1s[j], w2 = w2s[i], the other parameters as in W, b (`should_stop` is asked
        before every row)."""
        rest = self.X[:, 2:] @ W[2:, 0] + b[0]  # (n,)
        a1, a2 = np.outer(self.X[:, 0], w1s), np.outer(self.X[:, 1], w2s)  # (n, G)
        out = np.empty((len(w2s), len(w1s)))
        Wk = W.copy()
        for i in range(len(w2s)):
            check_stop(should_stop)
            for j in range(len(w1s)):
                Wk[0, 0], Wk[1, 0] = w1s[j], w2s[i]
                a = (a1[:, j] + a2[:, i] + rest)[:, None]
                z = a if self.loss.requires_output else self.output.f(a)
                out[i, j] = self.loss.value(z, self.T) + penalty([Wk], self.l1, self.l2)
        return out


def check_neuron(config: dict[str, Any]) -> None:
    """ConfigError unless a normalized config is one backprop-trained neuron with at least two inputs."""
    net, training = config["network"], config["training"]
    if net["hidden"]:
        raise ConfigError("network.hidden", net["hidden"], "the landscape needs a single neuron: hidden = []")
    if len(config["features"]) < 2:
        raise ConfigError("features", config["features"], "the landscape needs two or more input features")
    if training["rule"] != "backprop":
        raise ConfigError("training.rule", training["rule"], "the landscape is drawn for rule 'backprop'")
    if net["output_activation"] == "softmax":
        raise ConfigError(
            "network.output_activation", "softmax", "the loss landscape needs one output unit, not softmax"
        )


def _given(given: Sequence[float], field: str) -> tuple[float, float]:
    allowed = f"[lo, hi] with lo < hi, both within ±{RANGE:g}"
    try:
        lo, hi = (float(v) for v in given)
    except (TypeError, ValueError):
        raise ConfigError(field, given, allowed) from None
    if not (-RANGE <= lo < hi <= RANGE):  # NaN fails too
        raise ConfigError(field, list(given), allowed)
    return lo, hi


def _ranges(
    w1: np.ndarray, w2: np.ndarray, given1: Sequence[float] | None, given2: Sequence[float] | None
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The given ranges, or a square window (same scale on both axes) around the path with a margin."""
    ok = np.isfinite(w1) & np.isfinite(w2)
    w1, w2 = w1[ok], w2[ok]
    half = 0.5 * max(np.ptp(w1), np.ptp(w2)) * 1.3 + 0.5
    c1, c2 = 0.5 * (w1.min() + w1.max()), 0.5 * (w2.min() + w2.max())
    r1 = _given(given1, "w1_range") if given1 is not None else (float(c1 - half), float(c1 + half))
    r2 = _given(given2, "w2_range") if given2 is not None else (float(c2 - half), float(c2 + half))
    return r1, r2


def _neuron(trainer: Trainer) -> tuple[np.ndarray, np.ndarray]:
    layer = trainer.network.weights()[0]
    return np.array(layer["W"], dtype=np.float64), np.array(layer["b"], dtype=np.float64)


def loss_landscape(
    config: dict[str, Any],
    grid: int = LANDSCAPE_GRID.default,
    w1_range: Sequence[float] | None = None,
    w2_range: Sequence[float] | None = None,
    max_steps: int = MAX_STEPS,
    should_stop: ShouldStop | None = None,
) -> dict[str, Any]:
    """The loss surface over (w1, w2) and the path training takes; JSON-able (see the module docstring).
    `should_stop` is asked before every update and every row of the surface (`Stopped` when it answers True).

    Returns ``{"w1": [G], "w2": [G], "loss": [[G] × G], "loss_name", "fixed": {"b", "W"}, "path": {"w1",
    "w2", "loss", "step"}, "minimum": {"w1", "w2", "loss"}, "end": {"w1", "w2", "loss"}, "events"}``.
    Raises `ConfigError` for a config that is not a single backprop-trained neuron, or a bad grid or range.
    """
    cfg = validate_config(config)
    check_neuron(cfg)
    grid = LANDSCAPE_GRID.check("grid", grid)
    with np.errstate(all="ignore"):  # a diverging run is reported by the trainer's event, not by warnings
        return _landscape(cfg, grid, w1_range, w2_range, max_steps, should_stop)


def _landscape(
    cfg: dict[str, Any],
    grid: int,
    w1_range: Sequence[float] | None,
    w2_range: Sequence[float] | None,
    max_steps: int,
    should_stop: ShouldStop | None,
) -> dict[str, Any]:
    trainer = Trainer(cfg)
    objective = _Objective(trainer)
    W, b = _neuron(trainer)
    path = [(float(W[0, 0]), float(W[1, 0]), objective(W, b), 0)]
    while not trainer.done and len(path) <= max_steps:
        check_stop(should_stop)
        trainer.step()
        W, b = _neuron(trainer)
        path.append((float(W[0, 0]), float(W[1, 0]), objective(W, b), len(path)))
    pw1, pw2, ploss, psteps = (np.array(col) for col in zip(*path, strict=True))
    (lo1, hi1), (lo2, hi2) = _ranges(pw1, pw2, w1_range, w2_range)
    w1s, w2s = np.linspace(lo1, hi1, grid), np.linspace(lo2, hi2, grid)
    finite = np.isfinite(W).all() and np.isfinite(b).all()
    surface = objective.surface(w1s, w2s, W, b, should_stop) if finite else None
    result: dict[str, Any] = {
        "w1": w1s.tolist(),
        "w2": w2s.tolist(),
        "loss": None,
        "loss_name": cfg["training"]["loss"],
        "fixed": {"b": b.tolist(), "W": W[2:, 0].tolist()},
        "path": {"w1": jsonable(pw1), "w2": jsonable(pw2), "loss": jsonable(ploss), "step": psteps.tolist()},
        "minimum": None,
        "end": {"w1": jsonable(pw1[-1]), "w2": jsonable(pw2[-1]), "loss": jsonable(ploss[-1])},
        "events": [dict(event) for event in trainer.events],
    }
    if surface is not None:
        result["loss"] = jsonable(surface)  # cells where the loss overflowed are null
        finite = np.where(np.isfinite(surface), surface, np.inf)
        if np.isfinite(finite).any():
            i, j = np.unravel_index(int(np.argmin(finite)), surface.shape)
            result["minimum"] = {"w1": float(w1s[j]), "w2": float(w2s[i]), "loss": float(surface[i, j])}
    return result
