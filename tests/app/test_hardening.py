"""Issue 12's audit, one test per finding (the ones that need a real server: test_hardening_server.py): no
request or message crashes, stalls or monopolises the server; every refusal names what is allowed.

Each of these failed before the hardening (checked against the code before it)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.main import create_app
from app.settings import Settings
from nncore import cost, validate_config
from tests.app.test_ws import POINTS, SPIRAL, at_epoch, frames_for, is_frame, of_type, receive, session, until

pytestmark = pytest.mark.timeout(120)

client = TestClient(create_app(Settings()))
JSON = {"content-type": "application/json"}
SURROGATE = b'"\\ud800"'  # JSON allows a lone surrogate escape; UTF-8 cannot encode it
NEURON = {"data": {"dataset": "linear", "n": 40}, "network": {"hidden": []}, "training": {"epochs": 20}}


# ---- 1. a lone surrogate made the 422 renderer raise (a 500) ---------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/train", b'{"data": {"dataset": ' + SURROGATE + b"}}"),
        ("/api/train", b'{"data": {' + SURROGATE + b": 1}}"),  # in a key
        ("/api/predict", b'{"config": {"data": {"dataset": ' + SURROGATE + b'}}, "points": [[0, 0]]}'),
        ("/api/landscape", b'{"config": {"data": {"dataset": ' + SURROGATE + b"}}}"),
    ],
)
def test_a_lone_surrogate_is_a_422_that_shows_it_escaped(path: str, body: bytes) -> None:
    response = client.post(path, content=body, headers=JSON)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"].startswith("data") and "\\ud800" in problem["message"]


def test_a_lone_surrogate_in_a_websocket_config_is_an_error_and_the_session_goes_on() -> None:
    with session(create_app(Settings())) as ws:
        ws.send_text('{"type": "configure", "config": {"data": {"dataset": "\\ud800"}}, "id": 1}')
        error = until(ws, of_type("error"))[-1]
        assert error["field"] == "data.dataset" and "\\ud800" in error["message"]
        ws.send_json({"type": "configure", "config": POINTS})
        assert until(ws, of_type("data"))[-1]["type"] == "data"


# ---- 2. /api/landscape: a 500 on an overflowing range, and work without a budget ----------------------


def test_a_landscape_range_must_be_finite_and_bounded() -> None:
    body = {"config": {"network": {"hidden": []}}, "w1_range": [-1e308, 1e308]}
    response = client.post("/api/landscape", json=body)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "w1_range" and "1e+06" in problem["allowed"]


def test_a_landscape_whose_loss_overflows_in_places_still_answers() -> None:
    body = {"config": NEURON, "grid": 5, "w1_range": [-1e6, 1e6], "w2_range": [-1e6, 1e6]}
    response = client.post("/api/landscape", json=body)
    assert response.status_code == 200
    assert len(response.json()["loss"]) == 5


# ---- 3. a deeply nested WebSocket message killed its session -------------------------------------------


def test_a_deeply_nested_message_is_an_error_and_the_session_goes_on() -> None:
    with session(create_app(Settings()), POINTS) as ws:
        ws.send_text("[" * 100_000 + "]" * 100_000)  # 200 KB, under the size limit
        error = until(ws, of_type("error"))[-1]
        assert "nested 100000 levels deep" in error["message"] and error["field"] is None
        ws.send_text('{"type": "step", "n": ' + "[" * 20 + "1" + "]" * 20 + "}")  # deep but allowed: a bad n
        assert until(ws, of_type("error"))[-1]["field"] == "n"
        ws.send_json({"type": "step", "n": 2})
        assert until(ws, at_epoch(2))[-1]["epoch"] == 2  # frames may also come while stepping


def test_a_deeply_nested_body_is_a_422_before_it_is_parsed() -> None:
    response = client.post("/api/train", content=b"[" * 100_000 + b"]" * 100_000, headers=JSON)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] is None and "nested 100000 levels deep; at most 32" in problem["message"]


# ---- 4, 5. frames froze after many edits, and for good after a tiny fps --------------------------------


def test_frames_keep_coming_after_many_weight_edits() -> None:
    """300 `weights` commands (a slider dragged) used to push the next frame 10 s away."""
    with session(create_app(Settings()), POINTS) as ws:
        for k in range(300):
            ws.send_json(
                {"type": "weights", "layer": 0, "kind": "W", "i": 0, "j": 0, "value": k / 100, "id": k}
            )
            until(ws, of_type("ack"))
        ws.send_json({"type": "play"})
        assert len(frames_for(ws, 2.0)) >= 10  # 30 a second on an idle machine; none before the fix


def test_an_fps_below_the_minimum_is_refused_and_frames_go_on() -> None:
    with session(create_app(Settings()), SPIRAL) as ws:
        ws.send_json({"type": "set", "frame": {"fps": 1e-300}, "id": "slow"})
        error = until(ws, of_type("error"))[-1]
        assert error["field"] == "frame.fps" and error["id"] == "slow" and "0.1" in error["message"]
        ws.send_json({"type": "play"})
        assert len(frames_for(ws, 1.5)) >= 5


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "set", "speed": 1e300}, "speed"),
        ({"type": "set", "frame": {"grid": "50"}}, "frame.grid"),
        ({"type": "set", "frame": {"neurons": "yes"}}, "frame.neurons"),
        ({"type": "step", "n": "5"}, "n"),
        ({"type": "step", "n": True}, "n"),
        ({"type": "set", "learning_rate": "0.1"}, "learning_rate"),
        ({"type": "weights", "layer": 0, "kind": "b", "j": 0, "value": "1"}, "value"),
        ({"type": "points", "op": "add", "points": [["1", 2]], "labels": [0]}, "points[0][0]"),
    ],
)
def test_every_numeric_field_has_a_type_and_a_range(message: dict[str, Any], field: str) -> None:
    with session(create_app(Settings()), POINTS) as ws:
        ws.send_json(message)
        assert until(ws, of_type("error"))[-1]["field"] == field


# ---- 6. the budget charges what the audit's request costs, a deadline stops what slips through ---------


FINDING_6 = {
    "data": {"dataset": "spiral", "n": 8, "test_fraction": 0},
    "network": {"hidden": [2] * 8, "batch_norm": True, "dropout": 0.5},
    "training": {"epochs": 39676, "batch_size": 2, "amsgrad": True, "l1": 0.001, "l2": 0.001},
}


def test_the_cost_model_charges_amsgrad_and_penalties_per_layer() -> None:
    config = validate_config(FINDING_6)
    plain = validate_config(
        {**FINDING_6, "training": {**FINDING_6["training"], "amsgrad": False, "l1": 0, "l2": 0}}
    )
    dense, arrays = 9, 2 * 9 + 2 * 8  # W and b of 9 dense layers, scale and shift of 8 batch norms
    per_update = dense * cost.PENALTY + arrays * cost.AMSGRAD
    assert cost.update_work(config) - cost.update_work(plain) == per_update
    response = client.post("/api/train", json=FINDING_6)  # 180 s of CPU before the issue: refused at once
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "training.epochs"


def test_training_past_the_deadline_is_stopped_inside_the_loop_with_a_503() -> None:
    app = create_app(Settings(request_deadline=0.3, train_budget=1e13))
    slow = {**FINDING_6, "training": {**FINDING_6["training"], "epochs": 20_000}}  # about a minute of CPU
    started = time.monotonic()
    response = TestClient(app).post("/api/train", json=slow)
    assert response.status_code == 503 and time.monotonic() - started < 10
    assert "limit of 0.3 s" in response.json()["detail"][0]["message"] and response.headers["retry-after"]
    assert app.state.heavy.running == 0  # its worker is free again
    landscape = {"config": {**NEURON, "data": {"dataset": "linear", "n": 5000}, "training": {"epochs": 5000}}}
    assert TestClient(app).post("/api/landscape", json={**landscape, "grid": 101}).status_code == 503


# ---- 10. DNS rebinding: the origin check trusted Host ---------------------------------------------------


def test_a_rebound_host_is_refused_over_http_and_websocket() -> None:
    rebound = TestClient(create_app(Settings(allowed_hosts=())), base_url="http://evil.example:8000")
    response = rebound.get("/api/catalog")
    assert response.status_code == 400 and "evil.example" in response.json()["detail"][0]["message"]
    headers = {"host": "evil.example:8000", "origin": "http://evil.example:8000"}  # a rebinding page's
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        rebound.websocket_connect("/ws/train", headers=headers),
    ):
        pass
    assert refused.value.code == 1008
    local = TestClient(create_app(Settings(allowed_hosts=())), base_url="http://localhost:8000")
    assert local.get("/api/health").status_code == 200
    headers = {"host": "localhost:8000", "origin": "http://localhost:8000"}
    with local.websocket_connect("/ws/train", headers=headers) as ws:
        assert receive(ws)["type"] == "hello"


def test_an_origin_equal_to_its_host_is_not_enough_when_the_host_is_not_served() -> None:
    from app.hosts import origin_allowed

    assert not origin_allowed("http://evil.example:8000", "evil.example:8000", (), ())
    assert origin_allowed("http://lab.example:8000", "lab.example:8000", (), ("lab.example",))
    assert origin_allowed("http://[::1]:8000", "[::1]:8000", (), ())


# ---- 11. silent connections locked everyone out -----------------------------------------------------------


def test_one_address_cannot_take_every_session_and_silent_ones_are_closed() -> None:
    app = create_app(Settings(max_sessions=4, max_sessions_per_client=2, configure_timeout=1.0))
    crowd = TestClient(app, client=("10.0.0.1", 1000))
    first, second = crowd.websocket_connect("/ws/train"), crowd.websocket_connect("/ws/train")
    with first as a, second as b:
        assert receive(a)["type"] == receive(b)["type"] == "hello"
        with crowd.websocket_connect("/ws/train") as third:
            refusal = receive(third)
            assert refusal["type"] == "error" and "2 live sessions per client address" in refusal["message"]
        with TestClient(app, client=("10.0.0.2", 1000)).websocket_connect("/ws/train") as other:
            assert receive(other)["type"] == "hello"  # another address still gets in
            other.send_json({"type": "configure", "config": POINTS})
            assert until(other, of_type("data"))[-1]["type"] == "data"
            with pytest.raises(WebSocketDisconnect) as idle:  # the silent ones are closed after 1 s
                receive(a)
            assert idle.value.code == 1008
            assert is_frame(until(other, is_frame)[-1])  # the configured one stays


# ---- 12. labels outside 0..7 were silently read as regression -------------------------------------------


@pytest.mark.parametrize("labels", [[0, 1, 8, 2], [0, -1, 1, 0], [0.0, 1.0, 9.0, 1.0]])
def test_an_integer_label_outside_the_classes_is_a_422_unless_the_task_is_regression(
    labels: list[Any],
) -> None:
    data = {"points": [[0, 0], [0, 1], [1, 0], [1, 1]], "labels": labels}
    response = client.post("/api/train", json={"data": data, "training": {"epochs": 1}})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "data.labels" and "task: 'regression'" in problem["message"]
    regression = {"data": {**data, "task": "regression"}, "training": {"epochs": 1}}
    assert client.post("/api/train", json=regression).json()["config"]["data"]["task"] == "regression"
    fractions = {"data": {**data, "labels": [0.5, 1, 8, 2]}, "training": {"epochs": 1}}
    assert client.post("/api/train", json=fractions).json()["config"]["data"]["task"] == "regression"


# ---- 13. security headers, and /docs without a CDN ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/static/js/main.js", "/vendor/plotly.min.js", "/api/health", "/api/catalog", "/api/nothing",
     "/api/activations/nope", "/docs", "/docs/static/swagger-ui.css", "/openapi.json", "/metrics"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"


def test_frame_ancestors_is_a_setting() -> None:
    projector = TestClient(create_app(Settings(frame_ancestors="'self' https://projector.example")))
    csp = projector.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'self' https://projector.example" in csp
    with pytest.raises(ValueError, match="frame_ancestors"):
        Settings(frame_ancestors="'self'; script-src *")


def test_the_api_reference_loads_only_local_files() -> None:
    page = client.get("/docs").text
    assert "http" not in page and "<script>" not in page  # no CDN, no inline script
    for src in ('src="/docs/static/swagger-ui-bundle.js"', 'src="/docs/start.js"'):
        assert src in page
    for path in ("/docs/static/swagger-ui-bundle.js", "/docs/static/swagger-ui.css", "/docs/start.js"):
        assert client.get(path).status_code == 200
    assert client.get("/redoc").status_code == 404  # off: it would fetch its logo from a CDN


# ---- 14. the OpenAPI document describes the 422 the server sends; lax types --------------------------


def test_every_422_in_the_openapi_document_is_the_problem_list() -> None:
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    problems = schema["components"]["schemas"]["Problems"]
    assert problems["properties"]["detail"]["items"] == {"$ref": "#/components/schemas/Problem"}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if operation.get("parameters") or operation.get("requestBody"):
                declared = operation["responses"]["422"]["content"]["application/json"]["schema"]
                assert declared == {"$ref": "#/components/schemas/Problems"}, (method, path)
    train = schema["paths"]["/api/train"]["post"]["responses"]
    assert {"413", "422", "429", "503"} <= set(train)


@pytest.mark.parametrize(
    "body",
    [
        {"config": NEURON, "grid": False},
        {"config": NEURON, "grid": "50"},
        {"config": NEURON, "grid": 11.0},
        {"config": NEURON, "w1_range": ["-1", 1]},
    ],
)
def test_lax_types_are_refused(body: dict[str, Any]) -> None:
    response = client.post("/api/landscape", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] in ("grid", "w1_range[0]")


def test_a_point_given_as_a_string_is_refused() -> None:
    xor = {"data": {"dataset": "xor"}, "network": {"hidden": [2], "weights": None}}
    response = client.post("/api/predict", json={"config": xor, "points": [["1", 0]]})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "points[0][0]"
