"""Points as data: the user's own points checked, and the seeded train/test split of any set of points.

`check_pairs` reads [[x1, x2], …] (user points, or the points of a prediction), `check_points` adds the
labels (class indices below `LIMITS["classes"]`, or regression targets), and `split` holds out a seeded,
stratified share for testing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nncore.errors import ConfigError
from nncore.limits import LIMITS

TOP_CLASS = int(LIMITS["classes"]) - 1  # the largest class label


def _test_counts(counts: np.ndarray, fraction: float) -> np.ndarray:
    """round(fraction·n) test points spread over the classes by largest remainder, each class keeping ≥ 1."""
    quota = fraction * counts
    take = np.minimum(np.floor(quota).astype(int), np.maximum(counts - 1, 0))
    room = np.maximum(counts - 1, 0) - take
    for j in np.argsort(-(quota - take), kind="stable"):
        if take.sum() >= int(np.floor(fraction * counts.sum() + 0.5)):
            break
        if room[j] > 0:
            take[j] += 1
            room[j] -= 1
    return take


def split(X2: np.ndarray, y: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, ...]:
    """(X_tr, y_tr, X_te, y_te): round(test_fraction·n) test points drawn with `default_rng(seed)`.

    Integer labels are split per class (stratified: every class keeps its share, and at least one point in
    training); float targets are split at random. Both parts keep the original order.
    """
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction}")
    rng = np.random.default_rng(seed)
    n = len(y)
    test = np.zeros(n, dtype=bool)
    if np.issubdtype(np.asarray(y).dtype, np.integer):
        classes, counts = np.unique(y, return_counts=True)
        for c, k in zip(classes, _test_counts(counts, test_fraction), strict=True):
            test[rng.permutation(np.flatnonzero(y == c))[:k]] = True
    else:
        test[rng.permutation(n)[: int(np.floor(test_fraction * n + 0.5))]] = True
    return X2[~test], y[~test], X2[test], y[test]


def check_pairs(points: Any, field: str, max_points: int) -> np.ndarray:
    """[[x1, x2], …] as a float64 array (n, 2); ConfigError on `field` unless 1..max_points finite pairs."""
    pairs = f"a list of 1 to {max_points} [x1, x2] pairs of finite numbers"
    try:
        bad = isinstance(points, (str, bytes)) or any(
            isinstance(v, (bool, str, bytes)) for p in points for v in p
        )
        X = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise ConfigError(field, points, pairs) from None
    if bad or X.ndim != 2 or X.shape[1] != 2 or not 1 <= len(X) <= max_points or not np.isfinite(X).all():
        raise ConfigError(field, points, pairs)
    return X


def check_points(points: Any, labels: Any, task: str, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """User-drawn data as (X2 float64 (n, 2), y): int class labels for classification, float targets else.

    ConfigError on `data.points` (not 1..max_points pairs of finite numbers) or `data.labels`.
    """
    X = check_pairs(points, "data.points", max_points)
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
    classify = task == "classification"
    kind = f"an integer class label 0..{TOP_CLASS}" if classify else "a finite number"
    wanted = f"a list of {len(X)} labels, {kind} for each point"
    try:
        bad = isinstance(labels, (str, bytes)) or any(isinstance(v, (bool, str, bytes)) for v in labels)
        y = np.asarray(labels, dtype=np.float64)
    except (TypeError, ValueError):
        raise ConfigError("data.labels", labels, wanted) from None
    if bad or y.shape != (len(X),) or not np.isfinite(y).all():
        raise ConfigError("data.labels", labels, wanted)
    if classify:
        if not (np.all(y == np.round(y)) and y.min() >= 0 and y.max() <= TOP_CLASS):
            raise ConfigError("data.labels", labels, wanted)
        return X, y.astype(np.int64)
    return X, y
