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


# The functions below work in place on their own temporaries: on (512, 64) batches a fresh temporary per
# operation costs more than the arithmetic.


def _sigmoid(a: Array) -> Array:
    """σ(a) = 1/(1+e^{−a}) from e = e^{−|a|}, which never overflows: σ(|a|) = 1/(1+e), σ(−|a|) = e/(1+e)."""
    e = np.abs(np.asarray(a, dtype=np.float64))
    np.exp(np.negative(e, out=e), out=e)
    r = e + 1.0
    np.reciprocal(r, out=r)
    e *= r
    np.copyto(r, e, where=a < 0)
    return r


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
    xnum, xden = lead * x, x.copy()
    for n, d in zip(num[:-1], den[:-1], strict=True):
        xnum += n
        xnum *= x
        xden += d
        xden *= x
    xnum += num[-1]
    xden += den[-1]
    xnum /= xden
    return xnum


def erfc(x: Array) -> Array:
    """erfc(x) = 1 − erf(x) = (2/√π) ∫_x^∞ e^{−t²} dt, vectorized, accurate to about 1e-16 relative.

    |x| ≤ 0.46875: 1 − x·R₁(x²);  0.46875 < x ≤ 4: e^{−x²}·R₂(x);
    x > 4: e^{−x²}/x·(1/√π − z·R₃(z)) with z = 1/x²;  erfc(−x) = 2 − erfc(x).
    Each rational function is evaluated only where it applies.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.minimum(np.abs(x), 28.0)  # erfc(y) underflows to 0 for y > 27.3; the clip keeps inf out
    out = np.empty_like(y)
    small = y <= 0.46875
    xs = x[small]
    out[small] = 1.0 - xs * _rational(xs * xs, _A4, _A, _B)
    large = ~small
    yl = y[large]
    tail = np.empty_like(yl)
    mid = yl <= 4.0
    tail[mid] = _rational(yl[mid], _C8, _C, _D)
    yb = yl[~mid]
    zb = 1.0 / (yb * yb)
    tail[~mid] = (_SQRPI - zb * _rational(zb, _P5, _P, _Q)) / yb
    # e^{−y²} = e^{−s²}·e^{−(y−s)(y+s)} with s = y rounded down to 1/16 keeps full precision (Cody's trick)
    s = np.floor(yl * 16.0)
    s /= 16.0
    d = yl - s
    d *= yl + s
    s *= s
    with np.errstate(under="ignore"):
        tail *= np.exp(np.negative(s, out=s), out=s)
        tail *= np.exp(np.negative(d, out=d), out=d)
    out[large] = np.where(x[large] < 0, 2.0 - tail, tail)
    return out


@dataclass(frozen=True)
class Activation:
    """A named activation: y = f(a) with derivative df(a) (None for softmax) and output range [lo, hi]."""

    name: str
    formula: str
    derivative: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array] | None
    range: tuple[float, float]
    # A faster backward (a, y, grad_y) -> grad_a that may use y = f(a): sigmoid y(1−y) and tanh 1−y², as in
    # PyTorch's backward (these lose the relative precision df keeps in the far tails, |a| > ~15).
    fast_backward: Callable[[Array, Array, Array], Array] | None = field(
        default=None, repr=False, compare=False
    )

    def backward(self, a: Array, y: Array, grad_y: Array) -> Array:
        """dL/da from dL/dy: grad_y · f'(a) elementwise; softmax: y ⊙ (grad_y − Σ_j grad_y_j y_j) per row.

        Always a new array (grad_y is never modified)."""
        if self.fast_backward is not None:
            return self.fast_backward(a, y, grad_y)
        if self.df is None:
            raise TypeError(f"{self.name} has no elementwise derivative and no backward")
        return grad_y * self.df(a)


def _softmax(a: Array) -> Array:
    """softmax(a)_i = e^{a_i − m} / Σ_j e^{a_j − m} along axis 1, m = the row max (so e^… never overflows)."""
    e = a - np.max(a, axis=1, keepdims=True)
    np.exp(e, out=e)
    e /= np.sum(e, axis=1, keepdims=True)
    return e


def _softmax_backward(a: Array, y: Array, grad_y: Array) -> Array:
    """The Jacobian-vector product y ⊙ (g − ⟨g, y⟩) row by row."""
    d = grad_y - np.einsum("ij,ij->i", grad_y, y)[:, None]
    d *= y
    return d


def _sigmoid_backward(a: Array, y: Array, grad_y: Array) -> Array:
    d = np.subtract(1.0, y)
    d *= y
    d *= grad_y
    return d


def _tanh_backward(a: Array, y: Array, grad_y: Array) -> Array:
    d = np.multiply(y, y)
    np.subtract(1.0, d, out=d)
    d *= grad_y
    return d


def _leaky_relu(a: Array) -> Array:
    """max(a, 0.01·a), which is a for a > 0 and 0.01·a otherwise."""
    d = np.multiply(a, 0.01)
    return np.maximum(a, d, out=d)


def _leaky_relu_backward(a: Array, y: Array, grad_y: Array) -> Array:
    d = np.multiply(grad_y, 0.01)
    np.copyto(d, grad_y, where=a > 0)
    return d


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
    Activation("linear", "linear(a) = a", "linear′(a) = 1", lambda a: a, _ones, (-INF, INF),
               lambda a, y, g: np.array(g, dtype=np.float64)),
    Activation("sigmoid", "σ(a) = 1/(1+e^{−a})", "σ′(a) = σ(a)(1−σ(a))",
               _sigmoid, _dsigmoid, (0.0, 1.0), _sigmoid_backward),
    Activation("tanh", "tanh(a) = (e^a−e^{−a})/(e^a+e^{−a})", "tanh′(a) = 1 − tanh²(a)",
               np.tanh, _dtanh, (-1.0, 1.0), _tanh_backward),
    Activation("relu", "relu(a) = max(0, a)", "relu′(a) = 1 if a > 0 else 0",
               lambda a: np.maximum(a, 0.0), lambda a: (a > 0).astype(np.float64), (0.0, INF),
               lambda a, y, g: np.where(a > 0, g, 0.0)),
    Activation("leaky_relu", "leaky_relu(a) = a if a > 0 else 0.01·a",
               "leaky_relu′(a) = 1 if a > 0 else 0.01",
               _leaky_relu, lambda a: np.where(a > 0, 1.0, 0.01), (-INF, INF), _leaky_relu_backward),
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
               lambda a, y, g: -2.0 * a * y * g),
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
    _softmax_backward,
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
