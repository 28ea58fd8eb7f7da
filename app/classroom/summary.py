"""A learner's run in brief, for the teacher's dashboard: the epoch, the metrics, the settings that matter and
a small thumbnail of the decision boundary — taken from what the learner's session already sent (its `data`
message and its binary frames), so summarising costs no training work and no second frame.

The thumbnail is the frame's output grid sampled down to THUMB × THUMB cells (THUMB² bytes, base64 in the
JSON): for one output, its quantized value (`kind` "value", with the value `range`); for a softmax over k
classes, the most probable class of each cell (`kind` "class").
"""

from __future__ import annotations

import base64
import struct
from typing import Any

import numpy as np

from app.encoding import frame_header

THUMB = 24  # cells per side of a dashboard thumbnail


def settings_of(config: dict[str, Any]) -> dict[str, Any]:
    """What a dashboard shows of a learner's normalized config."""
    data, network, training = config.get("data", {}), config.get("network", {}), config.get("training", {})
    points = data.get("points")
    return {
        "data": f"{len(points)} drawn points" if isinstance(points, list) else data.get("dataset"),
        "hidden": network.get("hidden"),
        "activation": network.get("activation"),
        "rule": training.get("rule"),
        "loss": training.get("loss"),
        "optimizer": training.get("optimizer"),
        "learning_rate": training.get("learning_rate"),
    }


def thumbnail(frame: bytes, header: dict[str, Any], size: int = THUMB) -> dict[str, Any] | None:
    """The output grid of a binary frame (whose header is `header`) sampled to `size` × `size` (None when the
    frame has no grid)."""
    grid = header.get("grid")
    if not grid:
        return None
    (length,) = struct.unpack_from("<I", frame, 0)
    spec = grid["output"]
    shape = spec["shape"]
    codes = np.frombuffer(frame, np.uint8, count=int(np.prod(shape)), offset=4 + length + spec["offset"])
    codes = codes.reshape(shape)
    side = shape[-1]
    pick = np.linspace(0, side - 1, min(size, side)).round().astype(int)
    if len(shape) == 3:
        cells = codes[:, pick][:, :, pick].argmax(axis=0).astype(np.uint8)
        kind, extra = "class", {"classes": shape[0]}
    else:
        cells = codes[np.ix_(pick, pick)]
        kind, extra = "value", {"range": spec["range"]}
    return {"size": len(pick), "kind": kind, **extra, "cells": base64.b64encode(cells.tobytes()).decode()}


def frame_summary(frame: bytes) -> dict[str, Any]:
    """Epoch, step, done, metrics and thumbnail of a binary frame."""
    header = frame_header(frame)
    return {
        "epoch": header["epoch"],
        "step": header["step"],
        "done": header["done"],
        "metrics": header["metrics"],
        "thumb": thumbnail(frame, header),
    }
