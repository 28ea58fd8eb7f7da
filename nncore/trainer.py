"""The trainer: turns a config into data, a network and a learning rule, and advances it step by step.

`step()` applies one update: a mini-batch of backprop (loss + l1/l2 penalty, then the optimizer), or one
sample of a classic rule. After an epoch's last update the epoch's metrics are measured over the whole train
and test splits in evaluation mode (no dropout, running batch-norm statistics) and appended to `history`; the
reported loss is the data loss, without the penalty. Training ends (`done`) with an event:

- `finished`: `training.epochs` epochs completed (never when `epochs` is null: a live session trains until it
  is paused);
- `diverged`: the loss or a weight became NaN/inf; the weights of the last finite epoch are restored;
- `early_stopped`: the test loss (the train loss without a test split) did not improve for `training.patience`
  epochs; the weights of the best epoch are restored and the metrics re-measured for them;
- `converged`: a perceptron-style rule had an epoch without mistakes;
- `unbounded`: a Hebbian rule's weights ran away (past a norm, or by the same step epoch after epoch).

Randomness comes from three generators spawned from `seed` (initial weights, shuffling, dropout masks), so the
same config trains bit for bit the same. The engine never raises out of `step` for numerical trouble.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nncore.config import validate_config
from nncore.data import load_data
from nncore.errors import ShouldStop, check_stop
from nncore.features import transform
from nncore.frames import make_frame
from nncore.live import LiveChanges
from nncore.losses import get_loss
from nncore.network import Network
from nncore.optimizers import OPTIMIZERS, make_optimizer
from nncore.regularizers import add_penalty_grads
from nncore.rules import RULES, STEADY_EPOCHS, Update, runaway, steady_growth
from nncore.targets import decode_classes, encode_targets, target_levels

METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "mistakes")


def epoch_updates(n_train: int, batch_size: int, classic: bool, batch_norm: bool) -> int:
    """Updates in one epoch: samples (classic rules) or mini-batches (backprop).

    With batch norm a trailing batch of one sample joins the batch before it (it would learn nothing alone).
    """
    if classic:
        return n_train
    batches = math.ceil(n_train / batch_size)
    merged = batch_norm and batches > 1 and n_train % batch_size == 1  # batch_size ≥ 2 here
    return batches - 1 if merged else batches


class Trainer(LiveChanges):
    """Stepwise training of one config; see docs/architecture.md for the API."""

    def __init__(self, config: Mapping[str, Any] | None) -> None:
        self.config = validate_config(config)
        c, net, tr = self.config, self.config["network"], self.config["training"]
        self.rule = RULES[tr["rule"]]
        self.classic = self.rule.online
        if self.rule.update is not None:
            self._rule_update: Update = self.rule.update
        init_rng, self._shuffle_rng, drop_rng = (
            np.random.default_rng(s) for s in np.random.SeedSequence(c["seed"]).spawn(3)
        )
        self.data = load_data(c["data"])
        self.extent = self.data.extent
        units = self.data.classes if net["output_activation"] == "softmax" and self.data.classes else 1
        sizes = [len(c["features"]), *net["hidden"], units]
        layers = {k: net[k] for k in ("activation", "output_activation", "init", "dropout", "batch_norm")}
        self.network = Network(sizes, **layers, rng=init_rng, dropout_rng=drop_rng)
        if net["weights"] is not None:
            self.network.set_weights(net["weights"])
        self.loss = get_loss(tr["loss"])
        if self.classic:
            self.levels = self.rule.levels
        else:
            self.levels = target_levels(net["output_activation"], tr["loss"])
            hyper = {k: tr[k] for k in OPTIMIZERS[tr["optimizer"]].hyper}
            self.optimizer = make_optimizer(
                tr["optimizer"], self.network.params, tr["learning_rate"], **hyper
            )
        self.epoch = 0
        self.step_count = 0
        self.done = False
        self.events: list[dict[str, Any]] = []
        self.history: dict[str, list[Any]] = {key: [] for key in METRICS}
        self.last_update: dict[str, Any] | None = None
        self._stop: str | None = None
        self._best: tuple[float, int, list[np.ndarray]] | None = None
        self._good = self.network.state()
        self._growth: list[np.ndarray] = []  # an unbounded rule's change of (w, b) in each recent epoch
        self._epoch_start = np.zeros(0)  # (w, b) when the current epoch began (unbounded rules)
        self._arrays()

    # ---- data ----------------------------------------------------------------------------------------------

    def _arrays(self) -> None:
        """Features and targets of both splits; the next step starts a fresh pass over the training data."""
        d, names, units = self.data, self.config["features"], self.network.sizes[-1]
        self.X = transform(d.X_train, names)
        self.X_all = np.vstack([self.X, transform(d.X_test, names)])
        self.n_train, self.n_test = len(d.y_train), len(d.y_test)
        y_all = np.concatenate([d.y_train, d.y_test])
        if self.classic and not self.rule.supervised and d.task == "classification" and d.classes != 2:
            self.T_all = np.zeros((len(y_all), 1))  # an unsupervised rule ignores labels it could not encode
        else:
            self.T_all = encode_targets(y_all, d.task, units, self.levels)
        self.T = self.T_all[: self.n_train]
        self.y_all = y_all
        self.classify = d.task == "classification" and (units > 1 or d.classes == 2)
        self._pos = 0
        self._mistakes = 0
        self.metrics = self._measure()

    # ---- training ------------------------------------------------------------------------------------------

    @property
    def updates_per_epoch(self) -> int:
        """Samples (classic rules) or mini-batches (backprop) in one epoch (see `epoch_updates`)."""
        size = self.config["training"]["batch_size"]
        return epoch_updates(self.n_train, size, self.classic, bool(self.network.batch_norms))

    def step(self) -> None:
        """One update (a mini-batch, or one sample for a classic rule); ends the epoch after its last one."""
        if self.done:
            return
        with np.errstate(all="ignore"):
            self._step()

    def run_epochs(self, k: int = 1, should_stop: ShouldStop | None = None) -> None:
        """k whole epochs (finishing the current one first counts as one); stops early when done.

        `should_stop` is asked before every update; when it answers True, `Stopped` is raised
        (nncore/errors.py).
        """
        with np.errstate(all="ignore"):
            target = self.epoch + k
            while not self.done and self.epoch < target:
                check_stop(should_stop)
                self._step()

    def resume(self, epoch: int, step: int) -> None:
        """Count this run as having trained `epoch` epochs and `step` updates already: a live session that
        continues a run from its weights (the config's `network.weights`) after a reconnect. Optimizer state
        and the history start afresh; a run past its `epochs` ends at once as `finished`."""
        self.epoch, self.step_count = epoch, step
        epochs = self.config["training"]["epochs"]
        if epochs is not None and epoch >= epochs and not self.done:
            self._event("finished", f"trained {epoch} epochs")

    def _step(self) -> None:
        if self._pos == 0:
            if self.rule.unbounded:
                self._epoch_start = self._neuron()
            if self.config["training"]["shuffle"]:
                self._order = self._shuffle_rng.permutation(self.n_train)
                self._Xe, self._Te = self.X[self._order], self.T[self._order]
            else:
                self._order, self._Xe, self._Te = np.arange(self.n_train), self.X, self.T
        if self.classic:
            self._classic_step()
        else:
            self._gradient_step()
        self.step_count += 1
        if not self.done and self._pos >= self.n_train:  # a classic rule can stop mid-epoch
            self._end_epoch()

    def _classic_step(self) -> None:
        """One sample through the rule: it changes W and b in place and reports what it did."""
        i, lr = int(self._order[self._pos]), self.config["training"]["learning_rate"]
        dense = self.network.dense[0]
        record = self._rule_update(dense.W, dense.b, self.X[i], float(self.T[i, 0]), lr)
        self._mistakes += bool(record.pop("mistake"))
        self.last_update = {"rule": self.rule.name, "index": i, **record, "learning_rate": lr}
        self._pos += 1
        self._stop_if_runaway()

    def _neuron(self) -> np.ndarray:
        """A classic rule's single neuron as one vector (w, b)."""
        dense = self.network.dense[0]
        return np.r_[dense.W[:, 0], dense.b]

    def _stop_if_runaway(self) -> None:
        """Check after every sample, not at the epoch's end, so that no frame carries runaway weights."""
        dense = self.network.dense[0]
        if self.rule.unbounded and (message := runaway(dense.W, dense.b)):
            self._remeasure()
            self._event("unbounded", message)
        elif not math.isfinite(float(dense.W.sum()) + float(dense.b.sum())):  # inf or NaN anywhere
            self.network.load_state(self._good)
            self._remeasure()
            self._event(
                "diverged",
                f"training diverged in epoch {self.epoch + 1} (a weight became infinite); "
                f"showing the weights of epoch {self.epoch}",
            )

    def _gradient_step(self) -> None:
        """One mini-batch: forward (training mode), dL/dlogits, backward, penalty gradients, update."""
        tr, net = self.config["training"], self.network
        end = self._pos + tr["batch_size"]
        if net.batch_norms and self.n_train - end == 1:  # batch norm learns nothing from a batch of one
            end += 1
        Xb, Tb = self._Xe[self._pos : end], self._Te[self._pos : end]
        if self.loss.requires_output:
            net.backward(self.loss.grad(net.forward_logits(Xb, True), Tb))
        else:
            net.backward(net.output_grad(self.loss.grad(net.forward(Xb, True), Tb)))
        if tr["l1"] or tr["l2"]:
            add_penalty_grads(net.weight_matrices, net.weight_grads, tr["l1"], tr["l2"])
        self.optimizer.step(net.grads)
        self._pos = end

    def _end_epoch(self) -> None:
        self.epoch += 1
        self._pos = 0
        self.metrics = m = self._measure()
        if self.classic and self.classify:
            m["mistakes"] = self._mistakes
        for key in METRICS:
            self.history[key].append(m[key])
        tr = self.config["training"]
        finite = m["train_loss"] is not None and all(np.isfinite(p).all() for p in self.network.params)
        if not finite:
            self.network.load_state(self._good)
            self._remeasure()
            self._event(
                "diverged",
                f"training diverged in epoch {self.epoch} (the loss or a weight became NaN or "
                f"infinite); showing the weights of epoch {self.epoch - 1}",
            )
            return
        self._good = self.network.state()
        if self.classic:
            if self.rule.unbounded and self._grows_steadily():
                return
            if self.rule.stops_when_error_free and self._mistakes == 0:
                self._event("converged", f"an epoch without mistakes: the {self.rule.name} rule converged")
                return
            self._mistakes = 0
        if tr["patience"] and self._early_stop(tr["patience"]):
            return
        if tr["epochs"] is not None and self.epoch >= tr["epochs"]:
            self._event("finished", f"trained {self.epoch} epochs")

    def _grows_steadily(self) -> bool:
        """An `unbounded` event when the weights grew by the same step in each of the last epochs."""
        self._growth = [*self._growth, self._neuron() - self._epoch_start][-STEADY_EPOCHS:]
        message = steady_growth(self._growth, self._neuron())
        if message:
            self._event("unbounded", message)
        return message is not None

    def _early_stop(self, patience: int) -> bool:
        key = "test_loss" if self.n_test else "train_loss"
        value = self.metrics[key]
        if value is not None and (self._best is None or value < self._best[0]):
            self._best = (value, self.epoch, self.network.state())
            return False
        if self._best is None or self.epoch - self._best[1] < patience:  # a None loss is no improvement
            return False
        best, best_epoch, state = self._best
        self.network.load_state(state)
        self._remeasure()
        self._event(
            "early_stopped",
            f"no better {key.replace('_', ' ')} for {patience} epochs: stopped after "
            f"epoch {self.epoch}, restored the weights of epoch {best_epoch} ({key} {best:.4g})",
        )
        return True

    def _event(self, kind: str, message: str) -> None:
        self.done = True
        self._stop = kind
        self.events.append({"type": kind, "epoch": self.epoch, "message": message})

    def _remeasure(self) -> None:
        """Measure the metrics again after the weights changed outside an epoch's end (mistakes are kept)."""
        self.metrics = {**self._measure(), "mistakes": self.metrics.get("mistakes")}

    def _measure(self) -> dict[str, Any]:
        """Loss and accuracy of both splits in evaluation mode (None where undefined or not finite)."""
        with np.errstate(all="ignore"):
            logits = self.network.predict_logits(self.X_all)
            out = self.network.output.f(logits)
            z = logits if self.loss.requires_output else out
            n = self.n_train
            m: dict[str, Any] = dict.fromkeys(METRICS)
            for name, part in (("train", slice(0, n)), ("test", slice(n, None))):
                if len(self.y_all[part]):
                    loss = self.loss.value(z[part], self.T_all[part])
                    m[f"{name}_loss"] = loss if np.isfinite(loss) else None
                    if self.classify:
                        hits = decode_classes(out[part], self.levels) == self.y_all[part]
                        m[f"{name}_accuracy"] = float(np.mean(hits))
        return m

    # ---- output --------------------------------------------------------------------------------------------

    def frame(self, grid: int | None = None, neuron_grid: int | None = None) -> dict[str, Any]:
        """The current frame (see nncore.frames)."""
        return make_frame(self, grid, neuron_grid)

    def result(self) -> dict[str, Any]:
        """What `nncore.train` returns: weights as lists, history, events, normalized config, epoch, step."""
        weights = [{"W": w["W"].tolist(), "b": w["b"].tolist()} for w in self.network.weights()]
        return {
            "weights": weights,
            "history": {k: list(v) for k, v in self.history.items()},
            "events": list(self.events),
            "config": self.config,
            "epoch": self.epoch,
            "step": self.step_count,
        }
