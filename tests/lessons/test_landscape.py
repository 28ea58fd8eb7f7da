"""nncore.landscape: the surface against the loss written out by hand, the path against the trainer."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from nncore.errors import ConfigError
from nncore.landscape import loss_landscape
from nncore.trainer import Trainer

NEURON: dict[str, Any] = {
    "data": {"dataset": "gauss", "n": 60, "noise": 0.3, "test_fraction": 0.0, "seed": 6},
    "features": ["x1", "x2"],
    "network": {"hidden": [], "output_activation": "sigmoid",
                "weights": [{"W": [[2.0], [-1.0]], "b": [0.0]}]},
    "training": {"rule": "backprop", "loss": "bce", "optimizer": "sgd", "learning_rate": 0.5,
                 "batch_size": 20, "epochs": 30},
    "seed": 0,
}  # fmt: skip


def with_changes(**sections: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(NEURON)
    for key, values in sections.items():
        config[key].update(values)
    return config


def data(config: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    trainer = Trainer(config)
    return trainer.X, trainer.y_all[: trainer.n_train].astype(float)


def bce(X: np.ndarray, y: np.ndarray, w1: float, w2: float, b: float) -> float:
    z = X[:, 0] * w1 + X[:, 1] * w2 + b
    p = 1.0 / (1.0 + np.exp(-z))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def test_surface_is_the_bce_loss_at_each_grid_point() -> None:
    result = loss_landscape(NEURON, grid=21)
    X, y = data(NEURON)
    b = result["fixed"]["b"][0]
    loss = np.array(result["loss"])
    assert loss.shape == (21, 21) and len(result["w1"]) == len(result["w2"]) == 21
    for i, j in [(0, 0), (3, 17), (10, 10), (20, 5), (20, 20)]:
        expected = bce(X, y, result["w1"][j], result["w2"][i], b)  # row i is w2, column j is w1
        assert loss[i, j] == pytest.approx(expected, rel=1e-10)
    i, j = np.unravel_index(np.argmin(loss), loss.shape)
    assert result["minimum"] == {"w1": result["w1"][j], "w2": result["w2"][i], "loss": loss[i, j]}


def test_surface_with_mse_linear_output_and_l2_adds_the_penalty() -> None:
    config = with_changes(
        network={"output_activation": "linear"}, training={"loss": "mse", "learning_rate": 0.01, "l2": 0.1}
    )
    result = loss_landscape(config, grid=11)
    X, y = data(config)
    t = 2 * y - 1  # a linear output learns ±1 targets
    b = result["fixed"]["b"][0]
    for i, j in [(0, 10), (5, 5), (9, 2)]:
        w1, w2 = result["w1"][j], result["w2"][i]
        expected = np.mean((X @ [w1, w2] + b - t) ** 2) + 0.1 / 2 * (w1**2 + w2**2)
        assert result["loss"][i][j] == pytest.approx(expected, rel=1e-10)


def test_path_follows_the_trainer_step_by_step() -> None:
    result = loss_landscape(NEURON)
    path = result["path"]
    steps = NEURON["training"]["epochs"] * 60 // 20
    assert len(path["w1"]) == steps + 1 and path["step"] == list(range(steps + 1))
    assert (path["w1"][0], path["w2"][0]) == (2.0, -1.0)
    X, y = data(NEURON)
    assert path["loss"][0] == pytest.approx(bce(X, y, 2.0, -1.0, 0.0), rel=1e-12)
    trainer = Trainer(NEURON)
    for k in range(1, 8):
        trainer.step()
        W = trainer.network.weights()[0]["W"][:, 0]
        assert (path["w1"][k], path["w2"][k]) == (W[0], W[1])
    while not trainer.done:
        trainer.step()
    final = trainer.network.weights()[0]
    assert (result["end"]["w1"], result["end"]["w2"]) == (final["W"][0, 0], final["W"][1, 0])
    assert result["fixed"]["b"] == final["b"].tolist()
    assert result["end"]["loss"] == pytest.approx(bce(X, y, *final["W"][:, 0], final["b"][0]), rel=1e-12)
    assert [e["type"] for e in result["events"]] == ["finished"]


def test_default_window_is_square_and_holds_the_path_and_explicit_ranges_are_kept() -> None:
    result = loss_landscape(NEURON, grid=15)
    w1, w2, path = result["w1"], result["w2"], result["path"]
    assert w1[-1] - w1[0] == pytest.approx(w2[-1] - w2[0])
    assert min(w1) < min(path["w1"]) and max(path["w1"]) < max(w1)
    assert min(w2) < min(path["w2"]) and max(path["w2"]) < max(w2)
    fixed = loss_landscape(NEURON, grid=5, w1_range=(-1, 3), w2_range=[0, 2])
    assert fixed["w1"] == [-1.0, 0.0, 1.0, 2.0, 3.0] and fixed["w2"] == [0.0, 0.5, 1.0, 1.5, 2.0]


def test_more_features_keep_their_weights_fixed() -> None:
    config = with_changes()
    config["features"] = ["x1", "x2", "x1*x2"]
    config["network"]["weights"] = [{"W": [[2.0], [-1.0], [0.3]], "b": [0.0]}]
    result = loss_landscape(config, grid=7)
    X, y = data(config)
    w3, b = result["fixed"]["W"][0], result["fixed"]["b"][0]
    z = X[:, 0] * result["w1"][2] + X[:, 1] * result["w2"][4] + X[:, 2] * w3 + b
    p = 1 / (1 + np.exp(-z))
    assert result["loss"][4][2] == pytest.approx(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"network": {"hidden": [4]}}, "network.hidden"),
        ({"training": {"rule": "perceptron"}, "network": {"weights": None}}, "training.rule"),
        ({"training": {"learning_rate": -1}}, "training.learning_rate"),
    ],
)
def test_configs_that_are_not_one_backprop_neuron_are_refused(change: dict[str, Any], field: str) -> None:
    config = copy.deepcopy(NEURON)
    for key, values in change.items():
        config[key].update(values)
    if "hidden" in change.get("network", {}):
        config["network"].pop("weights")
    with pytest.raises(ConfigError) as info:
        loss_landscape(config)
    assert info.value.field == field


def test_bad_grid_and_range_are_refused() -> None:
    with pytest.raises(ConfigError, match="grid"):
        loss_landscape(NEURON, grid=2)
    with pytest.raises(ConfigError, match="w1_range"):
        loss_landscape(NEURON, w1_range=(1, 1))


def test_a_diverging_run_gives_a_path_without_nan_and_the_event() -> None:
    config = with_changes(
        network={"output_activation": "linear"}, training={"loss": "mse", "learning_rate": 5.0}
    )
    result = loss_landscape(config, grid=9)
    assert [e["type"] for e in result["events"]] == ["diverged"]
    values = result["path"]["w1"] + result["path"]["w2"] + result["path"]["loss"]
    assert all(v is None or np.isfinite(v) for v in values)
    assert result["loss"] is None or all(v is None or np.isfinite(v) for row in result["loss"] for v in row)
