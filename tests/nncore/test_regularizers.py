"""Weight penalties: hand-computed values and gradients against central finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nncore.regularizers import penalty, penalty_grads
from tests.nncore.gradcheck import numeric_grad, rel_error


def test_hand_computed_penalty() -> None:
    Ws = [np.array([[1.0, -2.0], [0.0, 3.0]]), np.array([[-1.0]])]  # ΣW² = 15, Σ|W| = 7
    assert penalty(Ws, l1=0.0, l2=0.1) == pytest.approx(0.75, rel=1e-15)
    assert penalty(Ws, l1=0.01, l2=0.0) == pytest.approx(0.07, rel=1e-15)
    assert penalty(Ws, l1=0.01, l2=0.1) == pytest.approx(0.82, rel=1e-15)
    assert penalty(Ws, l1=0.0, l2=0.0) == 0.0
    assert penalty([], l1=1.0, l2=1.0) == 0.0


def test_hand_computed_grads_with_sign_of_zero_zero() -> None:
    W = np.array([[1.0, -2.0], [0.0, 3.0]])
    (g,) = penalty_grads([W], l1=0.5, l2=0.1)
    np.testing.assert_allclose(g, [[0.6, -0.7], [0.0, 0.8]], rtol=1e-15)  # 0.1·W + 0.5·sign(W)
    assert penalty_grads([], 1.0, 1.0) == []


def test_grads_are_new_arrays_shaped_like_the_weights() -> None:
    Ws = [np.ones((2, 3)), np.ones((3, 1))]
    grads = penalty_grads(Ws, l1=0.0, l2=0.0)
    assert [g.shape for g in grads] == [(2, 3), (3, 1)]
    assert all(not np.any(g) for g in grads)
    grads[0][...] = 5.0
    np.testing.assert_array_equal(Ws[0], np.ones((2, 3)))  # the weights are untouched


@settings(max_examples=60, deadline=None)
@given(
    W1=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=st.floats(-3, 3)),
    W2=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 3)), elements=st.floats(-3, 3)),
    l1=st.floats(0, 1),
    l2=st.floats(0, 1),
)
def test_grads_match_finite_differences(W1: np.ndarray, W2: np.ndarray, l1: float, l2: float) -> None:
    Ws = [np.where(np.abs(W) < 1e-3, 0.5, W) for W in (W1, W2)]  # |W| has a kink at 0
    analytic = penalty_grads(Ws, l1, l2)
    for W, g in zip(Ws, analytic, strict=True):
        numeric = numeric_grad(lambda: penalty(Ws, l1, l2), W)
        assert rel_error(g, numeric, floor=1e-3) < 1e-6
