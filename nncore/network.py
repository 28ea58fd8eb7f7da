"""A network: a stack of layers from the input features to the output units.

`sizes = [n_in, h_1, …, h_k, n_out]`. Each hidden layer is Dense → (BatchNorm) → activation → (Dropout);
the output layer is Dense → output activation. `sizes = [n_in, n_out]` (no hidden layer) is a single-layer
network, the perceptron. `forward` returns the output activation's values and keeps the output layer's
pre-activation in `logits`; `backward` takes dL/dlogits (a loss that needs the output, such as bce, gives it
directly from the logits; otherwise `output_grad` turns dL/doutput into it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nncore.activations import get_activation
from nncore.initializers import initialize
from nncore.layers import ActivationLayer, BatchNorm, Dense, Dropout

Array = np.ndarray
Layer = Dense | ActivationLayer | Dropout | BatchNorm


class Network:
    """A multilayer perceptron with optional dropout and per-layer batch normalization."""

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "sigmoid",
        init: str = "xavier_uniform",
        dropout: float = 0.0,
        batch_norm: bool | Sequence[bool] = False,
        rng: np.random.Generator | None = None,
        dropout_rng: np.random.Generator | None = None,
    ) -> None:
        """Draw the weights by initializer `init` from `rng` (biases start at 0); masks from `dropout_rng`.

        `batch_norm` is one flag for every hidden layer or a list with one flag per hidden layer.
        """
        if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
            raise ValueError(f"a network needs at least input and output sizes >= 1, got {list(sizes)}")
        rng = rng if rng is not None else np.random.default_rng(0)
        hidden = len(sizes) - 2
        flags = [bool(batch_norm)] * hidden if isinstance(batch_norm, bool) else [bool(f) for f in batch_norm]
        if len(flags) != hidden:
            raise ValueError(f"batch_norm needs one flag per hidden layer ({hidden}), got {len(flags)}")
        self.sizes = [int(s) for s in sizes]
        self.activation = get_activation(activation)
        self.output = get_activation(output_activation, output=True)
        self.dense: list[Dense] = []
        self.dropouts: list[Dropout] = []
        self.batch_norms: list[BatchNorm] = []
        self.hidden_activations: list[ActivationLayer] = []
        self.layers: list[Layer] = []
        for k, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            dense = Dense(initialize(init, n_in, n_out, rng), np.zeros(n_out))
            self.dense.append(dense)
            self.layers.append(dense)
            if k == hidden:
                break
            if flags[k]:
                self.batch_norms.append(BatchNorm(n_out))
                self.layers.append(self.batch_norms[-1])
            self.hidden_activations.append(ActivationLayer(self.activation))
            self.layers.append(self.hidden_activations[-1])
            self.dropouts.append(Dropout(dropout, dropout_rng if dropout_rng is not None else rng))
            self.layers.append(self.dropouts[-1])
        self.params: list[Array] = [p for layer in self.layers for p in layer.params]
        self.grads: list[Array] = [g for layer in self.layers for g in layer.grads]
        self.weight_matrices: list[Array] = [d.W for d in self.dense]
        self.weight_grads: list[Array] = [d.grads[0] for d in self.dense]
        self.logits: Array = np.empty((0, self.sizes[-1]))
        self.y: Array = self.logits
        self.set_dropout(dropout)

    def forward(self, X: Array, training: bool = False) -> Array:
        """The output for X (n, n_in); `training` turns dropout on and batch norm to batch statistics."""
        self.y = self.output.f(self.forward_logits(X, training))
        return self.y

    def forward_logits(self, X: Array, training: bool = False) -> Array:
        """Only the output layer's pre-activation (what bce and cross_entropy need), kept in `logits`."""
        for layer in self._active:
            X = layer.forward(X, training)
        self.logits = X
        return X

    def output_grad(self, grad_y: Array) -> Array:
        """dL/dlogits from dL/doutput for the last forward pass (chain rule through the output activation)."""
        return self.output.backward(self.logits, self.y, grad_y)

    def backward(self, grad_logits: Array) -> None:
        """Backpropagate dL/dlogits through every layer of the last forward pass, filling `grads`."""
        g = grad_logits
        for layer in self._rest:
            g = layer.backward(g)
        self.dense[0].backward_params(g)

    def set_dropout(self, p: float) -> None:
        """Change the dropout probability of every hidden layer (live; 0 switches dropout off).

        Dropout layers with p = 0 are identities and are left out of the passes (they cost a call each).
        """
        for layer in self.dropouts:
            layer.p = p
        self._active = [layer for layer in self.layers if not (isinstance(layer, Dropout) and layer.p == 0.0)]
        self._rest = self._active[:0:-1]  # every active layer but the first, in backward order

    def weights(self) -> list[dict[str, Array]]:
        """Copies of every Dense layer's W (n_in, n_out) and b (n_out,), input layer first."""
        return [{"W": d.W.copy(), "b": d.b.copy()} for d in self.dense]

    def set_weights(self, weights: Sequence[dict[str, Any]]) -> None:
        """Overwrite the Dense weights in place from [{"W", "b"}, …] (nested lists or arrays, same shapes)."""
        if len(weights) != len(self.dense):
            raise ValueError(f"expected weights for {len(self.dense)} layers, got {len(weights)}")
        new = [(np.asarray(w["W"], dtype=np.float64), np.asarray(w["b"], dtype=np.float64)) for w in weights]
        for k, ((W, b), d) in enumerate(zip(new, self.dense, strict=True)):
            if W.shape != d.W.shape or b.shape != d.b.shape:
                raise ValueError(
                    f"layer {k} needs W {d.W.shape} and b {d.b.shape}, got W {W.shape} and b {b.shape}"
                )
        for (W, b), d in zip(new, self.dense, strict=True):
            d.W[...] = W
            d.b[...] = b

    def hidden_outputs(self, X: Array) -> list[Array]:
        """Each hidden layer's post-activation values (n, units) for X, in evaluation mode."""
        return self.evaluate(X)[1]

    def predict_logits(self, X: Array) -> Array:
        """The output layer's pre-activation in evaluation mode, caching nothing (keeps no big arrays)."""
        for layer in self._active:
            X = layer.predict(X)
        return X

    def evaluate(self, X: Array) -> tuple[Array, list[Array]]:
        """The output and every hidden layer's post-activation values for X in evaluation mode, in X's dtype.

        One pass that caches nothing (safe beside training; float32 inputs give fast float32 grids).
        """
        hidden = []
        for layer in self._active:
            X = layer.predict(X)
            if isinstance(layer, ActivationLayer):
                hidden.append(X)
        return self.output.f(X), hidden

    def state(self) -> list[Array]:
        """A copy of everything that defines the function: parameters and batch-norm running statistics."""
        stats = [s for bn in self.batch_norms for s in (bn.running_mean, bn.running_var)]
        return [a.copy() for a in self.params + stats]

    def load_state(self, state: list[Array]) -> None:
        """Restore a `state()` snapshot in place."""
        stats = [s for bn in self.batch_norms for s in (bn.running_mean, bn.running_var)]
        for target, saved in zip(self.params + stats, state, strict=True):
            target[...] = saved
