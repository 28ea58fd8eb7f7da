"""Trainer: learning that works, exact update maths, determinism, events, live changes, train/predict."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from nncore import ConfigError, Trainer, predict, train
from nncore.rules import STEADY_EPOCHS

XOR = {
    "data": {"dataset": "xor"},
    "network": {"hidden": [2], "activation": "tanh", "output_activation": "sigmoid"},
    "training": {"optimizer": "sgd", "learning_rate": 1.0, "batch_size": 4, "epochs": 1000},
}
SPIRAL = {
    "data": {"dataset": "spiral", "n": 500, "test_fraction": 0.5},
    "network": {"hidden": [8, 8], "activation": "tanh"},
    "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 10, "epochs": 500},
}
SMALL = {
    "data": {"dataset": "circle", "n": 120, "noise": 0.1},
    "network": {"hidden": [6, 5], "dropout": 0.3, "batch_norm": [True, False]},
    "training": {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 8, "epochs": 15, "l2": 0.001},
    "seed": 3,
}


def weights_of(t: Trainer) -> list[np.ndarray]:
    return [a for w in t.network.weights() for a in (w["W"], w["b"])]


def test_backprop_2_2_1_on_xor_solves_it_or_sticks_at_the_local_minimum() -> None:
    """2-2-1 XOR is bimodal: a start either solves it (measured: 9 of seeds 0–19, loss ≈ 0.0035) or sticks for
    good with two corners at 0.5 (loss ≈ 0.348). So: each of 10 seeds ends clearly in one of the two, and at
    least 3 of them solve it."""
    solved = 0
    for seed in range(10):
        result = train({**XOR, "seed": seed})
        loss = result["history"]["train_loss"][-1]
        if result["history"]["train_accuracy"][-1] == 1.0 and loss < 0.01:
            solved += 1
        else:
            assert 0.3 < loss < 0.4, f"seed {seed}: neither solved nor at the local minimum (loss {loss})"
        assert [len(w["b"]) for w in result["weights"]] == [2, 1]
    assert solved >= 3


def test_spiral_reaches_95_percent_train_accuracy_for_4_of_5_seeds() -> None:
    """Measured over seeds 0–19: 18 reach train ≥ 95 %, 17 also test ≥ 90 % (the worst: 0.888 / 0.804)."""
    reached = []
    for seed in range(5):
        history = train({**SPIRAL, "seed": seed})["history"]
        reached.append(history["train_accuracy"][-1] >= 0.95 and history["test_accuracy"][-1] >= 0.9)
    assert sum(reached) >= 4, reached


def test_softmax_on_three_blobs_and_regression_on_sine_for_5_of_5_seeds() -> None:
    """Measured over seeds 0–19: blobs always 100 % on test; sine's loss falls to 0.09–0.21 of its first."""
    for seed in range(5):
        blobs = train(
            {"data": {"dataset": "blobs", "k": 3, "noise": 0.1}, "training": {"epochs": 30}, "seed": seed}
        )
        assert blobs["history"]["test_accuracy"][-1] > 0.95
        assert len(blobs["weights"][-1]["b"]) == 3
        sine = train(
            {
                "data": {"dataset": "sine"},
                "network": {"hidden": [16]},
                "training": {"epochs": 60},
                "seed": seed,
            }
        )
        assert sine["history"]["train_accuracy"] == [None] * 60
        assert sine["history"]["train_loss"][-1] < 0.25 * sine["history"]["train_loss"][0]


def test_full_batch_step_is_gradient_descent_computed_by_hand() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(9, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    W1, b1, W2, b2 = rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 1)), rng.normal(size=1)
    lr, l1, l2 = 0.5, 0.05, 0.1
    t = Trainer(
        {
            "data": {"points": X.tolist(), "labels": y.tolist()},
            "network": {
                "hidden": [3],
                "weights": [{"W": W1.tolist(), "b": b1.tolist()}, {"W": W2.tolist(), "b": b2.tolist()}],
            },
            "training": {
                "optimizer": "sgd",
                "learning_rate": lr,
                "batch_size": 100,
                "l1": l1,
                "l2": l2,
                "loss": "bce",
            },
        }
    )
    h = np.tanh(X @ W1 + b1)
    out = 1 / (1 + np.exp(-(h @ W2 + b2)))
    dz = (out - y[:, None]) / len(X)  # d mean BCE / d logits
    gW2, gb2 = h.T @ dz + l2 * W2 + l1 * np.sign(W2), dz.sum(0)
    da = (dz @ W2.T) * (1 - h**2)
    gW1, gb1 = X.T @ da + l2 * W1 + l1 * np.sign(W1), da.sum(0)
    t.step()
    assert t.epoch == 1 and t.step_count == 1
    expected = [W1 - lr * gW1, b1 - lr * gb1, W2 - lr * gW2, b2 - lr * gb2]
    for got, want in zip(weights_of(t), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_same_config_is_bit_identical_and_another_seed_differs() -> None:
    a, b = train(SMALL), train(SMALL)
    assert a["weights"] == b["weights"] and a["history"] == b["history"]
    c = train({**SMALL, "seed": 4})
    assert c["weights"] != a["weights"]


def test_history_has_one_entry_per_completed_epoch() -> None:
    t = Trainer(SMALL)
    assert t.history["train_loss"] == []
    steps_per_epoch = math.ceil(t.n_train / 8)
    for _ in range(steps_per_epoch - 1):
        t.step()
    assert t.epoch == 0 and t.history["train_loss"] == []
    t.step()
    assert t.epoch == 1 and t.step_count == steps_per_epoch
    t.run_epochs(4)
    assert t.epoch == 5 and all(len(v) == 5 for v in t.history.values())
    assert t.metrics["train_loss"] == t.history["train_loss"][-1]


def test_metrics_are_measured_in_evaluation_mode() -> None:
    t = Trainer(SMALL)
    t.run_epochs(3)
    again = t._measure()  # dropout would make a training-mode measurement random
    assert again["train_loss"] == t.history["train_loss"][-1]
    assert again["test_accuracy"] == t.history["test_accuracy"][-1]
    assert np.any(t.network.batch_norms[0].running_mean != 0)


def test_shuffle_false_keeps_the_data_order_and_shuffle_permutes_it() -> None:
    config = {"data": {"dataset": "and", "n": 8}, "training": {"rule": "perceptron", "shuffle": False}}
    t = Trainer(config)
    seen = []
    for _ in range(8):
        t.step()
        seen.append(t.last_update["index"])  # type: ignore[index]
    assert seen == list(range(8))
    t = Trainer({**config, "training": {"rule": "perceptron", "shuffle": True}})
    seen = []
    for _ in range(8):
        t.step()
        seen.append(t.last_update["index"])  # type: ignore[index]
    assert sorted(seen) == list(range(8)) and seen != list(range(8))


def test_finished_event_and_nothing_happens_after_done() -> None:
    t = Trainer({**SMALL, "training": {**SMALL["training"], "epochs": 3}})
    t.run_epochs(10)
    assert t.done and t.epoch == 3
    assert t.events == [{"type": "finished", "epoch": 3, "message": "trained 3 epochs"}]
    before = weights_of(t)
    t.step()
    assert t.step_count == 3 * math.ceil(t.n_train / 8)
    assert all(np.array_equal(x, y) for x, y in zip(before, weights_of(t), strict=True))


def test_huge_learning_rate_diverges_without_raising_and_keeps_the_last_finite_weights() -> None:
    config = {
        "data": {"dataset": "plane"},
        "training": {"optimizer": "sgd", "learning_rate": 10, "epochs": 50},
    }
    result = train(config)
    (event,) = result["events"]
    epoch = event["epoch"]
    assert event["type"] == "diverged" and f"epoch {epoch}" in event["message"]
    assert len(result["history"]["train_loss"]) == epoch and result["history"]["train_loss"][-1] is None
    assert all(np.isfinite(np.asarray(w["W"])).all() for w in result["weights"])
    previous = train({**config, "training": {**config["training"], "epochs": epoch - 1}})
    assert previous["weights"] == result["weights"]
    json.dumps(result, allow_nan=False)


def test_early_stopping_restores_the_best_epoch() -> None:
    config = {
        "data": {"dataset": "circle", "noise": 0.5, "n": 200},
        "network": {"hidden": [32, 32]},
        "training": {"learning_rate": 0.05, "epochs": 500, "patience": 10},
    }
    t = Trainer(config)
    t.run_epochs(500)
    (event,) = t.events
    losses = t.history["test_loss"]
    best_epoch = int(np.argmin(losses)) + 1
    assert event["type"] == "early_stopped" and t.done
    assert event["epoch"] == t.epoch == best_epoch + 10 < 500
    assert t.metrics["test_loss"] == min(losses)
    reference = Trainer({**config, "training": {**config["training"], "patience": 0}})
    reference.run_epochs(best_epoch)
    assert all(np.array_equal(x, y) for x, y in zip(weights_of(t), weights_of(reference), strict=True))


def test_perceptron_converges_on_and_and_reports_each_update() -> None:
    t = Trainer({"data": {"dataset": "and"}, "training": {"rule": "perceptron", "learning_rate": 1.0}})
    t.run_epochs(100)
    assert t.events[-1]["type"] == "converged" and t.done
    assert t.history["mistakes"][-1] == 0 and all(m > 0 for m in t.history["mistakes"][:-1])
    assert t.history["train_accuracy"][-1] == 1.0
    frame = t.frame()
    assert set(frame["update"]) == {"rule", "index", "x", "t", "a", "z", "error", "dW", "db", "learning_rate"}
    assert frame["metrics"]["mistakes"] == 0


def test_unsupervised_hebb_reports_unbounded_growth() -> None:
    t = Trainer({"data": {"dataset": "and", "bipolar": True}, "training": {"rule": "hebb_unsupervised"}})
    t.update_hyper({"learning_rate": 0.5, "epochs": 10_000})
    t.run_epochs(10_000)
    assert t.done and t.events[-1]["type"] == "unbounded"
    assert t.epoch < 200


def test_update_hyper_applies_live_and_validates() -> None:
    t = Trainer({**SMALL, "training": {**SMALL["training"], "optimizer": "sgd", "epochs": 2}})
    t.run_epochs(2)
    assert t.done
    t.update_hyper({"learning_rate": 0.3, "momentum": 0.9, "dropout": 0.0, "epochs": 4})
    assert t.optimizer.lr == 0.3 and t.optimizer.hyper["momentum"] == 0.9
    assert all(d.p == 0.0 for d in t.network.dropouts)
    assert not t.done
    t.run_epochs(5)
    assert t.epoch == 4 and [e["type"] for e in t.events] == ["finished", "finished"]
    with pytest.raises(ConfigError) as info:
        t.update_hyper({"learning_rate": -1, "l2": 0.1})
    assert info.value.field == "training.learning_rate" and t.config["training"]["l2"] == 0.001
    with pytest.raises(ConfigError) as info:
        t.update_hyper({"hidden": [3]})
    assert info.value.field == "hidden" and "learning_rate" in str(info.value)


def test_set_weight_and_bias_write_in_place_and_remeasure() -> None:
    t = Trainer({"data": {"dataset": "and"}, "network": {"hidden": []}, "training": {"loss": "mse"}})
    t.set_weight(0, 0, 0, 1.0)
    t.set_weight(0, 1, 0, 1.0)
    t.set_bias(0, 0, -1.5)
    assert t.frame()["weights"][0]["W"].tolist() == [[1.0], [1.0]]
    assert t.metrics["train_accuracy"] == 1.0  # the hand-set weights compute AND
    calls = [(lambda: t.set_weight(1, 0, 0, 1.0), "layer"), (lambda: t.set_weight(0, 2, 0, 1.0), "i"),
             (lambda: t.set_bias(0, 0, float("inf")), "value")]  # fmt: skip
    for call, field in calls:
        with pytest.raises(ConfigError) as info:
            call()
        assert info.value.field == field


def test_set_points_keeps_the_network_and_trains_on_the_new_points() -> None:
    t = Trainer({**SMALL, "data": {"points": [[0, 0], [1, 1]], "labels": [0, 1]}})
    t.run_epochs(2)
    before = weights_of(t)
    t.set_points([[0, 0], [1, 1], [-1, 2], [2, -1]], [0, 1, 1, 0])
    assert t.n_train == 4 and t.config["data"]["labels"] == [0, 1, 1, 0]
    assert all(np.array_equal(x, y) for x, y in zip(before, weights_of(t), strict=True))
    t.run_epochs(1)
    assert t.epoch == 3
    with pytest.raises(ConfigError) as info:
        t.set_points([[0, 0], [1, 1], [2, 2]], [0, 1, 2])
    assert info.value.field == "network.output_activation"


def test_edit_points_adds_removes_and_replaces_the_current_points() -> None:
    t = Trainer({**SMALL, "data": {"points": [[0, 0], [1, 1]], "labels": [0, 1], "test_fraction": 0.0}})
    before = weights_of(t)
    t.edit_points("add", [[2, 2], [-1, 3]], [1, 0])
    assert t.config["data"]["points"] == [[0, 0], [1, 1], [2, 2], [-1, 3]]
    assert t.config["data"]["labels"] == [0, 1, 1, 0]
    t.edit_points("remove", indices=[0, 2])
    assert t.config["data"]["points"] == [[1, 1], [-1, 3]] and t.config["data"]["labels"] == [1, 0]
    t.edit_points("replace", [[5, 5], [6, 6], [7, 7]], [1, 1, 0])
    assert t.n_train == 3 and t.config["data"]["labels"] == [1, 1, 0]
    assert all(np.array_equal(x, y) for x, y in zip(before, weights_of(t), strict=True))
    for call, field in [
        (lambda: t.edit_points("remove", indices=[3, -1]), "indices"),
        (lambda: t.edit_points("add", [[0, 0]], [0, 1]), "points"),
        (lambda: t.edit_points("replace", None, [0]), "points"),
        (lambda: t.edit_points("move"), "op"),
    ]:
        with pytest.raises(ConfigError) as info:
            call()
        assert info.value.field == field
    assert t.config["data"]["points"] == [[5, 5], [6, 6], [7, 7]]  # a refused edit changes nothing


def test_predict_uses_the_configured_weights() -> None:
    config = {"network": {"hidden": [], "weights": [{"W": [[2.0], [-1.0]], "b": [0.5]}]}}
    out = predict(config, [[0, 0], [1, 3], [-2, 0]])
    z = np.array([0.5, -0.5, -3.5])
    np.testing.assert_allclose(out["outputs"], 1 / (1 + np.exp(-z)), rtol=1e-14)
    assert out["classes"] == [1, 0, 0]
    with pytest.raises(ConfigError):
        predict(config, [[0, "a"]])


def test_train_result_is_json_and_can_carry_a_grid() -> None:
    result: dict[str, Any] = train({**SMALL, "training": {**SMALL["training"], "epochs": 2}}, grid=12)
    assert set(result) >= {"weights", "history", "events", "config", "grid"}
    assert np.asarray(result["grid"]["output"]).shape == (12, 12)
    json.dumps(result, allow_nan=False)


def test_classic_rules_beyond_two_classes() -> None:
    oja = Trainer({"data": {"dataset": "blobs", "k": 3}, "training": {"rule": "oja", "learning_rate": 0.001}})
    oja.run_epochs(20)
    W = oja.network.dense[0].W[:, 0]
    assert abs(np.linalg.norm(W) - 1) < 0.05  # Oja's rule normalizes w, labels or not
    assert oja.history["train_accuracy"] == [None] * 20 and oja.history["mistakes"] == [None] * 20
    delta = Trainer({"data": {"dataset": "plane"}, "training": {"rule": "delta", "learning_rate": 0.001}})
    delta.run_epochs(30)
    assert delta.history["train_loss"][-1] < 1e-3 and delta.history["mistakes"][-1] is None


TORCH_CASES = [
    {"network": {"hidden": [8, 6]}, "training": {"optimizer": "adam", "learning_rate": 0.01}},
    {
        "network": {"hidden": [8, 6], "batch_norm": True},
        "training": {
            "optimizer": "sgd",
            "momentum": 0.9,
            "nesterov": True,
            "learning_rate": 0.05,
            "l2": 0.01,
        },
    },
    {
        "data": {"dataset": "blobs", "k": 3, "n": 200},
        "network": {"hidden": [8, 6], "batch_norm": [True, False]},
        "training": {"optimizer": "rmsprop", "learning_rate": 0.01},
    },
]


@pytest.mark.parametrize("config", TORCH_CASES)
def test_matches_pytorch_in_float64_when_it_is_installed(config: dict[str, Any]) -> None:
    """Same weights, same batches: every epoch's loss and the final weights agree with PyTorch (float64)."""
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)  # tiny matrices: a second thread only waits
    config = {"data": {"dataset": "spiral", "n": 200}, **config}
    config["training"] = {**config["training"], "shuffle": False, "batch_size": 16, "epochs": 100}
    t = Trainer(config)
    layers: list[Any] = []
    for k, w in enumerate(t.network.weights()):
        linear = torch.nn.Linear(*w["W"].shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(w["W"].T))
            linear.bias.copy_(torch.tensor(w["b"]))
        layers.append(linear)
        if k < len(t.network.dense) - 1:
            if _flags(t)[k]:
                layers.append(torch.nn.BatchNorm1d(w["W"].shape[1], dtype=torch.float64))
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    tr = t.config["training"]
    optimizers = {
        "adam": lambda p: torch.optim.Adam(p, lr=tr["learning_rate"]),
        "sgd": lambda p: torch.optim.SGD(p, lr=tr["learning_rate"], momentum=0.9, nesterov=True),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=tr["learning_rate"]),
    }
    opt = optimizers[tr["optimizer"]](model.parameters())
    softmax = t.network.sizes[-1] > 1
    X, T = torch.tensor(t.X), torch.tensor(t.T)

    def loss_fn(z: Any, target: Any) -> Any:
        if softmax:
            return torch.nn.functional.cross_entropy(z, target.argmax(1))
        return torch.nn.functional.binary_cross_entropy_with_logits(z, target)

    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for _ in range(3):
        model.train()
        for s in range(0, len(X), 16):
            opt.zero_grad()
            loss = loss_fn(model(X[s : s + 16]), T[s : s + 16])
            loss = loss + 0.5 * tr["l2"] * sum((m.weight**2).sum() for m in linears)
            loss.backward()
            opt.step()
        t.run_epochs(1)
        model.eval()
        with torch.no_grad():
            reference = float(loss_fn(model(X), T))
        assert t.history["train_loss"][-1] == pytest.approx(reference, rel=1e-10)
    for mine, theirs in zip(t.network.weights(), linears, strict=True):
        np.testing.assert_allclose(mine["W"], theirs.weight.detach().numpy().T, rtol=1e-10, atol=1e-13)


def _flags(t: Trainer) -> list[bool]:
    bn = t.config["network"]["batch_norm"]
    return [bn] * len(t.config["network"]["hidden"]) if isinstance(bn, bool) else list(bn)


def test_dropout_draws_from_its_own_stream() -> None:
    """Switching dropout on changes neither the initial weights nor the shuffling (three seeded streams)."""
    plain = Trainer({**SMALL, "network": {**SMALL["network"], "dropout": 0.0}})
    dropped = Trainer({**SMALL, "network": {**SMALL["network"], "dropout": 0.5}})
    assert all(np.array_equal(a, b) for a, b in zip(weights_of(plain), weights_of(dropped), strict=True))
    plain.step()
    dropped.step()
    np.testing.assert_array_equal(plain._order, dropped._order)
    assert not all(np.array_equal(a, b) for a, b in zip(weights_of(plain), weights_of(dropped), strict=True))


def test_after_divergence_the_metrics_belong_to_the_restored_weights() -> None:
    t = Trainer(
        {"data": {"dataset": "plane"}, "training": {"optimizer": "sgd", "learning_rate": 10, "epochs": 50}}
    )
    t.run_epochs(50)
    assert [e["type"] for e in t.events] == ["diverged"]
    assert t.history["train_loss"][-1] is None  # the diverged epoch itself has no finite loss
    assert t.metrics["train_loss"] == t.history["train_loss"][-2]  # the frame shows the restored epoch's loss


@pytest.mark.parametrize("edit", ["points", "bias"])
def test_early_stopping_starts_afresh_after_an_edit(edit: str) -> None:
    """The best epoch before an edit must not be restored after it: its weights or data no longer apply."""
    points = [[-2.0, -1.0], [-1.0, -2.0], [2.0, 1.0], [1.0, 2.0]] * 6
    config = {
        "data": {"points": points, "labels": [0, 0, 1, 1] * 6, "test_fraction": 0.25},
        "network": {"hidden": [4]},
        "training": {
            "optimizer": "sgd",
            "learning_rate": 0.5,
            "batch_size": 18,
            "epochs": 1000,
            "patience": 3,
        },
    }
    t = Trainer(config)
    t.run_epochs(20)  # full-batch descent on separable points: the test loss falls every epoch
    assert not t.done and t.metrics["test_loss"] < 0.1
    if edit == "points":
        t.set_points(points, [1, 1, 0, 0] * 6)  # labels swapped: every loss from now on is far above the best
    else:
        t.set_bias(1, 0, 40.0)  # an output bias far off: every point in class 1, the same
    t.run_epochs(3)
    assert t.events == [], "three epochs after the edit are no reason to restore the weights of before it"
    assert t.epoch == 23


def test_a_split_without_training_points_is_refused() -> None:
    with pytest.raises(ConfigError) as error:
        Trainer({"data": {"points": [[0, 0]], "labels": [0.5], "task": "regression", "test_fraction": 0.9}})
    assert error.value.field == "data.test_fraction" and "at least one" in str(error.value)


def test_batch_norm_never_trains_on_a_trailing_batch_of_one() -> None:
    config = {
        "data": {"dataset": "circle", "n": 22, "test_fraction": 0.5},  # 11 training points
        "network": {"hidden": [4], "batch_norm": True},
        "training": {"batch_size": 10, "epochs": 3},
    }
    t = Trainer(config)
    assert t.n_train == 11
    t.run_epochs(3)
    assert t.step_count == 3, "the last sample joins the epoch's first batch instead of a batch of its own"


def test_supervised_hebb_is_reported_unbounded_after_steady_growth() -> None:
    """Supervised Hebb adds η·Σt·x and η·Σt every epoch whatever w is: after STEADY_EPOCHS epochs of one and
    the same step (in any sample order) the trainer ends the run with `unbounded`, the weights being exactly
    STEADY_EPOCHS such steps from zero."""
    config = {
        "data": {"dataset": "gauss", "test_fraction": 0.0},
        "network": {"hidden": [], "init": "zeros"},
        "training": {"rule": "hebb", "learning_rate": 0.5, "epochs": 400, "shuffle": True},
    }
    t = Trainer(config)
    t.run_epochs(400)
    assert [e["type"] for e in t.events] == ["unbounded"] and t.epoch == STEADY_EPOCHS
    assert "the same step" in t.events[0]["message"]
    x, tt = t.X, t.T[:, 0]
    w = t.network.weights()[0]
    step = 0.5 * np.r_[tt @ x, tt.sum()]
    assert np.allclose(np.r_[w["W"][:, 0], w["b"]], STEADY_EPOCHS * step, rtol=1e-9)


def test_new_points_let_a_converged_perceptron_learn_on() -> None:
    points = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    t = Trainer(
        {
            "data": {"points": points, "labels": [0, 0, 0, 1]},
            "network": {"init": "zeros"},
            "training": {"rule": "perceptron", "learning_rate": 1.0},
        }
    )
    t.run_epochs(100)
    assert t.done and [e["type"] for e in t.events] == ["converged"]
    t.edit_points("add", [[0.2, 0.1]], [1])  # a class-1 point among the class-0 corners: not separable now
    assert not t.done
    t.run_epochs(3)
    assert t.epoch > 0 and not t.done, "it trains on the new points (it cannot converge on them)"


def test_null_epochs_train_until_paused_and_a_run_of_its_own_needs_a_number() -> None:
    config = {**SMALL, "training": {**SMALL["training"], "epochs": None}}
    t = Trainer(config)
    assert t.config["training"]["epochs"] is None
    t.run_epochs(30)
    assert t.epoch == 30 and not t.done and t.events == []
    t.update_hyper({"epochs": 31})
    t.run_epochs(5)
    assert t.epoch == 31 and [e["type"] for e in t.events] == ["finished"]
    t.update_hyper({"epochs": None})
    assert not t.done
    with pytest.raises(ConfigError) as info:
        train(config)
    assert info.value.field == "training.epochs" and "until it is paused" in str(info.value)


def test_resume_counts_the_epochs_already_trained() -> None:
    plain = {**SMALL, "network": {"hidden": [6, 5]}}  # no batch norm: the weights are the whole state
    first = Trainer({**plain, "training": {**SMALL["training"], "epochs": 10}})
    first.run_epochs(6)
    weights = [{"W": w["W"].tolist(), "b": w["b"].tolist()} for w in first.network.weights()]
    config = {**first.config, "network": {**first.config["network"], "weights": weights}}
    again = Trainer(config)
    again.resume(first.epoch, first.step_count)
    assert (again.epoch, again.step_count) == (6, first.step_count)
    assert again.metrics["train_loss"] == first.metrics["train_loss"], "the same weights, measured again"
    again.run_epochs(100)
    assert again.epoch == 10 and [e["type"] for e in again.events] == ["finished"]
    done = Trainer(config)
    done.resume(12, 999)
    assert done.done and [e["type"] for e in done.events] == ["finished"]


@pytest.mark.parametrize(
    ("rule", "n", "batch_size", "batch_norm"),
    [
        ("backprop", 11, 10, True),
        ("backprop", 11, 10, False),
        ("backprop", 20, 10, True),
        ("backprop", 9, 2, True),
        ("backprop", 7, 50, False),
        ("perceptron", 12, 10, False),
    ],
)
def test_updates_per_epoch_counts_the_steps_an_epoch_takes(
    rule: str, n: int, batch_size: int, batch_norm: bool
) -> None:
    network = {"hidden": []} if rule != "backprop" else {"hidden": [3], "batch_norm": batch_norm}
    t = Trainer(
        {
            "data": {"dataset": "gauss", "n": 2 * n, "test_fraction": 0.5},
            "network": network,
            "training": {"rule": rule, "batch_size": batch_size, "epochs": 5},
        }
    )
    assert t.n_train == n
    t.run_epochs(1)
    assert t.step_count == t.updates_per_epoch
