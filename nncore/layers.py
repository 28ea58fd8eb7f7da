"""Layers: the building blocks a `Network` stacks.

The layer contract: `forward(X, training) -> Y` takes a batch `X` (n, features) and caches what backward
needs; `backward(grad) -> grad_input` takes dL/dY and returns dL/dX, filling `.grads` so that `grads[k]` is
dL/d`params[k]`.
Parameters and gradients are float64 arrays updated **in place** (an optimizer keeps references to them), so
replacing weights means writing into them (`W[...] = new`), never rebinding the attribute.
"""

from __future__ import annotations

import numpy as np

from nncore.activations import Activation

Array = np.ndarray


class Dense:
    """A fully connected layer: Y = X @ W + b with W (n_in, n_out) and b (n_out,)."""

    def __init__(self, W: Array, b: Array) -> None:
        self.W = np.array(W, dtype=np.float64, order="C")
        self.b = np.array(b, dtype=np.float64)
        if self.W.ndim != 2 or self.b.shape != (self.W.shape[1],):
            shapes = f"{self.W.shape} and {self.b.shape}"
            raise ValueError(f"Dense needs W (n_in, n_out) and b (n_out,), got {shapes}")
        self.params: list[Array] = [self.W, self.b]
        self.grads: list[Array] = [np.zeros_like(self.W), np.zeros_like(self.b)]
        self.X: Array = np.empty((0, self.W.shape[0]))

    def forward(self, X: Array, training: bool = False) -> Array:
        """Y = X @ W + b (caches X for the weight gradient)."""
        self.X = X
        Y = X @ self.W
        Y += self.b
        return Y

    def predict(self, X: Array) -> Array:
        """Y = X @ W + b in X's dtype, caching nothing (evaluation only, e.g. float32 grids)."""
        Y = X @ self.W.astype(X.dtype, copy=False)
        Y += self.b.astype(X.dtype, copy=False)
        return Y

    def backward_params(self, grad: Array) -> None:
        """Fill the gradients only (the first layer needs no dL/dX): dL/dW = Xᵀ·G, dL/db = Σ_rows G."""
        np.dot(self.X.T, grad, out=self.grads[0])
        np.add.reduce(grad, axis=0, out=self.grads[1])

    def backward(self, grad: Array) -> Array:
        """Chain rule for Y = XW + b with G = dL/dY:  dL/dW = Xᵀ·G,  dL/db = Σ_rows G,  dL/dX = G·Wᵀ."""
        self.backward_params(grad)
        return grad @ self.W.T


class ActivationLayer:
    """Applies an activation: Y = f(A). No parameters."""

    def __init__(self, activation: Activation) -> None:
        self.activation = activation
        self.params: list[Array] = []
        self.grads: list[Array] = []
        self.A: Array = np.empty((0, 0))
        self.Y: Array = np.empty((0, 0))

    def forward(self, X: Array, training: bool = False) -> Array:
        """Y = f(X), caching X and Y (several derivatives are cheapest from Y, e.g. tanh′ = 1 − Y²)."""
        self.A = X
        self.Y = self.activation.f(X)
        return self.Y

    def predict(self, X: Array) -> Array:
        """f(X), caching nothing."""
        return self.activation.f(X)

    def backward(self, grad: Array) -> Array:
        """dL/dA = dL/dY ⊙ f′(A) (softmax: the Jacobian-vector product, see `Activation.backward`)."""
        return self.activation.backward(self.A, self.Y, grad)


class Dropout:
    """Inverted dropout: while training, each unit is kept with probability 1 − p and scaled by 1/(1 − p).

    In evaluation (or with p = 0) it is the identity, so no rescaling is needed at test time. The mask comes
    from the trainer's `numpy.random.Generator`; `fixed_mask` (a 0/1 keep-mask of the batch's shape) replaces
    the random draw, which makes the layer deterministic for gradient checks.
    """

    def __init__(self, p: float, rng: np.random.Generator) -> None:
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = p
        self.rng = rng
        self.fixed_mask: Array | None = None
        self.params: list[Array] = []
        self.grads: list[Array] = []
        self.mask: Array | None = None

    def forward(self, X: Array, training: bool = False) -> Array:
        """Y = X ⊙ M with M = keep/(1 − p), keep ~ Bernoulli(1 − p) per element; Y = X when not training."""
        if not training or self.p == 0.0:
            self.mask = None
            return X
        keep = self.fixed_mask if self.fixed_mask is not None else self.rng.random(X.shape) >= self.p
        self.mask = keep * (1.0 / (1.0 - self.p))
        return X * self.mask

    def predict(self, X: Array) -> Array:
        """The identity (dropout is off in evaluation)."""
        return X

    def backward(self, grad: Array) -> Array:
        """Y = X ⊙ M  ⇒  dL/dX = dL/dY ⊙ M (the identity when the forward pass did not drop)."""
        return grad if self.mask is None else grad * self.mask


class BatchNorm:
    """Batch normalization per feature, as torch.nn.BatchNorm1d (momentum 0.1, eps 1e-5, affine).

    Training: x̂ = (x − μ_B)/√(σ²_B + ε) with the batch mean μ_B and biased variance σ²_B, y = γ·x̂ + β; the
    running statistics move as r ← (1 − m)·r + m·stat, the running variance taking the unbiased σ²_B·n/(n − 1)
    (a batch of one sample leaves them unchanged). Evaluation normalizes with the running statistics instead.
    """

    def __init__(self, units: int, momentum: float = 0.1, eps: float = 1e-5) -> None:
        self.momentum = momentum
        self.eps = eps
        self.gamma = np.ones(units)
        self.beta = np.zeros(units)
        self.running_mean = np.zeros(units)
        self.running_var = np.ones(units)
        self.params: list[Array] = [self.gamma, self.beta]
        self.grads: list[Array] = [np.zeros(units), np.zeros(units)]
        self.xhat: Array = np.empty((0, units))
        self.inv_std: Array = np.ones(units)
        self.training = False

    def forward(self, X: Array, training: bool = False) -> Array:
        """y = γ·(x − μ)/√(σ² + ε) + β with batch statistics when training, running statistics otherwise."""
        self.training = training
        n = X.shape[0]
        if training:
            mean = X.mean(axis=0)
            centred = X - mean
            var = np.mean(centred * centred, axis=0)
            self.inv_std = 1.0 / np.sqrt(var + self.eps)
            if n > 1:
                m = self.momentum
                self.running_mean *= 1.0 - m
                self.running_mean += m * mean
                self.running_var *= 1.0 - m
                self.running_var += (m * n / (n - 1)) * var
        else:
            centred = X - self.running_mean
            self.inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
        self.xhat = centred * self.inv_std
        return self.xhat * self.gamma + self.beta

    def predict(self, X: Array) -> Array:
        """Evaluation-mode normalization with the running statistics, in X's dtype, caching nothing."""
        scale = self.gamma / np.sqrt(self.running_var + self.eps)
        shift = self.beta - self.running_mean * scale
        return X * scale.astype(X.dtype) + shift.astype(X.dtype)

    def backward(self, grad: Array) -> Array:
        """With G = dL/dy:  dL/dγ = Σ G⊙x̂,  dL/dβ = Σ G,  and, since μ and σ² depend on the whole batch,
        dL/dx = (1/n)·γ/√(σ²+ε) · (n·G − Σ G − x̂ ⊙ Σ G⊙x̂)  (sums over the batch);  in evaluation μ and σ² are
        constants and dL/dx = G·γ/√(σ²+ε).
        """
        g_xhat = np.sum(grad * self.xhat, axis=0)
        g_sum = np.sum(grad, axis=0)
        self.grads[0][...] = g_xhat
        self.grads[1][...] = g_sum
        scale = self.gamma * self.inv_std
        if not self.training:
            return grad * scale
        n = grad.shape[0]
        return (scale / n) * (n * grad - g_sum - self.xhat * g_xhat)
