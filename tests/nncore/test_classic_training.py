"""The classic rules and backprop through the Trainer: the same stories as test_rules, told by configs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nncore.datasets import make_dataset
from nncore.errors import ConfigError
from nncore.trainer import Trainer


def _config(
    rule: str, dataset: str, lr: float = 1.0, epochs: int = 100, shuffle: bool = False, **data
) -> dict:
    return {
        "data": {"dataset": dataset, "test_fraction": 0.0, **data},
        "network": {"hidden": [], "init": "zeros"},
        "training": {"rule": rule, "learning_rate": lr, "epochs": epochs, "shuffle": shuffle},
        "seed": 3,
    }


def _novikoff_bound(X: np.ndarray, y: np.ndarray, u: tuple[float, float, float]) -> float:
    """(R/γ)² with x̃ = (x, 1) and the margin γ of the separator u (see test_rules)."""
    Xa = np.column_stack([X, np.ones(len(X))])
    gamma = float(np.min((2.0 * y - 1.0) * (Xa @ np.array(u))) / np.linalg.norm(u))
    assert gamma > 0
    return (float(np.max(np.linalg.norm(Xa, axis=1))) / gamma) ** 2


@pytest.mark.parametrize(("gate", "u"), [("and", (2, 2, -3)), ("or", (2, 2, -1)), ("nand", (-2, -2, 3))])
@pytest.mark.parametrize("shuffle", [False, True])
def test_perceptron_converges_on_gates_within_novikoff_bound(gate: str, u, shuffle: bool) -> None:
    t = Trainer(_config("perceptron", gate, lr=0.5, shuffle=shuffle))
    t.run_epochs(100)
    assert t.done and [e["type"] for e in t.events] == ["converged"]
    mistakes = t.history["mistakes"]
    assert mistakes[-1] == 0 and all(m > 0 for m in mistakes[:-1])
    X, y = make_dataset(gate)
    assert 1 <= sum(mistakes) <= _novikoff_bound(X, y, u)
    assert t.history["train_accuracy"][-1] == 1.0
    assert t.step_count == 4 * t.epoch  # one update per sample


def test_perceptron_never_converges_on_xor() -> None:
    t = Trainer(_config("perceptron", "xor", epochs=1000))
    t.run_epochs(1000)
    assert t.epoch == 1000 and [e["type"] for e in t.events] == ["finished"]
    assert min(t.history["mistakes"]) >= 1
    assert max(t.history["train_accuracy"]) <= 0.75  # no line gets all four corners right


def test_perceptron_update_is_reported_in_the_frame() -> None:
    t = Trainer(_config("perceptron", "and"))
    t.step()
    frame = t.frame()
    upd = frame["update"]
    # first sample (0, 0), t = 0, from zero weights: a = 0, z = step(0) = 0, no change
    assert upd["rule"] == "perceptron" and upd["index"] == 0 and upd["x"] == [0.0, 0.0]
    assert (upd["t"], upd["a"], upd["z"], upd["error"], upd["dW"], upd["db"]) == (
        0.0,
        0.0,
        0.0,
        0.0,
        [0.0, 0.0],
        0.0,
    )
    for _ in range(3):
        t.step()
    upd = t.frame()["update"]  # (1, 1), t = 1: a = 0 → z = 0, a mistake: w ← w + η·1·(1, 1)
    assert (upd["x"], upd["t"], upd["error"], upd["dW"], upd["db"]) == ([1.0, 1.0], 1.0, 1.0, [1.0, 1.0], 1.0)
    np.testing.assert_array_equal(frame["weights"][0]["W"].shape, (2, 1))
    json.dumps(upd)


def test_backprop_two_layer_network_solves_xor_for_5_of_5_seeds() -> None:
    """Four hidden neurons leave XOR no local minimum to stick in (measured: 20 of 20 seeds, loss ≤ 0.002)."""
    for seed in range(5):
        config = {
            "data": {"dataset": "xor", "test_fraction": 0.0},
            "network": {"hidden": [4], "activation": "tanh", "output_activation": "sigmoid"},
            "training": {"rule": "backprop", "loss": "bce", "optimizer": "adam", "learning_rate": 0.05,
                         "batch_size": 4, "epochs": 500},
            "seed": seed,
        }  # fmt: skip
        t = Trainer(config)
        t.run_epochs(500)
        assert t.history["train_accuracy"][-1] == 1.0 and t.history["train_loss"][-1] < 0.05


def test_classic_rule_with_hidden_layers_is_rejected() -> None:
    config = _config("perceptron", "and")
    config["network"]["hidden"] = [2]
    with pytest.raises(ConfigError) as info:
        Trainer(config)
    assert info.value.field == "training.rule" and "perceptron" in str(info.value)


def test_delta_rule_lands_on_least_squares() -> None:
    t = Trainer(_config("delta", "and", lr=0.002, epochs=5000, bipolar=True))
    t.run_epochs(5000)
    X, y = make_dataset("and", bipolar=True)
    lstsq = np.linalg.lstsq(np.column_stack([X, np.ones(4)]), 2.0 * y - 1, rcond=None)[0]
    w = t.network.weights()[0]
    np.testing.assert_allclose(np.r_[w["W"][:, 0], w["b"]], lstsq, atol=2e-3)
    assert t.history["train_accuracy"][-1] == 1.0  # a > 0 exactly on (1, 1)
    # the reported loss is the mean squared error of the linear output: the least-squares residual
    residual = np.mean((np.column_stack([X, np.ones(4)]) @ lstsq - (2.0 * y - 1)) ** 2)
    assert abs(t.history["train_loss"][-1] - residual) < 1e-2


def test_one_hebb_epoch_on_bipolar_and() -> None:
    t = Trainer(_config("hebb", "and", lr=1.0, bipolar=True))
    t.run_epochs(1)
    w = t.network.weights()[0]
    assert w["W"][:, 0].tolist() == [2.0, 2.0] and w["b"].tolist() == [-2.0]  # Σ t·x and Σ t
    assert t.history["train_accuracy"] == [1.0]


def test_unsupervised_hebb_is_reported_unbounded_and_oja_is_not() -> None:
    base = _config("hebb_unsupervised", "gauss", lr=0.01, epochs=200, shuffle=True, n=100)
    base["network"]["init"] = "xavier_uniform"  # a zero w never moves under a Hebbian rule
    t = Trainer(base)
    t.run_epochs(200)
    assert [e["type"] for e in t.events] == ["unbounded"]
    assert t.done and t.epoch < 200
    oja = {**base, "training": {**base["training"], "rule": "oja", "learning_rate": 0.001}}
    t = Trainer(oja)
    t.run_epochs(200)
    assert [e["type"] for e in t.events] == ["finished"]
    w = t.network.weights()[0]["W"][:, 0]
    X, _ = make_dataset("gauss", n=100)
    second_moment = X.T @ X / len(X)  # the bias stays 0, so Oja finds the top eigenvector of E[x xᵀ]
    top = np.linalg.eigh(second_moment)[1][:, -1]
    assert abs(np.linalg.norm(w) - 1.0) < 0.05 and abs(w @ top) / np.linalg.norm(w) > 0.99


def test_runaway_hebbian_growth_stops_within_the_epoch_and_no_frame_carries_it() -> None:
    config = _config("hebb_unsupervised", "gauss", lr=1.0, epochs=50, shuffle=True, n=200)
    config["network"]["init"] = "xavier_uniform"
    t = Trainer(config)
    while not t.done:
        t.step()
        weights = t.frame()["weights"][0]
        assert np.isfinite(weights["W"]).all() and np.isfinite(weights["b"]).all()
    assert [e["type"] for e in t.events] == ["unbounded"]
    assert t.epoch == 0, "growth by (1 + η‖x‖²) per sample passes the bound inside the first epoch"
    assert t.step_count < 200


def test_the_plane_widens_to_show_outliers() -> None:
    plain = Trainer(_config("perceptron", "gauss", n=200))
    with_outliers = Trainer(_config("perceptron", "gauss", n=200, outliers=0.1))
    x_min, x_max, y_min, y_max = with_outliers.extent
    X, _ = make_dataset("gauss", n=200, outliers=0.1)  # the same seeded points the trainer split
    assert (X[:, 0] >= x_min).all() and (X[:, 0] <= x_max).all()
    assert (X[:, 1] >= y_min).all() and (X[:, 1] <= y_max).all()
    assert (x_max - x_min) * (y_max - y_min) > (plain.extent[1] - plain.extent[0]) * (
        plain.extent[3] - plain.extent[2]
    )
