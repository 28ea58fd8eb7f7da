"""The one JSON conversion: arrays and NumPy scalars to plain values, NaN and ±inf to None, rounding."""

from __future__ import annotations

import json
import math

import numpy as np

from nncore.jsonable import jsonable


def test_arrays_and_numpy_scalars_become_plain_json_values() -> None:
    value = {
        "a": np.arange(6, dtype=np.int64).reshape(2, 3),
        "b": (np.float32(0.5), np.int32(3), np.bool_(True)),
        1: [np.array([1.5, 2.5], dtype=np.float32)],
        "s": "text",
    }
    out = jsonable(value)
    assert out == {"a": [[0, 1, 2], [3, 4, 5]], "b": [0.5, 3, True], "1": [[1.5, 2.5]], "s": "text"}
    assert type(out["b"][1]) is int and type(out["b"][2]) is bool
    json.dumps(out, allow_nan=False)


def test_non_finite_numbers_become_none_at_any_depth() -> None:
    grid = np.array([[1.0, np.nan], [np.inf, -np.inf]], dtype=np.float32)
    out = jsonable({"grid": grid, "x": float("nan"), "y": np.float64(-np.inf), "z": [math.inf, 2.0]})
    assert out == {"grid": [[1.0, None], [None, None]], "x": None, "y": None, "z": [None, 2.0]}
    json.dumps(out, allow_nan=False)


def test_digits_round_each_float_array_to_significant_digits_of_its_largest_value() -> None:
    out = jsonable({"w": np.array([123.456789, 0.000123456]), "m": 0.123456789}, digits=4)
    assert out["w"] == [123.5, 0.0]  # 4 significant digits of 123.46: one decimal
    assert out["m"] == 0.123456789  # plain floats are never rounded
    assert jsonable(np.array([1e-7, np.nan]), digits=2) == [1e-7, None]
    assert jsonable(np.array([0.1, 0.2]), digits=None) == [0.1, 0.2]
