"""Pydantic models of what clients send: REST request bodies and WebSocket messages (docs/protocol.md).

The config itself stays a plain JSON object here: `nncore.validate_config` is its one definition
(docs/config.md), and its `ConfigError`s name the exact field. These models check only the envelope around it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from nncore.limits import LANDSCAPE_GRID
from nncore.live import LIVE

Point = tuple[float, float]

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


# ---- REST -------------------------------------------------------------------------------------------------


class TrainRequest(_Strict):
    """`POST /api/train`: a config, trained headless; `grid` > 0 adds the final output grid and the neuron
    grids (their side is the config's `view.neuron_grid`)."""

    config: dict[str, Any] = Field(description="a whole config (docs/config.md); missing keys take defaults")
    grid: int = Field(0, ge=0, description="side G of the output grid to return (0: none)")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"config": EXAMPLE_CONFIG, "grid": 0},
                {
                    "config": {
                        "data": {"dataset": "xor"},
                        "network": {"hidden": [2]},
                        "training": {"epochs": 500},
                    }
                },
            ]
        },
    )


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


# ---- WebSocket client messages -------------------------------------------------------------------------


class _Message(_Strict):
    id: str | int | None = Field(None, description="echoed in the error or ack this message causes")


class Configure(_Message):
    type: Literal["configure"]
    config: dict[str, Any] = Field(default_factory=dict)


class Play(_Message):
    type: Literal["play"]


class Pause(_Message):
    type: Literal["pause"]


class Step(_Message):
    type: Literal["step"]
    n: int = Field(1, ge=1)
    unit: Literal["epoch", "update"] = "epoch"


class Reset(_Message):
    type: Literal["reset"]


class Close(_Message):
    type: Literal["close"]


class FrameOptions(_Strict):
    """What each frame carries: output grid side G, neuron grid side g, whether to include neuron grids, and a
    frame rate the client wants (capped by the server's max_fps)."""

    grid: int | None = Field(None, ge=0)
    neuron_grid: int | None = Field(None, ge=0)
    neurons: bool | None = None
    fps: float | None = Field(None, gt=0)


class Set(_Message):
    type: Literal["set"]
    learning_rate: float | None = None
    l1: float | None = None
    l2: float | None = None
    momentum: float | None = None
    dropout: float | None = None
    epochs: int | None = Field(None, description="train until this many epochs (extends a finished run)")
    patience: int | None = None
    speed: float | None = Field(None, ge=0, description="epochs per second; 0 = as fast as possible")
    frame: FrameOptions | None = None

    def hyper(self) -> dict[str, float | int]:
        """The trainer's live hyperparameters (`nncore.live.LIVE`) present in this message."""
        return {k: v for k in LIVE if (v := getattr(self, k, None)) is not None}


class Points(_Message):
    type: Literal["points"]
    op: Literal["add", "remove", "replace"]
    points: list[Point] | None = None
    labels: list[float] | None = None
    indices: list[int] | None = None


class Weights(_Message):
    type: Literal["weights"]
    layer: int = Field(ge=0)
    kind: Literal["W", "b"]
    i: int | None = Field(None, ge=0, description="row (input unit), for kind W")
    j: int = Field(ge=0, description="column (output unit)")
    value: float = Field(allow_inf_nan=False)


Command = Configure | Play | Pause | Step | Reset | Set | Points | Weights  # what a session's worker runs
ClientMessage = Annotated[Command | Close, Field(discriminator="type")]
MESSAGE_TYPES: tuple[str, ...] = tuple(
    get_args(model.model_fields["type"].annotation)[0] for model in get_args(Command | Close)
)
client_message: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
