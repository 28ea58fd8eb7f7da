"""Network: forward against hand-written maths, whole-network gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.losses import get_loss
from nncore.network import Network
from nncore.regularizers import penalty, penalty_grads
from tests.nncore.gradcheck import numeric_grad, rel_error

# (loss, output activation, targets kind) — every loss, each on an output it is meant for.
CASES = [
    ("mse", "sigmoid", "binary"),
    ("mse", "linear", "real"),
    ("mae", "tanh", "bipolar"),
    ("huber", "linear", "real"),
    ("bce", "sigmoid", "binary"),
    ("cross_entropy", "softmax", "onehot"),
    ("mse", "softmax", "onehot"),
    ("hinge", "tanh", "bipolar"),
    ("hinge", "linear", "bipolar"),
]


def targets(kind: str, n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "binary":
        return rng.integers(0, 2, size=(n, 1)).astype(float)
    if kind == "bipolar":
        return rng.choice([-1.0, 1.0], size=(n, 1))
    if kind == "onehot":
        return np.eye(k)[rng.integers(0, k, size=n)]
    return rng.normal(size=(n, 1)) * 2


def total_loss(net: Network, loss_name: str, X: np.ndarray, T: np.ndarray, l1: float, l2: float) -> float:
    loss = get_loss(loss_name)
    y = net.forward(X, training=True)
    z = net.logits if loss.requires_output else y
    return loss.value(z, T) + penalty(net.weight_matrices, l1, l2)


def analytic_grads(net: Network, loss_name: str, X: np.ndarray, T: np.ndarray, l1: float, l2: float):
    loss = get_loss(loss_name)
    y = net.forward(X, training=True)
    if loss.requires_output:
        net.backward(loss.grad(net.logits, T))
    else:
        net.backward(net.output_grad(loss.grad(y, T)))
    grads = [g.copy() for g in net.grads]
    extra = penalty_grads(net.weight_matrices, l1, l2)
    for W, e in zip(net.weight_matrices, extra, strict=True):
        grads[next(i for i, p in enumerate(net.params) if p is W)] += e
    return grads


@pytest.mark.parametrize(("loss_name", "output", "kind"), CASES)
def test_whole_network_gradients_with_l1_l2(loss_name: str, output: str, kind: str) -> None:
    rng = np.random.default_rng(0)
    k = 3 if output == "softmax" else 1
    net = Network([2, 4, 3, k], "tanh", output, "xavier_normal", rng=rng)
    for d in net.dense:
        d.b[:] = rng.normal(size=d.b.shape) * 0.3
    X = rng.normal(size=(7, 2))
    T = targets(kind, 7, k, rng)
    grads = analytic_grads(net, loss_name, X, T, 0.01, 0.03)
    for p, g in zip(net.params, grads, strict=True):
        num = numeric_grad(lambda: total_loss(net, loss_name, X, T, 0.01, 0.03), p)
        assert rel_error(g, num) < 1e-6


def test_gradients_through_batch_norm_and_fixed_dropout() -> None:
    rng = np.random.default_rng(1)
    net = Network([3, 5, 4, 1], "sigmoid", "sigmoid", "he_uniform", 0.4, [True, False], rng=rng)
    for bn in net.batch_norms:
        bn.momentum = 0.0
        bn.gamma[:] = rng.normal(size=bn.gamma.shape)
    X = rng.normal(size=(8, 3))
    for drop, units in zip(net.dropouts, [5, 4], strict=True):
        drop.fixed_mask = rng.random((8, units)) > 0.4
    T = targets("binary", 8, 1, rng)
    grads = analytic_grads(net, "bce", X, T, 0.0, 0.0)
    assert len(net.params) == 8  # W1 b1 γ β W2 b2 W3 b3
    for p, g in zip(net.params, grads, strict=True):
        assert rel_error(g, numeric_grad(lambda: total_loss(net, "bce", X, T, 0.0, 0.0), p)) < 1e-6


def test_forward_matches_hand_written_maths() -> None:
    net = Network([2, 3, 1], "tanh", "sigmoid", rng=np.random.default_rng(2))
    X = np.random.default_rng(3).normal(size=(5, 2))
    (W1, b1), (W2, b2) = [(w["W"], w["b"]) for w in net.weights()]
    expected = 1 / (1 + np.exp(-(np.tanh(X @ W1 + b1) @ W2 + b2)))
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-14)
    np.testing.assert_allclose(net.hidden_outputs(X)[0], np.tanh(X @ W1 + b1), rtol=1e-14)


def test_single_layer_network_is_a_perceptron() -> None:
    net = Network([2, 1], "tanh", "step", "uniform", rng=np.random.default_rng(0))
    assert len(net.layers) == 1 and net.hidden_outputs(np.zeros((3, 2))) == []
    net.set_weights([{"W": [[1.0], [1.0]], "b": [-1.5]}])
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(net.forward(X).ravel(), [0, 0, 0, 1])  # AND


def test_weights_are_copies_and_set_weights_writes_in_place() -> None:
    net = Network([2, 2, 1], rng=np.random.default_rng(0))
    W_before = net.dense[0].W
    w = net.weights()
    w[0]["W"][:] = 7.0
    assert not np.any(net.dense[0].W == 7.0)
    net.set_weights(w)
    assert net.dense[0].W is W_before and np.all(W_before == 7.0)
    assert net.params[0] is W_before


def test_set_weights_rejects_wrong_shapes() -> None:
    net = Network([2, 2, 1], rng=np.random.default_rng(0))
    w = net.weights()
    w[1]["W"] = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"layer 1 needs W \(2, 1\)"):
        net.set_weights(w)
    with pytest.raises(ValueError, match="expected weights for 2 layers"):
        net.set_weights(w[:1])


def test_same_seed_same_weights_and_initializer_is_used() -> None:
    a = Network([2, 8, 1], init="zeros", rng=np.random.default_rng(0)).weights()
    assert all(np.all(w["W"] == 0) for w in a)
    b = Network([2, 8, 1], rng=np.random.default_rng(9)).weights()
    c = Network([2, 8, 1], rng=np.random.default_rng(9)).weights()
    np.testing.assert_array_equal(b[0]["W"], c[0]["W"])
    assert np.all(b[0]["b"] == 0)


def test_state_round_trip_includes_batch_norm_statistics() -> None:
    net = Network([2, 4, 1], batch_norm=True, rng=np.random.default_rng(0))
    saved = net.state()
    X = np.random.default_rng(1).normal(size=(10, 2))
    before = net.forward(X)
    net.forward(X * 3 + 1, training=True)
    net.params[0] += 1.0
    net.load_state(saved)
    np.testing.assert_array_equal(net.forward(X), before)


def test_batch_norm_flags_must_match_hidden_layers() -> None:
    with pytest.raises(ValueError, match="one flag per hidden layer"):
        Network([2, 4, 4, 1], batch_norm=[True])


def test_evaluate_keeps_the_dtype_and_does_not_disturb_a_training_step() -> None:
    rng = np.random.default_rng(4)
    net = Network([2, 6, 5, 3], "tanh", "softmax", batch_norm=[True, True], dropout=0.2, rng=rng)
    X = rng.normal(size=(9, 2))
    net.forward(X * 2, training=True)  # move the running statistics away from their start
    reference = net.forward(X, training=False)
    T = np.eye(3)[rng.integers(0, 3, 9)]
    for drop in net.dropouts:
        drop.fixed_mask = rng.random((9, drop_units(drop, net))) > 0.2
    for bn in net.batch_norms:
        bn.momentum = 0.0
    net.forward_logits(X, training=True)
    net.backward(get_loss("cross_entropy").grad(net.logits, T))
    expected = [g.copy() for g in net.grads]
    net.forward_logits(X, training=True)
    out32, hidden32 = net.evaluate(X.astype(np.float32))  # between forward and backward
    net.backward(get_loss("cross_entropy").grad(net.logits, T))
    assert out32.dtype == np.float32 and all(h.dtype == np.float32 for h in hidden32)
    np.testing.assert_allclose(out32, reference, rtol=1e-5, atol=1e-6)
    for g, e in zip(net.grads, expected, strict=True):
        np.testing.assert_array_equal(g, e)


def drop_units(drop, net: Network) -> int:
    return net.sizes[1 + net.dropouts.index(drop)]
