"""The cost model: how much work a request asks for, estimated from its normalized config before any training.

Work is counted in *work units*, each about one nanosecond of one core of the reference machine
(docs/performance.md; `bench/cost.py` measures the model against real runs). Per layer and per sample:

- an **update** of backprop costs `STEP` plus, for every hidden layer, `LAYER` (+ `BATCH_NORM`, + `DROPOUT`
  when it has them), plus `PARAMETER` per weight (the optimizer's step), plus, for every dense layer,
  `PENALTY` when l1 or l2 is on and `AMSGRAD` per parameter array (weights, biases, batch-norm scales and
  shifts) with Adam's amsgrad, plus, for every sample of the batch, `UNIT` per unit and `WEIGHT` per weight
  (forward and backward); an update of a classic rule (one sample) costs `CLASSIC_STEP`;
- every epoch ends with an **evaluation** of both splits: `EVALUATION` plus `EVALUATION_LAYER` per hidden
  layer, plus per point `EVALUATION_POINT` and `EVALUATION_UNIT` per unit;
- **grids** cost `GRID_PASS` plus `GRID_UNIT` per grid point and unit; returned as JSON, `VALUE` per value;
- a loss **landscape** evaluates its objective after every update of its path (`OBJECTIVE` + `OBJECTIVE_POINT`
  per training point), and once per surface cell (`CELL` + `CELL_POINT` per training point).

Every route that trains or evaluates asks this module (`train_work`, `landscape_work`) and refuses work over
its budget with `Work.check`, a `ConfigError` that names the field to change and says by how much.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from nncore.config import finite_epochs, output_units
from nncore.errors import ConfigError
from nncore.limits import LIMITS
from nncore.trainer import epoch_updates

STEP = 25_000
LAYER = 18_000
BATCH_NORM = 38_000
DROPOUT = 5_000
PARAMETER = 6
PENALTY = 3_000
AMSGRAD = 500
UNIT = 16
WEIGHT = 0.5
CLASSIC_STEP = 2_000
EVALUATION = 25_000
EVALUATION_LAYER = 2_500
EVALUATION_POINT = 5
EVALUATION_UNIT = 4
GRID_PASS = 20_000
GRID_UNIT = 1.5
VALUE = 1_000
OBJECTIVE = 10_000
OBJECTIVE_POINT = 12
CELL = 10_000
CELL_POINT = 5


@dataclass(frozen=True)
class Shape:
    """What the cost depends on, read from a normalized config."""

    n_train: int
    n_test: int
    hidden: list[int]
    outputs: int
    weights: int  # every weight and bias
    batch_norm: list[bool]
    dropout: bool
    penalty: bool  # l1 or l2 on
    amsgrad: bool
    classic: bool
    batch_size: int
    epochs: int | None  # None: a live session's "until paused"

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Shape:
        data, net, training = config["data"], config["network"], config["training"]
        n = len(data["points"]) if "points" in data else int(data["n"])
        n_test = math.floor(data["test_fraction"] * n + 0.5)
        outputs = output_units(config)
        sizes = [len(config["features"]), *net["hidden"], outputs]
        bn = net["batch_norm"]
        return cls(
            n_train=n - n_test,
            n_test=n_test,
            hidden=list(net["hidden"]),
            outputs=outputs,
            weights=sum((a + 1) * b for a, b in pairwise(sizes)),
            batch_norm=list(bn) if isinstance(bn, list) else [bool(bn)] * len(net["hidden"]),
            dropout=net["dropout"] > 0,
            penalty=bool(training["l1"] or training["l2"]),
            amsgrad=bool(training.get("amsgrad", False)),
            classic=training["rule"] != "backprop",
            batch_size=int(training["batch_size"]),
            epochs=training["epochs"],
        )

    @property
    def units(self) -> int:
        return sum(self.hidden) + self.outputs

    @property
    def updates(self) -> int:
        """Updates in one epoch, as the trainer counts them."""
        return epoch_updates(self.n_train, self.batch_size, self.classic, any(self.batch_norm))


def update_work(config: Mapping[str, Any]) -> float:
    """One update: a mini-batch of backprop (the full batch size), or one sample of a classic rule."""
    s = Shape.of(config)
    if s.classic:
        return float(CLASSIC_STEP)
    return _update_overhead(s) + min(s.batch_size, s.n_train) * _per_sample(s)


def _update_overhead(s: Shape) -> float:
    layers = len(s.hidden) * LAYER + sum(s.batch_norm) * BATCH_NORM + s.dropout * len(s.hidden) * DROPOUT
    dense = len(s.hidden) + 1
    arrays = 2 * dense + 2 * sum(s.batch_norm)  # W and b of each dense layer, scale and shift of batch norm
    optimizer = s.penalty * dense * PENALTY + s.amsgrad * arrays * AMSGRAD
    return float(STEP + layers + optimizer + PARAMETER * s.weights)


def _per_sample(s: Shape) -> float:
    return UNIT * s.units + WEIGHT * s.weights


def evaluation_work(config: Mapping[str, Any]) -> float:
    """One measurement of the metrics over both splits (after every epoch)."""
    return _evaluation(Shape.of(config))


def _evaluation(s: Shape) -> float:
    points = (s.n_train + s.n_test) * (EVALUATION_POINT + EVALUATION_UNIT * s.units)
    return EVALUATION + len(s.hidden) * EVALUATION_LAYER + points


def _epoch(s: Shape) -> float:
    if s.classic:
        return s.n_train * CLASSIC_STEP + _evaluation(s)
    return s.updates * _update_overhead(s) + s.n_train * _per_sample(s) + _evaluation(s)


def epoch_work(config: Mapping[str, Any]) -> float:
    """One epoch: its updates and its evaluation."""
    return _epoch(Shape.of(config))


def frame_work(config: Mapping[str, Any], grid: int, neuron_grid: int | None) -> float:
    """The grids of one frame: the output over grid² points and, with `neuron_grid`, every hidden unit."""
    s = Shape.of(config)
    points = grid * grid + (neuron_grid or 0) ** 2
    return GRID_PASS + GRID_UNIT * points * s.units


@dataclass(frozen=True)
class Work:
    """The work one request asks for, by part, and how to say that it is too much."""

    epochs: int  # the config's training.epochs
    epoch: float  # one epoch of training
    training: float  # all of the training (with a landscape: its path)
    grid: int = 0  # the request's grid side
    grids: float = 0.0  # the grids returned, or a landscape's surface
    grids_named: str = ""  # what the grids are, for messages
    grids_fix: str = ""  # how to ask for less

    @property
    def total(self) -> float:
        return self.training + self.grids

    def check(self, budget: float) -> None:
        """ConfigError on `training.epochs` when training alone is over `budget`, on `grid` when the grids
        tip it over; the message states the work, the budget and what would fit."""
        if self.training > budget:
            fit = max(0, math.floor(budget / self.epoch)) if self.epoch > 0 else 0
            raise ConfigError(
                "training.epochs",
                self.epochs,
                f"this request's work, {self.epochs} epochs of {self.epoch:.3g} (updates, and the "
                f"evaluation of both splits) = {self.training:.3g}, is over this server's budget of "
                f"{budget:.3g}; train fewer epochs (at most {fit}), fewer points or a smaller network",
            )
        if self.total > budget:
            raise ConfigError(
                "grid",
                self.grid,
                f"this request's work, training {self.training:.3g} plus {self.grids_named} "
                f"{self.grids:.3g}, is over this server's budget of {budget:.3g}; {self.grids_fix}",
            )


def train_work(config: Mapping[str, Any], grid: int = 0) -> Work:
    """`nncore.train(config, grid)`: every epoch, and with `grid` > 0 the final grids returned as JSON
    (G = `grid`, g = the config's `view.neuron_grid`)."""
    s, epochs = Shape.of(config), finite_epochs(config)
    epoch = _epoch(s)
    if not grid:
        return Work(epochs, epoch, epochs * epoch)
    g = int(config["view"]["neuron_grid"])
    values = grid * grid * s.outputs + sum(s.hidden) * g * g
    return Work(
        epochs,
        epoch,
        epochs * epoch,
        grid,
        frame_work(config, grid, g) + values * VALUE,
        f"grids (G = {grid}, g = view.neuron_grid = {g})",
        "ask for a smaller grid or view.neuron_grid, or none (grid 0)",
    )


def landscape_work(config: Mapping[str, Any], grid: int) -> Work:
    """`nncore.landscape.loss_landscape(config, grid)`: the path (every update up to its last recorded one,
    each followed by the objective) and the grid² cells of the surface."""
    s, epochs = Shape.of(config), finite_epochs(config)
    updates = min(epochs * s.updates, int(LIMITS["landscape_steps"]))
    per_update = _epoch(s) / max(1, s.updates) + OBJECTIVE + OBJECTIVE_POINT * s.n_train
    return Work(
        epochs,
        per_update * s.updates,
        updates * per_update,
        grid,
        grid * grid * (CELL + CELL_POINT * s.n_train),
        f"the surface (grid = {grid})",
        "ask for a smaller grid",
    )
