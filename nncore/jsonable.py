"""The one conversion of engine values to JSON: NumPy arrays and scalars to lists and numbers, NaN and ±inf to
None (JSON has neither; a diverged run must not produce text a browser refuses)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def jsonable(value: Any, digits: int | None = None) -> Any:
    """`value` with arrays as nested lists, NumPy scalars as Python numbers and non-finite floats as None.

    Dicts (keys as strings), lists and tuples are converted item by item. With `digits`, each float array is
    rounded to that many significant digits of its largest magnitude (short JSON for the wire).
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, digits) for v in value]
    if isinstance(value, np.ndarray):
        return _array(value, digits)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def _array(array: np.ndarray, digits: int | None) -> Any:
    if array.dtype.kind not in "fc":
        return array.tolist()
    array = array.astype(np.float64, copy=False)
    finite = np.isfinite(array)
    if digits is not None:
        biggest = float(np.max(np.abs(array[finite]), initial=0.0))
        if biggest > 0.0:
            array = np.round(array, max(0, digits - 1 - math.floor(math.log10(biggest))))
    if finite.all():
        return array.tolist()
    return _none_for_nan(array.tolist())


def _none_for_nan(value: Any) -> Any:
    if isinstance(value, list):
        return [_none_for_nan(v) for v in value]
    return value if math.isfinite(value) else None
