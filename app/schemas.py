"""Pydantic models of the REST request bodies (the WebSocket's messages are app/protocol.py's).

The config itself stays a plain JSON object here: `nncore.validate_config` is its one definition
(docs/config.md), and its `ConfigError`s name the exact field. These models check only the envelope around it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.protocol import Point
from nncore.limits import LANDSCAPE_GRID

EXAMPLE_CONFIG: Any = {
    "data": {"dataset": "spiral", "n": 300, "noise": 0.1, "test_fraction": 0.5, "seed": 1},
    "features": ["x1", "x2", "sin(x1)", "sin(x2)"],
    "network": {"hidden": [8, 8], "activation": "tanh"},
    "training": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 10, "epochs": 200},
    "seed": 0,
}
XOR_WEIGHTS: Any = [
    {"W": [[6.0, -6.0], [-6.0, 6.0]], "b": [-3.0, -3.0]},
    {"W": [[4.0], [4.0]], "b": [4.0]},
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: `POST /api/train`'s body is a config itself (what `nncore.train(config)` takes); these are its examples.
TRAIN_EXAMPLES: dict[str, Any] = {
    "spiral": {"summary": "a 2-8-8-1 network on the spiral, with sin features", "value": EXAMPLE_CONFIG},
    "xor": {
        "summary": "XOR with two hidden neurons; every other key takes its default",
        "value": {"data": {"dataset": "xor"}, "network": {"hidden": [2]}, "training": {"epochs": 500}},
    },
}


class PredictRequest(_Strict):
    """`POST /api/predict`: a config whose `network.weights` are set, and the points to evaluate."""

    config: dict[str, Any] = Field(description="a config with network.weights (e.g. from POST /api/train)")
    points: list[Point] = Field(description="[[x1, x2], ...] raw inputs; features are applied as in training")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "config": {
                        "data": {"dataset": "xor"},
                        "network": {"hidden": [2], "weights": XOR_WEIGHTS},
                    },
                    "points": [[0, 0], [0, 1], [1, 0], [1, 1]],
                }
            ]
        },
    )


class LandscapeRequest(_Strict):
    """`POST /api/landscape`: the scene (a config with a single-layer network) and the grid to evaluate the
    loss on."""

    config: dict[str, Any]
    grid: int = Field(
        LANDSCAPE_GRID.default, ge=LANDSCAPE_GRID.min, le=LANDSCAPE_GRID.max, description=LANDSCAPE_GRID.doc
    )
    w1_range: tuple[float, float] | None = Field(None, description="[lo, hi] of w1; default: around the path")
    w2_range: tuple[float, float] | None = Field(None, description="[lo, hi] of w2; default: around the path")
