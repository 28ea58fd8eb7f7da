"""Optimizers with PyTorch's update rules and defaults, updating live parameter arrays in place.

An optimizer holds the list of parameter arrays it trains (`params`) and per-array state (momentum
buffers, moment estimates). `step(grads)` applies one update, `grads[i]` being dL/d params[i]; `lr` is a
plain attribute that may change between steps. θ is a parameter, g its gradient, t the step number
(1, 2, …), λ weight_decay, μ momentum, τ dampening, η lr_decay:

    sgd      g ← g + λθ;  b ← μb + (1−τ)g (b₁ = g);  g ← g + μb if nesterov else b;  θ ← θ − lr·g
    rmsprop  g ← g + λθ;  v ← αv + (1−α)g²;  [centered: m ← αm + (1−α)g, v̂ = v − m²];
             d = g/(√v̂ + ε);  with momentum μ: b ← μb + d, θ ← θ − lr·b, else θ ← θ − lr·d
    adagrad  g ← g + λθ;  s ← s + g² (s₀ = initial_accumulator_value);  θ ← θ − lr/(1+(t−1)η) · g/(√s + ε)
    adam     g ← g + λθ;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  [amsgrad: v ← max(v_max, v)]
             θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)
    adamw    θ ← θ(1 − lr·λ), then adam without the λθ term (decoupled weight decay)

Sgd with μ = 0 is plain gradient descent; sgd's nesterov with μ = 0 equals plain gradient descent too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from nncore.errors import ConfigError
from nncore.params import Param


class Optimizer:
    """Base class: `params` updated in place by `step(grads)`.

    `lr` and the `hyper` dict are read at every step, so changing them (`opt.lr = 0.1`,
    `opt.hyper.update(momentum=0.9)`) takes effect at the next step; state is kept.
    """

    def __init__(self, params: list[np.ndarray], lr: float, **hyper: Any) -> None:
        self.params = params
        self.lr = lr
        self.hyper = hyper
        self.t = 0  # steps taken
        self.state: list[dict[str, np.ndarray]] = [{} for _ in params]

    def step(self, grads: list[np.ndarray]) -> None:
        """Apply one update to every parameter array, given the gradients in the same order."""
        if len(grads) != len(self.params):
            raise ValueError(f"step() got {len(grads)} gradients for {len(self.params)} parameter arrays")
        self.t += 1
        for p, g, state in zip(self.params, grads, self.state, strict=True):
            self._update(p, g, state)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        raise NotImplementedError

    @staticmethod
    def _buffer(state: dict[str, np.ndarray], name: str, p: np.ndarray, fill: float = 0.0) -> np.ndarray:
        """The state array `name` for parameter p, created (filled with `fill`) on its first use only."""
        buf = state.get(name)
        if buf is None:
            buf = state[name] = np.full_like(p, fill, dtype=np.float64)
        return buf

    def _decayed(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """g + λθ (L2 weight decay folded into the gradient), or g itself when λ = 0."""
        wd = self.hyper["weight_decay"]
        return g + wd * p if wd else g


class SGD(Optimizer):
    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        g = self._decayed(p, g)
        mu = self.hyper["momentum"]
        if mu:
            if "b" not in state:
                state["b"] = np.array(g, dtype=np.float64)
            else:
                b = state["b"]
                b *= mu
                b += (1.0 - self.hyper["dampening"]) * g
            g = g + mu * state["b"] if self.hyper["nesterov"] else state["b"]
        p -= self.lr * g


class RMSprop(Optimizer):
    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        g = self._decayed(p, g)
        alpha, mu = self.hyper["alpha"], self.hyper["momentum"]
        v = self._buffer(state, "v", p)
        v *= alpha
        v += (1.0 - alpha) * g * g
        if self.hyper["centered"]:
            m = self._buffer(state, "m", p)
            m *= alpha
            m += (1.0 - alpha) * g
            d = g / (np.sqrt(v - m * m) + self.hyper["eps"])
        else:
            d = g / (np.sqrt(v) + self.hyper["eps"])
        if mu:
            b = self._buffer(state, "b", p)
            b *= mu
            b += d
            d = b
        p -= self.lr * d


class Adagrad(Optimizer):
    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        g = self._decayed(p, g)
        s = self._buffer(state, "s", p, self.hyper["initial_accumulator_value"])
        s += g * g
        lr = self.lr / (1.0 + (self.t - 1) * self.hyper["lr_decay"])
        p -= lr * g / (np.sqrt(s) + self.hyper["eps"])


class Adam(Optimizer):
    decoupled = False

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        if self.decoupled:
            p *= 1.0 - self.lr * self.hyper["weight_decay"]
        else:
            g = self._decayed(p, g)
        b1, b2 = self.hyper["beta1"], self.hyper["beta2"]
        m = self._buffer(state, "m", p)
        v = self._buffer(state, "v", p)
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * g * g
        if self.hyper["amsgrad"]:
            v_max = self._buffer(state, "v_max", p)
            np.maximum(v_max, v, out=v_max)
            v = v_max
        bias1, bias2 = 1.0 - b1**self.t, 1.0 - b2**self.t
        p -= (self.lr / bias1) * m / (np.sqrt(v) / math.sqrt(bias2) + self.hyper["eps"])


class AdamW(Adam):
    decoupled = True


@dataclass(frozen=True)
class OptimizerSpec:
    """What the catalog shows for one optimizer and how to build it."""

    name: str
    description: str
    equation: str
    default_lr: float
    hyper: dict[str, Param]
    cls: type[Optimizer]

    def describe(self) -> dict[str, Any]:
        """A JSON-able description: texts, PyTorch's default learning rate and each hyperparameter."""
        return {
            "description": self.description,
            "equation": self.equation,
            "default_lr": self.default_lr,
            "hyper": {key: param.describe() for key, param in self.hyper.items()},
        }


def _decay(default: float = 0.0) -> Param:
    return Param(default, 0.0, 1.0, doc="weight decay λ")


def _momentum() -> Param:
    """sgd's and rmsprop's momentum: one spec, as the config's single `training.momentum` relies on it."""
    return Param(0.0, 0.0, 0.999, doc="momentum μ")


def _eps(default: float) -> Param:
    return Param(default, 1e-12, 1e-3, doc="ε added to the denominator")


def _flag(doc: str) -> Param:
    return Param(False, kind="bool", doc=doc)


_ADAM_HYPER = {
    "beta1": Param(0.9, 0.0, 0.9999, doc="β₁, decay of the first-moment (mean) estimate"),
    "beta2": Param(0.999, 0.0, 0.9999, doc="β₂, decay of the second-moment estimate"),
    "eps": _eps(1e-8),
    "amsgrad": _flag("use the running maximum of the second moment"),
}

#: Optimizers by name.
OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.name: spec
    for spec in (
        OptimizerSpec("sgd", "stochastic gradient descent, optionally with (Nesterov) momentum",
                      "b ← μb + (1−τ)g;  θ ← θ − lr·(nesterov ? g + μb : b)", 1e-3,
                      {"momentum": _momentum(),
                       "dampening": Param(0.0, 0.0, 1.0, doc="dampening τ of the momentum buffer"),
                       "nesterov": _flag("Nesterov momentum (needs dampening 0)"),
                       "weight_decay": _decay()}, SGD),
        OptimizerSpec("rmsprop", "divides each step by a running RMS of recent gradients",
                      "v ← αv + (1−α)g²;  θ ← θ − lr·g/(√v + ε)", 1e-2,
                      {"alpha": Param(0.99, 0.0, 0.9999, doc="smoothing constant α"),
                       "eps": _eps(1e-8),
                       "momentum": _momentum(),
                       "centered": _flag("divide by the estimated variance, not the raw second moment"),
                       "weight_decay": _decay()}, RMSprop),
        OptimizerSpec("adagrad", "per-weight step sizes shrinking with the sum of squared gradients",
                      "s ← s + g²;  θ ← θ − lr/(1+(t−1)η)·g/(√s + ε)", 1e-2,
                      {"lr_decay": Param(0.0, 0.0, 1.0, doc="learning-rate decay η"),
                       "initial_accumulator_value": Param(0.0, 0.0, 10.0, doc="starting value of s"),
                       "eps": _eps(1e-10),
                       "weight_decay": _decay()}, Adagrad),
        OptimizerSpec("adam", "momentum plus RMS scaling, with bias-corrected moment estimates",
                      "m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − lr·m̂/(√v̂ + ε)", 1e-3,
                      {**_ADAM_HYPER, "weight_decay": _decay()}, Adam),
        OptimizerSpec("adamw", "Adam with decoupled weight decay",
                      "θ ← θ(1 − lr·λ);  then the Adam step on g", 1e-3,
                      {**_ADAM_HYPER, "weight_decay": _decay(0.01)}, AdamW),
    )
}  # fmt: skip


def make_optimizer(name: str, params: list[np.ndarray], lr: float, **hyper: Any) -> Optimizer:
    """Build optimizer `name` over `params`; hyperparameters not given take PyTorch's defaults.

    Each value is checked by its Param (a ConfigError names the field, e.g. "training.momentum"); an unknown
    optimizer or a hyperparameter the optimizer does not take raises a ValueError / ConfigError.
    """
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    spec = OPTIMIZERS[name]
    for key, value in hyper.items():
        if key not in spec.hyper:
            raise ConfigError(f"training.{key}", value, f"{name} takes: {', '.join(spec.hyper)}")
    values = {
        key: param.check(f"training.{key}", hyper.get(key, param.default))
        for key, param in spec.hyper.items()
    }
    if values.get("nesterov") and values["dampening"]:
        raise ConfigError("training.nesterov", True, "Nesterov momentum needs dampening 0")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr < 0:
        raise ConfigError("training.learning_rate", lr, "must be a finite number >= 0")
    return spec.cls(params, float(lr), **values)
