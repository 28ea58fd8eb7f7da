"""The learning rules: the classic single-neuron rules, online and one sample at a time, and backprop.

A classic rule sees one sample x (n_in,), its target t and the neuron's weights W (n_in, 1) and bias b (1,);
it computes the net input a = w·x + b and the output z, then changes W and b IN PLACE. `update` returns a
JSON-able record of what happened — enough for the page to print "w ← w + η(t − z)x" with real numbers:

    {"x": [..], "t": t, "a": a, "z": z, "error": e | None, "dW": [..], "db": Δb, "mistake": bool}

`backprop` is listed with `online=False` and `update=None`: the trainer's gradient path trains it.
Class labels 0/1 become a rule's targets by its `levels` (0/1 for "binary", −1/+1 for "bipolar"; see
nncore/targets.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from nncore.errors import ConfigError

Record = dict[str, Any]
Update = Callable[[np.ndarray, np.ndarray, np.ndarray, float, float], Record]

#: A weight vector longer than this counts as runaway growth (the trainer reports an `unbounded` event).
RUNAWAY_NORM = 1e6
#: Epochs in a row that add the same non-zero step to (w, b) before that counts as runaway growth too: a rule
#: whose change over an epoch does not depend on w (supervised Hebb adds η·Σt·x every epoch) grows so forever.
STEADY_EPOCHS = 20


@dataclass(frozen=True)
class Rule:
    """One learning rule: its update, and the target values (`levels`) it trains class 0 and class 1 towards.

    `supervised` rules use the target t; `stops_when_error_free` rules (the perceptron's) end training with a
    `converged` event after an epoch without mistakes — the others keep changing w even then.
    """

    name: str
    title: str
    equation: str
    online: bool
    targets: Literal["binary", "bipolar"]
    output_activation: str | None
    update: Update | None
    supervised: bool = True
    stops_when_error_free: bool = False
    unbounded: bool = False  # its weights can grow without limit: the trainer watches their norm and steps
    doc: str = ""

    @property
    def levels(self) -> tuple[float, float]:
        """The targets of class 0 and class 1: (0, 1) for "binary" rules, (−1, +1) for "bipolar" ones."""
        return (-1.0, 1.0) if self.targets == "bipolar" else (0.0, 1.0)

    def describe(self) -> dict[str, Any]:
        """A JSON-able description for the catalog."""
        return {
            "title": self.title,
            "equation": self.equation,
            "online": self.online,
            "targets": self.targets,
            "output_activation": self.output_activation,
            "supervised": self.supervised,
            "stops_when_error_free": self.stops_when_error_free,
            "doc": self.doc,
        }


def _apply(W: np.ndarray, b: np.ndarray, x: np.ndarray, t: float, a: float, z: float, error: float | None,
           dW: np.ndarray, db: float, mistake: bool) -> Record:  # fmt: skip
    """Add dW, db to W, b in place and return the record."""
    W[:, 0] += dW
    b[0] += db
    return {
        "x": [float(v) for v in x],
        "t": float(t),
        "a": float(a),
        "z": float(z),
        "error": None if error is None else float(error),
        "dW": [float(v) for v in dW],
        "db": float(db),
        "mistake": bool(mistake),
    }


def _net(W: np.ndarray, b: np.ndarray, x: np.ndarray) -> float:
    if W.ndim != 2 or W.shape[1] != 1 or b.shape != (1,) or x.shape != (W.shape[0],):
        raise ValueError(f"a classic rule trains one neuron: W (n_in, 1), b (1,), x (n_in,); got {W.shape}, "
                         f"{b.shape}, {x.shape}")  # fmt: skip
    return float(x @ W[:, 0] + b[0])


def _sign(a: float) -> float:
    return 1.0 if a > 0 else -1.0 if a < 0 else 0.0


def perceptron(W: np.ndarray, b: np.ndarray, x: np.ndarray, t: float, lr: float) -> Record:
    """z = step(a) (1 if a > 0 else 0); w ← w + η(t − z)x, b ← b + η(t − z); changes only on a mistake."""
    a = _net(W, b, x)
    z = 1.0 if a > 0 else 0.0
    e = t - z
    return _apply(W, b, x, t, a, z, e, lr * e * x, lr * e, e != 0)


def delta(W: np.ndarray, b: np.ndarray, x: np.ndarray, t: float, lr: float) -> Record:
    """Widrow–Hoff LMS on the linear output z = a: w ← w + η(t − a)x, b ← b + η(t − a).

    A step of gradient descent on ½(t − a)²; a mistake is a wrong side of the threshold 0 (midpoint of ±1).
    """
    a = _net(W, b, x)
    e = t - a
    return _apply(W, b, x, t, a, a, e, lr * e * x, lr * e, (a > 0) != (t > 0))


def hebb(W: np.ndarray, b: np.ndarray, x: np.ndarray, t: float, lr: float) -> Record:
    """The supervised Hebb net: w ← w + η·t·x, b ← b + η·t, whatever the output z = sign(a) was."""
    a = _net(W, b, x)
    z = _sign(a)
    return _apply(W, b, x, t, a, z, t - z, lr * t * x, lr * t, z != t)


def hebb_unsupervised(W: np.ndarray, b: np.ndarray, x: np.ndarray, t: float, lr: float) -> Record:
    """Plain Hebbian learning on the neuron's own linear output y = a: w ← w + η·y·x (t is ignored).

    On average Δw = η·C·w (C = E[x xᵀ]), so w grows like (1 + ηλ_max)^steps along the principal direction:
    without bound. b is not a Hebbian synapse and stays as it is (it starts at 0).
    """
    y = _net(W, b, x)
    return _apply(W, b, x, t, y, y, None, lr * y * x, 0.0, False)


def oja(W: np.ndarray, b: np.ndarray, x: np.ndarray, t: float, lr: float) -> Record:
    """Oja's rule, Hebb with a decay: w ← w + η·y·(x − y·w), y = a; ‖w‖ → 1 along the principal direction.

    b stays as it is (it starts at 0), t is ignored.
    """
    y = _net(W, b, x)
    return _apply(W, b, x, t, y, y, None, lr * y * (x - y * W[:, 0]), 0.0, False)


RULES: dict[str, Rule] = {
    r.name: r
    for r in [
        Rule(
            "perceptron",
            "Perceptron rule (Rosenblatt 1958)",
            "w ← w + η(t − z)x,  b ← b + η(t − z),  z = step(w·x + b)",
            online=True, targets="binary", output_activation="step", update=perceptron,
            stops_when_error_free=True,
            doc="changes w only on a mistake; converges on linearly separable data within (R/γ)² mistakes "
            "(Novikoff 1962); an epoch without mistakes ends training",
        ),
        Rule(
            "delta",
            "Delta rule (Widrow & Hoff 1960, Adaline)",
            "w ← w + η(t − a)x,  b ← b + η(t − a),  a = w·x + b",
            online=True, targets="bipolar", output_activation="linear", update=delta,
            doc="stochastic gradient descent on ½(t − a)²; with a small η it settles near the least-squares "
            "solution; classifies by a > 0; never stops by itself",
        ),
        Rule(
            "hebb",
            "Hebb rule (Hebb 1949; the Hebb net)",
            "w ← w + η·t·x,  b ← b + η·t",
            online=True, targets="bipolar", output_activation="sign", update=hebb,
            unbounded=True,
            doc="adds t·x for every sample, right or wrong: one epoch from zero gives w = η·Σt·x, b = η·Σt; "
            "the same step every epoch, so w grows without bound (an 'unbounded' event after "
            f"{STEADY_EPOCHS} such epochs)",
        ),
        Rule(
            "hebb_unsupervised",
            "Unsupervised Hebb rule",
            "w ← w + η·y·x,  y = w·x + b",
            online=True, targets="bipolar", output_activation="linear", update=hebb_unsupervised,
            supervised=False, unbounded=True,
            doc="ignores the labels; ‖w‖ grows without bound, reported as an 'unbounded' event",
        ),
        Rule(
            "oja",
            "Oja's rule (Oja 1982)",
            "w ← w + η·y·(x − y·w),  y = w·x + b",
            online=True, targets="bipolar", output_activation="linear", update=oja, supervised=False,
            doc="Hebb with a decay: ‖w‖ → 1 and w turns to the data's principal direction",
        ),
        Rule(
            "backprop",
            "Backpropagation (Rumelhart, Hinton & Williams 1986)",
            "W ← W − η·∂L/∂W  (by the chosen optimizer)",
            online=False, targets="binary", output_activation=None, update=None,
            doc="gradient descent through any network, by mini-batches",
        ),
    ]
}  # fmt: skip


def get_rule(name: Any) -> Rule:
    """The rule called `name`, or ConfigError on `training.rule` listing the rules."""
    if not isinstance(name, str) or name not in RULES:
        allowed = "choose one of: " + ", ".join(RULES)
        raise ConfigError("training.rule", name, allowed, f"unknown rule {name!r}; {allowed}")
    return RULES[name]


def check_rule(name: Any, hidden: Sequence[int], task: str, classes: int | None) -> Rule:
    """The rule, if it can train this problem; else ConfigError on `training.rule` saying what it needs.

    Classic rules train one neuron (`hidden: []`); supervised ones need two classes, except the delta rule,
    which also fits regression targets.
    """
    rule = get_rule(name)
    if not rule.online:
        return rule
    if len(hidden) > 0:
        msg = f"the {name} rule trains a single neuron: set network.hidden to [] or use backprop"
        raise ConfigError("training.rule", name, "backprop, or network.hidden: []", msg)
    if rule.supervised and task == "classification" and classes != 2:
        msg = f"the {name} rule separates two classes, this data has {classes}: use backprop"
        raise ConfigError("training.rule", name, "backprop, or data with two classes", msg)
    if rule.supervised and task == "regression" and name != "delta":
        msg = f"the {name} rule needs class labels; for regression targets use delta or backprop"
        raise ConfigError("training.rule", name, "delta or backprop for regression", msg)
    return rule


def steady_growth(steps: Sequence[np.ndarray], now: np.ndarray, epochs: int = STEADY_EPOCHS) -> str | None:
    """A message if the last `epochs` per-epoch steps of (w, b) (`steps`, oldest first; `now` the weights) are
    one and the same non-zero step — up to rounding, as the order of the samples may change it — else None."""
    if len(steps) < epochs:
        return None
    last = steps[-1]
    scale = float(np.max(np.abs(last)))
    if scale == 0.0 or not all(np.allclose(s, last, rtol=1e-9, atol=1e-12 * scale) for s in steps[-epochs:]):
        return None
    return (
        f"every one of the last {epochs} epochs added the same step to the weights (‖Δ(w, b)‖ = "
        f"{float(np.linalg.norm(last)):.3g}; now ‖(w, b)‖ = {float(np.linalg.norm(now)):.3g}): "
        "Hebbian growth has no bound"
    )


def runaway(W: np.ndarray, b: np.ndarray, limit: float = RUNAWAY_NORM) -> str | None:
    """A message if the weights ran away (‖(w, b)‖ > limit or not finite), else None — never raises."""
    norm = float(np.sqrt(np.sum(np.square(W)) + np.sum(np.square(b))))
    if not np.isfinite(norm):
        return "the weights overflowed: Hebbian growth has no bound"
    if norm > limit:
        return f"‖w‖ = {norm:.3g} passed {limit:.3g}: Hebbian growth has no bound (Oja's rule adds the decay)"
    return None
