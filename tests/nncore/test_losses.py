"""Losses: textbook values computed by hand, gradients against central finite differences in float64,
PyTorch's reductions (mean over elements, or over the batch for cross_entropy), stability at huge logits."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nncore.losses import LOSSES, get_loss
from tests.nncore.gradcheck import numeric_grad, rel_error


def targets(name: str, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Targets of the kind each loss expects."""
    if name == "bce":
        return rng.integers(0, 2, size=shape).astype(np.float64)
    if name == "cross_entropy":
        return np.eye(shape[1])[rng.integers(0, shape[1], size=shape[0])]
    if name == "hinge":
        return rng.choice([-1.0, 1.0], size=shape)
    return rng.normal(size=shape)


def test_registry_and_required_outputs() -> None:
    assert set(LOSSES) == {"mse", "mae", "huber", "bce", "cross_entropy", "hinge"}
    required = {name: loss.requires_output for name, loss in LOSSES.items()}
    assert required == {
        "mse": None, "mae": None, "huber": None, "bce": "sigmoid", "cross_entropy": "softmax", "hinge": None,
    }  # fmt: skip
    assert all(loss.formula and loss.derivative for loss in LOSSES.values())


@pytest.mark.parametrize("name", sorted(LOSSES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_grad_matches_finite_differences(name: str, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 6))
    k = data.draw(st.integers(2 if name == "cross_entropy" else 1, 4))
    z = data.draw(arrays(np.float64, (n, k), elements=st.floats(-5, 5)))
    t = targets(name, (n, k), np.random.default_rng(n * 10 + k))
    # stay clear of the kinks: mae at z = t, huber at |z − t| = 1, hinge at t·z = 1
    d = z - t
    if name == "mae":
        z = np.where(np.abs(d) < 1e-3, t + 0.5, z)
    elif name == "huber":
        z = np.where(np.abs(np.abs(d) - 1.0) < 1e-3, t + 0.5, z)
    elif name == "hinge":
        z = np.where(np.abs(t * z - 1.0) < 1e-3, 0.0, z)
    loss = get_loss(name)
    analytic = loss.grad(z, t)
    assert analytic.shape == z.shape
    assert rel_error(analytic, numeric_grad(lambda: loss.value(z, t), z), floor=1e-3) < 1e-6


def test_mse_mae_average_over_every_element() -> None:
    z = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = np.array([[0.0, 0.0], [0.0, 6.0]])
    assert get_loss("mse").value(z, t) == (1 + 4 + 9 + 4) / 4
    np.testing.assert_array_equal(get_loss("mse").grad(z, t), [[0.5, 1.0], [1.5, -1.0]])  # 2(z−t)/4
    assert get_loss("mae").value(z, t) == (1 + 2 + 3 + 2) / 4
    np.testing.assert_array_equal(get_loss("mae").grad(z, t), [[0.25, 0.25], [0.25, -0.25]])
    assert get_loss("mae").grad(np.array([[2.0]]), np.array([[2.0]]))[0, 0] == 0.0  # sign(0) = 0


def test_huber_quadratic_inside_linear_outside() -> None:
    huber = get_loss("huber")
    assert huber.value(np.array([[0.5]]), np.array([[0.0]])) == 0.125  # ½·0.5²
    assert huber.value(np.array([[3.0]]), np.array([[0.0]])) == 2.5  # |d| − ½
    assert huber.value(np.array([[-4.0]]), np.array([[-1.0]])) == 2.5
    assert huber.value(np.array([[1.0]]), np.array([[0.0]])) == 0.5  # both pieces meet at |d| = δ = 1
    z, t = np.array([[0.5, 3.0, -4.0, 0.0]]), np.zeros((1, 4))
    assert huber.value(z, t) == (0.125 + 2.5 + 3.5 + 0.0) / 4
    np.testing.assert_array_equal(huber.grad(z, t), [[0.5 / 4, 1 / 4, -1 / 4, 0.0]])


def test_bce_textbook_values() -> None:
    bce = get_loss("bce")
    assert bce.value(np.zeros((3, 1)), np.array([[0.0], [1.0], [0.0]])) == pytest.approx(
        math.log(2), rel=1e-15
    )
    z, t = np.array([[2.0, -1.0]]), np.array([[1.0, 1.0]])
    expected = -(math.log(1 / (1 + math.exp(-2.0))) + math.log(1 / (1 + math.exp(1.0)))) / 2
    assert bce.value(z, t) == pytest.approx(expected, rel=1e-14)
    p = 1 / (1 + math.exp(-0.3))  # a soft target t = 0.25 at logit 0.3
    assert bce.value(np.array([[0.3]]), np.array([[0.25]])) == pytest.approx(
        -(0.25 * math.log(p) + 0.75 * math.log(1 - p)), rel=1e-14
    )
    np.testing.assert_allclose(
        bce.grad(z, t), [[(1 / (1 + math.exp(-2)) - 1) / 2, (1 / (1 + math.e) - 1) / 2]]
    )


def test_cross_entropy_textbook_values() -> None:
    ce = get_loss("cross_entropy")
    for k in (2, 3, 10):
        uniform = np.full((4, k), 0.7)
        assert ce.value(uniform, np.eye(k)[[0, 1, 0, 1]]) == pytest.approx(math.log(k), rel=1e-14)
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]])
    t = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    lse0 = math.log(math.e + math.e**2 + math.e**3)
    lse1 = math.log(2 + math.exp(5))
    assert ce.value(z, t) == pytest.approx(((lse0 - 1.0) + (lse1 - 5.0)) / 2, rel=1e-14)  # mean over rows
    soft = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ce.grad(z, t), (soft - t) / 2, rtol=1e-14)


def test_hinge_values_and_subgradient() -> None:
    hinge = get_loss("hinge")
    z, t = np.array([[0.3, 2.0, 0.5, -3.0]]), np.array([[1.0, 1.0, -1.0, -1.0]])
    assert hinge.value(z, t) == pytest.approx((0.7 + 0.0 + 1.5 + 0.0) / 4, rel=1e-15)
    np.testing.assert_array_equal(hinge.grad(z, t), [[-0.25, 0.0, 0.25, 0.0]])


def test_bce_and_cross_entropy_are_stable_at_huge_logits() -> None:
    z = np.array([[1000.0], [-1000.0], [1000.0], [-1000.0]])
    right, wrong = np.array([[1.0], [0.0], [1.0], [0.0]]), np.array([[0.0], [1.0], [0.0], [1.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        bce = get_loss("bce")
        assert bce.value(z, right) == 0.0
        assert bce.value(z, wrong) == 1000.0
        np.testing.assert_array_equal(bce.grad(z, wrong), [[0.25], [-0.25], [0.25], [-0.25]])
        ce = get_loss("cross_entropy")
        logits = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
        assert ce.value(logits, np.eye(2)) == 0.0
        assert ce.value(logits, np.eye(2)[[1, 0]]) == 2000.0
        np.testing.assert_array_equal(ce.grad(logits, np.eye(2)[[1, 0]]), [[0.5, -0.5], [-0.5, 0.5]])


def test_values_are_python_floats_and_shapes_must_match() -> None:
    for name, loss in LOSSES.items():
        z = np.zeros((3, 2))
        assert type(loss.value(z, targets(name, (3, 2), np.random.default_rng(0)))) is float
    with pytest.raises(ValueError, match=r"z \(3, 2\) vs targets \(3, 1\)"):
        get_loss("mse").value(np.zeros((3, 2)), np.zeros((3, 1)))


def test_unknown_loss_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"^unknown loss 'l2'; choose one of: mse, mae, huber, bce"):
        get_loss("l2")
    with pytest.raises(dataclasses.FrozenInstanceError):
        get_loss("mse").name = "x"  # type: ignore[misc]
