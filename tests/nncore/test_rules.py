"""The classic rules, tested through `update` against the mathematics they come with.

Perceptron: Novikoff's bound (R/γ)² on the number of mistakes from w = 0, b = 0, where R = max‖x̃‖ and γ is the
margin of any unit separator u in the augmented space x̃ = (x, 1) — the bias is a weight on a constant input.
The rule here updates only on mistakes and every mistake has s·(w·x̃) ≤ 0 with s = 2t − 1 (t = 1 and a ≤ 0, or
t = 0 and a > 0), which is all the proof needs: w·u grows by ≥ ηγ per mistake, ‖w‖² by ≤ η²R².
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from nncore.activations import OUTPUT_ACTIVATIONS
from nncore.datasets import make_dataset
from nncore.errors import ConfigError
from nncore.rules import RULES, RUNAWAY_NORM, Rule, check_rule, get_rule, runaway
from nncore.targets import encode_targets as encode


def encode_targets(y: np.ndarray, rule: Rule | str) -> np.ndarray:
    """A rule's targets (n,) for labels `y` as the trainer encodes them: integer labels are classes 0/1 mapped
    to the rule's levels, float targets (regression) pass through."""
    rule = get_rule(rule) if isinstance(rule, str) else rule
    task = "classification" if np.issubdtype(np.asarray(y).dtype, np.integer) else "regression"
    return encode(np.asarray(y), task, 1, rule.levels)[:, 0]


SEPARATORS = {  # (w1, w2, b), w·x + b > 0 exactly on class 1: the max-margin directions in the (x, 1) space
    "and": (2.0, 2.0, -3.0),
    "or": (2.0, 2.0, -1.0),
    "nand": (-2.0, -2.0, 3.0),
    "nor": (-2.0, -2.0, 1.0),
}


def _zero(n_in: int = 2) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((n_in, 1)), np.zeros(1)


def _epoch(rule: str, W, b, X, t, lr, order) -> list[dict]:
    return [RULES[rule].update(W, b, X[i], float(t[i]), lr) for i in order]


def _novikoff_bound(X: np.ndarray, y: np.ndarray, u: tuple[float, float, float]) -> float:
    Xa = np.column_stack([X, np.ones(len(X))])
    s = 2.0 * y - 1.0
    gamma = float(np.min(s * (Xa @ np.array(u))) / np.linalg.norm(u))
    assert gamma > 0, "u must separate the data"
    R = float(np.max(np.linalg.norm(Xa, axis=1)))
    return (R / gamma) ** 2


def _train_perceptron(X, y, lr, rng, max_epochs=1000) -> tuple[int, int, np.ndarray, np.ndarray]:
    """Epochs (shuffled by rng, or in order if None) until one without mistakes: (mistakes, epochs, W, b)."""
    W, b = _zero()
    t = encode_targets(y, "perceptron")
    mistakes = 0
    for epoch in range(1, max_epochs + 1):
        order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
        wrong = sum(r["mistake"] for r in _epoch("perceptron", W, b, X, t, lr, order))
        mistakes += wrong
        if wrong == 0:
            return mistakes, epoch, W, b
    raise AssertionError("no error-free epoch")


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
@pytest.mark.parametrize("lr", [1.0, 0.1, 0.37])
@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3, 4])
def test_perceptron_converges_within_novikoff_bound(gate: str, lr: float, seed: int | None) -> None:
    X, y = make_dataset(gate)
    bound = _novikoff_bound(X, y, SEPARATORS[gate])
    rng = None if seed is None else np.random.default_rng(seed)
    mistakes, _, W, b = _train_perceptron(X, y, lr, rng)
    assert 1 <= mistakes <= bound
    np.testing.assert_array_equal(((X @ W)[:, 0] + b[0] > 0).astype(int), y)  # the final w separates


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
def test_perceptron_on_jittered_gate_clouds_within_bound(gate: str) -> None:
    X, y = make_dataset(gate, n=60, noise=0.05, seed=3)
    bound = _novikoff_bound(X, y, SEPARATORS[gate])
    mistakes, _, _, _ = _train_perceptron(X, y, 0.5, np.random.default_rng(0))
    assert mistakes <= bound


def test_perceptron_never_has_an_error_free_epoch_on_xor() -> None:
    X, y = make_dataset("xor")
    t = encode_targets(y, "perceptron")
    W, b = _zero()
    norms = []
    for _ in range(1000):
        assert any(r["mistake"] for r in _epoch("perceptron", W, b, X, t, 1.0, range(4)))
        norms.append(np.hypot(np.linalg.norm(W), b[0]))
    assert max(norms) < 10  # the perceptron cycling theorem: w stays bounded although it never settles


def test_perceptron_update_numbers() -> None:
    W, b = np.array([[0.5], [-1.0]]), np.array([0.25])
    W_id = id(W)
    rec = RULES["perceptron"].update(W, b, np.array([1.0, 2.0]), 1.0, 0.1)
    # a = 0.5 − 2 + 0.25 = −1.25 → z = 0, error 1: w ← w + 0.1·(1, 2), b ← b + 0.1
    assert rec == {"x": [1.0, 2.0], "t": 1.0, "a": -1.25, "z": 0.0, "error": 1.0, "dW": [0.1, 0.2], "db": 0.1,
                   "mistake": True}  # fmt: skip
    assert id(W) == W_id
    np.testing.assert_allclose(W[:, 0], [0.6, -0.8])
    np.testing.assert_allclose(b, [0.35])
    json.dumps(rec)
    # step(0) = 0: at a = 0 a target 0 is right (no change), a target 1 is a mistake
    W, b = _zero()
    assert RULES["perceptron"].update(W, b, np.array([1.0, 1.0]), 0.0, 1.0)["mistake"] is False
    assert not W.any() and not b.any()
    rec = RULES["perceptron"].update(W, b, np.array([1.0, 1.0]), 1.0, 1.0)
    assert rec["z"] == 0.0 and rec["mistake"] is True and W[:, 0].tolist() == [1.0, 1.0] and b[0] == 1.0


# ---- delta rule ------------------------------------------------------------------------------------------


def _lms(X, t, lr, epochs) -> np.ndarray:
    W, b = _zero(X.shape[1])
    for _ in range(epochs):
        _epoch("delta", W, b, X, t, lr, range(len(X)))
    return np.r_[W[:, 0], b]


def test_delta_rule_settles_at_least_squares_with_small_lr() -> None:
    X, y = make_dataset("and", bipolar=True)
    t = encode_targets(y, "delta")
    lstsq = np.linalg.lstsq(np.column_stack([X, np.ones(4)]), t, rcond=None)[0]
    np.testing.assert_allclose(lstsq, [0.5, 0.5, -0.5])
    far = np.abs(_lms(X, t, 0.01, 2000) - lstsq).max()
    near = np.abs(_lms(X, t, 0.001, 20000) - lstsq).max()
    assert near < 1e-3 and near < far / 5  # online LMS with a constant η wanders O(η) around the solution


def test_delta_rule_on_noisy_data_and_exact_linear_targets() -> None:
    X, y = make_dataset("gauss", n=40, noise=0.3, seed=2)
    X = X / 4
    t = encode_targets(y, "delta")
    lstsq = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), t, rcond=None)[0]
    np.testing.assert_allclose(_lms(X, t, 0.0005, 3000), lstsq, atol=5e-3)
    Xp, tp = make_dataset("plane", n=30, seed=1)  # t = (x1 + x2)/10 exactly: LMS reaches it exactly
    np.testing.assert_allclose(_lms(Xp / 6, tp, 0.1, 2000), [0.6, 0.6, 0.0], atol=1e-10)  # x/6 → w = 6/10


def test_delta_update_numbers() -> None:
    W, b = np.array([[1.0], [0.0]]), np.array([0.0])
    rec = RULES["delta"].update(W, b, np.array([0.5, -1.0]), -1.0, 0.1)
    # a = 0.5, error = −1.5: w ← w − 0.15·x, b ← b − 0.15; a > 0 for t = −1 is a mistake
    assert rec["a"] == rec["z"] == 0.5 and rec["error"] == -1.5 and rec["mistake"] is True
    np.testing.assert_allclose(rec["dW"], [-0.075, 0.15])
    np.testing.assert_allclose(W[:, 0], [0.925, 0.15])
    np.testing.assert_allclose(b, [-0.15])


# ---- Hebb, unsupervised Hebb, Oja ------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [1.0, 0.5])
def test_one_hebb_epoch_on_bipolar_and_is_sum_of_t_x(lr: float) -> None:
    X, y = make_dataset("and", bipolar=True)
    t = encode_targets(y, "hebb")
    np.testing.assert_array_equal(t, [-1, -1, -1, 1])
    W, b = _zero()
    records = _epoch("hebb", W, b, X, t, lr, range(4))
    np.testing.assert_array_equal(W[:, 0], lr * (t @ X))  # Σ t·x = (2, 2): Fausett's Hebb net for AND
    np.testing.assert_array_equal(W[:, 0], [2 * lr, 2 * lr])
    assert b[0] == lr * t.sum() == -2 * lr
    assert [r["dW"] for r in records] == [list(lr * ti * xi) for ti, xi in zip(t, X, strict=True)]
    assert (np.sign(X @ W[:, 0] + b[0]) == t).all()  # and it computes AND


def _elongated_cloud(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    c, s = np.cos(0.5), np.sin(0.5)
    D = (rng.standard_normal((500, 2)) * [2.0, 0.5]) @ np.array([[c, -s], [s, c]]).T
    D -= D.mean(axis=0)
    _, vecs = np.linalg.eigh(D.T @ D / len(D))
    return D, vecs[:, -1]


def test_unsupervised_hebb_grows_without_bound_and_is_reported() -> None:
    D, pc = _elongated_cloud()
    W, b = np.array([[0.05], [-0.02]]), np.zeros(1)
    norms, message = [], None
    for step in range(20000):
        rec = RULES["hebb_unsupervised"].update(W, b, D[step % len(D)], 0.0, 0.005)
        assert rec["error"] is None and rec["mistake"] is False and rec["db"] == 0.0
        norms.append(np.linalg.norm(W))
        message = runaway(W, b)
        if message:
            break
    assert message is not None and "no bound" in message and norms[-1] > RUNAWAY_NORM
    assert norms[-1] > 1e3 * norms[len(norms) // 2]  # exponential growth, not a one-off jump
    assert abs(W[:, 0] @ pc) / np.linalg.norm(W) > 0.999  # along the principal direction
    W[0, 0] = np.inf
    assert "overflowed" in runaway(W, b)  # reported, never raised


def test_oja_stays_bounded_and_finds_the_principal_component() -> None:
    D, pc = _elongated_cloud(1)
    W, b = np.array([[0.05], [-0.02]]), np.zeros(1)
    peak = 0.0
    for _ in range(20):
        for x in D:
            RULES["oja"].update(W, b, x, 0.0, 0.005)
            peak = max(peak, float(np.linalg.norm(W)))
    assert runaway(W, b) is None and peak < 1.5
    assert abs(np.linalg.norm(W) - 1.0) < 0.02
    assert abs(W[:, 0] @ pc) / np.linalg.norm(W) > 0.999


def test_runaway_threshold() -> None:
    assert runaway(np.full((2, 1), 1e3), np.zeros(1)) is None
    assert runaway(np.full((2, 1), 1e3), np.zeros(1), limit=100.0) is not None


# ---- the registry and the helpers -------------------------------------------------------------------------


def test_registry_fields() -> None:
    assert list(RULES) == ["perceptron", "delta", "hebb", "hebb_unsupervised", "oja", "backprop"]
    expected = {"perceptron": ("step", "binary"), "delta": ("linear", "bipolar"), "hebb": ("sign", "bipolar"),
                "hebb_unsupervised": ("linear", "bipolar"), "oja": ("linear", "bipolar")}  # fmt: skip
    for name, (out, targets) in expected.items():
        rule = RULES[name]
        assert rule.online and rule.update is not None and rule.name == name
        assert (rule.output_activation, rule.targets) == (out, targets)
        assert out in OUTPUT_ACTIVATIONS
        assert rule.title and "←" in rule.equation
        json.dumps(rule.describe())
    assert RULES["backprop"].online is False and RULES["backprop"].update is None
    assert RULES["backprop"].output_activation is None
    assert [n for n, r in RULES.items() if r.stops_when_error_free] == ["perceptron"]
    assert [n for n, r in RULES.items() if not r.supervised] == ["hebb_unsupervised", "oja"]


def test_update_rejects_a_layer_of_several_neurons() -> None:
    with pytest.raises(ValueError, match="one neuron"):
        RULES["hebb"].update(np.zeros((2, 3)), np.zeros(3), np.zeros(2), 1.0, 0.1)


def test_encode_targets_and_the_perceptrons_cut() -> None:
    y = np.array([0, 1, 1, 0])
    np.testing.assert_array_equal(encode_targets(y, "perceptron"), [0.0, 1.0, 1.0, 0.0])
    for name in ("delta", "hebb"):
        np.testing.assert_array_equal(encode_targets(y, name), [-1.0, 1.0, 1.0, -1.0])
    assert encode_targets(y, RULES["hebb"]).dtype == np.float64
    np.testing.assert_array_equal(encode_targets(np.array([0.3, -2.0]), "delta"), [0.3, -2.0])
    with pytest.raises(ValueError, match="0/1"):
        encode_targets(np.array([0, 2]), "perceptron")
    # the perceptron cuts its net input at a > 0: a = 0 is class 0, the least positive a is class 1
    for a, z in ((-1.0, 0.0), (0.0, 0.0), (1e-9, 1.0)):
        assert RULES["perceptron"].update(np.zeros((1, 1)), np.array([a]), np.zeros(1), z, 0.1)["z"] == z


def test_get_rule_unknown_lists_the_rules() -> None:
    assert get_rule("oja") is RULES["oja"]
    with pytest.raises(ConfigError, match="unknown rule 'widrow'; choose one of: perceptron, delta") as info:
        get_rule("widrow")
    assert info.value.field == "training.rule"


@pytest.mark.parametrize(
    ("name", "hidden", "task", "classes", "match"),
    [
        ("perceptron", [4], "classification", 2, "single neuron"),
        ("hebb", [], "classification", 3, "two classes"),
        ("perceptron", [], "regression", None, "delta or backprop"),
    ],
)
def test_check_rule_rejects_what_a_rule_cannot_train(name, hidden, task, classes, match) -> None:
    with pytest.raises(ConfigError, match=match) as info:
        check_rule(name, hidden, task, classes)
    assert info.value.field == "training.rule" and name in str(info.value)


def test_check_rule_accepts() -> None:
    assert check_rule("backprop", [8, 8], "classification", 5).name == "backprop"
    assert check_rule("delta", [], "regression", None).name == "delta"
    assert check_rule("oja", [], "classification", 3).name == "oja"
    assert check_rule("perceptron", [], "classification", 2).name == "perceptron"
