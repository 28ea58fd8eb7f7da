"""The catalog: everything a user can choose, with formulas, defaults and limits, from the registries.

The page builds its menus from it, so nothing here is written by hand twice: each registry is listed once
(an activation that can serve as output says so with `"output": true`; an alias names the entry it equals
with `"same_as"`), and config fields list only the settings no registry describes.
"""

from __future__ import annotations

import copy
from typing import Any

from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, SOFTMAX, Activation
from nncore.config import DEFAULT_CONFIG, NETWORK, SEED, TRAINING, VIEW
from nncore.data import TEST_FRACTION
from nncore.datasets import DATASETS
from nncore.features import FEATURES
from nncore.initializers import INITIALIZERS
from nncore.jsonable import jsonable
from nncore.limits import LIMITS
from nncore.losses import LOSSES
from nncore.optimizers import OPTIMIZERS
from nncore.rules import RULES


def _activation(act: Activation, first: dict[Any, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "formula": act.formula,
        "derivative": act.derivative,
        "range": jsonable(act.range),  # an unbounded end is null
        "hidden": act.name in ACTIVATIONS,
        "output": act.name in OUTPUT_ACTIVATIONS,
    }
    original = first.setdefault(act.f, act.name)
    if original != act.name:
        entry["same_as"] = original
    return entry


def _initializers() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    first: dict[str, str] = {}
    for name, formula in INITIALIZERS.items():
        out[name] = {"formula": formula}
        original = first.setdefault(formula, name)
        if original != name:
            out[name]["same_as"] = original
    return out


def catalog() -> dict[str, Any]:
    """A JSON-able description of every choice: registries, config fields, limits and the default config."""
    first: dict[Any, str] = {}
    activations = {a.name: _activation(a, first) for a in [*ACTIVATIONS.values(), SOFTMAX]}
    own = ("rule", "loss", "optimizer", "momentum", "nesterov")  # described by the registries below
    fields = {
        "data": {"test_fraction": TEST_FRACTION.describe()},
        "network": {"dropout": NETWORK["dropout"].describe()},
        "training": {k: p.describe() for k, p in TRAINING.items() if k not in own},
        "view": {k: p.describe() for k, p in VIEW.items()},
        "seed": SEED.describe(),
    }
    return {
        "activations": activations,
        "losses": {
            name: {
                "formula": loss.formula,
                "derivative": loss.derivative,
                "requires_output": loss.requires_output,
            }
            for name, loss in LOSSES.items()
        },
        "optimizers": {name: spec.describe() for name, spec in OPTIMIZERS.items()},
        "rules": {name: rule.describe() for name, rule in RULES.items()},
        "datasets": {name: spec.describe() for name, spec in DATASETS.items()},
        "features": dict(FEATURES),
        "initializers": _initializers(),
        "fields": fields,
        "limits": dict(LIMITS),
        "defaults": copy.deepcopy(DEFAULT_CONFIG),
    }
