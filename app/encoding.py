"""Frames on the wire: `encode_frame(frame) -> bytes` and its mirror `decode_frame(bytes) -> dict`.

The layout is fixed by docs/protocol.md ("Binary frame layout"): a little-endian uint32 `H`, a JSON header of
`H` bytes padded with spaces so that the payload starts on a 4-byte boundary, then the grids as uint8, each
quantized with its own range: value = lo + q / 255 · (hi − lo). Numbers in the header are JSON-safe: NaN and
±inf become `null` (a diverged run must not make JSON a browser refuses); weights keep 6 significant digits.
`decode_frame` does what the page does with a frame; tests and scripts use it.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import numpy as np

from nncore.jsonable import jsonable

SIGNIFICANT_DIGITS = 6
_LEVELS = 255


def wire_json(value: Any) -> Any:
    """`value` as JSON-able data for the wire: arrays rounded to SIGNIFICANT_DIGITS, NaN and ±inf as None."""
    return jsonable(value, SIGNIFICANT_DIGITS)


def quantize(values: np.ndarray, value_range: Any = None) -> tuple[np.ndarray, list[float]]:
    """uint8 codes for `values` and the `[lo, hi]` they span.

    `value_range` (e.g. an activation's range, which keeps colours steady from frame to frame) is used when it
    is finite and non-empty; otherwise the finite values' own min and max. Values outside are clipped; NaN
    becomes lo.
    """
    values = np.asarray(values, dtype=np.float32)
    lo, hi = _usable_range(value_range)
    if lo is None or hi is None:
        finite = values[np.isfinite(values)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    if hi <= lo:
        return np.zeros(values.shape, dtype=np.uint8), [lo, lo]
    scaled = values - np.float32(lo)
    scaled *= np.float32(_LEVELS / (hi - lo))
    np.fmax(scaled, 0.0, out=scaled)  # fmax/fmin drop NaN: NaN becomes 0
    np.fmin(scaled, _LEVELS, out=scaled)
    scaled += 0.5  # round to nearest on the truncating cast
    return scaled.astype(np.uint8), [lo, hi]


def _usable_range(value_range: Any) -> tuple[float | None, float | None]:
    if value_range is None:
        return None, None
    lo, hi = (float(v) for v in value_range)
    if math.isfinite(lo) and math.isfinite(hi) and hi > lo:
        return lo, hi
    return None, None


def encode_frame(frame: dict[str, Any]) -> bytes:
    """A frame dict (docs/architecture.md, "Frame") as one binary WebSocket message."""
    header: dict[str, Any] = {
        "type": "frame",
        "epoch": int(frame["epoch"]),
        "step": int(frame["step"]),
        "done": bool(frame["done"]),
        "metrics": wire_json(frame.get("metrics") or {}),
        "weights": wire_json(frame.get("weights") or []),
        "update": wire_json(frame.get("update")),
        "grid": None,
    }
    chunks: list[bytes] = []
    grid = frame.get("grid")
    if grid is not None:
        offset = 0

        def place(values: np.ndarray, value_range: Any) -> dict[str, Any]:
            nonlocal offset
            codes, used = quantize(values, value_range)
            described = {"offset": offset, "shape": list(codes.shape), "dtype": "uint8", "range": used}
            chunks.append(codes.tobytes())
            offset += codes.size
            return described

        output = place(grid["output"], grid.get("output_range"))
        layer_ranges = grid.get("layer_ranges") or [None] * len(grid.get("layers") or [])
        layers = [place(a, r) for a, r in zip(grid.get("layers") or [], layer_ranges, strict=True)]
        header["grid"] = {
            "size": int(grid["size"]),
            "extent": wire_json(grid["extent"]),
            "neuron_size": wire_json(grid.get("neuron_size")),
            "output": output,
            "layers": layers,
        }
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-len(text) % 4)
    return b"".join([struct.pack("<I", len(text)), text, *chunks])


def frame_header(message: bytes) -> dict[str, Any]:
    """The JSON header of a binary frame, as sent (app/protocol.py's `FrameHeader`)."""
    (length,) = struct.unpack_from("<I", message, 0)
    if (4 + length) % 4:
        raise ValueError(f"header length {length} leaves the payload unaligned")
    header: dict[str, Any] = json.loads(message[4 : 4 + length])
    return header


def decode_frame(message: bytes) -> dict[str, Any]:
    """What the page does with a binary frame: the header as a dict whose grids are float32 arrays again
    (`grid.output`, `grid.layers[k]`), dequantized with their ranges. Checks the layout as it goes."""
    header = frame_header(message)
    payload = memoryview(message)[4 + struct.unpack_from("<I", message, 0)[0] :]
    grid = header.get("grid")
    if grid is not None:
        grid["output"] = _dequantize(payload, grid["output"])
        grid["layers"] = [_dequantize(payload, spec) for spec in grid["layers"]]
    return header


def _dequantize(payload: memoryview, spec: dict[str, Any]) -> np.ndarray:
    count = math.prod(spec["shape"])
    if spec["dtype"] != "uint8" or spec["offset"] + count > len(payload):
        raise ValueError(f"array {spec} does not fit a payload of {len(payload)} bytes")
    codes = np.frombuffer(payload, dtype=np.uint8, count=count, offset=spec["offset"]).reshape(spec["shape"])
    lo, hi = spec["range"]
    return (lo + codes.astype(np.float32) * np.float32((hi - lo) / _LEVELS)).astype(np.float32)
