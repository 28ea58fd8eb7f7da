"""Initializers: shapes, PyTorch's bounds and standard deviations on large non-square matrices (so fan_in and
fan_out cannot be swapped unnoticed), seeding, aliases and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nncore.initializers import INITIALIZERS, initialize

N_IN, N_OUT = 600, 200  # 120 000 draws: the sample std is within ±0.3 % of σ (one standard error)


def draw(name: str, n_in: int = N_IN, n_out: int = N_OUT, seed: int = 0) -> np.ndarray:
    return initialize(name, n_in, n_out, np.random.default_rng(seed))


def test_names_and_shapes() -> None:
    assert set(INITIALIZERS) == {
        "zeros", "uniform", "xavier_uniform", "glorot_uniform", "xavier_normal", "glorot_normal",
        "he_uniform", "kaiming_uniform", "he_normal", "kaiming_normal",
    }  # fmt: skip
    for name, formula in INITIALIZERS.items():
        W = draw(name, 3, 5)
        assert W.shape == (3, 5) and W.dtype == np.float64 and formula


def test_zeros() -> None:
    np.testing.assert_array_equal(draw("zeros"), np.zeros((N_IN, N_OUT)))


@pytest.mark.parametrize(
    ("name", "bound"),
    [
        ("uniform", 0.5),
        ("xavier_uniform", math.sqrt(6 / (N_IN + N_OUT))),
        ("he_uniform", math.sqrt(6 / N_IN)),
    ],
)
def test_uniform_bounds_and_spread(name: str, bound: float) -> None:
    W = draw(name)
    assert -bound <= W.min() and W.max() < bound
    assert W.max() > 0.999 * bound and W.min() < -0.999 * bound  # the whole interval is used
    assert abs(W.mean()) < 0.01 * bound
    assert W.std() == pytest.approx(bound / math.sqrt(3), rel=0.01)  # std of U(−b, b) is b/√3


@pytest.mark.parametrize(
    ("name", "std"),
    [
        ("xavier_normal", math.sqrt(2 / (N_IN + N_OUT))),
        ("he_normal", math.sqrt(2 / N_IN)),
    ],
)
def test_normal_standard_deviation(name: str, std: float) -> None:
    W = draw(name)
    assert W.std() == pytest.approx(std, rel=0.01)
    assert abs(W.mean()) < 0.01 * std
    assert np.mean(np.abs(W) < std) == pytest.approx(0.6827, abs=0.005)  # a normal, not a uniform


def test_he_uses_fan_in_the_number_of_inputs() -> None:
    tall, wide = draw("he_normal", 800, 50), draw("he_normal", 50, 800)
    assert tall.std() == pytest.approx(math.sqrt(2 / 800), rel=0.02)
    assert wide.std() == pytest.approx(math.sqrt(2 / 50), rel=0.02)


def test_same_seed_same_matrix_and_aliases_agree() -> None:
    for name in INITIALIZERS:
        np.testing.assert_array_equal(draw(name, 7, 4, seed=3), draw(name, 7, 4, seed=3))
        if name != "zeros":
            assert not np.array_equal(draw(name, 7, 4, seed=3), draw(name, 7, 4, seed=4))
    for alias, name in [
        ("glorot_uniform", "xavier_uniform"),
        ("glorot_normal", "xavier_normal"),
        ("kaiming_uniform", "he_uniform"),
        ("kaiming_normal", "he_normal"),
    ]:
        np.testing.assert_array_equal(draw(alias, 7, 4, seed=9), draw(name, 7, 4, seed=9))


def test_successive_draws_from_one_generator_differ() -> None:
    rng = np.random.default_rng(1)
    first, second = initialize("he_uniform", 4, 4, rng), initialize("he_uniform", 4, 4, rng)
    assert not np.array_equal(first, second)


def test_errors() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"^unknown initializer 'orthogonal'; choose one of: zeros, uniform"):
        initialize("orthogonal", 2, 2, rng)
    with pytest.raises(ValueError, match=r"n_in >= 1 and n_out >= 1, got \(0, 3\)"):
        initialize("zeros", 0, 3, rng)
