"""Frames on the wire: the binary layout of docs/protocol.md, round trips, JSON safety and the byte budget."""

from __future__ import annotations

import json
import math
import struct

import numpy as np
import pytest

from app.encoding import decode_frame, encode_frame, quantize
from nncore import LIMITS, Trainer

STEP = 1 / 255


def synthetic_frame(k: int = 1, size: int = 6, g: int = 4) -> dict:
    rng = np.random.default_rng(0)
    output = rng.uniform(0, 1, (k, size, size) if k > 1 else (size, size)).astype(np.float32)
    layers = [
        rng.uniform(-1, 1, (3, g, g)).astype(np.float32),
        rng.uniform(0, 7, (2, g, g)).astype(np.float32),
    ]
    return {
        "epoch": 3,
        "step": 120,
        "done": False,
        "metrics": {"train_loss": 0.25, "test_loss": None, "train_accuracy": 0.5, "test_accuracy": None},
        "weights": [
            {"W": rng.normal(size=(2, 3)), "b": np.zeros(3)},
            {"W": rng.normal(size=(3, 1)), "b": [0.5]},
        ],
        "update": None,
        "grid": {
            "size": size,
            "extent": [-6.0, 6.0, -5.0, 5.0],
            "output": output,
            "output_range": [0.0, 1.0],
            "neuron_size": g,
            "layers": layers,
            "layer_ranges": [[-1.0, 1.0], [float(layers[1].min()), float(layers[1].max())]],
        },
    }


def test_layout_length_prefix_json_header_and_four_byte_aligned_payload() -> None:
    frame = synthetic_frame()
    data = encode_frame(frame)
    (length,) = struct.unpack_from("<I", data, 0)
    assert (4 + length) % 4 == 0
    header = json.loads(data[4 : 4 + length].decode("utf-8"))
    assert header["type"] == "frame" and header["epoch"] == 3 and header["step"] == 120
    grid = header["grid"]
    assert grid["output"] == {"offset": 0, "shape": [6, 6], "dtype": "uint8", "range": [0.0, 1.0]}
    assert [spec["offset"] for spec in grid["layers"]] == [36, 36 + 48]
    assert [spec["shape"] for spec in grid["layers"]] == [[3, 4, 4], [2, 4, 4]]
    assert len(data) == 4 + length + 36 + 48 + 32  # nothing after the last grid


def test_round_trip_within_one_quantization_step() -> None:
    frame = synthetic_frame()
    back = decode_frame(encode_frame(frame))
    grid = frame["grid"]
    assert back["grid"]["output"].shape == (6, 6)
    assert np.max(np.abs(back["grid"]["output"] - grid["output"])) <= 0.5 * STEP + 1e-6
    for got, sent, (lo, hi) in zip(back["grid"]["layers"], grid["layers"], grid["layer_ranges"], strict=True):
        assert got.dtype == np.float32 and got.shape == sent.shape
        assert np.max(np.abs(got - sent)) <= 0.5 * STEP * (hi - lo) + 1e-5
    assert np.allclose(back["weights"][0]["W"], frame["weights"][0]["W"], rtol=1e-5)
    assert back["metrics"]["test_loss"] is None


def test_row_major_layout_row_i_is_y_i() -> None:
    output = np.zeros((3, 5), dtype=np.float32)
    output[2, 4] = 1.0  # the top-right corner: largest y (row 2), largest x (column 4)
    frame = synthetic_frame()
    frame["grid"].update(output=output, size=5, layers=[], layer_ranges=[])
    data = encode_frame(frame)
    (length,) = struct.unpack_from("<I", data, 0)
    payload = data[4 + length :]
    assert payload[2 * 5 + 4] == 255 and sum(payload) == 255


def test_softmax_output_keeps_one_plane_per_class() -> None:
    back = decode_frame(encode_frame(synthetic_frame(k=3)))
    assert back["grid"]["output"].shape == (3, 6, 6)
    assert back["grid"]["layers"][0].shape == (3, 4, 4)


def test_non_finite_numbers_become_null_so_browsers_can_parse_the_header() -> None:
    frame = synthetic_frame()
    frame["metrics"]["train_loss"] = math.nan
    frame["weights"][0]["W"][0, 0] = np.inf
    frame["grid"]["output"][0, 0] = np.nan
    data = encode_frame(frame)
    (length,) = struct.unpack_from("<I", data, 0)
    text = data[4 : 4 + length].decode()
    assert "NaN" not in text and "Infinity" not in text
    back = decode_frame(data)
    assert back["metrics"]["train_loss"] is None
    assert back["weights"][0]["W"][0][0] is None
    assert back["grid"]["output"][0, 0] == 0.0  # NaN shows as the bottom of the range


def test_quantize_uses_the_data_range_when_the_given_one_is_unbounded_or_flat() -> None:
    codes, used = quantize(np.array([2.0, 4.0, 6.0]), [-math.inf, math.inf])
    assert used == [2.0, 6.0] and codes.tolist() == [0, 128, 255]
    codes, used = quantize(np.full(4, 3.0), None)
    assert used == [3.0, 3.0] and codes.tolist() == [0, 0, 0, 0]
    codes, _ = quantize(np.array([-5.0, 0.5, 5.0]), [0.0, 1.0])
    assert codes.tolist() == [0, 128, 255]  # clipped to the given range


def test_frame_without_grids() -> None:
    frame = synthetic_frame()
    frame["grid"] = None
    back = decode_frame(encode_frame(frame))
    assert back["grid"] is None and back["epoch"] == 3


def real_frame(hidden: list[int], grid: int, neuron_grid: int | None, **data: object) -> bytes:
    config = {"data": {"dataset": "spiral", **data}, "network": {"hidden": hidden}}
    trainer = Trainer(config)
    trainer.run_epochs(2)
    return encode_frame(trainer.frame(grid=grid, neuron_grid=neuron_grid))


def test_default_frame_is_under_24_kb() -> None:
    data = real_frame([4, 2], 100, 32)
    assert len(data) < 24 * 1024
    assert len(data) > 100 * 100 + 6 * 32 * 32  # the grids are all there
    back = decode_frame(data)
    assert back["grid"]["output"].shape == (100, 100)
    assert [a.shape for a in back["grid"]["layers"]] == [(4, 32, 32), (2, 32, 32)]


def test_largest_network_frame_size_is_what_the_protocol_doc_says() -> None:
    """docs/protocol.md states the payload of the largest allowed network at the largest grids."""
    layers, units, classes = int(LIMITS["hidden_layers"]), int(LIMITS["neurons"]), int(LIMITS["classes"])
    payload = classes * 200 * 200 + layers * units * 64 * 64
    assert payload == 2_417_152
    data = real_frame([units] * layers, 200, 64, dataset="blobs", k=classes, n=64)
    (length,) = struct.unpack_from("<I", data, 0)
    assert len(data) - 4 - length == payload
    assert len(data) < 2_750_000  # plus about 280 KB of weights as JSON


def test_decoder_rejects_broken_layouts() -> None:
    with pytest.raises(ValueError, match="unaligned"):
        decode_frame(b"\x05\x00\x00\x00{}   ")
    data = encode_frame(synthetic_frame())
    with pytest.raises(ValueError, match="does not fit"):
        decode_frame(data[:-1])  # one byte short of the last grid
