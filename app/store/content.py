"""A scene's content checked before it is stored: the config by `nncore.validate_config` (stored normalized),
the weights against the config's network, the history's shape, and the size limit.

Every problem is a `ConfigError` naming the field in the request body (`config.training.learning_rate`,
`weights[1]`, `history.test_loss`); a scene over the size limit is a `SceneTooLarge` (a 413) naming its
largest part. A history longer than the server keeps (`scene_history_points`) is decimated, never refused:
evenly spaced epochs are kept, always the first and the last, each with its true epoch number in
`history["epoch"]`.
"""

from __future__ import annotations

import math
from typing import Any

from app.store.base import SceneContent, dumps
from nncore import LIMITS, ConfigError, validate_config
from nncore.trainer import METRICS

TITLE_LENGTH = 200  # characters of a scene's title
EPOCH = "epoch"  # the history's list of epoch numbers (1, 2, … when the client sends none)


class SceneTooLarge(ConfigError):
    """A scene whose stored form is over the server's `scene_max_bytes`."""


def check_scene(
    title: str,
    config: Any,
    weights: Any = None,
    history: Any = None,
    *,
    max_bytes: int,
    history_points: int,
) -> SceneContent:
    """The content to store, or a `ConfigError` naming the first bad field (`SceneTooLarge` for the size)."""
    if not isinstance(title, str) or len(title) > TITLE_LENGTH:
        raise ConfigError("title", title, f"a text of at most {TITLE_LENGTH} characters")
    normalized = _nested("config", config)
    if weights is not None:
        with_weights = {**normalized, "network": {**normalized["network"], "weights": weights}}
        weights = _nested("weights", with_weights, "network.weights")["network"]["weights"]
    content = SceneContent(title, normalized, weights, _history(history, history_points))
    _check_size(content, max_bytes)
    return content


def _nested(prefix: str, config: Any, inner: str | None = None) -> dict[str, Any]:
    """`validate_config(config)`, its errors renamed to the request's field: `config.…`, or `weights…` for
    `inner` = "network.weights"."""
    try:
        return validate_config(config)
    except ConfigError as exc:
        field = exc.field
        if inner is not None and field.startswith(inner):
            renamed = prefix + field.removeprefix(inner)
        else:
            renamed = prefix if field == prefix else f"{prefix}.{field}"
        message = str(exc)
        if message.startswith(field):
            message = renamed + message.removeprefix(field)
        raise ConfigError(renamed, exc.value, exc.allowed, message) from None


def _history(history: Any, points: int) -> dict[str, list[Any]] | None:
    """The history checked (lists of numbers or null, one per epoch, all the same length; at most these
    metrics: train_loss, test_loss, train_accuracy, test_accuracy, mistakes) and decimated to `points`."""
    if history is None:
        return None
    keys = ", ".join((*METRICS, EPOCH))
    if not isinstance(history, dict) or not set(history) & set(METRICS):
        raise ConfigError("history", history, f"an object of per-epoch lists with some of: {keys}")
    most = int(LIMITS["epochs"]) + 1
    lengths = set()
    for key, values in history.items():
        if key not in (*METRICS, EPOCH):
            raise ConfigError(f"history.{key}", values, f"unknown metric; choose from: {keys}")
        if not isinstance(values, list) or not 1 <= len(values) <= most:
            raise ConfigError(f"history.{key}", values, f"a list of 1 to {most} values, one per epoch")
        lengths.add(len(values))
    if len(lengths) > 1:
        allowed = "every list of the history has the same length (one value per epoch)"
        raise ConfigError("history", {k: len(v) for k, v in history.items()}, allowed)
    (n,) = lengths
    epochs = _epochs(history.get(EPOCH), n)
    out = {key: _numbers(f"history.{key}", history[key]) for key in METRICS if key in history}
    keep = _spread(n, points)
    return {EPOCH: [epochs[i] for i in keep], **{key: [v[i] for i in keep] for key, v in out.items()}}


def _numbers(field: str, values: list[Any]) -> list[float | int | None]:
    for i, value in enumerate(values):
        ok = value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))
        if not ok or (isinstance(value, float) and not math.isfinite(value)):
            raise ConfigError(f"{field}[{i}]", value, "a finite number, or null where undefined")
    return values


def _epochs(epochs: list[Any] | None, n: int) -> list[int]:
    """The epoch of each entry: given (whole numbers, increasing) or 1…n."""
    if epochs is None:
        return list(range(1, n + 1))
    most = int(LIMITS["epochs"])
    previous = -1
    for i, value in enumerate(epochs):
        whole = isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
        if not whole or not previous < value <= most:
            allowed = f"whole numbers in [0, {most}], each greater than the one before"
            raise ConfigError(f"history.{EPOCH}[{i}]", value, allowed)
        previous = value
    return [int(e) for e in epochs]


def _spread(n: int, points: int) -> list[int]:
    """At most `points` (≥ 2) evenly spaced indices of n entries, the first and the last among them."""
    if n <= points:
        return list(range(n))
    return sorted({round(i * (n - 1) / (points - 1)) for i in range(points)})


def _check_size(content: SceneContent, max_bytes: int) -> None:
    total = content.size
    if total <= max_bytes:
        return
    parts = {"config": content.config, "weights": content.weights, "history": content.history}
    sizes = {key: len(dumps(value).encode()) for key, value in parts.items()}
    field = max(sizes, key=lambda key: sizes[key])
    shares = ", ".join(f"{key} {size:,}" for key, size in sizes.items())
    allowed = f"a whole scene of at most {max_bytes:,} bytes as JSON (this server's NNLIVE_SCENE_MAX_BYTES)"
    message = (
        f"the scene is {total:,} bytes as JSON ({shares}), over this server's limit of {max_bytes:,} bytes "
        f"per scene; {field} is its largest part"
    )
    raise SceneTooLarge(field, sizes[field], allowed, message)
