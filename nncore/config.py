"""The config: one JSON-able dict describing a run, validated and normalized here (reference: docs/config.md).

`validate_config(raw)` returns a new dict with every default filled in, or raises `ConfigError` naming the
dotted field, the bad value and what is allowed. Unknown keys are errors that list the keys that exist. Some
defaults follow other choices: with a classic rule `network.hidden` defaults to [] and the output activation
is the rule's own (the reported loss is then mse); without an explicit output activation a regression gets
linear, more than two classes softmax, otherwise sigmoid; without an explicit loss softmax gets cross_entropy,
a sigmoid classifier bce, everything else mse.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np

from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from nncore.data import validate_data
from nncore.errors import ConfigError
from nncore.features import check_features
from nncore.initializers import INITIALIZERS
from nncore.limits import GRID, LIMITS, NEURON_GRID
from nncore.limits import SEED as ANY_SEED
from nncore.losses import LOSSES
from nncore.optimizers import OPTIMIZERS, make_optimizer
from nncore.params import Param
from nncore.rules import RULES, check_rule

SEED = dataclasses.replace(ANY_SEED, doc="seed of the weights, the shuffling and the dropout masks")
NETWORK: dict[str, Param] = {
    "activation": Param("tanh", kind="choice", choices=tuple(ACTIVATIONS), doc="hidden-layer activation"),
    "output_activation": Param("sigmoid", kind="choice", choices=OUTPUT_ACTIVATIONS, doc="output activation"),
    "init": Param("xavier_uniform", kind="choice", choices=tuple(INITIALIZERS), doc="weight initializer"),
    "dropout": Param(0.0, 0.0, LIMITS["dropout"], doc="probability of dropping a hidden unit while training"),
}
TRAINING: dict[str, Param] = {
    "rule": Param("backprop", kind="choice", choices=tuple(RULES), doc="learning rule"),
    "loss": Param("bce", kind="choice", choices=tuple(LOSSES), doc="loss function"),
    "optimizer": Param("adam", kind="choice", choices=tuple(OPTIMIZERS), doc="optimizer (backprop)"),
    "learning_rate": Param(0.01, 0.0, LIMITS["learning_rate"], doc="step size η, > 0", above_min=True),
    "batch_size": Param(10, 1, LIMITS["batch_size"], "int", doc="samples per update (≥ n: full batch)"),
    "shuffle": Param(True, kind="bool", doc="shuffle the training data every epoch"),
    "epochs": Param(
        100,
        1,
        LIMITS["epochs"],
        "int",
        doc="epochs to train (null: a live session's until paused)",
        nullable="until paused",
    ),
    "l1": Param(0.0, 0.0, LIMITS["penalty"], doc="L1 penalty λ₁·Σ|W|"),
    "l2": Param(0.0, 0.0, LIMITS["penalty"], doc="L2 penalty (λ₂/2)·ΣW²"),
    "patience": Param(
        0,
        0,
        LIMITS["patience"],
        "int",
        doc="early stopping after this many epochs without a better test loss (0 = off)",
    ),
    "momentum": OPTIMIZERS["sgd"].hyper["momentum"],
    "nesterov": OPTIMIZERS["sgd"].hyper["nesterov"],
}
#: Optimizer hyperparameters by name (the first optimizer defining one gives the spec for others).
HYPER: dict[str, Param] = {}
for _spec in OPTIMIZERS.values():
    for _key, _param in _spec.hyper.items():
        HYPER.setdefault(_key, _param)
VIEW: dict[str, Param] = {
    "grid": GRID,
    "neuron_grid": NEURON_GRID,
    "discretize": Param(False, kind="bool", doc="show the predicted class instead of the output value"),
    "show_test": Param(False, kind="bool", doc="draw the test points"),
    "show_neurons": Param(True, kind="bool", doc="draw every hidden neuron's activation map"),
    "log_scale": Param(False, kind="bool", doc="loss curves on a logarithmic axis"),
}
SECTIONS = ("data", "features", "network", "training", "view", "seed")


def _section(raw: Any, name: str, keys: tuple[str, ...] | list[str]) -> Mapping[str, Any]:
    """`raw` as a mapping with only known keys (None is an empty section)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError(name or "config", raw, "must be an object with keys: " + ", ".join(keys))
    for key in raw:
        if key not in keys:
            field = f"{name}.{key}" if name else str(key)
            raise ConfigError(field, raw[key], f"unknown key; {name or 'the config'} has: " + ", ".join(keys))
    return raw


#: One hidden layer's width (the page's layer boxes check with it: the catalog's fields.network.hidden).
HIDDEN_SIZE = Param(8, 1, LIMITS["neurons"], "int", doc="neurons in one hidden layer")


def _hidden(raw: Any) -> list[int]:
    allowed = f"a list of at most {LIMITS['hidden_layers']:g} layer sizes, each 1..{LIMITS['neurons']:g}"
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, (list, tuple)):
        raise ConfigError("network.hidden", raw, allowed)
    if len(raw) > LIMITS["hidden_layers"]:
        raise ConfigError("network.hidden", raw, allowed)
    return [HIDDEN_SIZE.check(f"network.hidden[{i}]", v) for i, v in enumerate(raw)]


def _batch_norm(raw: Any, layers: int) -> bool | list[bool]:
    if isinstance(raw, bool):
        return raw
    if not isinstance(raw, (list, tuple)) or len(raw) != layers or not all(isinstance(v, bool) for v in raw):
        raise ConfigError("network.batch_norm", raw, f"true/false, or a list of {layers} true/false values")
    return list(raw)


def _weights(raw: Any, sizes: list[int]) -> list[dict[str, Any]] | None:
    """Explicit initial weights as nested lists [{"W": (n_in, n_out), "b": (n_out,)}, …] for `sizes`."""
    if raw is None:
        return None
    shapes = ", ".join(f"W {a}×{b}, b {b}" for a, b in itertools.pairwise(sizes))
    allowed = f"null or one {{W, b}} per layer with finite numbers: {shapes}"
    if not isinstance(raw, (list, tuple)) or len(raw) != len(sizes) - 1:
        raise ConfigError("network.weights", raw, allowed)
    out = []
    for k, layer in enumerate(raw):
        if not isinstance(layer, Mapping) or set(layer) != {"W", "b"}:
            raise ConfigError(f"network.weights[{k}]", layer, allowed)
        try:
            W = np.asarray(layer["W"], dtype=np.float64)
            b = np.asarray(layer["b"], dtype=np.float64)
        except (TypeError, ValueError):
            raise ConfigError(f"network.weights[{k}]", layer, allowed) from None
        ok = W.shape == (sizes[k], sizes[k + 1]) and b.shape == (sizes[k + 1],)
        if not ok or not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ConfigError(f"network.weights[{k}]", layer, allowed)
        out.append({"W": W.tolist(), "b": b.tolist()})
    return out


def _training(raw: Mapping[str, Any], online: bool) -> dict[str, Any]:
    out = {key: p.check(f"training.{key}", raw.get(key, p.default)) for key, p in TRAINING.items()}
    spec = OPTIMIZERS[out["optimizer"]]
    for key, param in HYPER.items():
        if key in spec.hyper or key in raw:
            chosen = spec.hyper.get(key, param)
            out.setdefault(key, chosen.check(f"training.{key}", raw.get(key, chosen.default)))
    if not online:  # the optimizer's own cross-checks (e.g. nesterov needs dampening 0)
        make_optimizer(out["optimizer"], [], out["learning_rate"], **{k: out[k] for k in spec.hyper})
    return out


def _compatible(network: dict[str, Any], training: dict[str, Any], task: str, classes: int | None) -> None:
    """Cross-field checks of a backprop config (classic rules set output and loss themselves)."""
    out, loss, hidden = network["output_activation"], training["loss"], network["hidden"]
    need = LOSSES[loss].requires_output
    if need is not None and out != need:
        raise ConfigError(
            "training.loss", loss, f"{loss} needs network.output_activation '{need}', not '{out}'"
        )
    if out == "softmax" and loss not in ("cross_entropy", "mse"):
        raise ConfigError("training.loss", loss, "a softmax output needs loss cross_entropy or mse")
    if task == "regression":
        if loss in ("bce", "cross_entropy", "hinge"):
            raise ConfigError("training.loss", loss, "regression needs loss mse, mae or huber")
        if out in ("softmax", "step", "sign"):
            raise ConfigError(
                "network.output_activation", out, "regression needs output linear, tanh or sigmoid"
            )
    elif classes is not None and classes > 2 and out != "softmax":
        raise ConfigError("network.output_activation", out, f"{classes} classes need the softmax output")
    bn = network["batch_norm"]
    if training["batch_size"] < 2 and hidden and (bn is True or (isinstance(bn, list) and any(bn))):
        raise ConfigError("network.batch_norm", bn, "batch normalization needs training.batch_size >= 2")


def validate_config(raw: Any = None) -> dict[str, Any]:
    """A new, normalized config from `raw` (None or {} gives DEFAULT_CONFIG); ConfigError when invalid."""
    raw = _section(raw, "", SECTIONS)
    data, classes = validate_data(raw.get("data"))
    task = data["task"]
    features = check_features(raw.get("features", ["x1", "x2"]))
    net_raw = _section(raw.get("network"), "network", ("hidden", *NETWORK, "batch_norm", "weights"))
    train_raw = _section(
        raw.get("training"), "training", (*TRAINING, *(k for k in HYPER if k not in TRAINING))
    )
    rule_name = TRAINING["rule"].check("training.rule", train_raw.get("rule", "backprop"))
    rule = RULES[rule_name]
    hidden = _hidden(net_raw.get("hidden", [] if rule.online else [8, 8]))
    network: dict[str, Any] = {"hidden": hidden}
    for key in ("activation", "init", "dropout"):
        network[key] = NETWORK[key].check(f"network.{key}", net_raw.get(key, NETWORK[key].default))
    default_out = "linear" if task == "regression" else "softmax" if (classes or 0) > 2 else "sigmoid"
    network["output_activation"] = NETWORK["output_activation"].check(
        "network.output_activation", net_raw.get("output_activation", default_out)
    )
    network["batch_norm"] = _batch_norm(net_raw.get("batch_norm", False), len(hidden))
    training = _training(train_raw, rule.online)
    if rule.online:
        check_rule(rule_name, hidden, task, classes)
        network["output_activation"] = str(rule.output_activation)
        training["loss"] = "mse"
    else:
        if "loss" not in train_raw:
            out = network["output_activation"]
            sigmoid_classifier = out == "sigmoid" and task == "classification"
            training["loss"] = "cross_entropy" if out == "softmax" else "bce" if sigmoid_classifier else "mse"
        _compatible(network, training, task, classes)
    units = classes if network["output_activation"] == "softmax" and classes else 1
    sizes = [len(features), *hidden, units]
    network["weights"] = _weights(net_raw.get("weights"), sizes)
    view_raw = _section(raw.get("view"), "view", tuple(VIEW))
    view = {key: p.check(f"view.{key}", view_raw.get(key, p.default)) for key, p in VIEW.items()}
    seed = SEED.check("seed", raw.get("seed", 0))
    return {
        "data": data,
        "features": features,
        "network": network,
        "training": training,
        "view": view,
        "seed": seed,
    }


def finite_epochs(config: Mapping[str, Any]) -> int:
    """A normalized config's `training.epochs` for a run that must end (headless, a work estimate); a
    ConfigError on `training.epochs` when it is null (a live session trains that until paused)."""
    epochs = config["training"]["epochs"]
    if epochs is None:
        raise ConfigError(
            "training.epochs",
            None,
            f"a run of its own needs a number of epochs: an integer in [1, {LIMITS['epochs']:g}] "
            "(null trains a live session until it is paused)",
        )
    return int(epochs)


def output_units(config: Mapping[str, Any]) -> int:
    """The number of output units of a normalized config: k for softmax, else 1."""
    if config["network"]["output_activation"] != "softmax":
        return 1
    _, classes = validate_data(config["data"])
    return int(classes or 1)


#: The normalized default config (what `validate_config({})` returns).
DEFAULT_CONFIG: dict[str, Any] = validate_config({})
