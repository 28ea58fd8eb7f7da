"""The JSON API (reference with examples: docs/api.md; interactive: /docs).

Routes are sync `def`s, so FastAPI runs them in its thread pool and training never blocks the event loop. Bad
input raises `ConfigError` (turned into a 422 naming the field by app/errors.py).
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Body, Depends, Query, Request

from app import __version__
from app.encoding import jsonable
from app.schemas import TRAIN_EXAMPLES, PredictRequest
from app.settings import Settings
from nncore import ConfigError, catalog, predict, train, validate_config
from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, SOFTMAX
from nncore.config import output_units
from nncore.datasets import DATASETS, check_params, default_extent, make_dataset

router = APIRouter(prefix="/api", tags=["api"])

UPDATE_COST = 10_000  # the fixed cost of one update or one epoch's measurement, in multiply-adds
VALUE_COST = 1_000  # the cost of one grid value returned as JSON (to nested lists, then text), likewise


def get_settings(request: Request) -> Settings:
    """The app's settings (a dependency)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: status and version."""
    return {"status": "ok", "version": __version__}


@router.get("/catalog")
def get_catalog(settings: SettingsDep) -> dict[str, Any]:
    """Everything a user can choose, with formulas, defaults and limits (`limits`: the config's hard limits;
    `server`: this server's limits and frame rate)."""
    return {**catalog(), "server": settings.public()}


@router.get("/activations/{name}")
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
        "x": jsonable(x),
        "y": jsonable(y),
        "dy": jsonable(dy),
    }


def _query_value(kind: str, text: str) -> Any:
    """A query string as the kind of value a dataset parameter takes (checking is the Param's job)."""
    if kind == "bool":
        words = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
        return words.get(text.lower(), text)
    if kind in ("int", "float"):
        try:
            return float(text)
        except ValueError:
            return text
    return text


@router.get("/datasets/{name}")
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


def work(config: dict[str, Any]) -> float:
    """The work a normalized config asks for: epochs × (train samples × parameters + (updates + 1) ×
    UPDATE_COST), where updates is the number of updates per epoch and the + 1 is the epoch's measurement."""
    data, training = config["data"], config["training"]
    n = len(data["points"]) if "points" in data else data["n"]
    n_train = n - math.floor(data["test_fraction"] * n + 0.5)
    sizes = [len(config["features"]), *config["network"]["hidden"], output_units(config)]
    parameters = sum((a + 1) * b for a, b in pairwise(sizes))
    online = training["rule"] != "backprop"
    updates = n_train if online else math.ceil(n_train / training["batch_size"])
    return float(training["epochs"] * (n_train * parameters + (updates + 1) * UPDATE_COST))


def grid_work(config: dict[str, Any], grid: int) -> float:
    """The work of the final grids of a normalized config at output grid side G = `grid` (g = the config's
    `view.neuron_grid`): (G² + g²) × parameters for evaluating the network at every grid point, plus
    (G² × outputs + hidden units × g²) × VALUE_COST for the values returned."""
    if not grid:
        return 0.0
    g = config["view"]["neuron_grid"]
    sizes = [len(config["features"]), *config["network"]["hidden"], output_units(config)]
    parameters = sum((a + 1) * b for a, b in pairwise(sizes))
    values = grid * grid * sizes[-1] + sum(config["network"]["hidden"]) * g * g
    return float((grid * grid + g * g) * parameters + values * VALUE_COST)


TrainBody = Annotated[
    Any,
    Body(
        description="a whole config (docs/config.md), as nncore.train(config) takes it; missing keys take "
        "defaults",
        openapi_examples=TRAIN_EXAMPLES,
    ),
]
GridQuery = Annotated[int, Query(ge=0, description="side G of the final output grid to return (0: none)")]


@router.post("/train")
def train_config(settings: SettingsDep, body: TrainBody = None, grid: GridQuery = 0) -> dict[str, Any]:
    """Train a config (the body) headless to its end: final weights, per-epoch history, events and the
    normalized config (and with `?grid=G` the final output and neuron grids as nested lists). The work is
    bounded: see docs/api.md, "Work budget"."""
    if body is None or (isinstance(body, dict) and "config" in body):  # none, or the old envelope
        raise ConfigError(
            "config",
            body,
            'the body is the config itself (a JSON object, {} for every default), not {"config": …}; '
            "options such as grid go in the query string (?grid=50)",
        )
    config = validate_config(body)
    if grid and not 2 <= grid <= settings.max_grid:
        raise ConfigError("grid", grid, f"must be 0 (no grid) or an integer in [2, {settings.max_grid}]")
    neuron_grid = config["view"]["neuron_grid"]
    if neuron_grid > settings.max_neuron_grid:
        limit = settings.max_neuron_grid
        raise ConfigError("view.neuron_grid", neuron_grid, f"this server's neuron grids are at most {limit}")
    cost, budget = work(config), settings.train_budget
    drawing = grid_work(config, grid)
    if cost <= budget < cost + drawing:
        raise ConfigError(
            "grid",
            grid,
            f"this request's work, training {cost:.3g} plus grids {drawing:.3g} (G = {grid}, "
            f"g = view.neuron_grid = {neuron_grid}), is over this server's budget of {budget:.3g}; ask for a "
            "smaller grid or view.neuron_grid, or none (grid 0)",
        )
    if cost > budget:
        epochs = config["training"]["epochs"]
        raise ConfigError(
            "training.epochs",
            epochs,
            f"this request's work, epochs × (samples × parameters + (updates + 1) × {UPDATE_COST}), is "
            f"{cost:.3g}, over this server's budget of {budget:.3g}; train fewer epochs (at most "
            f"{math.floor(epochs * budget / cost)}), fewer points or a smaller network",
        )
    return jsonable(train(config, grid=grid or None))


@router.post("/predict")
def predict_points(body: PredictRequest) -> dict[str, Any]:
    """The network of `config` (its `network.weights`) at raw points: `outputs` (one number per point, or one
    list per point for softmax) and `classes` (classification) or null."""
    config = validate_config(body.config)
    if config["network"]["weights"] is None:
        raise ConfigError("network.weights", None, "predict needs the weights, e.g. from POST /api/train")
    return jsonable(predict(config, [list(p) for p in body.points]))
