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

SIGNIFICANT_DIGITS = 6
_LEVELS = 255


def jsonable(value: Any) -> Any:
    """`value` with NumPy arrays and scalars as lists and numbers, and non-finite floats as None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _array_to_list(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def _array_to_list(array: np.ndarray) -> Any:
    """Nested lists; floats rounded to SIGNIFICANT_DIGITS of the array's largest magnitude (short JSON)."""
    if array.dtype.kind not in "fc":
        return array.tolist()
    array = array.astype(np.float64, copy=False)
    finite = np.isfinite(array)
    biggest = float(np.max(np.abs(array[finite]), initial=0.0))
    if biggest > 0.0:
        decimals = max(0, SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(biggest)))
        array = np.round(array, decimals)
    if finite.all():
        return array.tolist()
    return _nan_to_none(array.tolist())


def _nan_to_none(value: Any) -> Any:
    """Nested lists with NaN and ±inf replaced by None."""
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    return value if math.isfinite(value) else None


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
        "metrics": jsonable(frame.get("metrics") or {}),
        "weights": jsonable(frame.get("weights") or []),
        "update": jsonable(frame.get("update")),
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
            "extent": jsonable(grid["extent"]),
            "neuron_size": jsonable(grid.get("neuron_size")),
            "output": output,
            "layers": layers,
        }
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-len(text) % 4)
    return b"".join([struct.pack("<I", len(text)), text, *chunks])


def decode_frame(message: bytes) -> dict[str, Any]:
    """What the page does with a binary frame: the header as a dict whose grids are float32 arrays again
    (`grid.output`, `grid.layers[k]`), dequantized with their ranges. Checks the layout as it goes."""
    (length,) = struct.unpack_from("<I", message, 0)
    if (4 + length) % 4:
        raise ValueError(f"header length {length} leaves the payload unaligned")
    header: dict[str, Any] = json.loads(message[4 : 4 + length])
    payload = memoryview(message)[4 + length :]
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
