"""Layers: forward values against the formulas, backward against central finite differences (float64)."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.activations import SOFTMAX, get_activation
from nncore.layers import ActivationLayer, BatchNorm, Dense, Dropout
from tests.nncore.gradcheck import numeric_grad, rel_error


def check_layer(layer, X: np.ndarray, training: bool = True) -> None:
    """L = Σ C ⊙ layer(X) with a fixed random C, so dL/dY = C; compare backward with finite differences."""
    rng = np.random.default_rng(5)
    C = rng.normal(size=layer.forward(X.copy(), training).shape)

    def loss() -> float:
        return float(np.sum(C * layer.forward(X, training)))

    layer.forward(X, training)
    grad_x = layer.backward(C)
    analytic = [grad_x] + [g.copy() for g in layer.grads]
    numeric = [numeric_grad(loss, X)] + [numeric_grad(loss, p) for p in layer.params]
    for a, n in zip(analytic, numeric, strict=True):
        assert rel_error(a, n) < 1e-6


def test_dense_forward_is_x_w_plus_b() -> None:
    W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = np.array([0.5, -0.5, 1.0])
    X = np.array([[1.0, 1.0], [2.0, -1.0]])
    np.testing.assert_array_equal(Dense(W, b).forward(X), [[5.5, 6.5, 10.0], [-1.5, -1.5, 1.0]])


def test_dense_rejects_mismatched_bias() -> None:
    with pytest.raises(ValueError, match="Dense needs"):
        Dense(np.zeros((2, 3)), np.zeros(2))


def test_dense_gradients() -> None:
    rng = np.random.default_rng(0)
    check_layer(Dense(rng.normal(size=(3, 4)), rng.normal(size=4)), rng.normal(size=(6, 3)))


def test_dense_backward_params_matches_backward() -> None:
    rng = np.random.default_rng(1)
    layer = Dense(rng.normal(size=(3, 2)), rng.normal(size=2))
    X, G = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    layer.forward(X)
    layer.backward_params(G)
    np.testing.assert_allclose(layer.grads[0], X.T @ G)
    np.testing.assert_allclose(layer.grads[1], G.sum(axis=0))


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "gelu", "softplus", "gaussian"])
def test_activation_layer_gradients(name: str) -> None:
    X = np.random.default_rng(2).normal(size=(5, 3)) + 0.05  # keeps relu away from its kink
    check_layer(ActivationLayer(get_activation(name)), X)


def test_softmax_activation_layer_gradient() -> None:
    check_layer(ActivationLayer(SOFTMAX), np.random.default_rng(3).normal(size=(4, 3)))


def test_dropout_fixed_mask_scales_kept_units_and_gradients() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(4, 5))
    layer = Dropout(0.25, np.random.default_rng(0))
    layer.fixed_mask = rng.random(X.shape) > 0.3
    Y = layer.forward(X, training=True)
    np.testing.assert_allclose(Y, np.where(layer.fixed_mask, X / 0.75, 0.0))
    check_layer(layer, X)


def test_dropout_is_identity_in_evaluation() -> None:
    X = np.random.default_rng(5).normal(size=(3, 3))
    layer = Dropout(0.5, np.random.default_rng(0))
    assert layer.forward(X, training=False) is X
    assert layer.backward(X) is X


def test_dropout_random_mask_keeps_about_one_minus_p_and_preserves_the_mean() -> None:
    layer = Dropout(0.3, np.random.default_rng(7))
    Y = layer.forward(np.ones((200, 200)), training=True)
    kept = Y != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(Y[kept], 1 / 0.7)
    assert abs(Y.mean() - 1.0) < 0.02


def test_batchnorm_training_normalizes_and_updates_running_stats_like_torch() -> None:
    rng = np.random.default_rng(6)
    X = rng.normal(loc=3.0, scale=2.0, size=(8, 3))
    bn = BatchNorm(3)
    Y = bn.forward(X, training=True)
    np.testing.assert_allclose(Y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Y.var(axis=0), X.var(axis=0) / (X.var(axis=0) + 1e-5))
    np.testing.assert_allclose(bn.running_mean, 0.1 * X.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * X.var(axis=0, ddof=1))


def test_batchnorm_evaluation_uses_running_stats() -> None:
    bn = BatchNorm(2)
    bn.running_mean[:] = [1.0, -1.0]
    bn.running_var[:] = [4.0, 0.25]
    bn.gamma[:] = [2.0, 1.0]
    bn.beta[:] = [0.5, 0.0]
    X = np.array([[3.0, 0.0]])
    expected = [2.0 * 2.0 / np.sqrt(4.0 + 1e-5) + 0.5, 1.0 / np.sqrt(0.25 + 1e-5)]
    np.testing.assert_allclose(bn.forward(X, training=False), [expected])


def test_batchnorm_gradients_training_and_evaluation() -> None:
    rng = np.random.default_rng(8)
    bn = BatchNorm(3)
    bn.gamma[:] = rng.normal(size=3)
    bn.beta[:] = rng.normal(size=3)
    bn.momentum = 0.0  # keep the running statistics fixed while finite differences call forward repeatedly
    check_layer(bn, rng.normal(size=(6, 3)), training=True)
    check_layer(bn, rng.normal(size=(6, 3)), training=False)


def test_batchnorm_single_sample_batch_leaves_running_stats() -> None:
    bn = BatchNorm(2)
    bn.forward(np.array([[5.0, 6.0]]), training=True)
    np.testing.assert_array_equal(bn.running_mean, [0.0, 0.0])
    np.testing.assert_array_equal(bn.running_var, [1.0, 1.0])
