"""The data section of a config: its validation, the arrays it describes and the plane they are shown on.

A config's `data` is either a named dataset with its parameters or user points with labels, plus the test
fraction, the task and (optionally) the extent of the plane to show. Classification labels are class indices
0..k−1 (how they become targets: nncore/targets.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from nncore.datasets import BIPOLAR, PLANE, TRUTH_TABLES, check_params, get_dataset, make_dataset
from nncore.errors import ConfigError
from nncore.limits import LIMITS, SEED
from nncore.params import Param
from nncore.points import check_points
from nncore.points import split as split_data

TASKS = ("classification", "regression")
MAX_POINTS = int(LIMITS["points"])
MAX_CLASSES = int(LIMITS["classes"])
TEST_FRACTION = Param(0.5, 0.0, LIMITS["test_fraction"], doc="share of the points held out for testing")
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
    numbers = isinstance(labels, (list, tuple)) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in labels
    )
    whole = numbers and all(float(v).is_integer() for v in labels)
    classes = whole and all(0 <= v < MAX_CLASSES for v in labels)
    if whole and not classes and raw.get("task") is None:  # 9 classes or a label −1: never read as regression
        bad = next(v for v in labels if not 0 <= v < MAX_CLASSES)
        raise ConfigError(
            "data.labels",
            bad,
            f"class labels are integers 0..{MAX_CLASSES - 1}; for regression targets say task: 'regression'",
            f"data.labels: {bad!r} is not a class (0..{MAX_CLASSES - 1}); integer labels are read as "
            "classes, so give task: 'regression' if these are regression targets",
        )
    task = _task(raw.get("task"), "classification" if classes else "regression")
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


def default_extent(
    X2: np.ndarray, dataset_name: str | None = None, bipolar: bool = False, outliers: float = 0.0, **_: Any
) -> list[float]:
    """[x_min, x_max, y_min, y_max] of the plane to show (never degenerate).

    For a dataset its own extent (±2 for a gate with `bipolar`); with `outliers` > 0 grown, about the same
    centre, to a square showing every point with 10 % to spare. Other keywords are ignored, so a whole data
    section may be passed as `**data`. For user points (no name): a square around them, padded 10 %, ≥ 2 wide.
    """
    X2 = np.asarray(X2, dtype=np.float64).reshape(-1, 2)
    if dataset_name is None:
        if len(X2) == 0:
            return list(PLANE)
        lo, hi = X2.min(axis=0), X2.max(axis=0)
        mid, half = (lo + hi) / 2, max(0.6 * float(np.max(hi - lo)), 1.0)
    else:
        base = BIPOLAR if bipolar and dataset_name in TRUTH_TABLES else get_dataset(dataset_name).extent
        if not outliers or len(X2) == 0:
            return list(base)
        mid = np.array([base[0] + base[1], base[2] + base[3]]) / 2
        half = max((base[1] - base[0]) / 2, (base[3] - base[2]) / 2, 1.1 * float(np.max(np.abs(X2 - mid))))
    return [float(mid[0] - half), float(mid[0] + half), float(mid[1] - half), float(mid[1] + half)]
