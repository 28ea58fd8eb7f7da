"""The JSON API (reference with examples: docs/api.md; interactive: /docs).

Light routes are sync `def`s, which FastAPI runs in its thread pool; training runs in app/heavy.py's own
bounded pool (429 when full, 503 past the deadline, stopped when the client leaves); health answers on the
event loop and waits for nothing. Bad input raises `ConfigError` (turned into a 422 naming the field by
app/errors.py).
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Body, Query, Request

from app import __version__
from app.encoding import wire_json
from app.heavy import Stop
from app.routes.deps import HeavyDep, SettingsDep
from app.schemas import BODY_ERRORS, HEAVY_ERRORS, INPUT_ERRORS, TRAIN_EXAMPLES, PredictRequest
from app.settings import Settings
from nncore import ConfigError, catalog, predict, train, validate_config
from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, SOFTMAX
from nncore.cost import train_work
from nncore.data import default_extent
from nncore.datasets import DATASETS, check_params, make_dataset
from nncore.limits import LIMITS

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: status and version (on the event loop: never behind training)."""
    return {"status": "ok", "version": __version__}


@router.get("/catalog")
def get_catalog(settings: SettingsDep) -> dict[str, Any]:
    """Everything a user can choose, with formulas, defaults and limits (`limits`: the config's hard limits;
    `server`: this server's limits and frame rate)."""
    return {**catalog(), "server": settings.public()}


@router.get("/activations/{name}", responses=INPUT_ERRORS)
def activation_curve(
    name: str,
    lo: float = Query(-5.0, allow_inf_nan=False, description="first x"),
    hi: float = Query(5.0, allow_inf_nan=False, description="last x (> lo)"),
    n: int = Query(201, ge=2, le=10_001, description="number of points"),
) -> dict[str, Any]:
    """x, f(x) and f'(x) of an elementwise activation at n evenly spaced points in [lo, hi]."""
    if name == SOFTMAX.name:
        raise ConfigError("name", name, "softmax is not elementwise; choose an elementwise activation")
    if name not in ACTIVATIONS:
        raise ConfigError("name", name, "choose one of: " + ", ".join(ACTIVATIONS))
    activation = ACTIVATIONS[name]
    assert activation.df is not None  # every hidden activation is elementwise (only softmax has no df)
    if not hi > lo:
        raise ConfigError("hi", hi, f"must be greater than lo ({lo:g})")
    x = np.linspace(lo, hi, n)
    with np.errstate(all="ignore"):
        y, dy = activation.f(x), activation.df(x)
    return {
        "name": name,
        "formula": activation.formula,
        "derivative": activation.derivative,
        "output": name in OUTPUT_ACTIVATIONS,
        "x": wire_json(x),
        "y": wire_json(y),
        "dy": wire_json(dy),
    }


def _query_value(kind: str, text: str) -> Any:
    """A query string as the kind of value a dataset parameter takes (checking is the Param's job)."""
    if kind == "bool":
        words = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
        return words.get(text.lower(), text)
    if kind in ("int", "float"):
        try:
            return int(text) if kind == "int" else float(text)  # a big seed stays exact
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text
    return text


@router.get("/datasets/{name}", responses=INPUT_ERRORS)
def dataset_points(name: str, request: Request) -> dict[str, Any]:
    """The points and labels of dataset `name`. Its parameters (see /api/catalog → datasets.<name>.params;
    e.g. `n`, `noise`, `seed`, `outliers`, `k`) come as query parameters; missing ones take their defaults."""
    if name not in DATASETS:
        raise ConfigError("name", name, "choose one of: " + ", ".join(DATASETS))
    spec = DATASETS[name]
    raw: dict[str, Any] = {}
    for key, text in request.query_params.items():
        param = spec.params.get(key)
        raw[key] = _query_value(param.kind, text) if param else text
    params = check_params(name, raw, prefix="")  # here the parameters are query parameters, not data.<key>
    X2, y = make_dataset(name, **params)
    return {
        "name": name,
        "params": params,
        "task": spec.task,
        "classes": spec.num_classes(params),
        "extent": default_extent(X2, name, **params),
        "points": X2.tolist(),
        "labels": y.tolist(),
    }


TrainBody = Annotated[
    Any,
    Body(
        description="a whole config (docs/config.md), as nncore.train(config) takes it; missing keys take "
        "defaults",
        openapi_examples=TRAIN_EXAMPLES,
    ),
]
GridQuery = Annotated[int, Query(ge=0, description="side G of the final output grid to return (0: none)")]


@router.post("/train", responses=HEAVY_ERRORS)
async def train_config(
    request: Request, settings: SettingsDep, heavy: HeavyDep, body: TrainBody = None, grid: GridQuery = 0
) -> dict[str, Any]:
    """Train a config (the body) headless to its end: final weights, per-epoch history, events and the
    normalized config (and with `?grid=G` the final output and neuron grids as nested lists). The work is
    bounded: see docs/api.md, "Work budget" and "Limits and protection"."""
    return await heavy.run(request, lambda stop: _train(body, grid, settings, stop))


def _train(body: Any, grid: int, settings: Settings, stop: Stop) -> dict[str, Any]:
    """Check the request and its work, then train (on a heavy thread)."""
    if body is None or (isinstance(body, dict) and "config" in body):  # none, or the old envelope
        raise ConfigError(
            "config",
            body,
            'the body is the config itself (a JSON object, {} for every default), not {"config": …}; '
            "options such as grid go in the query string (?grid=50)",
        )
    config = validate_config(body)
    smallest = int(LIMITS["grid_min"])
    if grid and not smallest <= grid <= settings.max_grid:
        allowed = f"must be 0 (no grid) or an integer in [{smallest}, {settings.max_grid}]"
        raise ConfigError("grid", grid, allowed)
    neuron_grid = config["view"]["neuron_grid"]
    if neuron_grid > settings.max_neuron_grid:
        limit = settings.max_neuron_grid
        raise ConfigError("view.neuron_grid", neuron_grid, f"this server's neuron grids are at most {limit}")
    train_work(config, grid).check(settings.train_budget)
    return train(config, grid=grid or None, should_stop=stop)


@router.post("/predict", responses=BODY_ERRORS)
def predict_points(body: PredictRequest) -> dict[str, Any]:
    """The network of `config` (its `network.weights`) at raw points: `outputs` (one number per point, or one
    list per point for softmax) and `classes` (classification) or null."""
    config = validate_config(body.config)
    if config["network"]["weights"] is None:
        raise ConfigError("network.weights", None, "predict needs the weights, e.g. from POST /api/train")
    return predict(config, [list(p) for p in body.points])
