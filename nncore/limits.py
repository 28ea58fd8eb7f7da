"""The engine's hard limits: one table, from which the config's parameters, the API's schemas and the catalog
are built (`catalog()["limits"]` is `LIMITS`; app/ reads the same names).

Every limit is inclusive. The parameters below are the ranges that several places check: a grid side, a seed.
"""

from __future__ import annotations

from nncore.params import Param

LIMITS: dict[str, float] = {
    "hidden_layers": 8,  # hidden layers of a network
    "neurons": 64,  # units per hidden layer
    "points": 5000,  # points of a dataset or of the user's data, and points of one prediction
    "classes": 8,  # classes of a classification task: labels 0..7
    "epochs": 100_000,
    "learning_rate": 10.0,  # (0, 10]
    "batch_size": 5000,
    "penalty": 10.0,  # l1 and l2: [0, 10]
    "dropout": 0.9,
    "patience": 10_000,
    "test_fraction": 0.9,
    "noise": 0.5,  # a dataset's noise level
    "grid_min": 2,  # a grid side, output or neuron grid: 2..grid (two points span the extent)
    "grid": 200,
    "landscape_grid_min": 3,  # a loss landscape's grid side: 3..landscape_grid
    "landscape_grid": 101,
    "landscape_steps": 20_000,  # the most updates a landscape's path records
    "landscape_range": 1e6,  # a landscape's w1_range and w2_range lie within ±landscape_range
}

#: Every seed (the config's, the data's, a dataset's): any integer >= 0, as `numpy.random.default_rng` takes.
SEED = Param(0, 0, None, "int", doc="random seed")
#: The side G of the output grid (the frame's `grid.size`).
GRID = Param(100, LIMITS["grid_min"], LIMITS["grid"], "int", doc="resolution of the output heatmap")
#: The side g of each hidden neuron's grid (the frame's `grid.neuron_size`).
NEURON_GRID = Param(
    32, LIMITS["grid_min"], LIMITS["grid"], "int", doc="resolution of each neuron's thumbnail"
)
#: The side of a loss landscape's grid over (w1, w2).
LANDSCAPE_GRID = Param(
    41, LIMITS["landscape_grid_min"], LIMITS["landscape_grid"], "int", doc="grid points per axis"
)
