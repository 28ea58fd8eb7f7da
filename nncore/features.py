"""Input features: what the network sees of a raw point (x1, x2).

The same `transform` builds the training inputs and the inputs for every grid the page draws, so a decision
boundary over x1² or sin(x1) is the network's real view of the plane. The columns come out in the order the
names are given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nncore.errors import ConfigError

#: Feature name → formula, in the order the page lists them (as in TensorFlow Playground).
FEATURES: dict[str, str] = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁·x₂",
    "sin(x1)": "sin(x₁)",
    "sin(x2)": "sin(x₂)",
    "cos(x1)": "cos(x₁)",
    "cos(x2)": "cos(x₂)",
}

_COMPUTE: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
    "cos(x1)": lambda x1, x2: np.cos(x1),
    "cos(x2)": lambda x1, x2: np.cos(x2),
}


def _unknown(name: object) -> str:
    return f"unknown feature {name!r}; choose one of: " + ", ".join(FEATURES)


def check_features(names: object, field: str = "features") -> list[str]:
    """Validate a feature list (non-empty, known names, no duplicates); return it or raise ConfigError."""
    allowed = "a non-empty list of distinct features from: " + ", ".join(FEATURES)
    if isinstance(names, str) or not isinstance(names, Sequence) or len(names) == 0:
        raise ConfigError(field, names, allowed)
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not isinstance(name, str) or name not in FEATURES:
            raise ConfigError(f"{field}[{i}]", name, allowed, f"{field}[{i}]: " + _unknown(name))
        if name in seen:
            raise ConfigError(f"{field}[{i}]", name, allowed, f"{field}[{i}]: {name!r} is listed twice")
        seen.add(name)
    return list(names)


def transform(X2: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Map raw points `X2` (n, 2) to features (n, len(names)) float64, column k = FEATURES[names[k]](x1, x2).

    An unknown name raises ValueError listing the choices.
    """
    X2 = np.asarray(X2, dtype=np.float64)
    if X2.ndim != 2 or X2.shape[1] != 2:
        raise ValueError(f"transform expects points of shape (n, 2), got {X2.shape}")
    for name in names:
        if name not in _COMPUTE:
            raise ValueError(_unknown(name))
    x1, x2 = X2[:, 0], X2[:, 1]
    out = np.empty((X2.shape[0], len(names)), dtype=np.float64)
    for k, name in enumerate(names):
        out[:, k] = _COMPUTE[name](x1, x2)
    return out
