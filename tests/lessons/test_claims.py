"""Each lesson's claim holds in the engine: one test per lesson, on the lesson's own config (app/lessons/)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from app.lessons_catalog import get_lesson, lessons, merge
from nncore.trainer import Trainer

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0]}


def lesson(number: int) -> dict[str, Any]:
    by_number = {item["number"]: item for item in lessons()}
    return get_lesson(by_number[number]["id"])


def variant(item: dict[str, Any], label: str) -> dict[str, Any]:
    """The config of the side-by-side run called `label` (the base run's label gives the base config)."""
    if label == item.get("base_label"):
        return copy.deepcopy(item["config"])
    return next(v["config"] for v in item["variants"] if v["label"] == label)


def trained(config: dict[str, Any]) -> Trainer:
    trainer = Trainer(config)
    while not trainer.done:
        trainer.run_epochs(100)
    return trainer


def neuron(trainer: Trainer) -> tuple[np.ndarray, float]:
    layer = trainer.network.weights()[0]
    return layer["W"][:, 0].copy(), float(layer["b"][0])


def test_lessons_are_numbered_in_the_issue_order() -> None:
    assert [item["number"] for item in lessons()] == list(range(1, 13))


# 1 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gate", "W", "b"),
    [("and", [1.0, 1.0], -1.5), ("or", [1.0, 1.0], -0.5), ("nand", [-1.0, -1.0], 1.5)],
)
def test_1_hand_set_weights_compute_the_gate_exactly(gate: str, W: list[float], b: float) -> None:
    config = lesson(1)["config"]
    if gate == "and":  # the scene itself starts with AND's weights
        assert config["network"]["weights"] == [{"W": [[1.0], [1.0]], "b": [-1.5]}]
    config = merge(config, {"data": {"dataset": gate}})
    config["network"]["weights"] = [{"W": [[W[0]], [W[1]]], "b": [b]}]
    trainer = Trainer(config)
    assert trainer.config["network"]["output_activation"] == "step"
    out = trainer.network.forward(CORNERS, False)[:, 0]
    assert out.tolist() == TRUTH[gate]
    assert trainer.metrics["train_accuracy"] == 1.0


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
def test_1_the_perceptron_rule_learns_the_gate_from_zero(gate: str) -> None:
    config = merge(lesson(1)["config"], {"data": {"dataset": gate}})
    config["network"]["weights"] = [{"W": [[0.0], [0.0]], "b": [0.0]}]
    trainer = trained(config)
    assert [e["type"] for e in trainer.events] == ["converged"]
    assert trainer.history["mistakes"][-1] == 0
    assert trainer.history["mistakes"][0] > 0  # it had something to learn
    assert trainer.network.forward(CORNERS, False)[:, 0].tolist() == TRUTH[gate]


# 2 --------------------------------------------------------------------------------------------------------


def test_2_the_perceptron_never_has_an_error_free_epoch_on_xor() -> None:
    config = lesson(2)["config"]
    assert config["data"]["dataset"] == "xor" and config["training"]["rule"] == "perceptron"
    trainer = trained(config)
    assert trainer.epoch == 1000
    assert [e["type"] for e in trainer.events] == ["finished"]
    assert len(trainer.history["mistakes"]) == 1000
    assert min(trainer.history["mistakes"]) >= 1
    assert max(trainer.history["train_accuracy"]) <= 0.75


# 3 --------------------------------------------------------------------------------------------------------


def test_3_a_2_2_1_network_solves_xor() -> None:
    config = lesson(3)["config"]
    assert config["network"]["hidden"] == [2]
    trainer = trained(config)
    assert trainer.history["train_accuracy"][0] < 1.0
    assert trainer.history["train_accuracy"][-1] == 1.0
    out = trainer.network.forward(CORNERS, False)[:, 0]
    assert (out > 0.5).astype(int).tolist() == [0, 1, 1, 0]


# 4 --------------------------------------------------------------------------------------------------------


def test_4_linear_activations_stay_affine_and_tanh_bends() -> None:
    item = lesson(4)
    linear = trained(variant(item, "linear"))
    assert linear.config["network"]["hidden"] == [8, 8]
    points = np.random.default_rng(0).uniform(-6, 6, (200, 2))
    linear.network.forward(points, False)
    logits = linear.network.logits[:, 0]
    design = np.column_stack([points, np.ones(len(points))])
    coef, *_ = np.linalg.lstsq(design, logits, rcond=None)
    residual = np.abs(design @ coef - logits).max()
    assert residual < 1e-9 * max(1.0, np.abs(logits).max())  # an affine function: its boundary is one line
    curved = trained(variant(item, "tanh"))
    assert curved.metrics["test_accuracy"] >= linear.metrics["test_accuracy"] + 0.3
    assert linear.metrics["test_accuracy"] < 0.7


# 5 --------------------------------------------------------------------------------------------------------


def test_5_perceptron_delta_and_hebb_from_the_same_start() -> None:
    item = lesson(5)
    perceptron = Trainer(variant(item, "perceptron"))
    delta = Trainer(variant(item, "delta rule"))
    hebb = Trainer(variant(item, "Hebb"))
    for t in (perceptron, delta, hebb):  # same data, same start
        assert np.array_equal(t.X, perceptron.X)
        assert neuron(t)[0].tolist() == [0.0, 0.0] and neuron(t)[1] == 0.0

    for t in (perceptron, delta):
        while not t.done:
            t.run_epochs(100)
    epochs = 3
    hebb.run_epochs(epochs)

    # the perceptron stops at the first separating line: zero mistakes, a converged event
    assert [e["type"] for e in perceptron.events] == ["converged"]
    assert perceptron.history["mistakes"][-1] == 0 and perceptron.metrics["train_accuracy"] == 1.0

    # the delta rule ends at the least-squares solution for targets ±1
    design = np.column_stack([delta.X, np.ones(len(delta.X))])
    solution, *_ = np.linalg.lstsq(design, delta.T[:, 0], rcond=None)
    W, b = neuron(delta)
    assert np.linalg.norm(np.r_[W, b] - solution) < 0.02 * np.linalg.norm(solution)
    Wp, bp = neuron(perceptron)
    cosine = np.r_[Wp, bp] @ solution / np.linalg.norm(np.r_[Wp, bp]) / np.linalg.norm(solution)
    assert cosine < 0.999  # the perceptron's line is a different one

    # Hebb just accumulates η·Σ t·x (and η·Σ t for the bias) every epoch
    eta = hebb.config["training"]["learning_rate"]
    t = hebb.T[:, 0]
    assert set(t.tolist()) == {-1.0, 1.0}
    W, b = neuron(hebb)
    np.testing.assert_allclose(W, epochs * eta * (t @ hebb.X), rtol=1e-12, atol=1e-12)
    assert b == pytest.approx(epochs * eta * t.sum(), abs=1e-12)


# 6 --------------------------------------------------------------------------------------------------------


def test_6_too_small_right_and_too_large_learning_rates() -> None:
    item = lesson(6)
    runs = {label: Trainer(variant(item, label)) for label in ("η = 0.00001", "η = 0.005", "η = 0.3")}
    start = {label: t.metrics["train_loss"] for label, t in runs.items()}
    assert len(set(start.values())) == 1  # the same start
    base = runs["η = 0.005"]
    design = np.column_stack([base.X, np.ones(len(base.X))])
    solution, *_ = np.linalg.lstsq(design, base.T[:, 0], rcond=None)
    best = float(np.mean((design @ solution - base.T[:, 0]) ** 2))
    for t in runs.values():
        while not t.done:
            t.run_epochs(100)  # never raises, whatever happens to the numbers

    small, good, large = runs["η = 0.00001"], runs["η = 0.005"], runs["η = 0.3"]
    gap = start["η = 0.005"] - best
    assert [e["type"] for e in small.events] == ["finished"]
    assert start["η = 0.00001"] - small.metrics["train_loss"] < 0.1 * gap
    assert [e["type"] for e in good.events] == ["finished"]
    assert good.metrics["train_loss"] < best * 1.01
    assert [e["type"] for e in large.events] == ["diverged"]
    assert large.epoch < large.config["training"]["epochs"]
    assert all(np.isfinite(p).all() for p in large.network.params)  # the last finite weights are kept


# 7 --------------------------------------------------------------------------------------------------------


def _boundary(config: dict[str, Any], keep: np.ndarray | None) -> tuple[np.ndarray, float, Trainer]:
    config = copy.deepcopy(config)
    if keep is not None:
        config["data"]["points"] = [p for p, k in zip(config["data"]["points"], keep, strict=True) if k]
        config["data"]["labels"] = [y for y, k in zip(config["data"]["labels"], keep, strict=True) if k]
    trainer = trained(config)
    W, b = neuron(trainer)
    return W, b, trainer


def _angle(u: np.ndarray, v: np.ndarray) -> float:
    return float(np.degrees(np.arccos(np.clip(u @ v / np.linalg.norm(u) / np.linalg.norm(v), -1.0, 1.0))))


def test_7_outliers_turn_the_mse_boundary_more_than_the_huber_one() -> None:
    item = lesson(7)
    points = np.array(item["config"]["data"]["points"])
    labels = np.array(item["config"]["data"]["labels"])
    centre = points.mean(axis=0)
    distance = np.hypot(*(points - centre).T)
    outlier = distance > 5.0
    assert outlier.sum() == 3  # three far points, all labelled 0 and sitting on class 1's side
    assert (labels[outlier] == 0).all() and (points[outlier, 0] > 4).all()
    ordinary_x, ordinary_y = points[~outlier], labels[~outlier]

    turned, accuracy = {}, {}
    for label in ("MSE", "Huber"):
        config = variant(item, label)
        W_clean, _, _ = _boundary(config, ~outlier)
        W, b, trainer = _boundary(config, None)
        turned[label] = _angle(W_clean, W)
        accuracy[label] = float(np.mean(((ordinary_x @ W + b) > 0).astype(int) == ordinary_y))
        assert trainer.config["network"]["output_activation"] == "linear"
    assert turned["MSE"] > 2.0 * turned["Huber"]
    assert turned["MSE"] > 15.0
    assert accuracy["MSE"] < 0.9 and accuracy["Huber"] >= 0.95


# 8 --------------------------------------------------------------------------------------------------------


def test_8_adam_and_momentum_beat_plain_sgd_from_the_same_start() -> None:
    item = lesson(8)
    runs = {label: Trainer(variant(item, label)) for label in ("SGD", "momentum", "RMSProp", "Adam")}
    first = [w for w in runs["SGD"].network.weights()]
    for t in runs.values():
        for a, b in zip(t.network.weights(), first, strict=True):
            assert np.array_equal(a["W"], b["W"]) and np.array_equal(a["b"], b["b"])
        assert t.config["training"]["learning_rate"] == runs["SGD"].config["training"]["learning_rate"]
    final = {}
    for label, t in runs.items():
        while not t.done:
            t.run_epochs(100)
        assert [e["type"] for e in t.events] == ["finished"]
        final[label] = t.metrics["train_loss"]
    assert final["Adam"] < 0.5 * final["SGD"]
    assert final["momentum"] < 0.5 * final["SGD"]
    assert final["RMSProp"] < final["SGD"]


# 9 --------------------------------------------------------------------------------------------------------


def test_9_gradient_descent_ends_next_to_the_lowest_cell_of_the_landscape() -> None:
    from nncore.landscape import loss_landscape

    config = lesson(9)["config"]
    result = loss_landscape(config, grid=41)
    cell = result["w1"][1] - result["w1"][0]
    end, low = result["end"], result["minimum"]
    assert abs(end["w1"] - low["w1"]) <= 1.0 * cell
    assert abs(end["w2"] - low["w2"]) <= 1.0 * cell
    path = result["path"]
    assert path["loss"][-1] < 0.2 * path["loss"][0]  # it walked downhill a long way
    assert np.hypot(path["w1"][0] - end["w1"], path["w2"][0] - end["w2"]) > 10 * cell


# 10 -------------------------------------------------------------------------------------------------------


def test_10_overfitting_and_three_repairs() -> None:
    item = lesson(10)
    base = trained(variant(item, "no regularization"))
    train_loss, test_loss = base.history["train_loss"], base.history["test_loss"]
    best = int(np.argmin(test_loss))
    assert best < len(test_loss) // 2
    assert test_loss[-1] > 2.0 * test_loss[best]  # test loss rises ...
    assert train_loss[-1] < 0.05 * train_loss[best]  # ... while train loss keeps falling
    final = base.metrics["test_loss"]
    for label in ("L2", "dropout"):
        repaired = trained(variant(item, label))
        assert repaired.metrics["test_loss"] < 0.7 * final, label
    stopped = trained(variant(item, "early stopping"))
    assert [e["type"] for e in stopped.events] == ["early_stopped"]
    assert stopped.metrics["test_loss"] < 0.5 * final


# 11 -------------------------------------------------------------------------------------------------------


def test_11_softmax_and_cross_entropy_on_three_drawn_classes() -> None:
    config = lesson(11)["config"]
    assert sorted(set(config["data"]["labels"])) == [0, 1, 2]
    trainer = trained(config)
    assert trainer.config["network"]["output_activation"] == "softmax"
    assert trainer.config["training"]["loss"] == "cross_entropy"
    assert trainer.network.sizes[-1] == 3
    assert trainer.metrics["train_accuracy"] >= 0.95
    probabilities = trainer.network.forward(trainer.X, False)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-12)


# 12 -------------------------------------------------------------------------------------------------------


def test_12_three_hidden_layers_beat_one_on_the_spiral() -> None:
    item = lesson(12)
    shallow = trained(variant(item, "1 hidden layer"))
    deep = trained(variant(item, "3 hidden layers"))
    assert shallow.config["network"]["hidden"] == [8] and deep.config["network"]["hidden"] == [8, 8, 8]
    assert shallow.epoch == deep.epoch
    assert deep.metrics["test_accuracy"] >= shallow.metrics["test_accuracy"] + 0.15
    assert deep.metrics["test_accuracy"] >= 0.85
