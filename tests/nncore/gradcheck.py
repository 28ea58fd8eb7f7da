"""Finite-difference gradient checking shared by the engine tests (float64 central differences)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

H = 1e-6


def numeric_grad(f: Callable[[], float], x: np.ndarray) -> np.ndarray:
    """Central differences (f(x + h) − f(x − h)) / 2h of the scalar f() for every element of x, which is
    perturbed in place and restored — so x may be an input or a parameter array deep inside a network."""
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + H
        up = f()
        x[idx] = old - H
        down = f()
        x[idx] = old
        g[idx] = (up - down) / (2 * H)
    return g


def rel_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-8) -> float:
    """max|a − b| relative to the gradients' size, never dividing by less than `floor`.

    Central differences carry a rounding error of about ε·|f|/h ≈ 1e-10, so checks of elementwise functions
    whose slopes can be tiny pass floor=1e-3: gradients below it are then held to an absolute 1e-9.
    """
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), floor))
