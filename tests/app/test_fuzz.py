"""Fuzzing: schemathesis against the app's own OpenAPI document (no 5xx; every answer, the 422s included, as
the document declares it), and a WebSocket fuzzer (hundreds of malformed messages: each gets one `error`, and
the session still trains afterwards)."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.settings import Settings
from tests.app.test_ws import POINTS, at_epoch, of_type, session, until

# A small budget and deadline keep every generated training request short; the checks do not depend on them.
app = create_app(Settings(train_budget=2e7, request_deadline=2.0, max_heavy_requests=4))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.timeout(120)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_answers_every_generated_request_as_its_openapi_document_says(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


# ---- the WebSocket
# ------------------------------------------------------------------------------------------

VALID: list[dict[str, Any]] = [
    {"type": "configure", "config": POINTS},
    {"type": "play"},
    {"type": "pause"},
    {"type": "step", "n": 1, "unit": "epoch"},
    {"type": "reset"},
    {"type": "set", "learning_rate": 0.1, "speed": 5, "frame": {"grid": 40, "neuron_grid": 8, "fps": 10}},
    {"type": "points", "op": "add", "points": [[0.5, 0.5]], "labels": [1]},
    {"type": "weights", "layer": 0, "kind": "W", "i": 0, "j": 0, "value": 1.0},
    {"type": "close"},
]
# Values no field of the protocol accepts (null is left out: an optional field takes it as "unchanged"; ±1e309
# is ±inf once parsed; `true` is left out for `neurons`).
BAD_VALUES: list[Any] = ["x", "1", "\ud800", True, [1, [2]], 1e309, -1e309]


def malformed(rng: random.Random) -> str:
    """One message that must be refused: broken JSON, a bad shape, or a valid message with one bad field."""
    kind = rng.randrange(8)
    if kind == 0:  # not JSON at all
        return "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(1, 40)))
    if kind == 1:  # a valid message cut short
        text = json.dumps(rng.choice(VALID))
        return text[: rng.randrange(1, len(text) - 1)]
    if kind == 2:  # not an object
        return json.dumps(rng.choice([[], 1, "play", None, True, [{"type": "play"}]]))
    if kind == 3:  # too deep, or JSON that JSON does not have
        return rng.choice(
            ["[" * 40 + "]" * 40, '{"type": "play", "id": NaN}', '{"type": "set", "speed": Infinity}']
        )
    if kind == 4:  # an unknown or missing type
        return json.dumps({"type": rng.choice(["dance", "", "PLAY", 3]), "id": rng.randrange(100)})
    message = dict(rng.choice(VALID))
    if kind == 5:  # an unknown field
        message[rng.choice(["colour", "n2", "typo", "Type"])] = 1
        return json.dumps(message)
    fields = [k for k in message if k != "type"] or ["n"]
    field = rng.choice(fields)
    if message["type"] == "configure":
        message["config"] = {"network": {"hidden": rng.choice([[0], [999], "deep", [-1]])}}
    elif field == "frame" and kind == 6:
        key, value = rng.choice(["grid", "neuron_grid", "fps", "neurons"]), rng.choice(BAD_VALUES)
        message["frame"] = {key: "x" if (key, value) == ("neurons", True) else value}
    else:
        message[field] = rng.choice(BAD_VALUES)
        if message["type"] in ("play", "pause", "reset", "close"):  # these have no fields but type and id
            message["extra"] = 1
    return json.dumps(message)


@pytest.mark.timeout(120)
def test_hundreds_of_malformed_messages_each_get_one_error_and_the_session_goes_on() -> None:
    rng = random.Random(12)
    with session(create_app(Settings()), POINTS) as ws:
        for k in range(600):
            text = malformed(rng)
            ws.send_text(text)
            seen = until(ws, lambda m: m["type"] in ("error", "ack", "data", "event"))
            assert seen[-1]["type"] == "error", (k, text, seen[-1])
        ws.send_json({"type": "step", "n": 3, "id": "alive"})
        assert until(ws, at_epoch(3))[-1]["epoch"] == 3  # the session still trains
        ws.send_json({"type": "set", "learning_rate": 0.2, "id": "last"})
        assert until(ws, of_type("ack"))[-1]["id"] == "last"
