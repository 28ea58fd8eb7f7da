"""What a scene may hold: the config checked and normalized by nncore, weights checked against its network,
the history's shape and its decimation, the size limit naming the largest part."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from app.settings import Settings
from app.store.content import TITLE_LENGTH, SceneTooLarge, check_scene
from nncore import LIMITS, ConfigError, validate_config
from nncore.config import output_units
from nncore.features import FEATURES
from nncore.trainer import METRICS

DEFAULTS = Settings()
LIMIT = {"max_bytes": DEFAULTS.scene_max_bytes, "history_points": DEFAULTS.scene_history_points}
XOR = {"data": {"dataset": "xor"}, "network": {"hidden": [2]}}
WEIGHTS = [{"W": [[6, -6], [-6, 6]], "b": [-3, -3]}, {"W": [[4], [4]], "b": [4]}]


def check(config: Any = XOR, weights: Any = None, history: Any = None, title: str = "t", **limit: int) -> Any:
    return check_scene(title, config, weights, history, **{**LIMIT, **limit})


def field_of(*args: Any, **kwargs: Any) -> str:
    with pytest.raises(ConfigError) as info:
        check(*args, **kwargs)
    return info.value.field


def test_the_config_is_stored_normalized() -> None:
    content = check()
    assert content.config == validate_config(XOR)
    assert content.config["training"]["learning_rate"] == 0.01  # a default filled in
    assert check(content.config).config == content.config


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"training": {"learning_rate": 20}}, "config.training.learning_rate"),
        ({"network": {"hidden": [8, 999]}}, "config.network.hidden[1]"),
        ({"colour": "red"}, "config.colour"),
        ([1, 2], "config"),
    ],
)
def test_config_errors_name_the_field_in_the_body(config: Any, field: str) -> None:
    with pytest.raises(ConfigError) as info:
        check(config)
    assert info.value.field == field and str(info.value).startswith(field)


def test_weights_are_checked_against_the_configs_network() -> None:
    content = check(weights=WEIGHTS)
    assert content.weights == [
        {"W": [[6.0, -6.0], [-6.0, 6.0]], "b": [-3.0, -3.0]},
        {"W": [[4.0], [4.0]], "b": [4.0]},
    ]
    assert field_of(weights=WEIGHTS[:1]) == "weights"
    assert field_of(weights=[WEIGHTS[0], {"W": [[4, 4]], "b": [4]}]) == "weights[1]"
    assert field_of({"network": {"hidden": [3]}}, weights=WEIGHTS) == "weights[0]"  # a 2-3-1 network
    with pytest.raises(ConfigError, match=r"^weights\[0\]: .* W 2×2, b 2, W 2×1, b 1"):
        check(weights=[{"W": [[1.0]], "b": [0.0]}, WEIGHTS[1]])


def test_a_history_keeps_its_epochs() -> None:
    content = check(history={"train_loss": [0.7, 0.5, 0.3], "test_accuracy": [None, 0.5, 1]})
    assert content.history == {
        "epoch": [1, 2, 3],
        "train_loss": [0.7, 0.5, 0.3],
        "test_accuracy": [None, 0.5, 1],
    }
    given = check(history={"epoch": [0, 10, 20.0], "mistakes": [4, 1, 0]}).history
    assert given == {"epoch": [0, 10, 20], "mistakes": [4, 1, 0]}
    assert content.history_points == 3


@pytest.mark.parametrize(
    ("history", "field"),
    [
        ({"train_loss": [1.0], "colour": [1]}, "history.colour"),
        ({"epoch": [1, 2]}, "history"),  # no metric at all
        ([0.5, 0.4], "history"),
        ({"train_loss": [1.0, 0.5], "test_loss": [1.0]}, "history"),
        ({"train_loss": []}, "history.train_loss"),
        ({"train_loss": [1.0, float("nan")]}, "history.train_loss[1]"),
        ({"train_loss": [1.0, float("inf")]}, "history.train_loss[1]"),
        ({"train_loss": [1.0, True]}, "history.train_loss[1]"),
        ({"train_loss": [1.0, "0.5"]}, "history.train_loss[1]"),
        ({"train_loss": [1.0, 0.5], "epoch": [3, 3]}, "history.epoch[1]"),
        ({"train_loss": [1.0, 0.5], "epoch": [1, 1.5]}, "history.epoch[1]"),
        ({"train_loss": [1.0], "epoch": [-1]}, "history.epoch[0]"),
        ({"train_loss": [0.0] * (int(LIMITS["epochs"]) + 2)}, "history.train_loss"),
    ],
)
def test_a_malformed_history_names_the_field(history: Any, field: str) -> None:
    assert field_of(history=history) == field


def test_a_long_history_is_decimated_evenly_keeping_first_last_and_true_epochs() -> None:
    n = int(LIMITS["epochs"])  # the longest run
    history = {"train_loss": [1 / e for e in range(1, n + 1)], "mistakes": [n - e for e in range(1, n + 1)]}
    kept = check(history=history).history
    assert kept is not None
    epochs = kept["epoch"]
    assert len(epochs) == DEFAULTS.scene_history_points and epochs[0] == 1 and epochs[-1] == n
    steps = {b - a for a, b in itertools.pairwise(epochs)}
    assert steps <= {100, 101}  # evenly spaced: (n − 1) / 999 ≈ 100.1 epochs apart
    assert kept["train_loss"] == [1 / e for e in epochs] and kept["mistakes"] == [n - e for e in epochs]
    short = check(history={"train_loss": [0.5] * 10}, history_points=4).history
    assert short is not None and short["epoch"] == [1, 4, 7, 10]


def test_the_title_has_a_limit() -> None:
    assert check(title="é" * TITLE_LENGTH).title == "é" * TITLE_LENGTH
    assert field_of(title="x" * (TITLE_LENGTH + 1)) == "title"


def test_the_largest_valid_scene_fits_the_default_limit() -> None:
    """Every limit at its largest and every number with the longest JSON text (24 characters) still fits:
    a scene is refused for its size only on a server that lowered NNLIVE_SCENE_MAX_BYTES."""
    wide = -1.2345678901234567e-123
    assert len(json.dumps(wide)) == 24
    n = int(LIMITS["points"])
    points = [[wide, wide]] * n
    labels = [k % int(LIMITS["classes"]) for k in range(n)]
    hidden = [int(LIMITS["neurons"])] * int(LIMITS["hidden_layers"])
    config: dict[str, Any] = {"data": {"points": points, "labels": labels}, "features": list(FEATURES)}
    config["network"] = {"hidden": hidden}
    sizes = [len(FEATURES), *hidden, output_units(validate_config(config))]
    weights = [{"W": [[wide] * b for _ in range(a)], "b": [wide] * b} for a, b in itertools.pairwise(sizes)]
    config["network"]["weights"] = weights  # the config's starting weights too
    history = {key: [wide] * DEFAULTS.scene_history_points for key in METRICS}
    content = check(config, weights, history, title="é" * TITLE_LENGTH)
    assert 1_900_000 < content.size <= DEFAULTS.scene_max_bytes


def test_a_scene_over_the_limit_names_its_largest_part_and_the_limit() -> None:
    drawn = {"data": {"points": [[0.123456789, 0.987654321]] * 2000, "labels": [0, 1] * 1000}}
    check(drawn, max_bytes=100_000)
    with pytest.raises(SceneTooLarge) as info:
        check(drawn, history={"train_loss": [0.5] * 1000}, max_bytes=50_000)
    error = info.value
    assert error.field == "config" and error.value > 50_000
    assert "50,000 bytes" in error.allowed and "NNLIVE_SCENE_MAX_BYTES" in error.allowed
    assert "history" in str(error) and "config is its largest part" in str(error)
    with pytest.raises(SceneTooLarge) as info:
        check(weights=WEIGHTS, history={"train_loss": [0.123456789] * 1000}, max_bytes=5_000)
    assert info.value.field == "history"
