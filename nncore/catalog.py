"""The catalog: everything a user can choose, with formulas, defaults and limits, from the registries.

The page builds its menus from it, so nothing here is written by hand twice: each registry is listed once
(an activation that can serve as output says so with `"output": true`; an alias names the entry it equals
with `"same_as"`), and config fields list only the settings no registry describes.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import numpy as np

from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, SOFTMAX, Activation, get_activation
from nncore.config import DEFAULT_CONFIG, HIDDEN_SIZE, NETWORK, SEED, TRAINING, VIEW
from nncore.data import TEST_FRACTION, default_extent
from nncore.datasets import CORNERS, DATASETS, TRUTH_TABLES
from nncore.features import FEATURES, transform
from nncore.initializers import INITIALIZERS
from nncore.jsonable import jsonable
from nncore.limits import LIMITS
from nncore.live import LIVE
from nncore.losses import LOSSES
from nncore.optimizers import OPTIMIZERS
from nncore.rules import RULES
from nncore.targets import target_levels


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
        "network": {"dropout": NETWORK["dropout"].describe(), "hidden": HIDDEN_SIZE.describe()},
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
        **page_facts(),
    }


# ---- Facts the page reads besides the registries (static/js/catalog.js), derived from the engine -----------


def _binary(act: Activation, levels: tuple[float, float]) -> dict[str, Any]:
    """How one output unit `act` trained towards `levels` (class 0, class 1) is read.

    It says class 1 where its output exceeds the levels' midpoint (`data.decode_classes`), i.e. where the net
    input a exceeds `cut` (f never decreases, so that is one number; None when every net input does).
    """
    threshold = (levels[0] + levels[1]) / 2
    lo, hi = -1e6, 1e6
    if act.f(np.array([lo]))[0] > threshold:
        cut = None
    else:
        for _ in range(100):  # bisection for the step where f passes the threshold (to far below 1e-9)
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if act.f(np.array([mid]))[0] > threshold else (mid, hi)
        cut = round(hi, 9) + 0.0
    return {"levels": [levels[0], levels[1]], "threshold": threshold, "cut": cut}


def _outputs() -> dict[str, dict[str, Any]]:
    """Per output activation: one unit per class (softmax) or one unit, whether it is the identity (z = a),
    and for one unit how each loss reads it (`_binary` with `data.target_levels`)."""
    probe = np.array([-2.0, -0.5, 0.5, 3.0])
    out: dict[str, dict[str, Any]] = {}
    for name in OUTPUT_ACTIVATIONS:
        act = get_activation(name, output=True)
        if name == SOFTMAX.name:
            out[name] = {"per_class": True, "identity": False}
            continue
        out[name] = {
            "per_class": False,
            "identity": bool(np.array_equal(act.f(probe), probe)),
            "binary": {loss: _binary(act, target_levels(name, loss)) for loss in LOSSES},
        }
    return out


def page_facts() -> dict[str, Any]:
    """What the page needs to know beyond the registries (a copy; see `_page_facts`)."""
    return copy.deepcopy(_page_facts())


@functools.cache
def _page_facts() -> dict[str, Any]:
    """What the page needs to know beyond the registries, so that it types none of it again (computed once:
    the registries do not change):

    - `plane`: the extent of a plane without points (`datasets.default_extent`) and the features that are
      the raw coordinates (x1, x2);
    - `outputs`: how a network's output is read (see `_outputs`); `rule_targets`: the same for the classic
      rules, which train towards their own levels with their own output;
    - `gates`: the logic-gate datasets, on the unit square's corners (or ±1 corners with `bipolar`), and each
      gate's truth table (the class of each corner, in the corners' order);
    - `live`: the settings a running session changes without a reset (`nncore.live.LIVE`).
    """
    probe = np.array([[2.0, 3.0]])
    axes = [next(n for n in FEATURES if transform(probe, [n])[0, 0] == v) for v in probe[0]]
    return {
        "plane": {"extent": default_extent(np.empty((0, 2))), "axes": axes},
        "outputs": _outputs(),
        "rule_targets": {
            name: _binary(get_activation(str(rule.output_activation), output=True), rule.levels)
            for name, rule in RULES.items()
            if rule.online
        },
        "gates": {
            "datasets": list(TRUTH_TABLES),
            "corners": CORNERS.tolist(),
            "bipolar_corners": (2.0 * CORNERS - 1.0).tolist(),
            "truth": {name: list(table) for name, table in TRUTH_TABLES.items()},
        },
        "live": list(LIVE),
    }
