"""Input features: closed forms, column order, the same map for data and grids, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.errors import ConfigError
from nncore.features import FEATURES, check_features, transform

POINTS = np.array([[0.0, 0.0], [1.0, -2.0], [-0.5, 3.0], [np.pi / 2, np.pi]])


def test_feature_names_in_documented_order() -> None:
    assert list(FEATURES) == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)", "cos(x1)", "cos(x2)"]
    assert all(isinstance(f, str) and f for f in FEATURES.values())


@pytest.mark.parametrize(
    ("name", "closed_form"),
    [
        ("x1", lambda a, b: a),
        ("x2", lambda a, b: b),
        ("x1^2", lambda a, b: a**2),
        ("x2^2", lambda a, b: b**2),
        ("x1*x2", lambda a, b: a * b),
        ("sin(x1)", lambda a, b: np.sin(a)),
        ("sin(x2)", lambda a, b: np.sin(b)),
        ("cos(x1)", lambda a, b: np.cos(a)),
        ("cos(x2)", lambda a, b: np.cos(b)),
    ],
)
def test_each_feature_matches_its_closed_form(name, closed_form) -> None:
    got = transform(POINTS, [name])
    assert got.shape == (4, 1) and got.dtype == np.float64
    want = [closed_form(float(a), float(b)) for a, b in POINTS]
    np.testing.assert_allclose(got[:, 0], want, rtol=0, atol=1e-15)


def test_known_values() -> None:
    row = transform(np.array([[np.pi / 2, np.pi]]), list(FEATURES))[0]
    np.testing.assert_allclose(
        row, [np.pi / 2, np.pi, np.pi**2 / 4, np.pi**2, np.pi**2 / 2, 1.0, 0.0, 0.0, -1.0], atol=1e-15
    )


def test_columns_follow_the_given_order() -> None:
    a = transform(POINTS, ["x1*x2", "x1", "cos(x2)"])
    np.testing.assert_array_equal(a[:, 0], POINTS[:, 0] * POINTS[:, 1])
    np.testing.assert_array_equal(a[:, 1], POINTS[:, 0])
    np.testing.assert_array_equal(a[:, 2], np.cos(POINTS[:, 1]))


def test_same_map_for_training_points_and_grid_points() -> None:
    xs = np.linspace(-6, 6, 7)
    gx, gy = np.meshgrid(xs, xs)
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    names = list(FEATURES)
    full = transform(grid, names)
    one_by_one = np.vstack([transform(grid[i : i + 1], names) for i in range(len(grid))])
    np.testing.assert_array_equal(full, one_by_one)


def test_integer_input_becomes_float64_and_empty_input_keeps_shape() -> None:
    assert transform(np.array([[1, 2]]), ["x1"]).dtype == np.float64
    assert transform(np.zeros((0, 2)), ["x1", "x2^2"]).shape == (0, 2)


def test_unknown_feature_lists_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown feature 'x3'; choose one of: x1, x2, x1\^2"):
        transform(POINTS, ["x1", "x3"])


def test_bad_shape_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        transform(np.zeros((3, 3)), ["x1"])


def test_check_features_accepts_and_copies() -> None:
    names = ("x1", "sin(x2)")
    assert check_features(names) == ["x1", "sin(x2)"]


@pytest.mark.parametrize(
    ("names", "field"),
    [
        ([], "features"),
        ("x1", "features"),
        (None, "features"),
        (["x1", "x1"], "features[1]"),
        (["x1", 3], "features[1]"),
        (["nope"], "features[0]"),
    ],
)
def test_check_features_rejects(names, field) -> None:
    with pytest.raises(ConfigError) as info:
        check_features(names)
    assert info.value.field == field
