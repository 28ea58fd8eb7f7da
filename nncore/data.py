"""The data section of a config: its validation, the arrays it describes and how labels become targets.

A config's `data` is either a named dataset with its parameters or user points with labels, plus the test
fraction, the task and (optionally) the extent of the plane to show. Classification labels are class indices
0..k−1. What the network is trained towards depends on its output: a binary task uses the output's low/high
values — 0/1 for sigmoid, step and softmax (one-hot), −1/+1 for tanh, sign and linear outputs and for the
hinge loss (a classic rule uses its own 0/1 or ±1 targets) — and a point counts as class 1 when the output
exceeds the midpoint of the two. Regression trains towards the labels themselves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from nncore.datasets import (
    TRUTH_TABLES,
    check_params,
    check_points,
    default_extent,
    get_dataset,
    make_dataset,
)
from nncore.datasets import split as split_data
from nncore.errors import ConfigError
from nncore.params import Param

TASKS = ("classification", "regression")
MAX_POINTS = 5000
MAX_CLASSES = 8
TEST_FRACTION = Param(0.5, 0.0, 0.9, doc="share of the points held out for testing")
SEED = Param(0, 0, None, "int", doc="random seed of the split")
COMMON_KEYS = ("test_fraction", "task", "extent")
POINTS_KEYS = ("points", "labels", "seed", *COMMON_KEYS)


@dataclass
class Data:
    """The arrays a config's data section describes: raw points (n, 2), labels, task, classes, extent."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str
    classes: int | None
    extent: list[float]


def _extent(value: Any) -> list[float] | None:
    allowed = "null or [x_min, x_max, y_min, y_max] with finite numbers, x_min < x_max and y_min < y_max"
    if value is None:
        return None
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__") or len(value) != 4:
        raise ConfigError("data.extent", value, allowed)
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) for v in value):
        raise ConfigError("data.extent", value, allowed)
    x0, x1, y0, y1 = (float(v) for v in value)
    if not (x0 < x1 and y0 < y1):
        raise ConfigError("data.extent", value, allowed)
    return [x0, x1, y0, y1]


def _task(value: Any, inferred: str) -> str:
    if value is None:
        return inferred
    if value not in TASKS:
        raise ConfigError("data.task", value, "choose one of: " + ", ".join(TASKS))
    return str(value)


def validate_data(raw: Any) -> tuple[dict[str, Any], int | None]:
    """The normalized data section (every default filled) and its number of classes (None for regression)."""
    raw = {} if raw is None else raw
    if not isinstance(raw, Mapping):
        raise ConfigError("data", raw, "must be an object with a dataset or points and labels")
    if "points" in raw or "labels" in raw:
        return _validate_points(raw)
    name = raw.get("dataset", "circle")
    spec = get_dataset(name)
    params = {k: v for k, v in raw.items() if k not in ("dataset", *COMMON_KEYS)}
    params = check_params(name, params)
    if params["n"] > MAX_POINTS:
        raise ConfigError("data.n", params["n"], f"must be at most {MAX_POINTS} points")
    task = _task(raw.get("task"), spec.task)
    if task != spec.task:
        raise ConfigError("data.task", task, f"dataset {name!r} is a {spec.task} set")
    default_test = 0.0 if name in TRUTH_TABLES else 0.5
    test = TEST_FRACTION.check("data.test_fraction", raw.get("test_fraction", default_test))
    extent = _extent(raw.get("extent"))
    out = {"dataset": name, **params, "test_fraction": test, "task": task, "extent": extent}
    return out, spec.num_classes(params)


def _validate_points(raw: Mapping[str, Any]) -> tuple[dict[str, Any], int | None]:
    for key in raw:
        if key not in POINTS_KEYS:
            raise ConfigError(f"data.{key}", raw[key], "user data takes: " + ", ".join(POINTS_KEYS))
    if "points" not in raw or "labels" not in raw:
        missing = "labels" if "points" in raw else "points"
        raise ConfigError(f"data.{missing}", None, "user data needs both points and labels")
    labels = raw["labels"]
    integral = isinstance(labels, (list, tuple)) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and v in range(MAX_CLASSES) for v in labels
    )
    task = _task(raw.get("task"), "classification" if integral else "regression")
    X, y = check_points(raw["points"], labels, task, MAX_POINTS)
    out = {
        "points": X.tolist(),
        "labels": y.tolist(),
        "seed": SEED.check("data.seed", raw.get("seed", 0)),
        "test_fraction": TEST_FRACTION.check("data.test_fraction", raw.get("test_fraction", 0.0)),
        "task": task,
        "extent": _extent(raw.get("extent")),
    }
    return out, (max(2, int(y.max()) + 1) if task == "classification" else None)


def load_data(data: Mapping[str, Any]) -> Data:
    """Generate (or read) and split the points of a normalized data section."""
    if "points" in data:
        X2, y = check_points(data["points"], data["labels"], data["task"], MAX_POINTS)
        name, params = None, {}
        classes = max(2, int(y.max()) + 1) if data["task"] == "classification" else None
    else:
        name = data["dataset"]
        params = {k: v for k, v in data.items() if k not in ("dataset", *COMMON_KEYS)}
        X2, y = make_dataset(name, **params)
        classes = get_dataset(name).num_classes(params)
    X_tr, y_tr, X_te, y_te = split_data(X2, y, data["test_fraction"], data["seed"])
    if len(X_tr) == 0:
        allowed = f"must leave at least one of the {len(X2)} points for training"
        raise ConfigError("data.test_fraction", data["test_fraction"], allowed)
    extent = data["extent"] or default_extent(X2, name, **params)  # outliers widen the view
    return Data(X_tr, y_tr, X_te, y_te, data["task"], classes, [float(v) for v in extent])


def target_levels(output_activation: str, loss: str) -> tuple[float, float]:
    """The (low, high) target values of a binary task for this output and loss (see the module docstring)."""
    if loss == "hinge" or output_activation in ("tanh", "sign", "linear"):
        return -1.0, 1.0
    return 0.0, 1.0


def encode_targets(y: np.ndarray, task: str, units: int, levels: tuple[float, float]) -> np.ndarray:
    """Float targets (n, units): regression values, one-hot rows (units > 1), or the low/high levels."""
    if task == "regression":
        return np.asarray(y, dtype=np.float64).reshape(-1, 1)
    if units > 1:
        return np.eye(units)[np.asarray(y, dtype=np.int64)]
    low, high = levels
    return np.where(np.asarray(y) == 1, high, low).astype(np.float64).reshape(-1, 1)


def decode_classes(outputs: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """Class indices from outputs (n, units): argmax for several units, else output > the levels' midpoint."""
    if outputs.shape[1] > 1:
        return np.argmax(outputs, axis=1)
    return (outputs[:, 0] > 0.5 * (levels[0] + levels[1])).astype(np.int64)
