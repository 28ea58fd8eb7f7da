"""Targets: how labels become what the network is trained towards, and how its outputs become classes again.

Classification labels are class indices 0..k−1. A network with several outputs (softmax) is trained towards
one-hot rows and its class is the argmax. A single output is trained towards two levels, (low, high) for class
0 and class 1: 0/1 for sigmoid, step and softmax, −1/+1 for tanh, sign and linear outputs and for the hinge
loss — and a classic rule uses its own `Rule.levels` — and a point counts as class 1 when the output exceeds
the midpoint of the two. Regression trains towards the labels themselves.
"""

from __future__ import annotations

import numpy as np


def target_levels(output_activation: str, loss: str) -> tuple[float, float]:
    """The (low, high) target values of a binary task for this output and loss (see the module docstring)."""
    if loss == "hinge" or output_activation in ("tanh", "sign", "linear"):
        return -1.0, 1.0
    return 0.0, 1.0


def encode_targets(y: np.ndarray, task: str, units: int, levels: tuple[float, float]) -> np.ndarray:
    """Float targets (n, units): regression values, one-hot rows (units > 1), or the low/high levels.

    A single output encodes two classes only: other labels raise ValueError (they would be read as class 0).
    """
    if task == "regression":
        return np.asarray(y, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.int64)
    if units > 1:
        return np.eye(units)[y]
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"a single output encodes class labels 0/1, got {sorted(set(y.tolist()))}")
    low, high = levels
    return np.where(y == 1, high, low).astype(np.float64).reshape(-1, 1)


def decode_classes(outputs: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """Class indices from outputs (n, units): argmax for several units, else output > the levels' midpoint."""
    if outputs.shape[1] > 1:
        return np.argmax(outputs, axis=1)
    return (outputs[:, 0] > 0.5 * (levels[0] + levels[1])).astype(np.int64)
