"""The page's frame decoder (static/js/socket.js) against the server's encoder (app/encoding.py).

Frames are encoded in Python exactly as the WebSocket sends them, handed to `decodeFrame` in a real
Chromium and compared with the server-side mirror `decode_frame`: header fields, the output plane (one plane,
or one per class for softmax) and every hidden unit's thumbnail. The page keeps the grids as the uint8 bytes
they came in (it paints those); `dequantize` turns them into the values, value for value.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pytest

from app.encoding import decode_frame, encode_frame

pytestmark = [pytest.mark.browser, pytest.mark.server]

DECODE = """
async (b64) => {
    const { decodeFrame, dequantize } = await import('/static/js/socket.js');
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    // a WebSocket hands over a fresh ArrayBuffer holding just the message
    const f = decodeFrame(bytes.buffer);
    const planes = (block) => dequantize(block).map((rows) => rows.map((row) => Array.from(row)));
    const g = f.grid;
    return {
        epoch: f.epoch, step: f.step, done: f.done, metrics: f.metrics, weights: f.weights, update: f.update,
        grid: g && {
            size: g.size, extent: g.extent, classes: g.classes, neuronSize: g.neuronSize,
            output: g.output && {shape: g.output.shape, range: g.output.range,
                                 type: g.output.bytes.constructor.name, bytes: Array.from(g.output.bytes),
                                 values: planes(g.output)},
            layers: g.layers.map((b) => ({shape: b.shape, type: b.bytes.constructor.name,
                                          values: planes(b)})),
        },
    };
}
"""


def open_blank(page: Any, live_server: Any) -> None:
    """An empty page on the app's origin: it can import /static/js/socket.js, and nothing else runs."""
    url = live_server.url + "/__blank__"
    html = '<!doctype html><html><head><link rel="icon" href="data:,"></head><body></body></html>'
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(url)


def decode_in_page(page: Any, message: bytes) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(DECODE, base64.b64encode(message).decode())
    return result


def make_frame(rng: np.random.Generator, softmax: bool, layers: list[int], size: int = 12) -> dict[str, Any]:
    output = rng.random((3, size, size)) if softmax else np.tanh(rng.normal(size=(size, size)))
    neuron = 6
    return {
        "epoch": 7,
        "step": 280,
        "done": False,
        "metrics": {"train_loss": 0.25, "test_loss": None, "train_accuracy": 0.9, "test_accuracy": None},
        "weights": [{"W": rng.normal(size=(2, 3)), "b": np.zeros(3)}],
        "update": None,
        "grid": {
            "size": size,
            "extent": [-6.0, 6.0, -3.0, 5.0],
            "output": output.astype(np.float32),
            "output_range": [0.0, 1.0] if softmax else [-1.0, 1.0],
            "neuron_size": neuron if layers else None,
            "layers": [np.tanh(rng.normal(size=(k, neuron, neuron))).astype(np.float32) for k in layers],
            "layer_ranges": [[-1.0, 1.0] for _ in layers],
        },
    }


@pytest.mark.parametrize("softmax", [False, True], ids=["one-output", "softmax"])
def test_decoded_frames_match_the_server_encoding(page: Any, live_server: Any, softmax: bool) -> None:
    open_blank(page, live_server)
    rng = np.random.default_rng(3)
    frame = make_frame(rng, softmax, layers=[4, 2])
    message = encode_frame(frame)
    expected = decode_frame(message)
    got = decode_in_page(page, message)

    assert (got["epoch"], got["step"], got["done"]) == (7, 280, False)
    assert got["metrics"] == expected["metrics"]
    assert got["weights"] == expected["weights"]
    grid = got["grid"]
    assert grid["size"] == 12 and grid["extent"] == [-6, 6, -3, 5]
    output = grid["output"]
    assert output["type"] == "Uint8Array"  # the bytes themselves, not floats
    if softmax:
        assert grid["classes"] == 3 and output["shape"] == [3, 12, 12]
        want = expected["grid"]["output"]
        np.testing.assert_allclose(np.array(output["values"]), want, rtol=1e-6, atol=1e-6)
    else:
        assert grid["classes"] is None and output["shape"] == [12, 12]
        want = expected["grid"]["output"]
        np.testing.assert_allclose(np.array(output["values"][0]), want, rtol=1e-6, atol=1e-6)
        # byte i·G + j is the value at (xs[j], ys[i]), as the server quantized it: the page must not transpose
        lo, hi = output["range"]
        values = lo + np.array(output["bytes"]).reshape(12, 12) * (hi - lo) / 255
        assert np.abs(values - frame["grid"]["output"]).max() <= 2 / 255 + 1e-6
    assert grid["neuronSize"] == 6
    assert [layer["shape"] for layer in grid["layers"]] == [[4, 6, 6], [2, 6, 6]]
    for got_layer, want_layer in zip(grid["layers"], expected["grid"]["layers"], strict=True):
        assert got_layer["type"] == "Uint8Array"
        np.testing.assert_allclose(np.array(got_layer["values"]), want_layer, rtol=1e-6, atol=1e-6)
    assert page.console_errors == []


def test_a_frame_without_grids_and_a_constant_plane(page: Any, live_server: Any) -> None:
    open_blank(page, live_server)
    rng = np.random.default_rng(0)
    bare = make_frame(rng, softmax=False, layers=[])
    bare["grid"] = None
    got = decode_in_page(page, encode_frame(bare))
    assert got["grid"] is None and got["epoch"] == 7

    flat = make_frame(rng, softmax=False, layers=[])
    flat["grid"]["output"] = np.full((12, 12), 0.25, dtype=np.float32)
    flat["grid"]["output_range"] = None  # its own range, which is empty: every value is lo
    got = decode_in_page(page, encode_frame(flat))
    assert np.allclose(np.array(got["grid"]["output"]["values"]), 0.25)
    assert got["grid"]["layers"] == []
    assert page.console_errors == []
