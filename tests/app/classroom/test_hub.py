"""The hub's fan-out and a learner's summary, without sockets: what each seat gets, and the thumbnail against
the grid it samples."""

from __future__ import annotations

import asyncio
import base64
import json

import numpy as np

from app.classroom.broker import LocalBroker
from app.classroom.hub import Hub, Seat
from app.classroom.summary import frame_summary, settings_of
from app.encoding import encode_frame, quantize
from nncore import DEFAULT_CONFIG


async def drain(seat: Seat) -> list[str | bytes]:
    """What the seat would send now (without waiting for more)."""
    out: list[str | bytes] = []
    while seat.texts or seat.frame is not None:
        if seat.texts:
            out.append(seat.texts.popleft())
        else:
            frame, seat.frame = seat.frame, None
            out.append(frame)  # type: ignore[arg-type]
    return out


def test_each_event_goes_to_the_seats_it_is_for_and_a_frame_is_one_object_for_all() -> None:
    async def run() -> None:
        hub = Hub(LocalBroker())
        teacher, learners = Seat("teacher"), [Seat("learner", f"m{k}") for k in range(3)]
        for seat in (teacher, *learners):
            await hub.enter("ABCDEF", seat)
        await hub.event("ABCDEF", {"type": "summary", "member": "m0"})
        await hub.event("ABCDEF", {"type": "state", "state": {"mode": "paused"}})
        await hub.event_text("ABCDEF", b'{"type":"data","config":{}}')
        for k in range(5):
            await hub.frame("ABCDEF", bytes([k]) * 1000)
        await asyncio.sleep(0.05)  # the room's subscription dispatches
        got = {seat: await drain(seat) for seat in (teacher, *learners)}
        assert [json.loads(t)["type"] for t in got[teacher]] == ["summary", "state"]
        for seat in learners:
            texts, frames = got[seat][:-1], got[seat][-1]
            assert [json.loads(t)["type"] for t in texts] == ["state", "data"]
            assert frames == bytes([4]) * 1000  # a seat that did not send keeps only the newest frame
        assert got[learners[0]][-1] is got[learners[2]][-1]  # one object, not a copy per seat
        hub.leave("ABCDEF", teacher)
        for seat in learners:
            hub.leave("ABCDEF", seat)
        assert hub.rooms == {}

    asyncio.run(run())


def a_frame(output: np.ndarray, epoch: int = 1) -> bytes:
    """A binary frame whose output grid is `output` (G × G, or k × G × G for a softmax)."""
    grid = {"size": output.shape[-1], "extent": [-6, 6, -6, 6], "output": output, "output_range": [0, 1]}
    header = {"epoch": epoch, "step": 10 * epoch, "done": False, "weights": [], "update": None}
    return encode_frame({**header, "metrics": {"train_loss": 0.25, "test_accuracy": 0.9}, "grid": grid})


def test_a_summary_samples_the_frames_output_grid() -> None:
    size = 100
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    output = 1.0 / (1.0 + np.exp(-(xs - ys) / 10.0))  # a sigmoid across the diagonal
    summary = frame_summary(a_frame(output, epoch=7))
    assert (summary["epoch"], summary["step"], summary["metrics"]["test_accuracy"]) == (7, 70, 0.9)
    thumb = summary["thumb"]
    cells = np.frombuffer(base64.b64decode(thumb["cells"]), np.uint8).reshape(thumb["size"], thumb["size"])
    pick = np.linspace(0, size - 1, thumb["size"]).round().astype(int)
    expected, _ = quantize(output[np.ix_(pick, pick)], [0, 1])
    assert thumb["kind"] == "value" and thumb["range"] == [0, 1]
    np.testing.assert_array_equal(cells, expected)
    assert cells[0, -1] > 250 and cells[-1, 0] < 5  # x > y is the orange side


def test_a_softmax_thumbnail_holds_the_most_probable_class() -> None:
    size = 40
    planes = np.zeros((3, size, size), np.float32)
    planes[0, :, : size // 3] = 1.0
    planes[1, :, size // 3 : 2 * size // 3] = 1.0
    planes[2, :, 2 * size // 3 :] = 1.0
    thumb = frame_summary(a_frame(planes))["thumb"]
    cells = np.frombuffer(base64.b64decode(thumb["cells"]), np.uint8).reshape(thumb["size"], thumb["size"])
    assert thumb["kind"] == "class" and thumb["classes"] == 3
    assert set(cells[:, 0]) == {0} and set(cells[:, -1]) == {2} and set(cells[:, thumb["size"] // 2]) == {1}


def test_settings_name_drawn_points_or_the_dataset() -> None:
    assert settings_of(DEFAULT_CONFIG)["data"] == "circle"
    drawn = {**DEFAULT_CONFIG, "data": {"points": [[0, 0], [1, 1]], "labels": [0, 1]}}
    assert settings_of(drawn)["data"] == "2 drawn points" and settings_of(drawn)["hidden"] == [8, 8]
