"""What makes a lesson claim trustworthy on every machine: several seeds, and reruns that change the rounding.

A claim about a training outcome must not hinge on the last bit: CPUs round matrix products differently and a
long run amplifies that. So each claim is a function `claim(item, run) -> Verdict` that trains the lesson's
own configs through `run.config(...)`, and the tests ask

- `over_seeds`: does it hold for (at least 4 of) 5 seeds? `Run(k)` moves every seed the lesson sets by k: the
  config's `seed` (initial weights, shuffling, dropout masks) always, and the data's `seed` where the lesson
  draws a generated dataset with one (the gates and the drawn points have nothing to draw);
- `assert_same_verdict`: does the verdict stay the same when the initial weights move by a relative 1e-12
  (`Run(perturb=True)`), and, for a loss computed from logits (bce, cross_entropy), when the trainer computes
  the same loss from probabilities instead (`Run(probabilities=True)`)? Either changes the rounding of the
  whole run and nothing else.

`NNLIVE_LESSON_SEED_SHIFT` (an integer, default 0) shifts every lesson seed once more, for every run here, so
that CI can check the claims on a second set of seeds (`.ci/run`). Only these tests read it; the app does not.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from unittest import mock

import numpy as np

from app.lessons_catalog import get_lesson, lessons
from nncore.losses import LOSSES, Loss
from nncore.trainer import Trainer

SEED_SHIFT_VARIABLE = "NNLIVE_LESSON_SEED_SHIFT"
SEEDS = 5  # a claim is checked on this many seeds
PERTURBATION = 1e-12  # relative change of every initial weight in a rounding-level rerun

_LOG_FLOOR = -100.0  # PyTorch's BCELoss/NLLLoss clamp ln p at −100; so do the probability forms below
_P_FLOOR = 1e-12  # and PyTorch's BCELoss keeps p(1 − p) at least 1e-12 in its gradient


def seed_shift() -> int:
    """The shift of every lesson seed: the integer in NNLIVE_LESSON_SEED_SHIFT, 0 when it is unset."""
    text = os.environ.get(SEED_SHIFT_VARIABLE, "").strip()
    try:
        return int(text) if text else 0
    except ValueError:
        raise ValueError(f"{SEED_SHIFT_VARIABLE} must be an integer, got {text!r}") from None


def lesson(number: int) -> dict[str, Any]:
    """Lesson `number` as the app serves it (its config and each variant's merged config)."""
    by_number = {item["number"]: item for item in lessons()}
    return get_lesson(by_number[number]["id"])


def variant(item: dict[str, Any], label: str) -> dict[str, Any]:
    """The config of the side-by-side run called `label` (the base run's label gives the base config)."""
    if label == item.get("base_label"):
        return copy.deepcopy(item["config"])
    return copy.deepcopy(next(v["config"] for v in item["variants"] if v["label"] == label))


# ---- how a claim is run -----------------------------------------------------------------------------------


def perturbed_weights(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The config's initial weights (hand-set, or drawn from its seed), each changed by a relative 1e-12.

    Every weight and bias w becomes w·(1 ± 1e-12), the signs from a fixed generator (so configs with the same
    shapes get the same perturbation and still start together); a zero becomes ±1e-12 (a relative change of
    zero would be none).
    """
    signs = np.random.default_rng(20_260_101)
    weights = []
    for layer in Trainer(config).network.weights():
        moved = {}
        for key, w in layer.items():
            s = signs.choice([-1.0, 1.0], size=w.shape)
            moved[key] = np.where(w == 0.0, PERTURBATION * s, w * (1.0 + PERTURBATION * s)).tolist()
        weights.append(moved)
    return weights


@dataclass(frozen=True)
class Run:
    """Which seeds and which rounding a claim is run with: the lesson's seeds moved by `k` plus the shift, or
    with `scene` the lesson's own seeds (the scene the app loads; the shift does not apply)."""

    k: int = 0
    perturb: bool = False
    probabilities: bool = False
    scene: bool = False

    @property
    def offset(self) -> int:
        return 0 if self.scene else seed_shift() + self.k

    def config(self, config: dict[str, Any]) -> dict[str, Any]:
        """`config` with its seeds moved by the offset and, for a perturbed run, its start perturbed."""
        config = copy.deepcopy(config)
        config["seed"] = config.get("seed", 0) + self.offset
        if "seed" in config.get("data", {}):
            config["data"]["seed"] += self.offset
        if self.perturb:
            config.setdefault("network", {})["weights"] = perturbed_weights(config)
        return config

    def describe(self) -> str:
        how = "perturbed start" if self.perturb else "losses from probabilities" if self.probabilities else ""
        seeds = "the scene's own seeds" if self.scene else f"seed offset {self.offset}"
        return seeds + (f", {how}" if how else "")


def _bce_from_probabilities(p: np.ndarray, t: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        logs = t * np.maximum(np.log(p), _LOG_FLOOR) + (1 - t) * np.maximum(np.log1p(-p), _LOG_FLOOR)
    return float(-np.mean(logs))


def _bce_grad_from_probabilities(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    return (p - t) / np.maximum(p * (1.0 - p), _P_FLOOR) / p.size


def _ce_from_probabilities(p: np.ndarray, t: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        return float(-np.sum(t * np.maximum(np.log(p), _LOG_FLOOR)) / len(p))


def _ce_grad_from_probabilities(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    return -t / np.maximum(p, np.exp(_LOG_FLOOR)) / len(p)


#: bce and cross_entropy computed from the output probabilities (as PyTorch's BCELoss and NLLLoss of a
#: softmax), instead of from the logits as nncore does: the same functions and gradients, rounded differently.
#: The trainer then takes dL/dp through the output activation's own backward (σ′, or softmax's Jacobian).
PROBABILITY_FORMS: dict[str, Loss] = {
    "bce": Loss("bce", "−mean(t·ln p + (1 − t)·ln(1 − p))", None, _bce_from_probabilities,
                _bce_grad_from_probabilities),
    "cross_entropy": Loss("cross_entropy", "−mean over rows of Σ_j t_j·ln p_j", None, _ce_from_probabilities,
                          _ce_grad_from_probabilities),
}  # fmt: skip


@contextmanager
def losses_from_probabilities() -> Iterator[None]:
    """Within this block every trainer computes bce and cross_entropy from probabilities."""
    with mock.patch.dict(LOSSES, PROBABILITY_FORMS):
        yield


def uses_logit_loss(item: dict[str, Any]) -> bool:
    """Whether any run of the lesson trains with a loss that has a probability form."""
    configs = [item["config"], *(v["config"] for v in item["variants"])]
    return any(Trainer(c).config["training"]["loss"] in PROBABILITY_FORMS for c in configs)


# ---- verdicts ----------------------------------------------------------------------------------------------


@dataclass
class Verdict:
    """A claim's outcome on one run: named checks (all must pass) and the numbers behind them."""

    checks: dict[str, bool] = field(default_factory=dict)
    numbers: dict[str, Any] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return all(self.checks.values())

    def check(self, name: str, ok: Any) -> None:
        self.checks[name] = bool(ok)

    def __str__(self) -> str:
        failed = [name for name, ok in self.checks.items() if not ok]
        numbers = ", ".join(f"{k} {_fmt(v)}" for k, v in self.numbers.items())
        return ("holds" if self.holds else "fails: " + "; ".join(failed)) + f" ({numbers})"


def _fmt(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


Claim = Callable[[dict[str, Any], Run], Verdict]


def verdict(claim: Claim, item: dict[str, Any], run: Run) -> Verdict:
    """The claim's verdict on one run."""
    if run.probabilities:
        with losses_from_probabilities():
            return claim(item, run)
    return claim(item, run)


def over_seeds(claim: Claim, item: dict[str, Any], seeds: int = SEEDS) -> list[Verdict]:
    """The claim's verdicts for seed offsets 0 … seeds − 1 (plus the shift)."""
    return [verdict(claim, item, Run(k)) for k in range(seeds)]


def assert_holds(verdicts: list[Verdict], at_least: int) -> None:
    """At least `at_least` of the verdicts hold; the message lists every seed's numbers."""
    held = sum(v.holds for v in verdicts)
    report = "\n".join(f"  seed offset {seed_shift() + k}: {v}" for k, v in enumerate(verdicts))
    assert held >= at_least, (
        f"the claim holds for {held} of {len(verdicts)} seeds, needs {at_least}:\n{report}"
    )


def assert_same_verdict(claim: Claim, item: dict[str, Any], run: Run = Run(scene=True)) -> Verdict:
    """The claim's verdict on `run` (default: the scene) stays the same with a perturbed start and, where the
    lesson's loss has one, in the probability form; returns the verdict of `run` itself."""
    plain = verdict(claim, item, run)
    others = [replace(run, perturb=True)]
    if uses_logit_loss(item):
        others.append(replace(run, probabilities=True))
    for other in others:
        again = verdict(claim, item, other)
        assert again.checks == plain.checks, (
            f"the verdict hinges on rounding: {run.describe()}: {plain}\n{other.describe()}: {again}"
        )
    return plain


def assert_scene_shows_it(claim: Claim, item: dict[str, Any]) -> None:
    """The scene the app loads (the lesson's own seeds) shows the claim, and not by luck of rounding."""
    scene = assert_same_verdict(claim, item)
    assert scene.holds, f"the lesson's own scene does not show its claim: {scene}"


def trained(config: dict[str, Any]) -> Trainer:
    """A trainer for `config`, run to its end."""
    trainer = Trainer(config)
    trainer.run_epochs(trainer.config["training"]["epochs"])
    return trainer
