"""Problems carry a stable `code` and its `params` besides the English `message` (docs/api.md, "Error codes"),
so that the page words them in the learner's language: REST 422s and the WebSocket's `error` alike."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.protocol import Error
from app.settings import Settings
from nncore import DEFAULT_CONFIG

client = TestClient(create_app(Settings()))


def config(**sections: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(DEFAULT_CONFIG)
    for name, values in sections.items():
        out[name].update(values)
    out["training"]["epochs"] = 1
    return out


def problem_of(body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/train", json=body)
    assert response.status_code == 422
    return response.json()["detail"][0]


def test_a_value_out_of_range_says_not_allowed_with_the_parameters_description() -> None:
    problem = problem_of(config(training={"learning_rate": 20}))
    assert problem["code"] == "not_allowed"
    assert problem["params"] == {"spec": {"kind": "float", "min": 0.0, "above_min": True, "max": 10.0}}
    assert problem["message"] == "training.learning_rate: 20.0 is not allowed; must be a number in (0, 10]"


@pytest.mark.parametrize(
    ("sections", "code", "params"),
    [
        (
            {"network": {"output_activation": "softmax"}, "training": {"loss": "hinge"}},
            "softmax_needs_loss",
            {"loss": "hinge"},
        ),
        (
            {"network": {"output_activation": "tanh"}, "training": {"loss": "bce"}},
            "loss_needs_output",
            {"loss": "bce", "need": "sigmoid", "output": "tanh"},
        ),
        ({"training": {"rule": "perceptron"}}, "rule_single_neuron", {"rule": "perceptron"}),
        (
            {"data": {"dataset": "blobs", "k": 3}, "network": {"hidden": []}, "training": {"rule": "delta"}},
            "rule_two_classes",
            {"rule": "delta", "classes": 3},
        ),
        (
            {"data": {"dataset": "blobs", "k": 3}, "network": {"output_activation": "sigmoid"}},
            "classes_need_softmax",
            {"classes": 3, "output": "sigmoid"},
        ),
    ],
)
def test_a_combination_has_its_own_code(sections: dict[str, Any], code: str, params: dict[str, Any]) -> None:
    body = config(**{k: v for k, v in sections.items() if k != "data"})
    if "data" in sections:
        body["data"] = sections["data"]
    problem = problem_of(body)
    assert (problem["code"], problem["params"]) == (code, params)
    assert problem["message"], "the English sentence stays for API users"


def test_request_model_errors_have_codes_too() -> None:
    response = client.get("/api/datasets/circle", params={"n": "abc"})
    [problem] = response.json()["detail"]
    assert problem["code"] == "not_allowed" and problem["params"] == {
        "spec": {"kind": "int", "min": 8, "max": 5000}
    }
    response = client.post("/api/train", content=b"{not json", headers={"content-type": "application/json"})
    assert response.json()["detail"][0]["code"] == "invalid_json"


def test_the_websocket_error_carries_the_code() -> None:
    with client.websocket_connect("/ws/train") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "configure", "config": config(training={"learning_rate": -1}), "id": 7})
        message = ws.receive_json()
        error = Error.model_validate(message)  # the protocol's one definition
        assert (error.code, error.field, error.id) == ("not_allowed", "training.learning_rate", 7)
        assert error.params["spec"]["max"] == 10.0
        ws.send_json({"type": "set", "speed": "fast", "id": 8})  # a request model's own check
        error = Error.model_validate(ws.receive_json())
        assert (error.code, error.field, error.params) == (
            "not_allowed",
            "speed",
            {"spec": {"kind": "float"}},
        )
        ws.send_json({"type": "dance"})
        error = Error.model_validate(ws.receive_json())
        assert error.code == "not_allowed" and "configure" in error.params["spec"]["choices"]
