"""Weight initializers: PyTorch's formulas for a weight matrix W (n_in, n_out), drawn from a seeded rng.

fan_in = n_in and fan_out = n_out (PyTorch stores the transpose, (out, in), with the same fans).
Xavier/Glorot use gain 1, Kaiming/He use gain √2 (PyTorch's gain for relu):

    xavier_uniform   U(−b, b),  b = √(6/(fan_in + fan_out))
    xavier_normal    N(0, s²),  s = √(2/(fan_in + fan_out))
    he_uniform       U(−b, b),  b = √(6/fan_in)
    he_normal        N(0, s²),  s = √(2/fan_in)

Biases are not initialized here: they start at zero.
"""

from __future__ import annotations

import math

import numpy as np

#: Initializer names (glorot_* = xavier_*, kaiming_* = he_*) and their formulas.
INITIALIZERS: dict[str, str] = {
    "zeros": "W = 0",
    "uniform": "W ~ U(−0.5, 0.5)",
    "xavier_uniform": "W ~ U(−b, b), b = √(6/(fan_in + fan_out))",
    "glorot_uniform": "W ~ U(−b, b), b = √(6/(fan_in + fan_out))",
    "xavier_normal": "W ~ N(0, s²), s = √(2/(fan_in + fan_out))",
    "glorot_normal": "W ~ N(0, s²), s = √(2/(fan_in + fan_out))",
    "he_uniform": "W ~ U(−b, b), b = √(6/fan_in)",
    "kaiming_uniform": "W ~ U(−b, b), b = √(6/fan_in)",
    "he_normal": "W ~ N(0, s²), s = √(2/fan_in)",
    "kaiming_normal": "W ~ N(0, s²), s = √(2/fan_in)",
}

_ALIASES = {
    "glorot_uniform": "xavier_uniform",
    "glorot_normal": "xavier_normal",
    "kaiming_uniform": "he_uniform",
    "kaiming_normal": "he_normal",
}


def initialize(name: str, n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """A float64 weight matrix (n_in, n_out) drawn by initializer `name` from `rng`.

    Raises ValueError for an unknown name or non-positive sizes.
    """
    if not isinstance(name, str) or name not in INITIALIZERS:
        raise ValueError(f"unknown initializer {name!r}; choose one of: {', '.join(INITIALIZERS)}")
    if n_in < 1 or n_out < 1:
        raise ValueError(f"a weight matrix needs n_in >= 1 and n_out >= 1, got ({n_in}, {n_out})")
    shape = (n_in, n_out)
    kind = _ALIASES.get(name, name)
    if kind == "zeros":
        return np.zeros(shape)
    if kind == "uniform":
        return rng.uniform(-0.5, 0.5, size=shape)
    if kind == "xavier_uniform":
        bound = math.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-bound, bound, size=shape)
    if kind == "xavier_normal":
        return rng.normal(0.0, math.sqrt(2.0 / (n_in + n_out)), size=shape)
    if kind == "he_uniform":
        bound = math.sqrt(6.0 / n_in)
        return rng.uniform(-bound, bound, size=shape)
    return rng.normal(0.0, math.sqrt(2.0 / n_in), size=shape)  # he_normal
