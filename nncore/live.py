"""Live changes to a running trainer: settings, single weights and the user's points, without a reset.

`Trainer` inherits these methods. Every change is validated first (a `ConfigError` names the field) and only
then applied, so a rejected change leaves the trainer as it was. After a weight or data change the metrics are
re-measured, so the next frame shows its effect at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nncore.config import HYPER, NETWORK, TRAINING, validate_config
from nncore.data import Data, load_data
from nncore.errors import ConfigError
from nncore.network import Network
from nncore.optimizers import OPTIMIZERS, Optimizer, make_optimizer

#: The settings `update_hyper` takes (`dropout` is network.dropout, the rest live in `training`).
LIVE = tuple(
    dict.fromkeys(("learning_rate", "l1", "l2", "momentum", "dropout", "epochs", "patience", *HYPER))
)


class LiveChanges:
    """The live-change half of `Trainer` (it provides the attributes annotated here)."""

    config: dict[str, Any]
    network: Network
    optimizer: Optimizer
    classic: bool
    data: Data
    extent: list[float]
    epoch: int
    done: bool
    metrics: dict[str, Any]
    _stop: str | None
    _good: list[np.ndarray]
    _best: tuple[float, int, list[np.ndarray]] | None

    def _measure(self) -> dict[str, Any]:
        raise NotImplementedError

    def _remeasure(self) -> None:
        raise NotImplementedError

    def _arrays(self) -> None:
        raise NotImplementedError

    def update_hyper(self, changes: Mapping[str, Any]) -> None:
        """Change settings live: any of LIVE, e.g. {"learning_rate": 0.1, "l2": 0.001, "dropout": 0.2}.

        Raising `epochs` past the current epoch (or to None: until paused) resumes a trainer that had
        `finished`.
        """
        tr = self.config["training"]
        spec = OPTIMIZERS[tr["optimizer"]]
        new = dict(tr)
        dropout = None
        for key, value in changes.items():
            if key not in LIVE:
                raise ConfigError(key, value, "live changes take: " + ", ".join(LIVE))
            if key == "dropout":
                dropout = NETWORK["dropout"].check("network.dropout", value)
            else:
                param = TRAINING.get(key) or spec.hyper.get(key) or HYPER[key]
                new[key] = param.check(f"training.{key}", value)
        hyper = {k: new[k] for k in spec.hyper}
        if not self.classic:
            make_optimizer(tr["optimizer"], [], new["learning_rate"], **hyper)  # its cross-checks
            self.optimizer.lr = new["learning_rate"]
            self.optimizer.hyper.update(hyper)
        if dropout is not None:
            self.network.set_dropout(dropout)
            self.config["network"]["dropout"] = dropout
        tr.update(new)
        if self._stop == "finished" and (tr["epochs"] is None or self.epoch < tr["epochs"]):
            self.done, self._stop = False, None

    def _index(self, field: str, value: Any, size: int) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < size:
            raise ConfigError(field, value, f"must be an integer in 0..{size - 1}")
        return int(value)

    def _set(self, layer: int, i: int | None, j: int, value: float) -> None:
        k = self._index("layer", layer, len(self.network.dense))
        dense = self.network.dense[k]
        col = self._index("j", j, dense.W.shape[1])
        row = None if i is None else self._index("i", i, dense.W.shape[0])
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise ConfigError("value", value, "must be a finite number")
        if row is None:
            dense.b[col] = value
        else:
            dense.W[row, col] = value
        self._good = self.network.state()
        self._best = None  # early stopping must not restore weights from before the edit
        self._remeasure()

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set W[i, j] of Dense layer `layer` (0 = the input layer) and re-measure the metrics."""
        self._set(layer, i, j, value)

    def set_bias(self, layer: int, j: int, value: float) -> None:
        """Set b[j] of Dense layer `layer` and re-measure the metrics."""
        self._set(layer, None, j, value)

    def set_points(self, points: Any, labels: Any) -> None:
        """Train on these user points from now on; network, optimizer state and the plane's extent are kept.

        The config's data becomes these points (with the current test fraction, task, seed and extent); labels
        must fit the network (class indices below its number of outputs, two classes for a single output).
        A run that had stopped because of its data (`converged`, `early_stopped`) goes on: that may not hold
        any more.
        """
        old = self.config["data"]
        data = {
            "points": points,
            "labels": labels,
            "test_fraction": old["test_fraction"],
            "task": old["task"],
        }
        data.update(seed=old["seed"], extent=old["extent"] or self.extent)
        config = validate_config({**self.config, "data": data})
        units = self.network.sizes[-1]
        if config["network"]["output_activation"] != self.network.output.name or (
            units > 1 and max(config["data"]["labels"]) >= units
        ):
            raise ConfigError("data.labels", labels, f"labels must fit the network's {units} output(s)")
        data_arrays = load_data(config["data"])
        self.config["data"], self.data = config["data"], data_arrays
        self._best = None  # early stopping compares test losses of the same data only
        self._arrays()
        if self._stop in ("converged", "early_stopped"):
            self.done, self._stop = False, None

    def edit_points(self, op: str, points: Any = None, labels: Any = None, indices: Any = None) -> None:
        """Add points (`op` "add"), remove some by index ("remove") or replace them all ("replace"), then
        train on the result as `set_points` does.

        The current points are the training split followed by the test split; `indices` refer to that order.
        ConfigError on `indices` naming those that are not there, or on `points` unless points and labels come
        in equal numbers.
        """
        d = self.data
        current = [*d.X_train.tolist(), *d.X_test.tolist()]
        known = [*d.y_train.tolist(), *d.y_test.tolist()]
        if op == "remove":
            drop = set(indices or [])
            bad = [i for i in drop if not 0 <= i < len(current)]
            if bad:
                raise ConfigError("indices", bad, f"indices into the {len(current)} current points")
            keep = [k for k in range(len(current)) if k not in drop]
            self.set_points([current[k] for k in keep], [known[k] for k in keep])
            return
        if op not in ("add", "replace"):
            raise ConfigError("op", op, "choose one of: add, remove, replace")
        if points is None or labels is None or len(points) != len(labels):
            raise ConfigError("points", points, "points and labels of the same length")
        new = [list(p) for p in points]
        if op == "add":
            self.set_points(current + new, known + list(labels))
        else:
            self.set_points(new, list(labels))
