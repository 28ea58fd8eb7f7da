"""Live sessions over `WS /ws/train` through FastAPI's TestClient (protocol: docs/protocol.md)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import Field, TypeAdapter
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from app.encoding import decode_frame, frame_header
from app.main import create_app
from app.protocol import FrameHeader, ServerText
from app.settings import Settings
from nncore import DEFAULT_CONFIG

pytestmark = pytest.mark.timeout(60)

SPIRAL = {
    "data": {"dataset": "spiral", "n": 200, "noise": 0.0},
    "features": ["x1", "x2", "sin(x1)", "sin(x2)"],
    "network": {"hidden": [8, 8]},
    "training": {"learning_rate": 0.03, "epochs": 100_000},
}
POINTS = {
    "data": {"points": [[0, 0], [0, 1], [1, 0], [1, 1]], "labels": [0, 1, 1, 0]},
    "network": {"hidden": [2]},
    "training": {"epochs": 100_000},
}

Message = dict[str, Any]
SERVER_TEXT: TypeAdapter[ServerText] = TypeAdapter(Annotated[ServerText, Field(discriminator="type")])


def receive(ws: WebSocketTestSession) -> Message:
    """The next message: JSON text as a dict, a binary frame decoded (raw bytes in "_bytes"). Every message is
    checked against its model in app/protocol.py, the protocol's one definition."""
    raw = ws.receive()
    if raw["type"] == "websocket.close":
        raise WebSocketDisconnect(raw.get("code", 1000))
    if raw.get("bytes") is not None:
        FrameHeader.model_validate(frame_header(raw["bytes"]))
        return {**decode_frame(raw["bytes"]), "_bytes": raw["bytes"]}
    SERVER_TEXT.validate_json(raw["text"])
    import json

    return dict(json.loads(raw["text"]))


def until(ws: WebSocketTestSession, done: Callable[[Message], bool]) -> list[Message]:
    """Messages up to and including the first for which `done` is true."""
    seen = []
    while True:
        seen.append(receive(ws))
        if done(seen[-1]):
            return seen


def is_frame(m: Message) -> bool:
    return m["type"] == "frame"


def at_epoch(epoch: int) -> Callable[[Message], bool]:
    """The frame that ends a `step`: frames may also come while stepping, at the frame rate."""
    return lambda m: is_frame(m) and m["epoch"] == epoch


def of_type(kind: str, **fields: Any) -> Callable[[Message], bool]:
    return lambda m: m["type"] == kind and all(m.get(k) == v for k, v in fields.items())


@contextmanager
def session(app: FastAPI, config: dict[str, Any] | None = None) -> Iterator[WebSocketTestSession]:
    """A connected socket past `hello` (and, with a config, past `configure`'s data and first frame)."""
    with TestClient(app).websocket_connect("/ws/train") as ws:
        assert receive(ws)["type"] == "hello"
        if config is not None:
            ws.send_json({"type": "configure", "config": config})
            assert receive(ws)["type"] == "data"
            assert is_frame(receive(ws))
        yield ws


@pytest.fixture
def app() -> FastAPI:
    return create_app(Settings())


def frames_for(ws: WebSocketTestSession, seconds: float) -> list[Message]:
    """The frames received over `seconds` (other messages are dropped)."""
    frames, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        message = receive(ws)
        if is_frame(message):
            frames.append(message)
    return frames


def test_hello_says_protocol_limits_and_defaults(app: FastAPI) -> None:
    with TestClient(app).websocket_connect("/ws/train") as ws:
        hello = receive(ws)
    assert hello["protocol"] == 1 and hello["version"]
    assert hello["defaults"] == DEFAULT_CONFIG
    assert hello["limits"]["config"]["neurons"] == 64 and hello["limits"]["server"]["max_fps"] == 30
    assert hello["frame"] == {"grid": 100, "neuron_grid": 32, "neurons": True, "fps": 30.0}


def test_a_whole_session_configure_play_pause_set_step_reset(app: FastAPI) -> None:
    with TestClient(app).websocket_connect("/ws/train") as ws:
        receive(ws)
        ws.send_json({"type": "configure", "config": SPIRAL})
        data = receive(ws)
        assert data["type"] == "data" and data["task"] == "classification" and data["classes"] == 2
        assert len(data["train"]["points"]) == 100 and len(data["test"]["labels"]) == 100
        assert data["config"]["network"]["hidden"] == [8, 8] and data["extent"] == [-6.0, 6.0, -6.0, 6.0]
        first = receive(ws)
        assert first["epoch"] == 0 and first["grid"]["output"].shape == (100, 100)
        assert [a.shape for a in first["grid"]["layers"]] == [(8, 32, 32), (8, 32, 32)]

        ws.send_json({"type": "play"})
        assert until(ws, of_type("event"))[-1]["event"] == "playing"
        frames = frames_for(ws, 1.5)
        assert len(frames) >= 10
        epochs = [f["epoch"] for f in frames]
        assert epochs == sorted(epochs) and epochs[-1] > 20
        assert frames[-1]["metrics"]["train_loss"] < 0.8 * first["metrics"]["train_loss"]

        ws.send_json({"type": "pause"})
        paused = until(ws, of_type("event", event="paused"))[-1]
        stopped = until(ws, is_frame)[-1]
        assert stopped["epoch"] >= paused["epoch"]
        ws.send_json({"type": "set", "learning_rate": 0.001, "l2": 0.0001, "id": "lr"})
        assert until(ws, of_type("ack"))[-1] == {"type": "ack", "id": "lr", "of": "set"}

        ws.send_json({"type": "step", "n": 3})
        stepped = until(ws, at_epoch(stopped["epoch"] + 3))[-1]
        ws.send_json({"type": "step", "n": 1, "unit": "update"})
        assert until(ws, is_frame)[-1]["step"] == stepped["step"] + 1
        ws.send_json({"type": "set", "learning_rate": 0, "id": 9})
        error = until(ws, of_type("error"))[-1]
        assert error["field"] == "training.learning_rate" and error["id"] == 9

        ws.send_json({"type": "reset"})
        assert until(ws, of_type("data"))[-1]["train"] == data["train"]
        again = until(ws, is_frame)[-1]
        assert again["_bytes"] == first["_bytes"]  # the same seed: the very same first frame


def test_live_learning_rate_change_changes_the_updates(app: FastAPI) -> None:
    """The same two steps from the same start differ only when the learning rate was changed in between."""
    results = []
    for lr in (None, 0.5):
        with session(app, {**SPIRAL, "training": {**SPIRAL["training"], "optimizer": "sgd"}}) as ws:
            if lr is not None:
                ws.send_json({"type": "set", "learning_rate": lr})
                until(ws, of_type("ack"))
            ws.send_json({"type": "step", "n": 1, "unit": "update"})
            results.append(until(ws, is_frame)[-1]["weights"][0]["W"])
    assert results[0] != results[1]


def test_play_after_a_step_keeps_playing_and_pause_ends_a_step(app: FastAPI) -> None:
    with session(app, SPIRAL) as ws:
        ws.send_json({"type": "step", "n": 1})
        until(ws, at_epoch(1))
        ws.send_json({"type": "play"})
        assert frames_for(ws, 1.0)[-1]["epoch"] > 3  # not held at the finished step's target
        ws.send_json({"type": "pause"})
        paused = until(ws, of_type("event", event="paused"))[-1]["epoch"]
        ws.send_json({"type": "step", "n": 10_000})
        ws.send_json({"type": "pause"})
        until(ws, of_type("event", event="paused"))
        stopped = until(ws, is_frame)[-1]
        assert stopped["epoch"] < paused + 10_000 and not stopped["done"]


def test_points_add_and_remove_while_keeping_the_network(app: FastAPI) -> None:
    with session(app, POINTS) as ws:
        ws.send_json({"type": "step", "n": 5})
        before = until(ws, at_epoch(5))[-1]
        ws.send_json(
            {"type": "points", "op": "add", "points": [[0.5, 0.5], [2, 2]], "labels": [1, 0], "id": 1}
        )
        assert until(ws, of_type("ack"))[-1]["of"] == "points"
        data = until(ws, of_type("data"))[-1]
        assert len(data["train"]["points"]) == 6 and [2.0, 2.0] in data["train"]["points"]
        after = until(ws, is_frame)[-1]
        assert after["epoch"] == before["epoch"] and after["weights"] == before["weights"]
        ws.send_json({"type": "points", "op": "remove", "indices": [0, 5]})
        data = until(ws, of_type("data"))[-1]
        assert len(data["train"]["points"]) == 4 and [0.0, 0.0] not in data["train"]["points"]
        ws.send_json({"type": "points", "op": "remove", "indices": [99], "id": "x"})
        error = until(ws, of_type("error"))[-1]
        assert error["field"] == "indices" and error["id"] == "x"
        ws.send_json({"type": "points", "op": "replace", "points": [[1, 1]], "labels": [0, 1]})
        assert until(ws, of_type("error"))[-1]["field"] == "points"


def test_a_weight_edit_shows_in_the_next_frame(app: FastAPI) -> None:
    with session(app, POINTS) as ws:
        ws.send_json({"type": "weights", "layer": 0, "kind": "W", "i": 1, "j": 0, "value": 2.5, "id": "w"})
        assert until(ws, of_type("ack"))[-1] == {"type": "ack", "id": "w", "of": "weights"}
        assert until(ws, is_frame)[-1]["weights"][0]["W"][1][0] == 2.5
        ws.send_json({"type": "weights", "layer": 1, "kind": "b", "j": 0, "value": -1.25})
        assert until(ws, is_frame)[-1]["weights"][1]["b"] == [-1.25]
        ws.send_json({"type": "weights", "layer": 7, "kind": "b", "j": 0, "value": 1})
        assert until(ws, of_type("error"))[-1]["field"] == "layer"


MALFORMED = [
    ("not json", None, None),
    ("[1, 2]", None, None),
    ('{"id": 1}', "type", 1),
    ('{"type": "dance", "id": "d"}', "type", "d"),
    ('{"type": "step", "n": 0, "id": 2}', "n", 2),
    ('{"type": "step", "unit": "lightyear"}', "unit", None),
    ('{"type": "step", "colour": "red"}', "colour", None),
    ('{"type": "set", "speed": -1}', "speed", None),
    ('{"type": "set", "frame": {"grid": 100000}}', "frame.grid", None),
    ('{"type": "set", "momentum": "high"}', "momentum", None),
    ('{"type": "set", "epochs": "abc"}', "epochs", None),
    ('{"type": "weights", "layer": 0, "kind": "W", "j": 0, "value": 1}', "i", None),
    ('{"type": "configure", "config": {"network": {"hidden": [0]}}, "id": 3}', "network.hidden[0]", 3),
]


def test_malformed_messages_get_an_error_naming_the_field_and_the_session_continues(app: FastAPI) -> None:
    with session(app, POINTS) as ws:
        for text, field, message_id in MALFORMED:
            ws.send_text(text)
            error = until(ws, of_type("error"))[-1]
            assert error["field"] == field, text
            assert error["id"] == message_id and error["message"], text
            assert "should be" not in error["message"], error["message"]
        ws.send_bytes(b"\x00\x01")
        assert "JSON text" in until(ws, of_type("error"))[-1]["message"]
        ws.send_json({"type": "step", "n": 2})
        until(ws, at_epoch(2))


def test_commands_before_configure_say_so(app: FastAPI) -> None:
    with session(app) as ws:
        ws.send_json({"type": "play", "id": 1})
        error = receive(ws)
        assert error["type"] == "error" and "configure" in error["message"]
        ws.send_json({"type": "configure", "config": POINTS})
        assert receive(ws)["type"] == "data"


def test_a_message_over_the_size_limit_is_refused_and_the_session_continues() -> None:
    with session(create_app(Settings(max_message_bytes=2000)), POINTS) as ws:
        ws.send_text('{"type": "points", "op": "add", "points": [' + "[1, 1], " * 400 + "[1, 1]]}")
        assert "at most 2000 bytes" in until(ws, of_type("error"))[-1]["message"]
        ws.send_json({"type": "step"})
        until(ws, at_epoch(1))


def test_the_size_limit_counts_utf8_bytes_not_characters() -> None:
    with session(create_app(Settings(max_message_bytes=2000)), POINTS) as ws:
        text = '{"type": "step", "id": "' + "é" * 990 + '"}'  # 1016 characters, 2006 bytes
        assert len(text) < 2000 < len(text.encode())
        ws.send_text(text)
        error = until(ws, of_type("error"))[-1]
        assert "at most 2000 bytes" in error["message"] and error["value"] == "2006 bytes"


def test_frames_are_capped_at_max_fps_and_at_the_clients_own_rate(app: FastAPI) -> None:
    with session(app, SPIRAL) as ws:
        ws.send_json({"type": "play"})
        frames = frames_for(ws, 2.0)
        assert 20 <= len(frames) <= 2 * 30 + 2  # at most max_fps (a TestClient shares the GIL: fewer)
        ws.send_json({"type": "set", "frame": {"fps": 5, "neurons": False, "grid": 40}})
        until(ws, of_type("ack"))
        frames = frames_for(ws, 2.0)[1:]  # the first may predate the change
        assert 5 <= len(frames) <= 2 * 5 + 2
        assert frames[-1]["grid"]["output"].shape == (40, 40) and frames[-1]["grid"]["layers"] == []


def test_speed_paces_epochs_per_second(app: FastAPI) -> None:
    with session(app, SPIRAL) as ws:
        ws.send_json({"type": "set", "speed": 20})
        ws.send_json({"type": "play"})
        start = frames_for(ws, 0.3)[-1]["epoch"]
        end = frames_for(ws, 1.5)[-1]["epoch"]
        assert 20 <= end - start <= 40  # 1.5 s at 20 epochs/s, give or take a frame


def test_trainer_events_arrive_once_even_when_frames_are_dropped(app: FastAPI) -> None:
    config = {**SPIRAL, "training": {**SPIRAL["training"], "epochs": 150}}
    with session(app, config) as ws:
        ws.send_json({"type": "set", "frame": {"fps": 2}})
        ws.send_json({"type": "play"})
        seen = until(ws, of_type("event", event="finished"))
        last = until(ws, lambda m: is_frame(m) and m["done"])[-1]
        assert last["epoch"] == 150
        ws.send_json({"type": "play"})
        assert "done" in until(ws, of_type("error"))[-1]["message"]
        ws.send_json({"type": "set", "epochs": 160})
        ws.send_json({"type": "play"})
        seen += until(ws, of_type("event", event="finished"))
    assert [m["event"] for m in seen if m["type"] == "event"].count("finished") == 2
    assert sum(1 for m in seen if is_frame(m)) < 10


def test_playing_sessions_share_the_cpu_fairly() -> None:
    """Within one training process the scheduler's turns are fair; sessions are spread over the processes by
    count (tests/app/live/test_pool.py), so three sessions on two processes would measure the balance, not the
    turns: one process here."""
    client = TestClient(create_app(Settings(workers=1)))
    sockets = [client.websocket_connect("/ws/train") for _ in range(3)]
    with sockets[0] as a, sockets[1] as b, sockets[2] as c:
        for ws in (a, b, c):
            receive(ws)
            ws.send_json({"type": "configure", "config": SPIRAL})
            until(ws, is_frame)
        for ws in (a, b, c):
            ws.send_json({"type": "play"})
        time.sleep(1.5)
        for ws in (a, b, c):
            ws.send_json({"type": "pause"})
        epochs = [until(ws, of_type("event", event="paused"))[-1]["epoch"] for ws in (a, b, c)]
    assert min(epochs) > 0.5 * max(epochs) > 0  # first come, first served turns


def test_a_session_with_huge_frames_does_not_starve_a_small_one(app: FastAPI) -> None:
    """8 hidden layers of 64, 200×200 and 64×64 grids: a 2.7 MB frame, ~150 ms of CPU, built in pieces over
    several turns. The small session's frames beside it are counted against its own frames alone, just before,
    in the same run: a busy machine slows both alike (before the fair queue the ratio was about 1/4)."""
    huge = {
        "data": {"dataset": "blobs", "k": 8, "n": 2000},
        "network": {"hidden": [64] * 8},
        "training": {"epochs": 100_000, "batch_size": 100},
    }
    with session(app, huge) as big, session(app, SPIRAL) as small:
        big.send_json({"type": "set", "frame": {"grid": 200, "neuron_grid": 64}})
        small.send_json({"type": "play"})
        alone = len(frames_for(small, 2.0))
        big.send_json({"type": "play"})
        frames_for(small, 0.3)
        beside = len(frames_for(small, 2.0))
        assert alone >= 10 and beside >= 0.5 * alone, (alone, beside)
        big.send_json({"type": "pause"})
        assert until(big, is_frame)[-1]["grid"]["output"].shape == (8, 200, 200)


def wait_for(condition: Callable[[], bool], seconds: float) -> float:
    """Seconds until `condition` held (fails after `seconds`)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "condition not met in time"
        time.sleep(0.01)
    return time.monotonic() - start


def test_a_sessions_worker_stops_within_a_second_of_disconnect(app: FastAPI) -> None:
    with session(app, SPIRAL) as ws:
        ws.send_json({"type": "play"})
        frames_for(ws, 0.3)
        assert len(app.state.sessions) == 1
    assert wait_for(lambda: len(app.state.sessions) == 0, 1.0) < 1.0


def test_many_connect_disconnect_cycles_leak_no_sessions_or_threads(app: FastAPI) -> None:
    def cycle(close: bool) -> None:
        with session(app, POINTS) as ws:
            ws.send_json({"type": "play"})
            until(ws, is_frame)
            if close:
                ws.send_json({"type": "close"})

    cycle(True)
    wait_for(lambda: len(app.state.sessions) == 0, 2.0)
    baseline = threading.active_count()
    processes = [p.pid for p in app.state.pool.processes]
    for k in range(40):
        cycle(close=k % 2 == 0)
    wait_for(lambda: len(app.state.sessions) == 0, 2.0)
    wait_for(lambda: threading.active_count() <= baseline, 2.0)
    # the same training processes, none holding a session: sessions end in them too, and none died
    assert [p.pid for p in app.state.pool.processes] == processes
    assert all(not p.handles for p in app.state.pool.processes)


def test_sessions_per_process_are_limited() -> None:
    app = create_app(Settings(max_sessions=2))
    with session(app), session(app), TestClient(app).websocket_connect("/ws/train") as third:
        error = receive(third)
        assert error["type"] == "error" and "at most 2 live sessions" in error["message"]
        with pytest.raises(WebSocketDisconnect) as closed:
            receive(third)
        assert closed.value.code == 1013
    wait_for(lambda: len(app.state.sessions) == 0, 2.0)
    with session(app, POINTS):
        pass


@pytest.mark.parametrize(
    ("origin", "allowed", "accepted"),
    [
        (None, (), True),
        ("http://testserver", (), True),
        ("http://evil.example", (), False),
        ("http://testserver.evil.example", (), False),
        ("http://evil.example", ("http://evil.example",), True),
        ("http://evil.example", ("*",), True),
    ],
)
def test_other_origins_are_refused_unless_allowed(
    origin: str | None, allowed: tuple[str, ...], accepted: bool
) -> None:
    client = TestClient(create_app(Settings(allowed_origins=allowed)))
    headers = {"origin": origin} if origin else {}
    if accepted:
        with client.websocket_connect("/ws/train", headers=headers) as ws:
            assert receive(ws)["type"] == "hello"
    else:
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect("/ws/train", headers=headers),
        ):
            pass
        assert refused.value.code == 1008


def test_a_refused_set_changes_nothing(app: FastAPI) -> None:
    with session(app, POINTS) as ws:
        ws.send_json({"type": "set", "learning_rate": 0.5, "frame": {"grid": 40, "neuron_grid": 100000}})
        error = until(ws, of_type("error"))[-1]
        assert error["field"] == "frame.neuron_grid"
        ws.send_json({"type": "set", "frame": {"grid": 40}, "learning_rate": -1, "id": "m"})
        error = until(ws, of_type("error"))[-1]
        assert error["field"] == "training.learning_rate" and error["id"] == "m"
        ws.send_json({"type": "step"})
        frame = until(ws, at_epoch(1))[-1]
        assert frame["grid"]["output"].shape == (100, 100)  # neither frame change was applied
        ws.send_json({"type": "reset"})
        data = until(ws, of_type("data"))[-1]
        default = DEFAULT_CONFIG["training"]["learning_rate"]
        assert data["config"]["training"]["learning_rate"] == default  # nor the learning rate


def test_replies_keep_the_order_of_the_messages(app: FastAPI) -> None:
    with session(app) as ws:
        ws.send_json({"type": "configure", "config": POINTS})
        ws.send_json({"type": "set", "speed": 5, "id": "s"})
        ws.send_json({"type": "step", "n": 0, "id": "bad"})
        seen = [m["type"] for m in until(ws, of_type("error"))]
        assert [t for t in seen if t != "frame"] == ["data", "ack", "error"]


def test_set_carries_only_live_settings() -> None:
    from app.protocol import Set
    from nncore.live import LIVE

    live = set(Set.model_fields) - {"type", "id", "speed", "frame"}
    assert live <= set(LIVE)
    message = Set(type="set", learning_rate=0.5, epochs=7, speed=3)
    assert message.hyper() == {"learning_rate": 0.5, "epochs": 7}
    assert Set(type="set", epochs=None).hyper() == {"epochs": None}, "epochs: null is 'until paused'"
    assert Set(type="set", learning_rate=None).hyper() == {}


def test_a_client_that_lets_texts_pile_up_is_cut_off_with_1008() -> None:
    from app.live.handle import SessionHandle
    from app.live.outbox import MAX_PENDING_TEXTS
    from app.live.pool import Pool
    from app.live.registry import Registry
    from app.protocol import Ack

    cut = SessionHandle(Settings(), Registry(4), Pool(1))
    assert cut.close[0] == 1011  # a session that ends on its own: an internal error
    for k in range(MAX_PENDING_TEXTS + 1):
        cut.post(Ack(id=k, of="set"))
    assert cut.stopping and cut.close == (1008, "too many unread messages")


def test_configure_with_resume_goes_on_from_the_weights_and_epoch_it_was_given(app: FastAPI) -> None:
    """A page that reconnects sends its scene with the latest weights and where the run was: the new session
    starts there (its frame has that epoch and those weights), not at epoch 0."""
    config = {**POINTS, "training": {"epochs": 100}}
    with session(app, config) as ws:
        ws.send_json({"type": "step", "n": 30})
        before = until(ws, at_epoch(30))[-1]
    weights = before["weights"]
    resumed = {**config, "network": {**config["network"], "weights": weights}}
    with session(app) as ws:
        ws.send_json(
            {"type": "configure", "config": resumed, "resume": {"epoch": 30, "step": before["step"]}}
        )
        assert receive(ws)["type"] == "data"
        first = until(ws, is_frame)[-1]
        assert (first["epoch"], first["step"]) == (30, before["step"])
        assert first["weights"] == before["weights"]
        ws.send_json({"type": "step", "n": 5})
        assert until(ws, is_frame)[-1]["epoch"] >= 31
        ws.send_json({"type": "configure", "config": resumed, "resume": {"epoch": -1, "step": 0}, "id": "r"})
        error = until(ws, of_type("error"))[-1]
        assert error["field"] == "resume.epoch" and error["id"] == "r"


def test_epochs_null_trains_until_paused_and_set_epochs_null_continues_a_finished_run(app: FastAPI) -> None:
    with session(app, {**POINTS, "training": {"epochs": 3}}) as ws:
        ws.send_json({"type": "play"})
        assert until(ws, of_type("event", event="finished"))[-1]["epoch"] == 3
        ws.send_json({"type": "set", "epochs": None, "id": "more"})
        assert until(ws, of_type("ack"))[-1]["id"] == "more"
        ws.send_json({"type": "play"})
        assert until(ws, of_type("event"))[-1]["event"] == "playing"
        assert until(ws, lambda m: is_frame(m) and m["epoch"] > 50)[-1]["done"] is False
        ws.send_json({"type": "pause"})
        until(ws, of_type("event", event="paused"))


def test_while_playing_neuron_grids_come_at_most_neuron_fps_and_a_pause_frame_has_them(app: FastAPI) -> None:
    from app.live.session import NEURON_FPS

    with session(app, SPIRAL) as ws:
        ws.send_json({"type": "play"})
        frames = frames_for(ws, 2.0)
        with_neurons = [f for f in frames if f["grid"]["layers"]]
        without = [f for f in frames if not f["grid"]["layers"]]
        assert without and all(f["grid"]["neuron_size"] is None for f in without)
        assert 1 <= len(with_neurons) <= 2.0 * NEURON_FPS + 2
        assert all([a.shape for a in f["grid"]["layers"]] == [(8, 32, 32)] * 2 for f in with_neurons)
        ws.send_json({"type": "pause"})
        last = until(ws, of_type("event", event="paused"))
        paused = [m for m in last if is_frame(m)] or [until(ws, is_frame)[-1]]
        assert [a.shape for a in paused[-1]["grid"]["layers"]] == [(8, 32, 32)] * 2
