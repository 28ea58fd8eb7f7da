"""Activations: values against scalar maths from the `math` module, derivatives against central finite
differences in float64, softmax's Jacobian-vector product, numerical stability and the registry's errors."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, SOFTMAX, erfc, get_activation
from tests.nncore.gradcheck import numeric_grad, rel_error

HIDDEN = [
    "step", "sign", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu",
    "softplus", "gelu", "swish", "silu", "softsign", "sin", "gaussian",
]  # fmt: skip
KINKED = {"step", "sign", "relu", "leaky_relu", "elu"}  # not differentiable at 0


def _sig(a: float) -> float:
    return 1 / (1 + math.exp(-a))


# Scalar definitions written independently of nncore, straight from the textbook formulas.
REFERENCE: dict[str, Callable[[float], float]] = {
    "step": lambda a: 1.0 if a > 0 else 0.0,
    "sign": lambda a: 1.0 if a > 0 else (-1.0 if a < 0 else 0.0),
    "linear": lambda a: a,
    "sigmoid": _sig,
    "tanh": math.tanh,
    "relu": lambda a: max(a, 0.0),
    "leaky_relu": lambda a: a if a > 0 else 0.01 * a,
    "elu": lambda a: a if a > 0 else math.expm1(a),
    "softplus": lambda a: math.log(1 + math.exp(a)),
    "gelu": lambda a: 0.5 * a * math.erfc(-a / math.sqrt(2)),  # = a/2·(1 + erf(a/√2))
    "swish": lambda a: a * _sig(a),
    "silu": lambda a: a * _sig(a),
    "softsign": lambda a: a / (1 + abs(a)),
    "sin": math.sin,
    "gaussian": lambda a: math.exp(-a * a),
}
POINTS = [-7.5, -3.0, -1.0, -0.3, -1e-9, 0.0, 1e-9, 0.2, 0.7, 1.0, 2.5, 6.0]


def test_registry_holds_the_documented_names() -> None:
    assert sorted(ACTIVATIONS) == sorted(HIDDEN)
    assert set(OUTPUT_ACTIVATIONS) == {"linear", "sigmoid", "tanh", "softmax", "step", "sign"}
    for name in OUTPUT_ACTIVATIONS:
        assert get_activation(name, output=True).name == name
    for name in HIDDEN:
        act = get_activation(name)
        assert act.name == name and act.formula and act.derivative and act.df is not None
    assert get_activation("softmax") is SOFTMAX and SOFTMAX.df is None


@pytest.mark.parametrize("name", HIDDEN)
def test_values_match_the_textbook_formula(name: str) -> None:
    a = np.array(POINTS)
    expected = np.array([REFERENCE[name](x) for x in POINTS])
    np.testing.assert_allclose(get_activation(name).f(a), expected, rtol=1e-13, atol=1e-300)


def test_hand_computed_values() -> None:
    f = {name: get_activation(name).f for name in HIDDEN}
    assert f["sigmoid"](np.array([math.log(3.0)]))[0] == pytest.approx(0.75, rel=1e-15)
    assert f["softplus"](np.array([0.0]))[0] == pytest.approx(math.log(2.0), rel=1e-15)
    assert f["elu"](np.array([-1.0]))[0] == pytest.approx(1 / math.e - 1, rel=1e-15)
    assert f["leaky_relu"](np.array([-2.0]))[0] == -0.02
    assert f["softsign"](np.array([1.0, -3.0])).tolist() == [0.5, -0.75]
    assert f["gaussian"](np.array([1.0]))[0] == pytest.approx(1 / math.e, rel=1e-15)
    assert f["gelu"](np.array([1.0]))[0] == pytest.approx(0.8413447460685429, rel=1e-14)  # Φ(1)
    assert f["step"](np.array([-1.0, 0.0, 5e-324])).tolist() == [0.0, 0.0, 1.0]
    assert f["sign"](np.array([-2.0, 0.0, 3.0])).tolist() == [-1.0, 0.0, 1.0]


@pytest.mark.parametrize("name", HIDDEN)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_backward_matches_finite_differences(name: str, data: st.DataObject) -> None:
    shape = data.draw(st.tuples(st.integers(1, 5), st.integers(1, 4)))
    # |a| ≤ 4: deeper in the saturated tails rounding in f(a ± h) swamps the tiny slopes (see the tails test)
    a = data.draw(arrays(np.float64, shape, elements=st.floats(-4, 4)))
    if name in KINKED:  # stay clear of the kink at 0, where no derivative exists
        a = np.where(np.abs(a) < 1e-3, 0.5, a)
    act = get_activation(name)
    grad_y = np.random.default_rng(shape[0] * 10 + shape[1]).normal(size=shape)
    analytic = act.backward(a, act.f(a), grad_y)
    y = act.f(a).copy()  # subtracting f(a) leaves only real slopes; a copy, as a is perturbed in place
    numeric = numeric_grad(lambda: float(np.sum(grad_y * (act.f(a) - y))), a)
    assert rel_error(analytic, numeric, floor=1e-3) < 1e-6
    assert act.df is not None
    np.testing.assert_allclose(act.df(a) * grad_y, analytic, rtol=1e-12, atol=1e-15)


def test_derivatives_in_the_saturated_tails_match_closed_forms() -> None:
    a = np.array([-30.0, -12.0, 9.0, 25.0])
    expected = {
        "tanh": [1 / math.cosh(x) ** 2 for x in a],
        "sigmoid": [math.exp(-abs(x)) / (1 + math.exp(-abs(x))) ** 2 for x in a],
        "softplus": [_sig(x) for x in a],
        "gelu": [
            0.5 * math.erfc(-x / math.sqrt(2)) + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi) for x in a
        ],
        "gaussian": [-2 * x * math.exp(-x * x) for x in a],
    }
    for name, values in expected.items():
        act = get_activation(name)
        assert act.df is not None
        np.testing.assert_allclose(act.df(a), values, rtol=1e-12, atol=1e-300)
        # backward may use the PyTorch forms y(1−y) and 1−y², exact up to rounding of y near ±1
        np.testing.assert_allclose(act.backward(a, act.f(a), np.ones(4)), values, rtol=1e-12, atol=1e-15)


def test_derivatives_at_kinks_follow_pytorch() -> None:
    zero = np.zeros((1, 1))
    expected = {"relu": 0.0, "leaky_relu": 0.01, "elu": 1.0, "step": 0.0, "sign": 0.0}
    for name, slope in expected.items():
        act = get_activation(name)
        assert act.df is not None and act.df(zero)[0, 0] == slope
        assert act.backward(zero, act.f(zero), np.full((1, 1), 2.0))[0, 0] == 2.0 * slope
    a = np.array([-2.0, -0.5, 0.5, 2.0])
    for name in ("step", "sign"):  # no gradient flows through the hard threshold
        act = get_activation(name)
        np.testing.assert_array_equal(act.backward(a, act.f(a), np.ones(4)), np.zeros(4))


@pytest.mark.parametrize("name", [*HIDDEN, "softmax"])
def test_outputs_stay_in_the_declared_range(name: str) -> None:
    act = get_activation(name)
    a = np.linspace(-40, 40, 8001).reshape(-1, 1)
    a = np.hstack([a, -a]) if name == "softmax" else a
    y = act.f(a)
    lo, hi = act.range
    assert lo < hi and np.all(y >= lo) and np.all(y <= hi)


def test_gelu_and_swish_minima_lie_just_inside_their_ranges() -> None:
    a = np.linspace(-3, 0, 300001)
    for name, minimum in (("gelu", -0.16997120747), ("swish", -0.27846454276)):
        act = get_activation(name)
        assert float(np.min(act.f(a))) == pytest.approx(minimum, abs=1e-9)
        assert act.range[0] <= minimum < act.range[0] + 1e-3


def test_erfc_is_accurate_to_machine_precision() -> None:
    x = np.concatenate([np.linspace(-9, 9, 20001), [0.46875, -0.46875, 4.0, -4.0, 26.0, 30.0, -30.0]])
    expected = np.array([math.erfc(v) for v in x])
    np.testing.assert_allclose(erfc(x), expected, rtol=5e-15, atol=0)
    assert erfc(np.array([np.inf, -np.inf])).tolist() == [0.0, 2.0]


def test_sigmoid_and_softplus_are_stable_for_large_inputs() -> None:
    a = np.array([-1000.0, -700.0, -50.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = get_activation("sigmoid").f(a)
        sp = get_activation("softplus").f(a)
        ds = get_activation("sigmoid").df(a)  # type: ignore[misc]
    assert s[0] == 0.0 and s[-1] == 1.0
    assert s[1] == pytest.approx(math.exp(-700), rel=1e-12)  # tiny values keep full relative precision
    assert s[2] == pytest.approx(math.exp(-50) / (1 + math.exp(-50)), rel=1e-14)
    assert sp[0] == 0.0 and sp[-1] == 1000.0
    assert sp[2] == pytest.approx(math.log1p(math.exp(-50)), rel=1e-14)
    assert np.all(np.isfinite(ds))


def test_softmax_rows_are_distributions_and_shift_invariant() -> None:
    a = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 2.0]])
    y = SOFTMAX.f(a)
    e = np.exp(1.0), np.exp(2.0), np.exp(3.0)
    np.testing.assert_allclose(y[0], np.array(e) / sum(e), rtol=1e-15)
    np.testing.assert_allclose(y[1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(SOFTMAX.f(a + np.array([[100.0], [-7.0], [1e3]])), y, rtol=1e-12)


def test_softmax_is_stable_at_huge_logits() -> None:
    with np.errstate(over="raise", invalid="raise"):
        y = SOFTMAX.f(np.array([[1000.0, -1000.0], [1000.0, 1000.0]]))
    np.testing.assert_array_equal(y, [[1.0, 0.0], [0.5, 0.5]])
    grad_a = SOFTMAX.backward(np.zeros((2, 2)), y, np.array([[1.0, 2.0], [1.0, 2.0]]))
    np.testing.assert_array_equal(grad_a, [[0.0, 0.0], [-0.25, 0.25]])


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_softmax_backward_matches_finite_differences_and_the_jacobian(data: st.DataObject) -> None:
    shape = data.draw(st.tuples(st.integers(1, 5), st.integers(2, 5)))
    a = data.draw(arrays(np.float64, shape, elements=st.floats(-4, 4)))  # see the backward test on |a| ≤ 4
    grad_y = np.random.default_rng(shape[0] + 7 * shape[1]).normal(size=shape)
    y = SOFTMAX.f(a)
    analytic = SOFTMAX.backward(a, y, grad_y)
    numeric = numeric_grad(lambda: float(np.sum(grad_y * SOFTMAX.f(a))), a)
    assert rel_error(analytic, numeric, floor=1e-3) < 1e-6
    for row in range(shape[0]):  # J_ij = y_i(δ_ij − y_j), dL/da = Jᵀ g
        jac = np.diag(y[row]) - np.outer(y[row], y[row])
        np.testing.assert_allclose(analytic[row], jac.T @ grad_y[row], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("name", [*HIDDEN, "softmax"])
def test_backward_returns_a_new_array_and_leaves_its_inputs_alone(name: str) -> None:
    act = get_activation(name)
    a = np.array([[-1.5, 0.5, 2.0], [0.3, -0.2, 1.0]])
    y = act.f(a)
    grad_y = np.array([[1.0, -2.0, 0.5], [3.0, 1.0, -1.0]])
    saved = a.copy(), y.copy(), grad_y.copy()
    grad_a = act.backward(a, y, grad_y)
    assert grad_a.shape == a.shape and not np.shares_memory(grad_a, grad_y)
    for arr, before in zip((a, y, grad_y), saved, strict=True):
        np.testing.assert_array_equal(arr, before)


def test_swish_and_silu_are_one_function() -> None:
    a = np.linspace(-5, 5, 101)
    swish, silu = get_activation("swish"), get_activation("silu")
    np.testing.assert_array_equal(swish.f(a), silu.f(a))
    assert swish.df is not None and silu.df is not None
    np.testing.assert_array_equal(swish.df(a), silu.df(a))


def test_unknown_names_raise_with_the_choices() -> None:
    with pytest.raises(ValueError, match=r"^unknown activation 'foo'; choose one of: step, sign, linear"):
        get_activation("foo")
    with pytest.raises(ValueError, match=r"unknown output activation 'relu'; choose one of: linear, sigmoid"):
        get_activation("relu", output=True)


def test_activations_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        get_activation("relu").name = "x"  # type: ignore[misc]
