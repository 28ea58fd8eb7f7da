"""Frames: the layout, grid orientation checked against direct evaluation, neuron grids, copies."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import ConfigError, Trainer
from nncore.features import transform
from nncore.frames import plane

CONFIG = {
    "data": {"dataset": "spiral", "n": 100, "extent": [-1.0, 3.0, -2.0, 5.0]},
    "features": ["x1", "x2", "x1^2", "sin(x2)"],
    "network": {"hidden": [5, 3], "activation": "relu", "batch_norm": [False, True]},
    "training": {"epochs": 5},
}


def direct(t: Trainer, x: float, y: float) -> tuple[np.ndarray, list[np.ndarray]]:
    """The network at raw point (x, y), evaluated without the grid code."""
    out, hidden = t.network.evaluate(transform(np.array([[x, y]]), t.config["features"]))
    return out[0], [h[0] for h in hidden]


def test_frame_layout() -> None:
    t = Trainer(CONFIG)
    t.run_epochs(2)
    frame = t.frame()
    assert set(frame) == {"epoch", "step", "done", "metrics", "weights", "update", "grid"}
    assert (frame["epoch"], frame["step"], frame["done"]) == (2, t.step_count, False)
    assert set(frame["metrics"]) == {"train_loss", "test_loss", "train_accuracy", "test_accuracy", "mistakes"}
    assert frame["metrics"]["train_loss"] == t.history["train_loss"][-1]
    assert frame["update"] is None and frame["grid"] is None
    assert [w["W"].shape for w in frame["weights"]] == [(4, 5), (5, 3), (3, 1)]


def test_frame_weights_are_copies() -> None:
    t = Trainer(CONFIG)
    frame = t.frame()
    t.run_epochs(1)
    assert not np.array_equal(frame["weights"][0]["W"], t.network.dense[0].W)


def test_output_grid_rows_are_y_and_columns_are_x() -> None:
    t = Trainer(CONFIG)
    t.run_epochs(3)
    G = 7
    grid = t.frame(grid=G)["grid"]
    assert grid["size"] == G and grid["extent"] == [-1.0, 3.0, -2.0, 5.0]
    assert grid["output"].shape == (G, G) and grid["output"].dtype == np.float32
    assert grid["output_range"] == [0.0, 1.0]
    assert grid["neuron_size"] is None and grid["layers"] == []
    xs, ys = np.linspace(-1, 3, G), np.linspace(-2, 5, G)
    for i, j in [(0, 0), (0, G - 1), (G - 1, 0), (2, 5), (6, 3)]:
        out, _ = direct(t, xs[j], ys[i])
        np.testing.assert_allclose(grid["output"][i, j], out[0], rtol=1e-6)


def test_neuron_grids_match_each_hidden_unit() -> None:
    t = Trainer(CONFIG)
    t.run_epochs(2)
    g = 5
    grid = t.frame(grid=9, neuron_grid=g)["grid"]
    assert grid["neuron_size"] == g
    assert [layer.shape for layer in grid["layers"]] == [(5, g, g), (3, g, g)]
    assert all(layer.dtype == np.float32 for layer in grid["layers"])
    xs, ys = np.linspace(-1, 3, g), np.linspace(-2, 5, g)
    for i, j in [(0, 4), (4, 0), (2, 3)]:
        _, hidden = direct(t, xs[j], ys[i])
        for layer, values in zip(grid["layers"], hidden, strict=True):
            np.testing.assert_allclose(layer[:, i, j], values, rtol=1e-6, atol=1e-7)
    for layer, (lo, hi) in zip(grid["layers"], grid["layer_ranges"], strict=True):
        assert [lo, hi] == [float(layer.min()), float(layer.max())]  # relu is unbounded: the values' range


def test_softmax_output_is_one_plane_per_class() -> None:
    t = Trainer({"data": {"dataset": "blobs", "k": 3}, "training": {"epochs": 2}})
    t.run_epochs(1)
    grid = t.frame(grid=6)["grid"]
    assert grid["output"].shape == (3, 6, 6)
    np.testing.assert_allclose(grid["output"].sum(axis=0), 1.0, rtol=1e-6)
    _, x1, y0, _ = grid["extent"]
    out, _ = direct(t, x1, y0)  # row 0 is y_min, last column x_max
    np.testing.assert_allclose(grid["output"][:, 0, 5], out, rtol=1e-6)


def test_default_extents_follow_the_data() -> None:
    assert Trainer({"data": {"dataset": "spiral"}}).frame(4)["grid"]["extent"] == [-6.0, 6.0, -6.0, 6.0]
    gate = Trainer({"data": {"dataset": "and"}, "training": {"rule": "perceptron"}})
    x0, x1, y0, y1 = gate.frame(4)["grid"]["extent"]
    assert -1 < x0 < 0 and 1 < x1 < 2 and -1 < y0 < 0 and 1 < y1 < 2


def test_plane_is_row_major_with_y_along_rows() -> None:
    P = plane([0.0, 2.0, 10.0, 11.0], 3)
    assert P.shape == (9, 2)
    np.testing.assert_array_equal(P[:3], [[0, 10], [1, 10], [2, 10]])
    np.testing.assert_array_equal(P[3], [0, 10.5])


def test_grid_sizes_are_limited() -> None:
    t = Trainer({"network": {"hidden": [3]}})
    assert t.frame(grid=200, neuron_grid=2)["grid"]["layers"][0].shape == (3, 2, 2)
    for grid, neuron_grid, field in [(201, None, "grid"), (1, None, "grid"), (10, 500, "neuron_grid")]:
        with pytest.raises(ConfigError) as info:
            t.frame(grid=grid, neuron_grid=neuron_grid)
        assert info.value.field == field
