"""Points: the seeded, stratified train/test split and the checks of the user's own points."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.datasets import make_dataset
from nncore.errors import ConfigError
from nncore.points import check_points, split

# ---- split ------------------------------------------------------------------------------------------------


def test_split_is_deterministic_stratified_and_sized() -> None:
    X, y = make_dataset("blobs", n=301, k=3, seed=1)
    a = split(X, y, 0.3, seed=4)
    b = split(X, y, 0.3, seed=4)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    X_tr, y_tr, X_te, y_te = a
    assert len(y_te) == round(0.3 * 301) and len(y_tr) + len(y_te) == 301
    assert X_tr.shape == (len(y_tr), 2) and X_te.shape == (len(y_te), 2)
    assert np.abs(np.bincount(y_te) - 0.3 * np.bincount(y)).max() < 1
    np.testing.assert_array_equal(np.sort(np.vstack([X_tr, X_te]), axis=0), np.sort(X, axis=0))
    assert not np.array_equal(split(X, y, 0.3, seed=5)[2], X_te)


def test_split_keeps_order_and_every_class_in_training() -> None:
    X, y = make_dataset("and")
    X_tr, y_tr, X_te, y_te = split(X, y, 0.5, seed=0)
    assert len(y_te) == 2 and 1 in y_tr  # AND has one positive: it stays in training
    rows = [tuple(r) for r in X.tolist()]
    for part in (X_tr, X_te):
        idx = [rows.index(tuple(r)) for r in part.tolist()]
        assert idx == sorted(idx)


def test_split_zero_fraction_and_regression() -> None:
    X, y = make_dataset("sine", n=50)
    X_tr, y_tr, X_te, y_te = split(X, y, 0.0, seed=0)
    np.testing.assert_array_equal(X_tr, X)
    np.testing.assert_array_equal(y_tr, y)
    assert X_te.shape == (0, 2) and y_te.shape == (0,) and y_te.dtype == np.float64
    assert len(split(X, y, 0.5, seed=0)[3]) == 25
    with pytest.raises(ValueError, match="test_fraction"):
        split(X, y, 1.0, seed=0)


# ---- user points ------------------------------------------------------------------------------------------


def test_check_points_accepts_good_data() -> None:
    X, y = check_points([[0, 1], [2.5, -3]], [0, 7.0], "classification", max_points=10)
    assert X.dtype == np.float64 and X.shape == (2, 2) and y.dtype == np.int64 and y.tolist() == [0, 7]
    X, t = check_points(np.array([[0.0, 1.0]]), [0.25], "regression", max_points=10)
    assert t.dtype == np.float64 and t.tolist() == [0.25]


@pytest.mark.parametrize(
    ("points", "labels", "task", "field"),
    [
        ([], [], "classification", "data.points"),
        ([[0, 1, 2]], [0], "classification", "data.points"),
        ([[0, "a"]], [0], "classification", "data.points"),
        ([[0, True]], [0], "classification", "data.points"),
        ([[0, float("nan")]], [0], "classification", "data.points"),
        ([[0, float("inf")]], [0], "regression", "data.points"),
        ([[0, 1]] * 6, [0] * 6, "classification", "data.points"),  # more than max_points
        ("01", [0], "classification", "data.points"),
        ([[0, 1]], [8], "classification", "data.labels"),
        ([[0, 1]], [-1], "classification", "data.labels"),
        ([[0, 1]], [0.5], "classification", "data.labels"),
        ([[0, 1]], [True], "classification", "data.labels"),
        ([[0, 1]], [0, 1], "classification", "data.labels"),
        ([[0, 1]], [float("nan")], "regression", "data.labels"),
        ([[0, 1]], "a", "regression", "data.labels"),
        ([[0, 1]], None, "regression", "data.labels"),
    ],
)
def test_check_points_rejects_bad_data(points, labels, task, field) -> None:
    with pytest.raises(ConfigError) as info:
        check_points(points, labels, task, max_points=5)
    assert info.value.field == field
