"""The live-training WebSocket protocol (docs/protocol.md), both directions, defined once as pydantic models.

Client → server: `Configure`, `Play`, `Pause`, `Step`, `Reset`, `Set` (with `FrameOptions`), `Points`,
`Weights`, `Close`; `client_message` parses one. Their fields are strict: a number is a JSON number (never a
string such as "50", nor true), and each has its range (`MIN_FPS`, `MAX_SPEED`, the settings' limits). Server
→ client, as JSON text: `Hello`, `Data`, `Event`, `Error`, `Ack` (`ServerText`); as binary: a frame, whose
JSON header is `FrameHeader` (app/encoding.py writes and reads the bytes; the tests hold every header it
writes against this model). The config inside `configure` and `data` stays a plain JSON object:
`nncore.validate_config` is its one definition.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, TypeAdapter

from app.settings import MAX_FPS, MIN_FPS
from nncore.errors import ConfigError
from nncore.limits import GRID, LIMITS, NEURON_GRID
from nncore.live import LIVE

PROTOCOL = 1
MAX_SPEED = 1000.0  # the fastest paced speed, in epochs per second (0 is as fast as possible)
Point = tuple[StrictFloat, StrictFloat]  # JSON numbers only: "1.5" or true is refused, not converted
MessageId = str | int | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FrameOptions(_Strict):
    """What each frame carries: output grid side G, neuron grid side g, whether to include neuron grids, and a
    frame rate the client wants (capped by the server's max_fps). A session starts with these defaults (fps:
    the server's max_fps); a `set` changes the fields it names."""

    grid: StrictInt = Field(GRID.default, ge=0, description="output grid side G")
    neuron_grid: StrictInt = Field(NEURON_GRID.default, ge=0, description="neuron grid side g")
    neurons: StrictBool = Field(True, description="send the hidden neurons' grids")
    fps: StrictFloat = Field(
        MAX_FPS, ge=MIN_FPS, allow_inf_nan=False, description="frames per second wanted (capped at max_fps)"
    )

    def changed(
        self, change: FrameOptions, max_grid: int, max_neuron_grid: int, max_fps: float
    ) -> FrameOptions:
        """These options with the fields `change` sets (a `set`'s `frame`), within this server's limits: a new
        object, or ConfigError on `frame.grid` / `frame.neuron_grid`; fps is capped at `max_fps`."""
        changes = change.model_dump(exclude_unset=True)
        smallest = int(LIMITS["grid_min"])
        for key, largest in (("grid", max_grid), ("neuron_grid", max_neuron_grid)):
            if key in changes and not smallest <= changes[key] <= largest:
                raise ConfigError(
                    f"frame.{key}", changes[key], f"must be an integer in [{smallest}, {largest}]"
                )
        if "fps" in changes:
            changes["fps"] = min(float(changes["fps"]), max_fps)
        return self.model_copy(update=changes)


# ---- client → server ------------------------------------------------------------------------------------


class _Message(_Strict):
    id: MessageId = Field(None, description="echoed in the error or ack this message causes")


class Resume(_Strict):
    """Where a run goes on from (a page reconnecting): it counts as having trained this far; its weights are
    the config's `network.weights`."""

    epoch: StrictInt = Field(ge=0, description="epochs already trained")
    step: StrictInt = Field(ge=0, description="updates already applied")


class Configure(_Message):
    type: Literal["configure"]
    config: dict[str, Any] = Field(default_factory=dict)
    resume: Resume | None = Field(None, description="continue a run instead of starting at epoch 0")


class Play(_Message):
    type: Literal["play"]


class Pause(_Message):
    type: Literal["pause"]


class Step(_Message):
    type: Literal["step"]
    n: StrictInt = Field(1, ge=1, description="at most the server's max_step")
    unit: Literal["epoch", "update"] = "epoch"


class Reset(_Message):
    type: Literal["reset"]


class Close(_Message):
    type: Literal["close"]


class Set(_Message):
    type: Literal["set"]
    learning_rate: StrictFloat | None = None  # the trainer checks each against the config's range
    l1: StrictFloat | None = None
    l2: StrictFloat | None = None
    momentum: StrictFloat | None = None
    dropout: StrictFloat | None = None
    epochs: StrictInt | None = Field(
        None, description="train until this many epochs (extends a finished run); null: until paused"
    )
    patience: StrictInt | None = None
    speed: StrictFloat | None = Field(
        None, ge=0, le=MAX_SPEED, description="epochs per second; 0 = as fast as possible"
    )
    frame: FrameOptions | None = Field(None, description="only the fields given change")

    def hyper(self) -> dict[str, float | int | None]:
        """The trainer's live hyperparameters (`nncore.live.LIVE`) present in this message; `epochs` sent as
        null is there too (train until paused), any other null is left out."""
        hyper = {k: v for k in LIVE if (v := getattr(self, k, None)) is not None}
        if "epochs" in self.model_fields_set and self.epochs is None:
            hyper["epochs"] = None
        return hyper


class Points(_Message):
    type: Literal["points"]
    op: Literal["add", "remove", "replace"]
    points: list[Point] | None = None
    labels: list[StrictFloat] | None = None
    indices: list[StrictInt] | None = None


class Weights(_Message):
    type: Literal["weights"]
    layer: StrictInt = Field(ge=0)
    kind: Literal["W", "b"]
    i: StrictInt | None = Field(None, ge=0, description="row (input unit), for kind W")
    j: StrictInt = Field(ge=0, description="column (output unit)")
    value: StrictFloat = Field(allow_inf_nan=False)


Command = Configure | Play | Pause | Step | Reset | Set | Points | Weights  # what a session's worker runs
ClientMessage = Annotated[Command | Close, Field(discriminator="type")]
MESSAGE_TYPES: tuple[str, ...] = tuple(
    get_args(model.model_fields["type"].annotation)[0] for model in get_args(Command | Close)
)
client_message: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


# ---- server → client: text ------------------------------------------------------------------------------


class Limits(_Strict):
    config: dict[str, int | float] = Field(description="the config's hard limits (nncore.LIMITS)")
    server: dict[str, int | float] = Field(description="this server's limits (app/settings.py, public part)")


class Hello(_Strict):
    """The first message of every session."""

    type: Literal["hello"] = "hello"
    protocol: int = PROTOCOL
    version: str
    session: int = Field(description="a number, for logs")
    limits: Limits
    defaults: dict[str, Any] = Field(description="the default config")
    frame: FrameOptions = Field(description="the session's frame options before any set")


class Split(_Strict):
    points: list[Point]
    labels: list[int] | list[float] = Field(description="class indices, or regression targets")


class Data(_Strict):
    """The data a session trains on, after `configure`, `reset` and `points`."""

    type: Literal["data"] = "data"
    train: Split
    test: Split
    extent: list[float] = Field(description="[x_min, x_max, y_min, y_max] of the plane shown")
    task: Literal["classification", "regression"]
    classes: int | None
    config: dict[str, Any] = Field(description="the normalized config")


TrainerEvent = Literal["converged", "diverged", "early_stopped", "finished", "unbounded"]


class Event(_Strict):
    """How training ended (a trainer event, forwarded exactly once), or that it was paused or started."""

    type: Literal["event"] = "event"
    event: TrainerEvent | Literal["paused", "playing"]
    epoch: int
    message: str


class Error(_Strict):
    """A message that could not be applied; the session stays usable. The same fields as an entry of a REST
    422 `detail` (app/errors.py), plus the message's `id`."""

    type: Literal["error"] = "error"
    field: str | None = Field(description="dotted path of the refused field, or null")
    value: Any = Field(description="what was sent, shortened")
    allowed: str
    message: str
    id: MessageId = None


class Ack(_Strict):
    """A `set`, `points` or `weights` that was applied."""

    type: Literal["ack"] = "ack"
    id: MessageId
    of: Literal["set", "points", "weights"]


ServerText = Hello | Data | Event | Error | Ack


# ---- server → client: the binary frame's header ----------------------------------------------------------


class Block(_Strict):
    """One uint8 grid in the payload: value = range[0] + q / 255 · (range[1] − range[0])."""

    offset: int = Field(ge=0, description="bytes from the start of the payload")
    shape: list[int]
    dtype: Literal["uint8"]
    range: tuple[float, float]


class Grid(_Strict):
    size: int
    extent: list[float]
    neuron_size: int | None
    output: Block
    layers: list[Block]


class Metrics(_Strict):
    train_loss: float | None
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    mistakes: int | None


class LayerWeights(_Strict):
    W: list[list[float | None]]
    b: list[float | None]


class Update(_Strict):
    """The last update of a classic rule."""

    rule: str
    index: int
    x: list[float]
    t: float
    a: float
    z: float
    error: float | None
    dW: list[float]
    db: float
    learning_rate: float


class FrameHeader(_Strict):
    """The JSON header of a binary frame (layout: docs/protocol.md, "Binary frame layout")."""

    type: Literal["frame"]
    epoch: int
    step: int
    done: bool
    metrics: Metrics
    weights: list[LayerWeights]
    update: Update | None
    grid: Grid | None
