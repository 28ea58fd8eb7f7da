"""Pydantic models of the REST request bodies and of the scenes API's answers (the WebSocket's messages are
app/protocol.py's), and of the error bodies the API sends (`Problems`, with the `responses` each kind of route
declares in the OpenAPI document).

The config itself stays a plain JSON object here: `nncore.validate_config` is its one definition
(docs/config.md), and its `ConfigError`s name the exact field. These models check only the envelope around it,
strictly: a number is a JSON number (not "50", not false).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from app.protocol import Point
from app.store.base import Scene, SceneInfo
from app.store.content import TITLE_LENGTH
from nncore.limits import LANDSCAPE_GRID


class Problem(BaseModel):
    """One thing wrong with a request (app/errors.py; the WebSocket's `error` has the same fields)."""

    field: str | None = Field(
        description="dotted path of the refused field, or null for the request as a whole"
    )
    value: Any = Field(description="what was sent, shortened")
    allowed: str = Field(description="what would be accepted")
    message: str = Field(description="a sentence naming the field, the value and what is allowed")


class Problems(BaseModel):
    """The body of every 4xx and 503 this API sends: 422 (validation), 413, 429, 503."""

    detail: list[Problem]


class Detail(BaseModel):
    """A plain answer such as a 404's: `{"detail": "unknown lesson 'x'; the lessons are: …"}`."""

    detail: str


def _said(description: str) -> dict[str, Any]:
    return {"model": Problems, "description": description}


#: What a route that reads input may answer besides 200 (replaces FastAPI's default 422 schema).
INPUT_ERRORS: dict[int | str, dict[str, Any]] = {
    422: _said("a field is not allowed (detail names it), or a JSON body nested too deeply"),
}
#: What a route with a JSON body may answer.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    **INPUT_ERRORS,
    413: _said("the body is larger than NNLIVE_MAX_BODY_BYTES"),
}
#: What a training or landscape request may answer (app/heavy.py).
HEAVY_ERRORS: dict[int | str, dict[str, Any]] = {
    **BODY_ERRORS,
    429: _said("every heavy worker is busy; retry after the Retry-After header's seconds"),
    503: _said("the work ran past NNLIVE_REQUEST_DEADLINE and was stopped"),
}

#: What a scenes route may answer when its database cannot be reached.
STORE_ERRORS: dict[int | str, dict[str, Any]] = {
    503: _said("the scene store's database cannot be reached; the rest of the API goes on"),
}
#: What a route about one saved scene may answer: no such scene, or not its edit token.
SCENE_ERRORS: dict[int | str, dict[str, Any]] = {
    **INPUT_ERRORS,
    **STORE_ERRORS,
    404: {"model": Detail, "description": "no saved scene has this id (the same for a malformed id)"},
}
OWNER_ERRORS: dict[int | str, dict[str, Any]] = {
    **SCENE_ERRORS,
    403: {"model": Detail, "description": "no edit token, or not this scene's"},
}

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
    grid: StrictInt = Field(
        LANDSCAPE_GRID.default, ge=LANDSCAPE_GRID.min, le=LANDSCAPE_GRID.max, description=LANDSCAPE_GRID.doc
    )
    w1_range: tuple[StrictFloat, StrictFloat] | None = Field(
        None, description="[lo, hi] of w1; default: around the path"
    )
    w2_range: tuple[StrictFloat, StrictFloat] | None = Field(
        None, description="[lo, hi] of w2; default: around the path"
    )


#: ids one `POST /api/scenes/lookup` may ask about
LOOKUP_IDS = 500


class SceneBody(_Strict):
    """`POST /api/scenes` and `PUT /api/scenes/{id}`: a scene to save (docs/api.md, "Saved scenes")."""

    title: str = Field("", max_length=TITLE_LENGTH, description="the scene's name in a gallery")
    config: dict[str, Any] = Field(description="a config (docs/config.md); drawn points are in config.data")
    weights: list[Any] | None = Field(
        None, description="[{W, b}, …] for the config's network, e.g. POST /api/train's weights"
    )
    history: dict[str, list[Any]] | None = Field(
        None,
        description="per-epoch lists (train_loss, test_loss, train_accuracy, test_accuracy, mistakes; "
        "optionally epoch), e.g. POST /api/train's history; long ones are decimated",
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "XOR with two hidden neurons",
                    "config": {"data": {"dataset": "xor"}, "network": {"hidden": [2]}},
                }
            ]
        },
    )


class SceneInfoOut(BaseModel):
    """A saved scene's metadata (what a gallery shows)."""

    id: str
    url: str = Field(description="the short link that opens the scene: /s/<id>")
    title: str
    kind: str = Field(description='"scene", or what the classroom keeps')
    class_id: str | None
    size: int = Field(description="bytes stored (title and JSON)")
    has_weights: bool
    history_points: int = Field(description="epochs of history kept (0: none)")
    created: datetime
    updated: datetime

    @classmethod
    def of(cls, info: SceneInfo) -> Self:
        """From the store's record."""
        return cls(url=info.url, **dataclasses.asdict(info))


class SceneCreated(SceneInfoOut):
    """`POST /api/scenes`'s answer: the metadata and the edit token (shown this once; keep it)."""

    edit_token: str = Field(description="send as 'Authorization: Bearer <edit_token>' to PUT or DELETE")


class SceneOut(SceneInfoOut):
    """`GET /api/scenes/{id}`: the whole scene."""

    config: dict[str, Any]
    weights: list[dict[str, Any]] | None
    history: dict[str, list[Any]] | None

    @classmethod
    def of_scene(cls, scene: Scene) -> Self:
        """From the store's record."""
        content = scene.content
        info = SceneInfoOut.of(scene.info).model_dump()
        return cls(**info, config=content.config, weights=content.weights, history=content.history)


class LookupRequest(_Strict):
    """`POST /api/scenes/lookup`: the ids whose metadata to return (a browser's gallery)."""

    ids: list[str] = Field(max_length=LOOKUP_IDS, description=f"scene ids, at most {LOOKUP_IDS}")


class LookupAnswer(BaseModel):
    """The metadata of the ids that name a scene, in the order asked; the others are left out."""

    scenes: list[SceneInfoOut]
