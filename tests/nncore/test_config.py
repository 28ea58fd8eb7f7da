"""Config validation: defaults, normalization, derived defaults, limits and errors that name the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from nncore import DEFAULT_CONFIG, LIMITS, ConfigError, validate_config


def with_(**sections: dict[str, Any]) -> dict[str, Any]:
    return {key: dict(value) for key, value in sections.items()}


def test_empty_config_is_the_default_and_json_able() -> None:
    assert validate_config({}) == DEFAULT_CONFIG
    assert validate_config(None) == DEFAULT_CONFIG
    assert json.loads(json.dumps(DEFAULT_CONFIG, allow_nan=False)) == DEFAULT_CONFIG
    assert set(DEFAULT_CONFIG) == {"data", "features", "network", "training", "view", "seed"}


def test_validate_returns_a_new_dict_and_leaves_the_input_alone() -> None:
    raw = {"network": {"hidden": [4]}, "training": {"learning_rate": 0.1}}
    before = copy.deepcopy(raw)
    out = validate_config(raw)
    assert raw == before
    out["network"]["hidden"].append(3)
    out["training"]["epochs"] = 5
    assert validate_config(raw)["network"]["hidden"] == [4]
    assert DEFAULT_CONFIG["training"]["epochs"] == 100


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"data": {"dataset": "spiral", "n": 300, "noise": 0.2}, "network": {"hidden": [8, 8, 4]}},
        {"data": {"dataset": "blobs", "k": 4}, "training": {"optimizer": "sgd", "momentum": 0.9}},
        {"data": {"points": [[0, 0], [1, 1.5]], "labels": [0, 1]}, "training": {"rule": "perceptron"}},
        {"data": {"dataset": "sine"}, "network": {"batch_norm": [True, False], "dropout": 0.2}},
    ],
)
def test_normalization_is_idempotent(raw: dict[str, Any]) -> None:
    once = validate_config(raw)
    assert validate_config(once) == once


def test_numbers_are_normalized_to_their_kind() -> None:
    out = validate_config({"training": {"epochs": 20.0, "learning_rate": 1}, "network": {"hidden": [4.0]}})
    assert out["training"]["epochs"] == 20 and isinstance(out["training"]["epochs"], int)
    assert isinstance(out["training"]["learning_rate"], float)
    assert out["network"]["hidden"] == [4] and isinstance(out["network"]["hidden"][0], int)


def test_defaults_follow_the_task() -> None:
    multi = validate_config({"data": {"dataset": "blobs", "k": 4}})
    assert (multi["network"]["output_activation"], multi["training"]["loss"]) == ("softmax", "cross_entropy")
    reg = validate_config({"data": {"dataset": "plane"}})
    assert (reg["network"]["output_activation"], reg["training"]["loss"]) == ("linear", "mse")
    assert reg["data"]["task"] == "regression"
    tanh = validate_config({"network": {"output_activation": "tanh"}})
    assert tanh["training"]["loss"] == "mse"


def test_classic_rules_default_to_a_single_neuron_with_their_own_output() -> None:
    out = validate_config({"data": {"dataset": "and"}, "training": {"rule": "perceptron", "loss": "bce"}})
    assert out["network"]["hidden"] == []
    assert out["network"]["output_activation"] == "step"
    assert out["training"]["loss"] == "mse"
    assert out["data"]["test_fraction"] == 0.0  # gates default to no test split
    hebb = validate_config({"data": {"dataset": "and", "bipolar": True}, "training": {"rule": "hebb"}})
    assert hebb["network"]["output_activation"] == "sign"


def test_optimizer_hyperparameters_take_the_chosen_optimizers_defaults() -> None:
    adamw = validate_config({"training": {"optimizer": "adamw"}})["training"]
    assert (adamw["weight_decay"], adamw["beta1"], adamw["beta2"], adamw["eps"]) == (0.01, 0.9, 0.999, 1e-8)
    adagrad = validate_config({"training": {"optimizer": "adagrad"}})["training"]
    assert adagrad["eps"] == 1e-10 and "beta1" not in adagrad
    rms = validate_config({"training": {"optimizer": "rmsprop", "alpha": 0.9}})["training"]
    assert rms["alpha"] == 0.9 and rms["momentum"] == 0.0


def test_user_points_infer_the_task_from_the_labels() -> None:
    cls = validate_config({"data": {"points": [[0, 0], [1, 1], [2, 0]], "labels": [0, 2, 1]}})
    assert cls["data"]["task"] == "classification"
    assert cls["network"]["output_activation"] == "softmax"
    reg = validate_config({"data": {"points": [[0, 0], [1, 1]], "labels": [0.5, -1.25]}})
    assert reg["data"]["task"] == "regression" and reg["data"]["test_fraction"] == 0.0


def test_explicit_weights_are_kept_as_lists() -> None:
    weights = [{"W": [[1, 2], [3, 4]], "b": [0, 0]}, {"W": [[1], [1]], "b": [0.5]}]
    out = validate_config({"network": {"hidden": [2], "weights": weights}})
    assert out["network"]["weights"][1] == {"W": [[1.0], [1.0]], "b": [0.5]}


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"colour": "red"}, "colour", "has: data, features"),
    ({"network": {"hiden": [3]}}, "network.hiden", "network has: hidden"),
    ({"training": {"learning_rate": 0}}, "training.learning_rate", "(0, 10]"),
    ({"training": {"learning_rate": 10.5}}, "training.learning_rate", "(0, 10]"),
    ({"training": {"learning_rate": "fast"}}, "training.learning_rate", "a number"),
    ({"training": {"epochs": 100_001}}, "training.epochs", "100000"),
    ({"training": {"batch_size": 0}}, "training.batch_size", "[1, 5000]"),
    ({"training": {"batch_size": 2.5}}, "training.batch_size", "an integer"),
    ({"training": {"shuffle": "yes"}}, "training.shuffle", "true or false"),
    ({"training": {"optimizer": "lbfgs"}}, "training.optimizer", "adam"),
    ({"training": {"loss": "kl"}}, "training.loss", "cross_entropy"),
    ({"training": {"l2": -1}}, "training.l2", "[0, 10]"),
    ({"training": {"beta1": 1.5}}, "training.beta1", "0.9999"),
    ({"training": {"patience": -1}}, "training.patience", "[0, 10000]"),
    ({"network": {"hidden": [8] * 9}}, "network.hidden", "at most 8"),
    ({"network": {"hidden": [8, 65]}}, "network.hidden[1]", "[1, 64]"),
    ({"network": {"hidden": [0]}}, "network.hidden[0]", "[1, 64]"),
    ({"network": {"hidden": "8,8"}}, "network.hidden", "a list"),
    ({"network": {"activation": "swishy"}}, "network.activation", "tanh"),
    ({"network": {"output_activation": "relu"}}, "network.output_activation", "softmax"),
    ({"network": {"init": "lecun"}}, "network.init", "xavier_uniform"),
    ({"network": {"dropout": 0.95}}, "network.dropout", "0.9"),
    ({"network": {"batch_norm": [True]}}, "network.batch_norm", "list of 2"),
    ({"network": {"hidden": [2], "weights": [{"W": [[1, 2]], "b": [0, 0]}, {"W": [[1], [1]], "b": [0]}]}},
     "network.weights[0]", "W 2×2"),
    ({"network": {"hidden": [], "weights": [{"W": [[1], [float("nan")]], "b": [0]}]}}, "network.weights[0]",
     "finite"),
    ({"features": ["x1", "x3"]}, "features[1]", "x1^2"),
    ({"features": []}, "features", "non-empty"),
    ({"data": {"dataset": "mnist"}}, "data.dataset", "spiral"),
    ({"data": {"dataset": "spiral", "n": 6000}}, "data.n", "5000"),
    ({"data": {"dataset": "spiral", "k": 3}}, "data.k", "spiral takes"),
    ({"data": {"dataset": "blobs", "k": 9}}, "data.k", "[2, 8]"),
    ({"data": {"dataset": "spiral", "test_fraction": 0.95}}, "data.test_fraction", "0.9"),
    ({"data": {"dataset": "spiral", "task": "regression"}}, "data.task", "classification set"),
    ({"data": {"dataset": "spiral", "extent": [1, 0, 0, 1]}}, "data.extent", "x_min < x_max"),
    ({"data": {"points": [[0, 0]]}}, "data.labels", "both points and labels"),
    ({"data": {"points": [[0, 0], [1]], "labels": [0, 1]}}, "data.points", "[x1, x2] pairs"),
    ({"data": {"points": [[0, 0]], "labels": [0], "noise": 1}}, "data.noise", "user data takes"),
    ({"view": {"grid": 500}}, "view.grid", "200"),
    ({"view": {"zoom": 2}}, "view.zoom", "view has: grid"),
    ({"seed": -1}, "seed", ">= 0"),
    ({"training": {"loss": "bce"}, "network": {"output_activation": "tanh"}}, "training.loss", "'sigmoid'"),
    ({"training": {"loss": "cross_entropy"}}, "training.loss", "'softmax'"),
    ({"network": {"output_activation": "softmax"}, "training": {"loss": "hinge"}}, "training.loss",
     "cross_entropy or mse"),
    ({"data": {"dataset": "blobs", "k": 3}, "network": {"output_activation": "sigmoid"}},
     "network.output_activation", "3 classes need the softmax"),
    ({"data": {"dataset": "plane"}, "training": {"loss": "hinge"}}, "training.loss", "regression needs"),
    ({"data": {"dataset": "plane"}, "network": {"output_activation": "step"}}, "network.output_activation",
     "regression needs"),
    ({"training": {"rule": "perceptron"}, "network": {"hidden": [4]}}, "training.rule", "single neuron"),
    ({"data": {"dataset": "blobs", "k": 3}, "training": {"rule": "perceptron"}}, "training.rule",
     "two classes"),
    ({"data": {"dataset": "plane"}, "training": {"rule": "hebb"}}, "training.rule", "class labels"),
    ({"network": {"batch_norm": True}, "training": {"batch_size": 1}}, "network.batch_norm",
     "batch_size >= 2"),
    ({"training": {"optimizer": "sgd", "nesterov": True, "dampening": 0.5}}, "training.nesterov",
     "dampening"),
    ([1, 2], "config", "must be an object"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "field", "fragment"), BAD)
def test_bad_configs_name_the_field_the_value_and_what_is_allowed(
    raw: Any, field: str, fragment: str
) -> None:
    with pytest.raises(ConfigError) as info:
        validate_config(raw)
    err = info.value
    assert err.field == field
    assert fragment in str(err)
    assert isinstance(err, ValueError)
    assert json.dumps(err.to_dict())


def test_limits_are_the_documented_ones() -> None:
    assert LIMITS["hidden_layers"] == 8 and LIMITS["neurons"] == 64 and LIMITS["points"] == 5000
    assert LIMITS["epochs"] == 100_000 and LIMITS["learning_rate"] == 10 and LIMITS["batch_size"] == 5000
    assert LIMITS["grid"] == 200 and LIMITS["classes"] == 8
    validate_config({"network": {"hidden": [64] * 8}, "training": {"learning_rate": 10, "epochs": 100_000}})
