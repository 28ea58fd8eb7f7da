"""The datasets: logic gates, TensorFlow Playground's sets, multi-class sets and regression surfaces.

`DATASETS` maps a name to a `DatasetSpec` (task, classes, parameters with defaults and limits, the plane's
extent); `make_dataset(name, **params)` returns raw points `X2` (n, 2) float64 and labels `y` (n,) — int class
labels 0..k−1 for classification, float targets for regression. Every set is drawn from
`numpy.random.default_rng(seed)`: the same parameters give the same arrays, bit for bit.

The playground sets follow tensorflow/playground `src/dataset.ts` (same shapes, radii and noise meaning; its
label +1 is our class 1, −1 is class 0; its noise slider 0–50 % is our `noise` 0–0.5). Splitting and the
user's own points are nncore/points.py's; the plane shown for a data section is nncore/data.py's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from nncore.errors import ConfigError
from nncore.limits import LIMITS, SEED
from nncore.params import Param

Arrays = tuple[np.ndarray, np.ndarray]
Sampler = Callable[[np.random.Generator, dict[str, Any]], Arrays]

UNIT: tuple[float, float, float, float] = (-0.5, 1.5, -0.5, 1.5)  # the gates: the unit square, zoomed in
PLANE: tuple[float, float, float, float] = (-6.0, 6.0, -6.0, 6.0)  # everything else, as in the playground
BIPOLAR: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0)  # the gates on ±1 corners


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: `classes` is 2, the name of the parameter giving k (``"k"``), or None for regression."""

    name: str
    task: Literal["classification", "regression"]
    classes: int | str | None
    params: dict[str, Param]
    extent: tuple[float, float, float, float]
    description: str
    noise: str  # what the noise parameter means for this set
    balanced: bool  # classes have equal counts (±1), whatever the noise
    generate: Sampler = field(repr=False, compare=False)

    def num_classes(self, params: dict[str, Any] | None = None) -> int | None:
        """The number of classes for these (checked) parameters, None for regression."""
        if isinstance(self.classes, str):
            return int((params or {}).get(self.classes, self.params[self.classes].default))
        return self.classes

    def describe(self) -> dict[str, Any]:
        """A JSON-able description for the catalog."""
        return {
            "task": self.task,
            "classes": self.classes,
            "params": {k: p.describe() for k, p in self.params.items()},
            "extent": list(self.extent),
            "description": self.description,
            "noise": self.noise,
            "balanced": self.balanced,
        }


def _counts(n: int, k: int) -> list[int]:
    """n points over k classes as evenly as possible (the first n mod k classes get one more)."""
    return [n // k + (1 if j < n % k else 0) for j in range(k)]


def _labels(counts: list[int]) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


# ---- logic gates on the corners of the unit square --------------------------------------------------------

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH_TABLES: dict[str, tuple[int, int, int, int]] = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}


def _gate(truth: tuple[int, int, int, int]) -> Sampler:
    def generate(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
        idx = np.arange(p["n"]) % 4  # (0,0), (0,1), (1,0), (1,1), (0,0), …
        corners = 2.0 * CORNERS - 1.0 if p["bipolar"] else CORNERS
        X = corners[idx] + p["noise"] * rng.standard_normal((p["n"], 2))
        return X, np.array(truth, dtype=np.int64)[idx]

    return generate


# ---- TensorFlow Playground's sets (src/dataset.ts) -------------------------------------------------------


def _circle(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    n, radius = p["n"], 5.0
    n_out, n_in = _counts(n, 2)
    r = np.concatenate([rng.uniform(radius * 0.7, radius, n_out), rng.uniform(0.0, radius * 0.5, n_in)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    seen = X + rng.uniform(-radius, radius, (n, 2)) * p["noise"]  # the label is read at a jittered position
    return X, (np.hypot(seen[:, 0], seen[:, 1]) < radius * 0.5).astype(np.int64)


def _xor_quadrants(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    n = p["n"]
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # padding keeps points off the axes
    seen = X + rng.uniform(-5.0, 5.0, (n, 2)) * p["noise"]
    return X, (seen[:, 0] * seen[:, 1] >= 0).astype(np.int64)


def _gauss_blobs(rng: np.random.Generator, centers: np.ndarray, n: int, noise: float) -> Arrays:
    """Gaussian blobs of variance 0.5 + 7·noise (the playground's scale [0, 0.5] → [0.5, 4])."""
    counts = _counts(n, len(centers))
    y = _labels(counts)
    return centers[y] + math.sqrt(0.5 + 7.0 * noise) * rng.standard_normal((n, 2)), y


def _gauss(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    return _gauss_blobs(rng, np.array([[-2.0, -2.0], [2.0, 2.0]]), p["n"], p["noise"])


def _arms(rng: np.random.Generator, n: int, noise: float, phases: list[float]) -> Arrays:
    """Arm j: r = 5i/m, θ = 1.75·2π·i/m + phase_j, (r sin θ, r cos θ) + U(−1, 1)·noise."""
    counts = _counts(n, len(phases))
    i = np.concatenate([np.arange(m) / m for m in counts])
    theta = 1.75 * 2 * np.pi * i + np.repeat(phases, counts)
    X = np.column_stack([5 * i * np.sin(theta), 5 * i * np.cos(theta)])
    return X + rng.uniform(-1.0, 1.0, (n, 2)) * noise, _labels(counts)


def _spiral(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    return _arms(rng, p["n"], p["noise"], [np.pi, 0.0])  # class 1 starts at phase 0, as the playground's +1


# ---- more classification sets -----------------------------------------------------------------------------


def _moons(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    """scikit-learn's two moons, scaled ×3 and centred: x ∈ [−4.5, 4.5], y ∈ [−2.25, 2.25] before noise."""
    counts = _counts(p["n"], 2)
    t = rng.uniform(0.0, np.pi, p["n"])
    y = _labels(counts)
    outer = np.column_stack([np.cos(t), np.sin(t)])
    inner = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = 3.0 * (np.where(y[:, None] == 0, outer, inner) - [0.5, 0.25])
    return X + 3.0 * p["noise"] * rng.standard_normal((p["n"], 2)), y


def _linear(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    """A random line u·x = c (|c| ≤ 1); points uniform in [−5, 5]² at distance ≥ margin on either side."""
    angle, c = rng.uniform(0.0, 2 * np.pi), rng.uniform(-1.0, 1.0)
    u = np.array([np.cos(angle), np.sin(angle)])
    parts = []
    for label, count in enumerate(_counts(p["n"], 2)):
        sign, got = 2 * label - 1, np.empty((0, 2))
        while len(got) < count:
            cand = rng.uniform(-5.0, 5.0, (2 * count + 16, 2))
            got = np.vstack([got, cand[sign * (cand @ u - c) >= p["margin"]]])
        parts.append(got[:count])
    X = np.vstack(parts)
    return X + 2.0 * p["noise"] * rng.standard_normal(X.shape), _labels(_counts(p["n"], 2))


def _blobs(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    angles = np.pi / 4 + 2 * np.pi * np.arange(p["k"]) / p["k"]
    return _gauss_blobs(rng, 4.0 * np.column_stack([np.cos(angles), np.sin(angles)]), p["n"], p["noise"])


def _spiral_k(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
    return _arms(rng, p["n"], p["noise"], [2 * np.pi * j / p["k"] for j in range(p["k"])])


# ---- regression: targets in about [−1, 1], read at a jittered position as in the playground -------------


def _regression(target: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Sampler:
    def generate(rng: np.random.Generator, p: dict[str, Any]) -> Arrays:
        X = rng.uniform(-6.0, 6.0, (p["n"], 2))
        seen = X + rng.uniform(-6.0, 6.0, X.shape) * p["noise"]
        return X, target(seen[:, 0], seen[:, 1]).astype(np.float64)

    return generate


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1.0]])


def _bumps(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """Six signed cones sign·max(0, 1 − d/2); the one largest in absolute value wins."""
    d = np.hypot(x1[:, None] - _BUMPS[:, 0], x2[:, None] - _BUMPS[:, 1])
    v = _BUMPS[:, 2] * np.clip(1 - d / 2, 0.0, 1.0)
    return v[np.arange(len(x1)), np.argmax(np.abs(v), axis=1)]


# ---- the registry ------------------------------------------------------------------------------------------


def _params(n: int, noise: float = 0.0, n_min: int = 8, **extra: Param) -> dict[str, Param]:
    return {
        "n": Param(n, n_min, LIMITS["points"], "int", doc="number of points"),
        "noise": Param(noise, 0.0, LIMITS["noise"], doc="noise level (see the dataset)"),
        "seed": SEED,
        **extra,
    }


OUTLIERS = Param(0.0, 0.0, 0.5, doc="fraction of points moved far out as class-1 outliers (labels kept)")
BIPOLAR_PARAM = Param(False, kind="bool", doc="corners at ±1 instead of 0/1 (the Hebb net's setting)")
MARGIN = Param(0.5, 0.0, 2.0, doc="every point is at least this far from the separating line")
K = Param(3, 2, LIMITS["classes"], "int", doc="number of classes")

LABEL_AT = (
    "the label is read at the point moved by U(−{0}, {0})·noise per coordinate: noise blurs the boundary"
)
BLOB = "blob variance 0.5 + 7·noise (0.5 … 4), as in the playground"
ARMS = "each coordinate moved by U(−1, 1)·noise"
MOON = "Gaussian jitter of standard deviation 3·noise (noise in moon radii)"
LINEAR = "Gaussian jitter of standard deviation 2·noise after labelling (noise > 0 can break separability)"
JITTER = "standard deviation of Gaussian jitter around each corner (0: the exact corners)"

_CLASSIFICATION: list[tuple[str, Sampler, bool, str, str]] = [  # name, generator, balanced, what, noise
    ("circle", _circle, False, "class 1 inside radius 2.5, class 0 on the ring 3.5–5", LABEL_AT.format(5)),
    ("xor_quadrants", _xor_quadrants, False, "class 1 where x1·x2 ≥ 0, 0.3 off the axes", LABEL_AT.format(5)),
    ("gauss", _gauss, True, "two Gaussian blobs: class 1 at (2, 2), class 0 at (−2, −2)", BLOB),
    ("spiral", _spiral, True, "two interleaved spiral arms of radius 5 and 1.75 turns", ARMS),
    ("moons", _moons, True, "two interleaving half circles (scikit-learn's moons, ×3 and centred)", MOON),
    ("linear", _linear, True, "a random line with every point at distance ≥ margin from it", LINEAR),
    ("blobs", _blobs, True, "k Gaussian blobs on a circle of radius 4", BLOB),
    ("spiral_k", _spiral_k, True, "k interleaved spiral arms", ARMS),
]
_PARAMS = {"moons": _params(200, 0.1), "linear": _params(200, margin=MARGIN), "blobs": _params(200, k=K),
           "spiral_k": _params(200, k=K)}  # fmt: skip
_REGRESSION: list[tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray], str]] = [
    ("plane", lambda a, b: (a + b) / 10, "t = (x1 + x2)/10, in [−1.2, 1.2]"),
    ("gauss_bumps", _bumps, "six cones of height ±1 at (−4|0|4, ±2.5), t in [−1, 1]"),
    ("sine", lambda a, b: np.sin(a), "t = sin(x1), in [−1, 1]"),
]

DATASETS: dict[str, DatasetSpec] = {
    **{
        gate: DatasetSpec(
            gate, "classification", 2, {**_params(4, n_min=4, bipolar=BIPOLAR_PARAM), "outliers": OUTLIERS},
            UNIT, f"logic gate {gate.upper()} on the corners (0,0), (0,1), (1,0), (1,1), repeated in order",
            JITTER, False, _gate(truth),
        )
        for gate, truth in TRUTH_TABLES.items()
    },
    **{
        name: DatasetSpec(
            name, "classification", "k" if "k" in params else 2, {**params, "outliers": OUTLIERS}, PLANE,
            what, noise, balanced, generate,
        )
        for name, generate, balanced, what, noise in _CLASSIFICATION
        for params in [_PARAMS.get(name, _params(200))]
    },
    **{
        name: DatasetSpec(name, "regression", None, _params(200), PLANE, what, LABEL_AT.format(6), False,
                          _regression(target))
        for name, target, what in _REGRESSION
    },
}  # fmt: skip


def get_dataset(name: Any) -> DatasetSpec:
    """The spec of `name`, or ConfigError on `data.dataset` listing the datasets."""
    if not isinstance(name, str) or name not in DATASETS:
        raise ConfigError("data.dataset", name, "choose one of: " + ", ".join(DATASETS))
    return DATASETS[name]


def check_params(name: str, params: dict[str, Any], prefix: str = "data.") -> dict[str, Any]:
    """Every parameter of dataset `name` checked and defaults filled; ConfigError names `<prefix><param>`."""
    spec = get_dataset(name)
    for key in params:
        if key not in spec.params:
            raise ConfigError(f"{prefix}{key}", params[key], f"{name} takes: " + ", ".join(spec.params))
    out = {k: p.check(f"{prefix}{k}", params.get(k, p.default)) for k, p in spec.params.items()}
    classes = spec.num_classes(out)
    if classes is not None and out["n"] < classes:
        raise ConfigError(f"{prefix}n", out["n"], f"need at least one point per class ({classes})")
    return out


def _push_out(rng: np.random.Generator, X: np.ndarray, y: np.ndarray, fraction: float) -> np.ndarray:
    """Move round(fraction·n) points of class 1 far out, labels kept: Bishop's picture of how MSE suffers.

    With c the data's centre, R its radius (largest distance from c), u the direction from c to class 1's mean
    and v = u turned by +90°: each point goes to c + s·R·(cos φ·u + sin φ·v), s ~ U(1.5, 2.5), φ ~ π/4 ± 0.2 —
    far on class 1's side and off to one flank, so a least-squares boundary tilts towards them. If class 1's
    mean sits at the centre (circle, xor_quadrants), each point is pushed out along its own direction from c.
    """
    own = np.flatnonzero(y == 1)
    count = min(round(fraction * len(X)), len(own))
    if count == 0:
        return X
    c = X.mean(axis=0)
    radius = float(np.max(np.hypot(*(X - c).T))) or 1.0
    idx = rng.choice(own, count, replace=False)
    m = X[own].mean(axis=0) - c
    if np.hypot(*m) > 0.1 * radius:
        u = m / np.hypot(*m)
        phi = np.pi / 4 + rng.uniform(-0.2, 0.2, count)
        d = np.cos(phi)[:, None] * u + np.sin(phi)[:, None] * np.array([-u[1], u[0]])
    else:
        d = X[idx] - c
        d = np.where(np.hypot(d[:, 0], d[:, 1])[:, None] > 1e-12, d, rng.standard_normal(d.shape))
        d /= np.hypot(d[:, 0], d[:, 1])[:, None]
    X = X.copy()
    X[idx] = c + d * radius * rng.uniform(1.5, 2.5, count)[:, None]
    return X


def make_dataset(name: str, **params: Any) -> Arrays:
    """`X2` (n, 2) float64 and `y` (n,): int labels 0..k−1, or float targets for regression.

    Gates keep the truth-table order; every other set comes shuffled (by the same seeded generator).
    """
    spec = get_dataset(name)
    p = check_params(name, params)
    rng = np.random.default_rng(p["seed"])
    X, y = spec.generate(rng, p)
    if p.get("outliers", 0.0) > 0:
        X = _push_out(rng, X, y, p["outliers"])
    if name not in TRUTH_TABLES:
        order = rng.permutation(len(X))
        X, y = X[order], y[order]
    return np.ascontiguousarray(X, dtype=np.float64), y
