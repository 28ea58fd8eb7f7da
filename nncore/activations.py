"""Activation functions: each is a value/derivative pair with its formula, looked up by name.

An activation maps the pre-activation `a` (the layer's `X @ W + b`) elementwise to `y = f(a)`. `df(a)` is
the elementwise derivative dy/da; `backward(a, y, grad_y)` returns dL/da = grad_y · f'(a) given dL/dy.
Softmax is the one activation that is not elementwise: it normalizes along axis 1 (the units), has
`df = None`, and its backward is the Jacobian-vector product  dL/da_i = y_i · (g_i − Σ_j g_j y_j).

Derivatives at kinks follow PyTorch: relu'(0) = 0, leaky_relu'(0) = 0.01, elu'(0) = 1. step and sign have
derivative 0 everywhere (no gradient flows through them; the classic rules train such networks).
gelu is the exact erf form (PyTorch's default), with erfc from Cody's rational approximation below.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

Array = np.ndarray
INF = math.inf


def _sigmoid(a: Array) -> Array:
    """σ(a) = 1/(1+e^{−a}), computed from e^{−|a|} so it never overflows."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _dsigmoid(a: Array) -> Array:
    """σ′(a) = e^{−|a|}/(1+e^{−|a|})², exact in the tails where σ(1−σ) rounds to 0."""
    e = np.exp(-np.abs(a))
    return e / (1.0 + e) ** 2


def _dtanh(a: Array) -> Array:
    """tanh′(a) = sech²(a) = 4e^{−2|a|}/(1+e^{−2|a|})², exact in the tails where 1 − tanh² rounds to 0."""
    e = np.exp(-2.0 * np.abs(a))
    return 4.0 * e / (1.0 + e) ** 2


# W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631-638 — the
# coefficients of Netlib SPECFUN's CALERF. Relative error about 1e-16 (tests compare with math.erf).
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03)
_A4 = 1.85777706184603153e-1
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
_C = (
    5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
    8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
)  # fmt: skip
_C8 = 2.15311535474403846e-8
_D = (
    1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
    3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03,
)  # fmt: skip
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
      6.58749161529837803e-4)  # fmt: skip
_P5 = 1.63153871373020978e-2
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
      2.33520497626869185e-3)  # fmt: skip
_SQRPI = 5.6418958354775628695e-1  # 1/√π


def _rational(x: Array, lead: float, num: tuple[float, ...], den: tuple[float, ...]) -> Array:
    """(((lead·x + num0)·x + num1)·x … + num_last) / (((x + den0)·x + den1)·x … + den_last), Cody's scheme."""
    xnum, xden = lead * x, x
    for n, d in zip(num[:-1], den[:-1], strict=True):
        xnum, xden = (xnum + n) * x, (xden + d) * x
    return (xnum + num[-1]) / (xden + den[-1])


def erfc(x: Array) -> Array:
    """erfc(x) = 1 − erf(x) = (2/√π) ∫_x^∞ e^{−t²} dt, vectorized, accurate to about 1e-16 relative."""
    x = np.asarray(x, dtype=np.float64)
    y = np.minimum(np.abs(x), 28.0)  # erfc(y) underflows to 0 for y > 27.3; the clip keeps inf out
    small = y <= 0.46875
    erf_small = x * _rational(np.where(small, y * y, 0.0), _A4, _A, _B)
    mid = y <= 4.0
    ym = np.where(small | ~mid, 1.0, y)
    yb = np.where(mid, 5.0, y)
    zb = 1.0 / (yb * yb)
    tail = np.where(mid, _rational(ym, _C8, _C, _D), (_SQRPI - zb * _rational(zb, _P5, _P, _Q)) / yb)
    ys = np.floor(y * 16.0) / 16.0  # e^{−y²} split in two factors keeps full precision (Cody's trick)
    with np.errstate(under="ignore"):
        erfc_pos = np.exp(-ys * ys) * np.exp(-(y - ys) * (y + ys)) * tail
    return np.where(small, 1.0 - erf_small, np.where(x < 0, 2.0 - erfc_pos, erfc_pos))


@dataclass(frozen=True)
class Activation:
    """A named activation: y = f(a) with derivative df(a) (None for softmax) and output range [lo, hi]."""

    name: str
    formula: str
    derivative: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array] | None
    range: tuple[float, float]
    # f'(a) from a and y = f(a), cheaper than df (sigmoid: y(1−y), tanh: 1−y², as PyTorch's backward);
    # in the far tails (|a| > ~15) it loses the relative precision df keeps. None: backward uses df.
    dfy: Callable[[Array, Array], Array] | None = field(default=None, repr=False, compare=False)

    def backward(self, a: Array, y: Array, grad_y: Array) -> Array:
        """dL/da from dL/dy: grad_y · f'(a) elementwise; softmax: y ⊙ (grad_y − Σ_j grad_y_j y_j) per row."""
        if self.df is None:
            return y * (grad_y - np.sum(grad_y * y, axis=1, keepdims=True))
        if self.dfy is not None:
            return grad_y * self.dfy(a, y)
        return grad_y * self.df(a)


def _softmax(a: Array) -> Array:
    """softmax(a)_i = e^{a_i − m} / Σ_j e^{a_j − m} along axis 1, m = the row max (so e^… never overflows)."""
    e = np.exp(a - np.max(a, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def _gelu(a: Array) -> Array:
    return 0.5 * a * erfc(-a / math.sqrt(2.0))


def _dgelu(a: Array) -> Array:
    return 0.5 * erfc(-a / math.sqrt(2.0)) + a * np.exp(-0.5 * a * a) / math.sqrt(2.0 * math.pi)


def _dswish(a: Array) -> Array:
    s = _sigmoid(a)
    return s * (1.0 + a * (1.0 - s))


def _zeros(a: Array) -> Array:
    return np.zeros_like(a, dtype=np.float64)


def _ones(a: Array) -> Array:
    return np.ones_like(a, dtype=np.float64)


_LIST = [
    Activation("step", "step(a) = 1 if a > 0 else 0", "step′(a) = 0",
               lambda a: (a > 0).astype(np.float64), _zeros, (0.0, 1.0)),
    Activation("sign", "sign(a) = 1 if a > 0, −1 if a < 0, 0 at 0", "sign′(a) = 0",
               lambda a: np.sign(a).astype(np.float64), _zeros, (-1.0, 1.0)),
    Activation("linear", "linear(a) = a", "linear′(a) = 1", lambda a: a, _ones, (-INF, INF)),
    Activation("sigmoid", "σ(a) = 1/(1+e^{−a})", "σ′(a) = σ(a)(1−σ(a))",
               _sigmoid, _dsigmoid, (0.0, 1.0), lambda a, y: y * (1.0 - y)),
    Activation("tanh", "tanh(a) = (e^a−e^{−a})/(e^a+e^{−a})", "tanh′(a) = 1 − tanh²(a)",
               np.tanh, _dtanh, (-1.0, 1.0), lambda a, y: 1.0 - y * y),
    Activation("relu", "relu(a) = max(0, a)", "relu′(a) = 1 if a > 0 else 0",
               lambda a: np.maximum(a, 0.0), lambda a: (a > 0).astype(np.float64), (0.0, INF)),
    Activation("leaky_relu", "leaky_relu(a) = a if a > 0 else 0.01·a",
               "leaky_relu′(a) = 1 if a > 0 else 0.01",
               lambda a: np.where(a > 0, a, 0.01 * a), lambda a: np.where(a > 0, 1.0, 0.01), (-INF, INF)),
    Activation("elu", "elu(a) = a if a > 0 else e^a − 1", "elu′(a) = 1 if a > 0 else e^a",
               lambda a: np.where(a > 0, a, np.expm1(np.minimum(a, 0.0))),
               lambda a: np.where(a > 0, 1.0, np.exp(np.minimum(a, 0.0))), (-1.0, INF)),
    Activation("softplus", "softplus(a) = ln(1 + e^a)", "softplus′(a) = σ(a)",
               lambda a: np.maximum(a, 0.0) + np.log1p(np.exp(-np.abs(a))), _sigmoid, (0.0, INF)),
    Activation("gelu", "gelu(a) = a·Φ(a) = a/2·(1 + erf(a/√2))", "gelu′(a) = Φ(a) + a·e^{−a²/2}/√(2π)",
               _gelu, _dgelu, (-0.17, INF)),
    Activation("swish", "swish(a) = a·σ(a)", "swish′(a) = σ(a)·(1 + a·(1 − σ(a)))",
               lambda a: a * _sigmoid(a), _dswish, (-0.2785, INF)),
    Activation("softsign", "softsign(a) = a/(1+|a|)", "softsign′(a) = 1/(1+|a|)²",
               lambda a: a / (1.0 + np.abs(a)), lambda a: 1.0 / (1.0 + np.abs(a)) ** 2, (-1.0, 1.0)),
    Activation("sin", "sin(a)", "sin′(a) = cos(a)", np.sin, np.cos, (-1.0, 1.0)),
    Activation("gaussian", "gaussian(a) = e^{−a²}", "gaussian′(a) = −2a·e^{−a²}",
               lambda a: np.exp(-a * a), lambda a: -2.0 * a * np.exp(-a * a), (0.0, 1.0),
               lambda a, y: -2.0 * a * y),
]  # fmt: skip

#: Hidden-layer activations by name (silu = swish). The gelu and swish minima are rounded outward.
ACTIVATIONS: dict[str, Activation] = {act.name: act for act in _LIST}
ACTIVATIONS["silu"] = replace(ACTIVATIONS["swish"], name="silu", formula="silu(a) = a·σ(a)")

SOFTMAX = Activation(
    "softmax",
    "softmax(a)_i = e^{a_i} / Σ_j e^{a_j}",
    "∂softmax_i/∂a_j = y_i(δ_ij − y_j)",
    _softmax,
    None,
    (0.0, 1.0),
)

#: Names allowed for the output layer.
OUTPUT_ACTIVATIONS: tuple[str, ...] = ("linear", "sigmoid", "tanh", "softmax", "step", "sign")

_ALL: dict[str, Activation] = {**ACTIVATIONS, "softmax": SOFTMAX}


def get_activation(name: str, output: bool = False) -> Activation:
    """The activation `name` (a hidden one or softmax); with `output=True` only OUTPUT_ACTIVATIONS.

    Raises ValueError("unknown activation 'foo'; choose one of: …") for anything else.
    """
    names = OUTPUT_ACTIVATIONS if output else tuple(_ALL)
    if not isinstance(name, str) or name not in names:
        kind = "output activation" if output else "activation"
        raise ValueError(f"unknown {kind} {name!r}; choose one of: {', '.join(names)}")
    return _ALL[name]
