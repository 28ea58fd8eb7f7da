"""A run from start to end in one call, as from a notebook or `POST /api/train`: `train` and `predict`.

Both return JSON-able dicts (nncore/jsonable.py): what the API sends is what Python gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nncore.config import finite_epochs
from nncore.errors import ShouldStop
from nncore.features import transform
from nncore.jsonable import jsonable
from nncore.limits import LIMITS
from nncore.points import check_pairs
from nncore.targets import decode_classes
from nncore.trainer import Trainer


def train(
    config: Mapping[str, Any] | None, grid: int | None = None, should_stop: ShouldStop | None = None
) -> dict[str, Any]:
    """Train `config` headless to the end; with `grid`, add the final frame's grid (as nested lists).

    `should_stop` is asked before every update (`Stopped` when it answers True: a deadline, a client gone).
    `training.epochs` must be a number here (null, "until paused", is for live sessions: a ConfigError).
    """
    trainer = Trainer(config)
    trainer.run_epochs(finite_epochs(trainer.config), should_stop)
    result = trainer.result()
    if grid is not None:
        result["grid"] = trainer.frame(grid, trainer.config["view"]["neuron_grid"])["grid"]
    return dict(jsonable(result))


def predict(config: Mapping[str, Any] | None, points: Any) -> dict[str, Any]:
    """The network of `config` (its `network.weights`) on raw points [[x1, x2], …]: outputs and classes."""
    trainer = Trainer(config)
    X2 = check_pairs(points, "points", int(LIMITS["points"]))
    with np.errstate(all="ignore"):
        out = trainer.network.forward(transform(X2, trainer.config["features"]), False)
    classes = decode_classes(out, trainer.levels).tolist() if trainer.classify else None
    return {"outputs": jsonable(out if out.shape[1] > 1 else out[:, 0]), "classes": classes}
