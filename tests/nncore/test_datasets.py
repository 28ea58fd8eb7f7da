"""Datasets: shapes, labels, seeds, balance, the documented shapes and ranges, outliers, parameter errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nncore.datasets import DATASETS, TRUTH_TABLES, check_params, make_dataset
from nncore.errors import ConfigError

CLASSIFICATION = [n for n, s in DATASETS.items() if s.task == "classification"]
REGRESSION = [n for n, s in DATASETS.items() if s.task == "regression"]
GATES = list(TRUTH_TABLES)


def test_registry_lists_every_promised_dataset() -> None:
    assert set(DATASETS) == {
        *("and", "or", "nand", "nor", "xor", "circle", "xor_quadrants", "gauss", "spiral"),
        *("moons", "linear", "blobs", "spiral_k", "plane", "gauss_bumps", "sine"),
    }
    assert set(REGRESSION) == {"plane", "gauss_bumps", "sine"}
    for name, spec in DATASETS.items():
        assert spec.name == name
        assert {"n", "noise", "seed"} <= set(spec.params)
        assert ("outliers" in spec.params) == (spec.task == "classification")
        assert spec.description and spec.noise
        x0, x1, y0, y1 = spec.extent
        assert x0 < x1 and y0 < y1
        json.dumps(spec.describe())  # the catalog can send it as is


@pytest.mark.parametrize("name", list(DATASETS))
def test_shapes_dtypes_and_label_sets(name: str) -> None:
    spec = DATASETS[name]
    n = 37 if name not in GATES else 10
    X, y = make_dataset(name, n=n, noise=0.1, seed=3)
    assert X.shape == (n, 2) and X.dtype == np.float64 and np.isfinite(X).all()
    assert y.shape == (n,)
    if spec.task == "classification":
        assert y.dtype == np.int64
        assert set(np.unique(y)) <= set(range(spec.num_classes(check_params(name, {"n": n}))))
    else:
        assert y.dtype == np.float64 and np.isfinite(y).all()


@pytest.mark.parametrize("name", list(DATASETS))
def test_reproducible_by_seed(name: str) -> None:
    params = {"n": 40, "noise": 0.2}
    X1, y1 = make_dataset(name, seed=7, **params)
    X2, y2 = make_dataset(name, seed=7, **params)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make_dataset(name, seed=8, **params)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", [n for n, s in DATASETS.items() if s.balanced])
@pytest.mark.parametrize("n", [101, 200])
def test_balanced_sets_have_equal_class_counts(name: str, n: int) -> None:
    _, y = make_dataset(name, n=n, noise=0.5, outliers=0.2, seed=1)
    counts = np.bincount(y)
    k = DATASETS[name].num_classes(check_params(name, {}))
    assert len(counts) == k and counts.sum() == n and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_every_class_present_with_defaults(name: str) -> None:
    _, y = make_dataset(name)
    k = DATASETS[name].num_classes(check_params(name, {}))
    assert set(np.unique(y)) == set(range(k))


# ---- gates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("gate", GATES)
def test_gate_default_is_the_truth_table(gate: str) -> None:
    X, y = make_dataset(gate)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    logic = {"and": a & b, "or": a | b, "nand": ~(a & b), "nor": ~(a | b), "xor": a ^ b}[gate]
    np.testing.assert_array_equal(y, logic.astype(int))


def test_gate_repeats_corners_in_order_and_bipolar_maps_to_pm1() -> None:
    X, y = make_dataset("and", n=10)
    np.testing.assert_array_equal(X[4:8], X[:4])
    np.testing.assert_array_equal(y, [0, 0, 0, 1] * 2 + [0, 0])
    Xb, yb = make_dataset("and", bipolar=True)
    np.testing.assert_array_equal(Xb, [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    np.testing.assert_array_equal(yb, [0, 0, 0, 1])  # labels stay classes; targets.encode_targets maps them


def test_gate_noise_is_gaussian_jitter_of_that_std() -> None:
    X, _ = make_dataset("or", n=4000, noise=0.1, seed=2)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])[np.arange(4000) % 4]
    dev = X - corners
    assert abs(dev.mean()) < 0.01 and abs(dev.std() - 0.1) < 0.005


# ---- the playground sets and the other classification sets ------------------------------------------------


def test_circle_radii_and_labels() -> None:
    X, y = make_dataset("circle", n=400, seed=4)
    r = np.hypot(X[:, 0], X[:, 1])
    assert (r[y == 1] < 2.5).all() and (r[y == 0] >= 3.5).all() and (r <= 5).all()
    assert np.bincount(y).tolist() == [200, 200]
    Xn, yn = make_dataset("circle", n=400, noise=0.5, seed=4)
    assert (np.hypot(Xn[:, 0], Xn[:, 1]) <= 5).all()  # noise moves the label, not the point
    assert 0 < np.mean(yn != (np.hypot(Xn[:, 0], Xn[:, 1]) < 2.5)) < 0.5


def test_xor_quadrants_padding_and_labels() -> None:
    X, y = make_dataset("xor_quadrants", n=500, seed=5)
    assert (np.abs(X) >= 0.3).all() and (np.abs(X) <= 5.3).all()
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(int))


@pytest.mark.parametrize(("noise", "variance"), [(0.0, 0.5), (0.5, 4.0)])
def test_gauss_centres_and_playground_variance(noise: float, variance: float) -> None:
    X, y = make_dataset("gauss", n=5000, noise=noise, seed=6)
    for label, centre in [(1, 2.0), (0, -2.0)]:
        pts = X[y == label]
        np.testing.assert_allclose(pts.mean(axis=0), [centre, centre], atol=0.1)
        np.testing.assert_allclose(pts.var(axis=0), [variance, variance], rtol=0.08)


@pytest.mark.parametrize(("name", "k"), [("spiral", 2), ("spiral_k", 3), ("spiral_k", 5)])
def test_spiral_arms_lie_on_the_playground_curve(name: str, k: int) -> None:
    X, y = make_dataset(name, n=300, k=k, seed=2) if name == "spiral_k" else make_dataset(name, n=300, seed=2)
    r = np.hypot(X[:, 0], X[:, 1])
    assert (r < 5).all()
    theta = np.arctan2(X[:, 0], X[:, 1])  # x = r sin θ, y = r cos θ
    for label in range(k):
        phase = {0: np.pi, 1: 0.0}[label] if name == "spiral" else 2 * np.pi * label / k
        m = int((y == label).sum())
        np.testing.assert_allclose(np.sort(r[y == label]), 5 * np.arange(m) / m, atol=1e-12)
        expected = 1.75 * 2 * np.pi * r[y == label] / 5 + phase
        gap = np.angle(np.exp(1j * (theta[y == label] - expected)))
        assert np.all((np.abs(gap) < 1e-9) | (r[y == label] < 1e-12))


def test_moons_lie_on_two_circles_of_radius_3() -> None:
    X, y = make_dataset("moons", n=300, noise=0.0, seed=1)
    np.testing.assert_allclose(np.hypot(*(X[y == 0] - [-1.5, -0.75]).T), 3.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(*(X[y == 1] - [1.5, 0.75]).T), 3.0, atol=1e-12)
    assert (X[y == 0, 1] >= -0.75 - 1e-12).all() and (X[y == 1, 1] <= 0.75 + 1e-12).all()


@pytest.mark.parametrize("margin", [0.0, 0.5, 2.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_linear_is_separable_with_the_promised_margin(margin: float, seed: int) -> None:
    X, y = make_dataset("linear", n=300, margin=margin, seed=seed)
    assert (np.abs(X) <= 5).all()
    angles = np.linspace(0, 2 * np.pi, 7200, endpoint=False)
    proj = X @ np.vstack([np.cos(angles), np.sin(angles)])  # (n, angles)
    gap = proj[y == 1].min(axis=0) - proj[y == 0].max(axis=0)  # width of the empty band along each direction
    assert gap.max() >= 2 * margin - 0.01  # a 0.05° grid is within 0.01 of the true direction


@pytest.mark.parametrize("k", [2, 3, 8])
def test_blobs_centres_on_a_circle(k: int) -> None:
    X, y = make_dataset("blobs", n=400 * k, k=k, seed=3)
    for j in range(k):
        angle = np.pi / 4 + 2 * np.pi * j / k
        np.testing.assert_allclose(X[y == j].mean(axis=0), [4 * np.cos(angle), 4 * np.sin(angle)], atol=0.15)


# ---- regression ------------------------------------------------------------------------------------------


def _playground_bumps(x: float, y: float) -> float:
    """tensorflow/playground regressGaussian's getLabel, written out as a loop."""
    label = 0.0
    for cx, cy, sign in [
        (-4, 2.5, 1),
        (0, 2.5, -1),
        (4, 2.5, 1),
        (-4, -2.5, -1),
        (0, -2.5, 1),
        (4, -2.5, -1),
    ]:
        new = sign * min(max(1 - np.hypot(x - cx, y - cy) / 2, 0.0), 1.0)
        if abs(new) > abs(label):
            label = new
    return label


def test_regression_targets_match_their_formulas() -> None:
    X, t = make_dataset("plane", n=300, seed=1)
    np.testing.assert_allclose(t, (X[:, 0] + X[:, 1]) / 10, atol=1e-15)
    X, t = make_dataset("sine", n=300, seed=1)
    np.testing.assert_allclose(t, np.sin(X[:, 0]), atol=1e-15)
    X, t = make_dataset("gauss_bumps", n=300, seed=1)
    np.testing.assert_allclose(t, [_playground_bumps(a, b) for a, b in X], atol=1e-15)


@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_regression_ranges(name: str, noise: float) -> None:
    X, t = make_dataset(name, n=2000, noise=noise, seed=2)
    assert (np.abs(X) <= 6).all()
    bound = 1.2 * (1 + noise) if name == "plane" else 1.0
    assert np.abs(t).max() <= bound and np.abs(t).max() > 0.5 * bound
    if noise:
        _, t0 = make_dataset(name, n=2000, noise=0.0, seed=2)
        assert not np.allclose(t, t0)


# ---- extents, outliers, parameter errors ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_points_within_the_documented_extent(name: str) -> None:
    X, _ = make_dataset(name, n=4 if name in GATES else 500, seed=0)
    x0, x1, y0, y1 = DATASETS[name].extent
    inside = (X[:, 0] >= x0) & (X[:, 0] <= x1) & (X[:, 1] >= y0) & (X[:, 1] <= y1)
    assert inside.mean() >= (0.99 if name == "blobs" else 1.0)  # blobs are Gaussian: a rare point escapes
    assert DATASETS[name].extent == ((-0.5, 1.5, -0.5, 1.5) if name in GATES else (-6.0, 6.0, -6.0, 6.0))


@pytest.mark.parametrize(
    ("name", "fraction"), [("gauss", 0.25), ("and", 0.25), ("spiral_k", 0.1), ("circle", 0.1)]
)
def test_outliers_are_class_1_points_pushed_far_out(name: str, fraction: float) -> None:
    n = 8 if name == "and" else 200
    clean, y_clean = make_dataset(name, n=n, seed=9)
    X, y = make_dataset(name, n=n, seed=9, outliers=fraction)
    moved = ~np.array([(clean == row).all(axis=1).any() for row in X])
    assert moved.sum() == min(round(fraction * n), int((y_clean == 1).sum()))
    assert (y[moved] == 1).all()
    centre = clean.mean(axis=0)
    radius = np.hypot(*(clean - centre).T).max()
    dist = np.hypot(*(X[moved] - centre).T)
    assert (dist >= 1.5 * radius - 1e-9).all() and (dist <= 2.5 * radius + 1e-9).all()
    np.testing.assert_array_equal(np.bincount(y), np.bincount(y_clean))  # labels kept, balance kept


def _least_squares(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), 2.0 * y - 1.0, rcond=None)[0]


@pytest.mark.parametrize("name", ["gauss", "linear"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_outliers_tilt_a_least_squares_boundary(name: str, seed: int) -> None:
    clean, y_clean = make_dataset(name, seed=seed)
    X, y = make_dataset(name, seed=seed, outliers=0.1)
    w0, w1 = _least_squares(clean, y_clean), _least_squares(X, y)
    far = ~np.array([(clean == row).all(axis=1).any() for row in X])
    assert ((np.column_stack([X[far], np.ones(far.sum())]) @ w0) > 0).all()  # already on the right side…
    cos = w0[:2] @ w1[:2] / np.linalg.norm(w0[:2]) / np.linalg.norm(w1[:2])
    assert np.degrees(np.arccos(cos)) > 10  # …yet the squared error turns the boundary towards them


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("spiral", {"n": 0}, "data.n"),
        ("spiral", {"n": 10.5}, "data.n"),
        ("spiral", {"noise": -0.1}, "data.noise"),
        ("spiral", {"noise": "lots"}, "data.noise"),
        ("gauss", {"outliers": 0.9}, "data.outliers"),
        ("blobs", {"k": 9}, "data.k"),
        ("and", {"bipolar": 1}, "data.bipolar"),
        ("plane", {"outliers": 0.1}, "data.outliers"),
        ("circle", {"colour": "red"}, "data.colour"),
        ("spiral_k", {"k": 8, "n": 8, "seed": -1}, "data.seed"),
        ("nope", {}, "data.dataset"),
    ],
)
def test_bad_parameters_name_the_field(name: str, params: dict, field: str) -> None:
    with pytest.raises(ConfigError) as info:
        make_dataset(name, **params)
    assert info.value.field == field


def test_check_params_fills_defaults() -> None:
    p = check_params("blobs", {"k": 4})
    assert p == {"n": 200, "noise": 0.0, "seed": 0, "k": 4, "outliers": 0.0}
