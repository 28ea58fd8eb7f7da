"""The JSON API through FastAPI's TestClient: content, closed forms, reproducibility, 422s naming fields."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from nncore import DEFAULT_CONFIG

client = TestClient(create_app(Settings()))

XOR = {
    "data": {"dataset": "xor"},
    "network": {"hidden": [4], "activation": "tanh"},
    "training": {"epochs": 300, "learning_rate": 0.1, "batch_size": 4},
}


def test_catalog_lists_every_choice_with_defaults_and_the_server_limits() -> None:
    body = client.get("/api/catalog").json()
    assert {"tanh", "relu", "sigmoid", "softmax"} <= set(body["activations"])
    assert "formula" in body["activations"]["tanh"]
    assert {"mse", "bce", "cross_entropy"} <= set(body["losses"])
    assert {"sgd", "adam"} <= set(body["optimizers"])
    assert {"backprop", "perceptron"} <= set(body["rules"])
    assert body["datasets"]["spiral"]["params"]["n"]["default"] == 200
    assert "x1" in body["features"]
    assert body["defaults"] == DEFAULT_CONFIG
    assert body["limits"]["neurons"] == 64
    assert body["server"]["max_fps"] == 30 and body["server"]["max_sessions"] >= 64
    assert "allowed_origins" not in body["server"]


@pytest.mark.parametrize(
    ("name", "f", "df"),
    [
        ("tanh", np.tanh, lambda x: 1 - np.tanh(x) ** 2),
        ("sigmoid", lambda x: 1 / (1 + np.exp(-x)), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
        ("relu", lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)),
        ("softplus", lambda x: np.log1p(np.exp(x)), lambda x: 1 / (1 + np.exp(-x))),
    ],
)
def test_activation_curves_match_closed_forms(name: str, f: Any, df: Any) -> None:
    body = client.get(f"/api/activations/{name}", params={"lo": -3, "hi": 2, "n": 51}).json()
    x = np.array(body["x"])
    assert len(x) == 51 and x[0] == -3 and x[-1] == 2
    assert np.allclose(body["y"], f(x), atol=1e-5)
    assert np.allclose(body["dy"], df(x), atol=1e-5)
    assert body["formula"]


def test_dataset_is_reproducible_by_seed_and_validated_against_its_params() -> None:
    one = client.get("/api/datasets/spiral", params={"n": 50, "noise": 0.2, "seed": 3}).json()
    two = client.get("/api/datasets/spiral", params={"n": 50, "noise": 0.2, "seed": 3}).json()
    other = client.get("/api/datasets/spiral", params={"n": 50, "noise": 0.2, "seed": 4}).json()
    assert one == two
    assert one["points"] != other["points"]
    assert len(one["points"]) == len(one["labels"]) == 50
    assert set(one["labels"]) == {0, 1} and one["task"] == "classification" and one["classes"] == 2
    assert one["params"]["seed"] == 3 and one["extent"] == [-6.0, 6.0, -6.0, 6.0]
    blobs = client.get("/api/datasets/blobs", params={"k": 4, "n": 40}).json()
    assert blobs["classes"] == 4 and set(blobs["labels"]) == {0, 1, 2, 3}
    gate = client.get("/api/datasets/xor", params={"bipolar": "true"}).json()
    assert gate["extent"] == [-2.0, 2.0, -2.0, 2.0]


def test_a_large_seed_in_the_query_stays_exact() -> None:
    seed = 2**60 + 1  # a float would round it to 2**60
    body = client.get("/api/datasets/spiral", params={"n": 20, "seed": seed}).json()
    assert body["params"]["seed"] == seed
    assert (
        body["points"] == client.get("/api/datasets/spiral", params={"n": 20, "seed": seed}).json()["points"]
    )
    assert (
        body["points"] != client.get("/api/datasets/spiral", params={"n": 20, "seed": 2**60}).json()["points"]
    )


def test_train_returns_a_falling_history_and_the_final_grid_on_request() -> None:
    response = client.post("/api/train", params={"grid": 20}, json=XOR)
    assert response.status_code == 200
    body = response.json()
    loss = body["history"]["train_loss"]
    assert len(loss) == 300 and loss[-1] < 0.5 * loss[0]
    assert body["history"]["train_accuracy"][-1] == 1.0
    assert body["events"][-1]["type"] == "finished"
    assert np.array(body["grid"]["output"]).shape == (20, 20)
    assert [np.array(layer).shape for layer in body["grid"]["layers"]] == [(4, 32, 32)]
    assert body["config"]["network"]["hidden"] == [4]


def test_predict_with_trained_weights_matches_a_hand_written_forward_pass() -> None:
    trained = client.post("/api/train", json=XOR).json()
    points = [[0, 0], [0, 1], [1, 0], [1, 1], [0.3, 0.8]]
    config = {**XOR, "network": {**XOR["network"], "weights": trained["weights"]}}
    body = client.post("/api/predict", json={"config": config, "points": points}).json()
    (W1, b1), (W2, b2) = ((np.array(w["W"]), np.array(w["b"])) for w in trained["weights"])
    expected = 1 / (1 + np.exp(-(np.tanh(np.array(points) @ W1 + b1) @ W2 + b2)))
    assert np.allclose(body["outputs"], expected[:, 0], rtol=1e-9)
    assert body["classes"][:4] == [0, 1, 1, 0]


BAD_INPUTS = [
    ("get", "/api/activations/nope", None, "name", "nope"),
    ("get", "/api/activations/softmax", None, "name", "softmax"),
    ("get", "/api/activations/tanh?n=1", None, "n", "1"),
    ("get", "/api/activations/tanh?lo=2&hi=1", None, "hi", 1.0),
    ("get", "/api/activations/tanh?lo=nan", None, "lo", "nan"),
    ("get", "/api/datasets/nope", None, "name", "nope"),
    ("get", "/api/datasets/spiral?n=3", None, "n", 3),
    ("get", "/api/datasets/spiral?noise=lots", None, "noise", "lots"),
    ("get", "/api/datasets/spiral?colour=red", None, "colour", "red"),
    ("post", "/api/train", {"training": {"learning_rate": -1}}, "training.learning_rate", -1.0),
    ("post", "/api/train", {"network": {"hidden": [8, 999]}}, "network.hidden[1]", 999),
    ("post", "/api/train", {"network": {"activation": "tanhh"}}, "network.activation", "tanhh"),
    ("post", "/api/train", {"bogus": 1}, "bogus", 1),
    ("post", "/api/train", {"training": {"epochs": None}}, "training.epochs", None),  # null: a live session's
    ("post", "/api/train?grid=100000", {}, "grid", 100_000),
    ("post", "/api/train?grid=many", {}, "grid", "many"),
    ("post", "/api/train", "spiral", "config", "spiral"),
    ("post", "/api/train", None, "config", None),
    (
        "post",
        "/api/train",
        {"config": {}, "grid": 10},
        "config",
        "{'config': {}, 'grid': 10}",
    ),  # the old envelope
    ("post", "/api/predict", {"config": {}, "points": [[0, 0]]}, "network.weights", None),
    ("post", "/api/predict", {"config": XOR, "points": [[0, "a"]]}, "points[0][1]", "a"),
]


@pytest.mark.parametrize(("method", "url", "body", "field", "value"), BAD_INPUTS)
def test_every_validation_failure_is_a_422_naming_field_value_and_what_is_allowed(
    method: str, url: str, body: Any, field: str, value: Any
) -> None:
    response = client.request(method.upper(), url, json=body)
    assert response.status_code == 422
    [problem] = response.json()["detail"][:1]
    assert problem["field"] == field
    assert problem["value"] == value
    assert problem["allowed"] and field in problem["message"]
    assert "should be" not in problem["message"], "one wording: nncore's, never pydantic's own"


def test_work_over_the_budget_is_a_422_stating_the_budget_and_the_cost() -> None:
    small = TestClient(create_app(Settings(train_budget=1e6)))
    config = {"data": {"dataset": "spiral", "n": 200}, "training": {"epochs": 1000}}
    response = small.post("/api/train", json=config)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "training.epochs" and problem["value"] == 1000
    assert "budget of 1e+06" in problem["allowed"]
    # docs/api.md, "Work budget": 100 train and 100 test points; 2-8-8-1 has 17 units and (2+1)·8 + (8+1)·8 +
    # (8+1)·1 = 105 weights; 10 updates per epoch; 1000 epochs
    from nncore import cost

    updates = 10 * (cost.STEP + 2 * cost.LAYER + cost.PARAMETER * 105) + 100 * (
        cost.UNIT * 17 + cost.WEIGHT * 105
    )
    evaluation = (
        cost.EVALUATION
        + 2 * cost.EVALUATION_LAYER
        + 200 * (cost.EVALUATION_POINT + cost.EVALUATION_UNIT * 17)
    )
    assert f"{1000 * (updates + evaluation):.3g}" in problem["allowed"]
    assert small.post("/api/train", json={**config, "training": {"epochs": 1}}).status_code == 200


def test_a_body_that_is_not_json_blames_no_field() -> None:
    response = client.post("/api/train", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] is None and "not JSON" in problem["message"]


def test_a_non_finite_value_is_shown_as_its_repr() -> None:
    from app.errors import config_problem
    from nncore import ConfigError

    assert config_problem(ConfigError("x", float("nan"), "a number"))["value"] == "nan"
    detail = config_problem(ConfigError("x", "y" * 500, "short"))
    assert detail["value"] == "y" * 200 and detail["message"].startswith("x: 'yyy")


WIDE = {"network": {"hidden": [64] * 8}, "training": {"epochs": 1}}


def test_the_grids_count_in_the_work_budget() -> None:
    from nncore import cost, validate_config

    units = 8 * 64 + 1  # 2 features, 8 hidden layers of 64, 1 output
    for g, fits in ((64, False), (32, True)):
        config = validate_config({**WIDE, "view": {"neuron_grid": g}})
        drawing = cost.GRID_PASS + cost.GRID_UNIT * (200**2 + g**2) * units
        drawing += (200**2 + 8 * 64 * g**2) * cost.VALUE
        work = cost.train_work(config, 200)
        assert work.grids == drawing
        assert (work.total <= Settings().train_budget) is fits
        assert cost.train_work(config, 0).grids == 0
    response = client.post("/api/train", params={"grid": 200}, json={**WIDE, "view": {"neuron_grid": 64}})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "grid" and problem["value"] == 200 and "budget of 2e+09" in problem["allowed"]


def test_the_neuron_grid_of_a_trained_config_is_capped_by_the_server() -> None:
    # the review's 105 MB answer: every one of 512 neurons over a 200×200 grid, as JSON lists
    config = {**WIDE, "view": {"neuron_grid": 200}}
    response = client.post("/api/train", params={"grid": 200}, json=config)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "view.neuron_grid" and problem["value"] == 200 and "64" in problem["allowed"]
    response = client.post("/api/train", json={"view": {"neuron_grid": 40}, "neuron_grid": 40})
    assert response.status_code == 422  # no such config key: the config's view says g
    assert response.json()["detail"][0]["field"] == "neuron_grid"


def test_an_unexpected_error_is_a_generic_500_without_a_stack_trace() -> None:
    app = create_app(Settings())
    broken = APIRouter()

    @broken.get("/api/broken")
    def fail() -> None:
        raise ZeroDivisionError("secret internals")

    app.include_router(broken)
    response = TestClient(app, raise_server_exceptions=False).get("/api/broken")
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.json() == {"detail": "internal server error (logged on the server)"}


def test_openapi_documents_the_request_examples() -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/catalog", "/api/train", "/api/predict", "/api/datasets/{name}"} <= set(schema["paths"])
    train = schema["paths"]["/api/train"]["post"]
    examples = train["requestBody"]["content"]["application/json"]["examples"]
    for example in examples.values():  # the body is a config, and each example trains
        assert client.post("/api/train", json=example["value"]).status_code == 200
    assert [p["name"] for p in train["parameters"]] == ["grid"] and train["parameters"][0]["in"] == "query"
    assert schema["components"]["schemas"]["PredictRequest"]["examples"]
    assert client.get("/docs").status_code == 200
