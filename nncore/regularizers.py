"""Weight penalties added to the loss: L2 (weight decay as a loss term) and L1, on weight matrices only.

    penalty(W)       = (λ₂/2)·Σ W² + λ₁·Σ |W|
    ∂penalty/∂W      = λ₂·W + λ₁·sign(W)        (sign(0) = 0, the subgradient PyTorch's sign gives)

Biases are never penalized; the caller passes only the weight matrices.
"""

from __future__ import annotations

import numpy as np


def penalty(Ws: list[np.ndarray], l1: float, l2: float) -> float:
    """(l2/2)·ΣW² + l1·Σ|W| summed over all matrices in `Ws` (0.0 when both strengths are 0)."""
    total = 0.0
    for W in Ws:
        if l2:
            total += 0.5 * l2 * float(np.sum(W * W))
        if l1:
            total += l1 * float(np.sum(np.abs(W)))
    return total


def add_penalty_grads(Ws: list[np.ndarray], grads: list[np.ndarray], l1: float, l2: float) -> None:
    """Add l2·W + l1·sign(W) to each matrix's gradient in place (the training step's path: no new arrays)."""
    for W, g in zip(Ws, grads, strict=True):
        if l2:
            g += l2 * W
        if l1:
            g += l1 * np.sign(W)


def penalty_grads(Ws: list[np.ndarray], l1: float, l2: float) -> list[np.ndarray]:
    """The penalty's gradient for each matrix: l2·W + l1·sign(W), each shaped like its W (new arrays)."""
    grads = [np.zeros_like(W) for W in Ws]
    add_penalty_grads(Ws, grads, l1, l2)
    return grads
