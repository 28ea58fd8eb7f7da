"""Engine benchmark: nncore against a hand-written NumPy loop and PyTorch (`make bench`, not the tests).

Two cases, each trained with plain SGD on the same data by three implementations doing the same work —
shuffled mini-batches, forward, backward, update, and after every epoch the loss and accuracy over the train
and test splits:

- playground: spiral, 500 points (250 train / 250 test), 2-8-8-1 tanh, sigmoid + bce, batch 10;
- large: 3-arm spiral, 5000 points (2500 / 2500), 2-64-64-64-3 tanh, softmax + cross-entropy, batch 512.

Every implementation runs in float64 (PyTorch also in float32, for information). Figures are mini-batch steps
per second of process CPU time (robust to other processes on a shared machine), best of several repeats taken
in turns, printed side by side with ratios. Then the cost of a frame with the
100×100 output grid and all 32×32 neuron grids is compared with one playground epoch.

BLAS threads: one by default (`--threads N` to change), for NumPy's OpenBLAS and for PyTorch alike. On this
2-CPU machine a second BLAS thread makes small matrix products up to 10× slower whenever the other CPU is
busy, and the server trains several sessions in parallel threads anyway; the app should run with one BLAS
thread too.

Usage: python bench/engine.py [--quick] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import sys

if __name__ == "__main__":  # BLAS reads its thread count when NumPy is first imported
    _threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _threads

import itertools
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from nncore import Trainer

PLAYGROUND: dict[str, Any] = {
    "data": {"dataset": "spiral", "n": 500, "noise": 0.1, "test_fraction": 0.5},
    "network": {"hidden": [8, 8], "activation": "tanh", "output_activation": "sigmoid"},
    "training": {"optimizer": "sgd", "learning_rate": 0.03, "batch_size": 10, "loss": "bce"},
}
LARGE: dict[str, Any] = {
    "data": {"dataset": "spiral_k", "k": 3, "n": 5000, "noise": 0.1, "test_fraction": 0.5},
    "network": {"hidden": [64, 64, 64], "activation": "tanh", "output_activation": "softmax"},
    "training": {"optimizer": "sgd", "learning_rate": 0.1, "batch_size": 512, "loss": "cross_entropy"},
}


Run = Callable[[], tuple[int, float]]  # one timed training run: (steps, seconds), set-up not timed


def best_rates(runs: dict[str, Run], repeats: int) -> dict[str, float]:
    """Steps per second of each run, best of `repeats`, taken in turns so that a busy moment on the machine
    hits every implementation alike."""
    best = dict.fromkeys(runs, 0.0)
    for _ in range(repeats):
        for name, run in runs.items():
            steps, seconds = run()
            best[name] = max(best[name], steps / seconds)
    return best


def nncore_run(config: dict[str, Any], epochs: int) -> Run:
    def run() -> tuple[int, float]:
        trainer = Trainer({**config, "training": {**config["training"], "epochs": epochs}})
        start = time.process_time()
        trainer.run_epochs(epochs)
        return trainer.step_count, time.process_time() - start

    return run


def problem(config: dict[str, Any]) -> tuple[np.ndarray, ...]:
    """The trainer's own arrays, so every implementation sees the same features and targets."""
    t = Trainer(config)
    return t.X, t.T, t.X_all, t.T_all, t.y_all


def numpy_run(config: dict[str, Any], epochs: int) -> Run:
    """The baseline: a minimal hand-written NumPy MLP loop (tanh hidden layers, sigmoid/bce or softmax/CE)."""
    X, T, X_all, T_all, y_all = problem(config)
    sizes = [X.shape[1], *config["network"]["hidden"], T.shape[1]]
    lr, bs, n = config["training"]["learning_rate"], config["training"]["batch_size"], len(X)
    softmax = T.shape[1] > 1

    def forward(x: np.ndarray, Ws: list[np.ndarray], bs_: list[np.ndarray]) -> list[np.ndarray]:
        hs = [x]
        for W, b in zip(Ws[:-1], bs_[:-1], strict=True):
            hs.append(np.tanh(hs[-1] @ W + b))
        hs.append(hs[-1] @ Ws[-1] + bs_[-1])
        return hs

    def run() -> tuple[int, float]:
        rng = np.random.default_rng(0)
        Ws = [rng.uniform(-1, 1, (a, b)) * np.sqrt(6 / (a + b)) for a, b in itertools.pairwise(sizes)]
        bs_ = [np.zeros(b) for b in sizes[1:]]
        steps, start = 0, time.process_time()
        for _ in range(epochs):
            order = rng.permutation(n)
            Xs, Ts = X[order], T[order]
            for s in range(0, n, bs):
                hs = forward(Xs[s : s + bs], Ws, bs_)
                z, t = hs[-1], Ts[s : s + bs]
                if softmax:
                    e = np.exp(z - z.max(axis=1, keepdims=True))
                    g = (e / e.sum(axis=1, keepdims=True) - t) / len(z)
                else:
                    g = (1 / (1 + np.exp(-z)) - t) / z.size
                for k in range(len(Ws) - 1, -1, -1):
                    gW, gb = hs[k].T @ g, g.sum(axis=0)
                    if k:
                        g = (g @ Ws[k].T) * (1 - hs[k] * hs[k])
                    Ws[k] -= lr * gW
                    bs_[k] -= lr * gb
                steps += 1
            z = forward(X_all, Ws, bs_)[-1]  # the epoch's metrics over both splits
            for part in (slice(0, n), slice(n, None)):
                zp, tp = z[part], T_all[part]
                if softmax:
                    m = zp.max(axis=1, keepdims=True)
                    lse = m[:, 0] + np.log(np.exp(zp - m).sum(axis=1))
                    float(np.mean(lse - np.sum(tp * zp, axis=1)))
                    float(np.mean(np.argmax(zp, axis=1) == y_all[part]))
                else:
                    float(np.mean(np.maximum(zp, 0) - zp * tp + np.log1p(np.exp(-np.abs(zp)))))
                    float(np.mean((zp[:, 0] > 0) == y_all[part]))
        return steps, time.process_time() - start

    return run


def torch_run(config: dict[str, Any], epochs: int, dtype: Any) -> Run:
    import torch

    X, T, X_all, T_all, y_all = (torch.tensor(a) for a in problem(config))
    X, T, X_all, T_all = (a.to(dtype) for a in (X, T, X_all, T_all))
    sizes = [X.shape[1], *config["network"]["hidden"], T.shape[1]]
    lr, bs, n = config["training"]["learning_rate"], config["training"]["batch_size"], len(X)
    softmax = T.shape[1] > 1
    loss_fn = torch.nn.CrossEntropyLoss() if softmax else torch.nn.BCEWithLogitsLoss()
    target, target_all = (T.argmax(1), T_all.argmax(1)) if softmax else (T, T_all)

    def run() -> tuple[int, float]:
        torch.manual_seed(0)
        layers: list[torch.nn.Module] = []
        for a, b in itertools.pairwise(sizes[:-1]):
            layers += [torch.nn.Linear(a, b), torch.nn.Tanh()]
        model = torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-2], sizes[-1])).to(dtype)
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        steps, start = 0, time.process_time()
        for _ in range(epochs):
            order = torch.randperm(n)
            Xs, Ts = X[order], target[order]
            for s in range(0, n, bs):
                opt.zero_grad()
                loss_fn(model(Xs[s : s + bs]), Ts[s : s + bs]).backward()
                opt.step()
                steps += 1
            with torch.no_grad():
                z = model(X_all)
                for part in (slice(0, n), slice(n, None)):
                    float(loss_fn(z[part], target_all[part]))
                    pred = z[part].argmax(1) if softmax else (z[part][:, 0] > 0).long()
                    float((pred == y_all[part]).double().mean())
        return steps, time.process_time() - start

    return run


def frame_cost(repeats: int) -> tuple[float, float]:
    """Seconds for one playground epoch and for a frame with the 100×100 grid and all 32×32 neuron grids."""
    trainer = Trainer({**PLAYGROUND, "training": {**PLAYGROUND["training"], "epochs": 100_000}})
    trainer.run_epochs(5)
    epoch, frame = [], []
    for _ in range(repeats):
        start = time.process_time()
        trainer.run_epochs(1)
        epoch.append(time.process_time() - start)
        start = time.process_time()
        trainer.frame(grid=100, neuron_grid=32)
        frame.append(time.process_time() - start)
    return float(np.median(epoch)), float(np.median(frame))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs and repeats")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for NumPy and PyTorch")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, Python "
        f"{platform.python_version()}, NumPy {np.__version__}, BLAS threads {args.threads}"
    )
    try:
        import torch

        torch.set_num_threads(args.threads)
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    except ImportError:
        torch = None  # type: ignore[assignment]
        print("PyTorch not importable: its columns are skipped")
    print(f"\n{'case':<11} {'nncore':>10} {'numpy loop':>11} {'torch f64':>10} {'torch f32':>10}  ratios")
    for name, config, epochs in (
        ("playground", PLAYGROUND, 20 if args.quick else 60),
        ("large", LARGE, 5 if args.quick else 15),
    ):
        runs = {"nncore": nncore_run(config, epochs), "numpy": numpy_run(config, epochs)}
        if torch is not None:
            runs["torch64"] = torch_run(config, epochs, torch.float64)
            runs["torch32"] = torch_run(config, epochs, torch.float32)
        rates = best_rates(runs, repeats)
        ratios = f"nncore/numpy {rates['nncore'] / rates['numpy']:.2f}"
        if torch is not None:
            ratios += f", nncore/torch64 {rates['nncore'] / rates['torch64']:.2f}"
            ratios += f", nncore/torch32 {rates['nncore'] / rates['torch32']:.2f}"
        cols = " ".join(
            f"{rates.get(k, float('nan')):>10.0f}" for k in ("nncore", "numpy", "torch64", "torch32")
        )
        print(f"{name:<11} {cols}   {ratios}   (steps/s)")
    epoch, frame = frame_cost(10 if args.quick else 40)
    print(
        f"\nplayground epoch {epoch * 1e3:.2f} ms; frame with 100×100 grid + 32×32 neuron grids "
        f"{frame * 1e3:.2f} ms = {frame / epoch:.2f} epochs"
    )


if __name__ == "__main__":
    main()
