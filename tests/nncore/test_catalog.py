"""Catalog: generated from the registries, complete, JSON-able, nothing listed twice."""

from __future__ import annotations

import json

import numpy as np

from nncore import DEFAULT_CONFIG, LIMITS, catalog
from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, get_activation
from nncore.data import default_extent
from nncore.datasets import DATASETS, TRUTH_TABLES, make_dataset
from nncore.features import FEATURES
from nncore.initializers import INITIALIZERS
from nncore.live import LIVE
from nncore.losses import LOSSES
from nncore.optimizers import OPTIMIZERS
from nncore.rules import RULES
from nncore.targets import decode_classes, target_levels


def test_catalog_is_json_without_nan_or_infinity() -> None:
    text = json.dumps(catalog(), allow_nan=False, ensure_ascii=False)
    assert json.loads(text) == catalog()


def test_every_registry_entry_is_listed_once() -> None:
    cat = catalog()
    assert set(cat["activations"]) == {*ACTIVATIONS, "softmax"}
    assert {n for n, a in cat["activations"].items() if a["output"]} == set(OUTPUT_ACTIVATIONS)
    assert {n for n, a in cat["activations"].items() if a["hidden"]} == set(ACTIVATIONS)
    assert set(cat["losses"]) == set(LOSSES) and cat["losses"]["bce"]["requires_output"] == "sigmoid"
    assert set(cat["optimizers"]) == set(OPTIMIZERS)
    assert cat["optimizers"]["adam"]["hyper"]["beta2"]["default"] == 0.999
    assert set(cat["rules"]) == set(RULES) and "η" in cat["rules"]["perceptron"]["equation"]
    assert set(cat["datasets"]) == set(DATASETS) and cat["datasets"]["blobs"]["params"]["k"]["max"] == 8
    assert cat["features"] == FEATURES
    assert set(cat["initializers"]) == set(INITIALIZERS)
    assert cat["limits"] == LIMITS and cat["defaults"] == DEFAULT_CONFIG


def test_activation_entries_carry_formula_and_range() -> None:
    acts = catalog()["activations"]
    assert acts["tanh"]["range"] == [-1.0, 1.0] and "tanh" in acts["tanh"]["formula"]
    assert acts["relu"]["range"] == [0.0, None]  # unbounded above: null in JSON
    assert acts["silu"]["same_as"] == "swish" and "same_as" not in acts["swish"]
    assert catalog()["initializers"]["glorot_uniform"]["same_as"] == "xavier_uniform"


def test_config_fields_do_not_repeat_what_registries_describe() -> None:
    cat = catalog()
    training = set(cat["fields"]["training"])
    assert {"learning_rate", "batch_size", "epochs", "l1", "l2", "patience", "shuffle"} <= training
    hyper = {k for spec in cat["optimizers"].values() for k in spec["hyper"]}
    assert not training & hyper
    assert not training & {"rule", "loss", "optimizer"}
    assert cat["fields"]["view"]["grid"]["max"] == LIMITS["grid"]


def test_catalog_defaults_are_a_copy() -> None:
    cat = catalog()
    cat["defaults"]["training"]["epochs"] = 1
    assert DEFAULT_CONFIG["training"]["epochs"] == 100


def test_page_facts_are_the_engines() -> None:
    """What the page reads besides the registries comes from the engine's own definitions."""
    cat = catalog()
    assert cat["plane"] == {"extent": default_extent(np.empty((0, 2))), "axes": ["x1", "x2"]}
    assert cat["gates"]["datasets"] == list(TRUTH_TABLES)
    assert [[2 * v - 1 for v in c] for c in cat["gates"]["corners"]] == cat["gates"]["bipolar_corners"]
    for gate, truth in cat["gates"]["truth"].items():  # each corner's class, as the dataset labels it
        X, y = make_dataset(gate)
        for corner, label in zip(cat["gates"]["corners"], truth, strict=True):
            assert set(y[np.all(np.isclose(X, corner, atol=0.2), axis=1)].tolist()) == {label}
    assert cat["live"] == list(LIVE)
    assert {n for n, o in cat["outputs"].items() if o["per_class"]} == {"softmax"}
    assert {n for n, o in cat["outputs"].items() if o["identity"]} == {"linear"}
    assert {n: r["levels"] for n, r in cat["rule_targets"].items()} == {
        n: list(r.levels) for n, r in RULES.items() if r.online
    }


def test_a_single_units_cut_is_where_the_engine_changes_class() -> None:
    """For every output and loss: net inputs just above `cut` decode as class 1, just below as class 0."""
    for name, spec in catalog()["outputs"].items():
        for loss, reading in spec.get("binary", {}).items():
            levels = target_levels(name, loss)
            assert reading["levels"] == list(levels)
            assert reading["threshold"] == (levels[0] + levels[1]) / 2
            f = get_activation(name, output=True).f
            if reading["cut"] is None:
                continue
            a = np.array([[reading["cut"] - 1e-6], [reading["cut"] + 1e-6]])
            assert decode_classes(f(a), levels).tolist() == [0, 1], (name, loss)
    assert catalog()["outputs"]["sigmoid"]["binary"]["bce"]["cut"] == 0.0
    assert catalog()["rule_targets"]["perceptron"] == {"levels": [0.0, 1.0], "threshold": 0.5, "cut": 0.0}
