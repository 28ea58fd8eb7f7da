"""One table of limits: every check that names a limit reads it from nncore/limits.py, so they agree."""

from __future__ import annotations

import pytest

from nncore import LIMITS, ConfigError, Trainer, catalog, validate_config
from nncore.datasets import make_dataset
from nncore.landscape import loss_landscape
from nncore.limits import GRID, LANDSCAPE_GRID, NEURON_GRID


def test_the_catalog_publishes_the_table() -> None:
    assert catalog()["limits"] == LIMITS
    view = catalog()["fields"]["view"]
    assert (view["grid"]["min"], view["grid"]["max"]) == (LIMITS["grid_min"], LIMITS["grid"])
    assert (view["neuron_grid"]["min"], view["neuron_grid"]["max"]) == (LIMITS["grid_min"], LIMITS["grid"])


@pytest.mark.parametrize("key", ["grid", "neuron_grid"])
def test_a_grid_side_is_the_same_range_in_a_config_and_in_a_frame(key: str) -> None:
    smallest, largest = int(LIMITS["grid_min"]), int(LIMITS["grid"])
    assert validate_config({"view": {key: smallest}})["view"][key] == smallest
    for bad in (smallest - 1, largest + 1):
        with pytest.raises(ConfigError) as info:
            validate_config({"view": {key: bad}})
        assert info.value.field == f"view.{key}"
    trainer = Trainer({"network": {"hidden": [2]}, "data": {"dataset": "xor"}})
    frame = trainer.frame(grid=smallest, neuron_grid=smallest)["grid"]
    assert frame["output"].shape == (smallest, smallest) and frame["layers"][0].shape == (
        2,
        smallest,
        smallest,
    )
    assert (GRID.default, NEURON_GRID.default) == (100, 32)  # the page's and a live session's defaults


def test_the_landscape_grid_is_3_to_101() -> None:
    neuron = {"data": {"dataset": "and"}, "network": {"hidden": []}, "training": {"epochs": 2}}
    assert (LANDSCAPE_GRID.min, LANDSCAPE_GRID.max) == (
        LIMITS["landscape_grid_min"],
        LIMITS["landscape_grid"],
    )
    assert len(loss_landscape(neuron, grid=int(LIMITS["landscape_grid"]))["w1"]) == LIMITS["landscape_grid"]
    with pytest.raises(ConfigError) as info:
        loss_landscape(neuron, grid=int(LIMITS["landscape_grid"]) + 1)
    assert info.value.field == "grid" and "[3, 101]" in str(info.value)


def test_every_seed_is_any_integer_from_zero() -> None:
    big = 2**40
    config = validate_config({"seed": big, "data": {"dataset": "spiral", "seed": big}})
    assert config["seed"] == config["data"]["seed"] == big
    assert validate_config({"data": {"points": [[0, 0], [1, 1]], "labels": [0, 1], "seed": big}})
    assert make_dataset("spiral", seed=big)[0].shape == (200, 2)
    for raw in ({"seed": -1}, {"data": {"dataset": "spiral", "seed": -1}}):
        with pytest.raises(ConfigError):
            validate_config(raw)
