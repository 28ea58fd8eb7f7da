"""Optimizers: the first steps of every rule against its update formula worked out by hand, in-place updates,
a live learning rate, PyTorch's defaults, and validation of hyperparameters."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nncore.errors import ConfigError
from nncore.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from nncore.params import Param


def run(name: str, theta0: float, grads: list[float], lr: float, **hyper: object) -> list[float]:
    """θ after each step of optimizer `name` on a one-element parameter fed the scalar gradients `grads`."""
    theta = np.array([theta0])
    opt = make_optimizer(name, [theta], lr, **hyper)
    out = []
    for g in grads:
        opt.step([np.array([g])])
        out.append(float(theta[0]))
    return out


def test_sgd_plain_and_weight_decay() -> None:
    theta = np.array([1.0, -2.0])
    opt = make_optimizer("sgd", [theta], 0.1)
    opt.step([np.array([0.5, 1.0])])
    np.testing.assert_allclose(theta, [0.95, -2.1], rtol=1e-15)
    opt.step([np.array([-1.0, 2.0])])
    np.testing.assert_allclose(theta, [1.05, -2.3], rtol=1e-15)
    # weight decay 0.1 adds 0.1·θ to the gradient: 2 → 2 − 0.1·0.2 = 1.98 → 1.98 − 0.1·0.198 = 1.9602
    assert run("sgd", 2.0, [0.0, 0.0], 0.1, weight_decay=0.1) == pytest.approx([1.98, 1.9602], rel=1e-15)


def test_sgd_momentum_nesterov_dampening() -> None:
    # b = 1, 1.9, 2.71 (b₁ = g, then b ← 0.9b + g); θ ← θ − 0.1·b
    assert run("sgd", 1.0, [1.0] * 3, 0.1, momentum=0.9) == pytest.approx([0.9, 0.71, 0.439], rel=1e-14)
    # nesterov steps along g + 0.9b = 1.9, 2.71, 3.439
    expected = [1 - 0.19, 1 - 0.19 - 0.271, 1 - 0.19 - 0.271 - 0.3439]
    assert run("sgd", 1.0, [1.0] * 3, 0.1, momentum=0.9, nesterov=True) == pytest.approx(expected, rel=1e-14)
    # dampening 0.5: b₁ = g = 1 (no dampening on the first step), b₂ = 0.9 + 0.5 = 1.4, b₃ = 1.26 + 0.5 = 1.76
    assert run("sgd", 1.0, [1.0] * 3, 0.1, momentum=0.9, dampening=0.5) == pytest.approx(
        [0.9, 0.76, 0.584], rel=1e-14
    )


def test_rmsprop_default_and_centered_with_momentum() -> None:
    eps = 1e-8
    # v₁ = 0.01·2² = 0.04, v₂ = 0.99·0.04 + 0.01·1 = 0.0496
    t1 = 1 - 0.01 * 2 / (math.sqrt(0.04) + eps)
    t2 = t1 + 0.01 * 1 / (math.sqrt(0.0496) + eps)
    assert run("rmsprop", 1.0, [2.0, -1.0], 0.01) == pytest.approx([t1, t2], rel=1e-14)
    # centered: m₁ = 0.02, m₂ = 0.99·0.02 − 0.01 = 0.0098, denominators √(v − m²); momentum 0.5 buffers steps
    d1 = 2 / (math.sqrt(0.04 - 0.02**2) + eps)
    d2 = -1 / (math.sqrt(0.0496 - 0.0098**2) + eps)
    t1 = 1 - 0.01 * d1
    t2 = t1 - 0.01 * (0.5 * d1 + d2)
    got = run("rmsprop", 1.0, [2.0, -1.0], 0.01, centered=True, momentum=0.5)
    assert got == pytest.approx([t1, t2], rel=1e-14)


def test_adagrad_default_and_lr_decay_with_initial_accumulator() -> None:
    eps = 1e-10
    # s = 9, then 25
    t1 = 1 - 0.01 * 3 / (3 + eps)
    assert run("adagrad", 1.0, [3.0, 4.0], 0.01) == pytest.approx([t1, t1 - 0.01 * 4 / (5 + eps)], rel=1e-14)
    # s₀ = 1: s = 10, then 26; the second step's rate is 0.01/(1 + 1·0.5)
    t1 = 1 - 0.01 * 3 / (math.sqrt(10) + eps)
    t2 = t1 - 0.01 / 1.5 * 4 / (math.sqrt(26) + eps)
    got = run("adagrad", 1.0, [3.0, 4.0], 0.01, lr_decay=0.5, initial_accumulator_value=1.0)
    assert got == pytest.approx([t1, t2], rel=1e-14)


def test_adam_three_steps_by_hand() -> None:
    eps = 1e-8
    # g = 2, −1, 0.5 with β₁ = 0.9, β₂ = 0.999:
    # m = 0.2, 0.08, 0.122;  v = 0.004, 0.004996, 0.005241004;  corrections 1 − β^t
    t1 = 1 - 0.001 * (0.2 / 0.1) / (math.sqrt(0.004 / 0.001) + eps)
    t2 = t1 - 0.001 * (0.08 / 0.19) / (math.sqrt(0.004996 / 0.001999) + eps)
    t3 = t2 - 0.001 * (0.122 / 0.271) / (math.sqrt(0.005241004 / 0.002997001) + eps)
    assert run("adam", 1.0, [2.0, -1.0, 0.5], 0.001) == pytest.approx([t1, t2, t3], rel=1e-13)


def test_adam_amsgrad_with_l2_weight_decay() -> None:
    eps, lam, lr = 1e-8, 0.1, 0.01
    # the gradient becomes g + λθ; with g = 10 then 0 the second moment shrinks, so amsgrad keeps its maximum
    g1 = 10 + lam * 1.0
    m1, v1 = 0.1 * g1, 0.001 * g1**2
    t1 = 1 - lr * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + eps)
    g2 = 0 + lam * t1
    m2, v2 = 0.9 * m1 + 0.1 * g2, 0.999 * v1 + 0.001 * g2**2
    assert v2 < v1
    t2 = t1 - lr * (m2 / 0.19) / (math.sqrt(v1 / 0.001999) + eps)
    got = run("adam", 1.0, [10.0, 0.0], lr, weight_decay=lam, amsgrad=True)
    assert got == pytest.approx([t1, t2], rel=1e-13)
    plain = run("adam", 1.0, [10.0, 0.0], lr, weight_decay=lam)
    assert plain[1] == pytest.approx(t1 - lr * (m2 / 0.19) / (math.sqrt(v2 / 0.001999) + eps), rel=1e-13)


def test_adamw_decays_the_weight_not_the_gradient() -> None:
    eps, lr = 1e-8, 0.001
    # default weight_decay 0.01: θ ← θ(1 − lr·0.01), then the Adam step of the raw gradient
    t1 = 1 * (1 - lr * 0.01) - lr * 2 / (2 + eps)
    t2 = t1 * (1 - lr * 0.01) - lr * (0.08 / 0.19) / (math.sqrt(0.004996 / 0.001999) + eps)
    assert run("adamw", 1.0, [2.0, -1.0], lr) == pytest.approx([t1, t2], rel=1e-13)
    # with zero gradients only the decay acts: θ·(1 − lr·λ)^t exactly
    assert run("adamw", 3.0, [0.0, 0.0], 0.1, weight_decay=0.5) == pytest.approx([2.85, 2.7075], rel=1e-14)


@settings(max_examples=40, deadline=None)
@given(
    theta=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 3)), elements=st.floats(-2, 2)),
    seed=st.integers(0, 1000),
    name=st.sampled_from(["adam", "adamw"]),
)
def test_adam_family_follows_the_textbook_algorithm(theta: np.ndarray, seed: int, name: str) -> None:
    """Five steps on random shapes against Kingma & Ba's algorithm written with bias-corrected m̂, v̂."""
    rng = np.random.default_rng(seed)
    lr, lam, b1, b2, eps = 0.01, 0.05, 0.8, 0.95, 1e-6
    p = theta.copy()
    opt = make_optimizer(name, [p], lr, weight_decay=lam, beta1=b1, beta2=b2, eps=eps)
    ref, m, v = theta.copy(), np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, 6):
        g = rng.normal(size=theta.shape)
        opt.step([g])
        if name == "adamw":
            ref = ref - lr * lam * ref
        else:
            g = g + lam * ref
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        ref = ref - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(p, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_updates_in_place_keeps_state_per_array_and_leaves_grads_alone(name: str) -> None:
    big = np.array([1.0, -1.0, 0.5, 2.0])
    first, second = big[:2], big[2:]  # views: only in-place updates reach `big`
    opt = make_optimizer(name, [first, second], 0.1, weight_decay=0.01)
    grads = [np.array([0.3, -0.2]), np.array([1.0, 0.0])]
    before = [g.copy() for g in grads]
    for _ in range(3):
        opt.step(grads)
    assert opt.params[0] is first and opt.params[1] is second
    assert not np.array_equal(big, [1.0, -1.0, 0.5, 2.0])
    for g, b in zip(grads, before, strict=True):
        np.testing.assert_array_equal(g, b)
    # each array's state is its own: the same stream on a lone array gives the same result
    alone = np.array([0.5, 2.0])
    solo = make_optimizer(name, [alone], 0.1, weight_decay=0.01)
    for _ in range(3):
        solo.step([grads[1]])
    np.testing.assert_array_equal(alone, second)


def test_learning_rate_changes_live() -> None:
    theta = np.array([1.0])
    opt = make_optimizer("sgd", [theta], 0.1, momentum=0.5)
    opt.step([np.array([1.0])])  # b = 1: θ = 0.9
    opt.lr = 0.5
    opt.step([np.array([1.0])])  # b = 1.5: θ = 0.9 − 0.75
    assert theta[0] == pytest.approx(0.15, rel=1e-14)
    adam_theta = np.array([0.0])
    adam = make_optimizer("adam", [adam_theta], 0.001)
    adam.step([np.array([1.0])])
    adam.lr = 0.0
    adam.step([np.array([1.0])])
    assert adam_theta[0] == pytest.approx(-0.001 / (1 + 1e-8), rel=1e-14)  # lr 0: the second step is 0


def test_hyperparameters_change_live() -> None:
    theta = np.array([1.0])
    opt = make_optimizer("sgd", [theta], 0.1)
    opt.step([np.array([1.0])])  # plain: θ = 0.9
    opt.hyper.update(momentum=0.5)
    opt.step([np.array([1.0])])  # the buffer starts now: b = g = 1, θ = 0.8
    opt.step([np.array([1.0])])  # b = 0.5 + 1 = 1.5, θ = 0.65
    assert theta[0] == pytest.approx(0.65, rel=1e-14)


def test_step_needs_one_gradient_per_array() -> None:
    opt = make_optimizer("sgd", [np.zeros(2), np.zeros(1)], 0.1)
    with pytest.raises(ValueError, match="2 parameter arrays"):
        opt.step([np.zeros(2)])


PYTORCH_DEFAULTS = {
    "sgd": {"momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0},
    "rmsprop": {"alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False, "weight_decay": 0.0},
    "adagrad": {"lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10, "weight_decay": 0.0},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "amsgrad": False, "weight_decay": 0.0},
    "adamw": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "amsgrad": False, "weight_decay": 0.01},
}


def test_specs_carry_pytorch_defaults_and_describe_themselves() -> None:
    assert set(OPTIMIZERS) == set(PYTORCH_DEFAULTS)
    for name, spec in OPTIMIZERS.items():
        assert spec.name == name and spec.description and spec.equation
        assert all(isinstance(p, Param) for p in spec.hyper.values())
        assert {key: p.default for key, p in spec.hyper.items()} == PYTORCH_DEFAULTS[name]
        for key, p in spec.hyper.items():
            assert p.check(f"training.{key}", p.default) == p.default
        json.dumps(spec.describe())
        opt = make_optimizer(name, [np.zeros(1)], 0.01)
        assert isinstance(opt, Optimizer) and opt.hyper == PYTORCH_DEFAULTS[name]
    assert [OPTIMIZERS[n].default_lr for n in ("sgd", "rmsprop", "adagrad", "adam", "adamw")] == [
        1e-3, 1e-2, 1e-2, 1e-3, 1e-3,
    ]  # fmt: skip


def test_limits() -> None:
    adam, sgd = OPTIMIZERS["adam"].hyper, OPTIMIZERS["sgd"].hyper
    assert (sgd["momentum"].min, sgd["momentum"].max) == (0.0, 0.999)
    assert (adam["beta1"].min, adam["beta1"].max) == (0.0, 0.9999)
    assert (adam["eps"].min, adam["eps"].max) == (1e-12, 1e-3)


@pytest.mark.parametrize(
    ("name", "hyper", "field"),
    [
        ("sgd", {"momentum": 1.5}, "training.momentum"),
        ("sgd", {"momentum": -0.1}, "training.momentum"),
        ("sgd", {"nesterov": "yes"}, "training.nesterov"),
        ("sgd", {"nesterov": True, "dampening": 0.5}, "training.nesterov"),
        ("adam", {"beta2": 1.0}, "training.beta2"),
        ("adam", {"eps": 0.0}, "training.eps"),
        ("adam", {"momentum": 0.9}, "training.momentum"),  # adam takes no momentum
        ("rmsprop", {"alpha": float("nan")}, "training.alpha"),
    ],
)
def test_bad_hyperparameters_name_the_field(name: str, hyper: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as info:
        make_optimizer(name, [np.zeros(1)], 0.01, **hyper)
    assert info.value.field == field


def test_bad_learning_rate_and_unknown_optimizer() -> None:
    for lr in (-0.1, float("inf"), "fast"):
        with pytest.raises(ConfigError) as info:
            make_optimizer("sgd", [np.zeros(1)], lr)  # type: ignore[arg-type]
        assert info.value.field == "training.learning_rate"
    with pytest.raises(ValueError, match=r"^unknown optimizer 'lbfgs'; choose one of: sgd, rmsprop, adagrad"):
        make_optimizer("lbfgs", [np.zeros(1)], 0.01)
    with pytest.raises(ConfigError, match="adam takes: beta1, beta2, eps, amsgrad, weight_decay"):
        make_optimizer("adam", [np.zeros(1)], 0.01, betas=(0.9, 0.99))
