"""Loss functions: a value and its gradient dL/dz, with PyTorch's default semantics (reduction "mean").

`z` is what the loss sees: the network's output, or — when `requires_output` is set — the logits, i.e. the
output layer's pre-activation, so that bce (sigmoid output) and cross_entropy (softmax output) are computed
stably from logits like BCEWithLogitsLoss and CrossEntropyLoss. `t` is a float array shaped like `z`,
`(n, n_out)`: 0/1 for bce, one-hot rows for cross_entropy, ±1 for hinge, real values for regression.

With d = z − t, N = z.size (all elements) and n = len(z) (the batch):

    mse            L = (1/N) Σ d²                                   dL/dz = 2d/N
    mae            L = (1/N) Σ |d|                                  dL/dz = sign(d)/N   (0 at d = 0)
    huber (δ = 1)  L = (1/N) Σ [½d² if |d| < δ else δ(|d| − ½δ)]    dL/dz = clip(d, −δ, δ)/N
    bce            L = (1/N) Σ [max(z,0) − z·t + ln(1 + e^{−|z|})]  dL/dz = (σ(z) − t)/N
    cross_entropy  L = (1/n) Σ_rows [logsumexp(z) − Σ_j t_j z_j]    dL/dz = (softmax(z)·Σ_j t_j − t)/n
    hinge          L = (1/N) Σ max(0, 1 − t·z)                      dL/dz = −t·[t·z < 1]/N
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nncore.activations import ACTIVATIONS

Array = np.ndarray


def _pair(z: Array, t: Array) -> tuple[Array, Array]:
    """z and t as float64 arrays of one shape, or a ValueError that says what differs."""
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    if z.shape != t.shape:
        raise ValueError(f"loss inputs differ in shape: z {z.shape} vs targets {t.shape}")
    return z, t


@dataclass(frozen=True)
class Loss:
    """A named loss: `value(z, t)` (a float) and `grad(z, t)` = dL/dz (shaped like z)."""

    name: str
    formula: str
    requires_output: str | None
    _value: Callable[[Array, Array], float]
    _grad: Callable[[Array, Array], Array]
    derivative: str = ""

    def value(self, z: Array, t: Array) -> float:
        """The mean loss of outputs (or logits) `z` against targets `t`."""
        return float(self._value(*_pair(z, t)))

    def grad(self, z: Array, t: Array) -> Array:
        """dL/dz, the gradient of `value(z, t)` with respect to z."""
        return self._grad(*_pair(z, t))


_sigmoid = ACTIVATIONS["sigmoid"].f  # the stable σ of the activations, for bce's gradient


def _log_softmax(z: Array) -> Array:
    """z − logsumexp(z) per row, with the row max subtracted first so e^… never overflows."""
    shifted = z - np.max(z, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def _huber(d: Array) -> Array:
    ad = np.abs(d)
    return np.where(ad < 1.0, 0.5 * d * d, ad - 0.5)


def _bce(z: Array, t: Array) -> float:
    return float(np.mean(np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))))


def _ce(z: Array, t: Array) -> float:
    return float(-np.sum(t * _log_softmax(z)) / len(z))


def _ce_grad(z: Array, t: Array) -> Array:
    return (np.exp(_log_softmax(z)) * np.sum(t, axis=1, keepdims=True) - t) / len(z)


_LIST = [
    Loss("mse", "L = mean((z − t)²)", None,
         lambda z, t: float(np.mean((z - t) ** 2)), lambda z, t: 2.0 * (z - t) / z.size,
         "dL/dz = 2(z − t)/N"),
    Loss("mae", "L = mean(|z − t|)", None,
         lambda z, t: float(np.mean(np.abs(z - t))), lambda z, t: np.sign(z - t) / z.size,
         "dL/dz = sign(z − t)/N"),
    Loss("huber", "L = mean(½d² if |d| < 1 else |d| − ½), d = z − t", None,
         lambda z, t: float(np.mean(_huber(z - t))), lambda z, t: np.clip(z - t, -1.0, 1.0) / z.size,
         "dL/dz = clip(z − t, −1, 1)/N"),
    Loss("bce", "L = −mean(t·ln σ(z) + (1 − t)·ln(1 − σ(z))), z = logits", "sigmoid",
         _bce, lambda z, t: (_sigmoid(z) - t) / z.size,
         "dL/dz = (σ(z) − t)/N"),
    Loss("cross_entropy", "L = −mean over rows of Σ_j t_j·ln softmax(z)_j, z = logits", "softmax",
         _ce, _ce_grad,
         "dL/dz = (softmax(z) − t)/n"),
    Loss("hinge", "L = mean(max(0, 1 − t·z)), t ∈ {−1, +1}", None,
         lambda z, t: float(np.mean(np.maximum(0.0, 1.0 - t * z))),
         lambda z, t: np.where(t * z < 1.0, -t, 0.0) / z.size,
         "dL/dz = −t/N where t·z < 1, else 0"),
]  # fmt: skip

#: Losses by name.
LOSSES: dict[str, Loss] = {loss.name: loss for loss in _LIST}


def get_loss(name: str) -> Loss:
    """The loss called `name`; ValueError("unknown loss 'foo'; choose one of: …") otherwise."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}")
    return LOSSES[name]
