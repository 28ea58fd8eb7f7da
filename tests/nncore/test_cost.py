"""The cost model: the documented formula per layer and per sample, the updates the trainer really makes, the
evaluation of both splits, and budgets refused with the field to change."""

from __future__ import annotations

import math

import pytest

from nncore import LIMITS, ConfigError, Trainer, cost, validate_config
from nncore.cost import Shape, epoch_work, evaluation_work, landscape_work, train_work, update_work

SPIRAL = {"data": {"dataset": "spiral", "n": 200}, "network": {"hidden": [8, 8]}, "training": {"epochs": 3}}


def test_one_epoch_is_its_updates_and_the_evaluation_of_both_splits() -> None:
    config = validate_config(SPIRAL)  # 100 train and 100 test points, 2-8-8-1, batch 10
    weights, units = 3 * 8 + 9 * 8 + 9 * 1, 8 + 8 + 1
    per_sample = cost.UNIT * units + cost.WEIGHT * weights
    overhead = cost.STEP + 2 * cost.LAYER + cost.PARAMETER * weights
    assert update_work(config) == overhead + 10 * per_sample
    evaluation = (
        cost.EVALUATION
        + 2 * cost.EVALUATION_LAYER
        + 200 * (cost.EVALUATION_POINT + cost.EVALUATION_UNIT * units)
    )
    assert evaluation_work(config) == evaluation
    assert epoch_work(config) == 10 * overhead + 100 * per_sample + evaluation
    assert train_work(config).total == 3 * epoch_work(config)


def test_depth_batch_norm_dropout_and_the_test_split_each_cost() -> None:
    base = validate_config(SPIRAL)
    deeper = validate_config({**SPIRAL, "network": {"hidden": [2, 2, 2, 2, 2, 2, 2, 2]}})
    assert Shape.of(deeper).weights < Shape.of(base).weights and update_work(deeper) > update_work(base)
    for network in ({"hidden": [8, 8], "batch_norm": True}, {"hidden": [8, 8], "dropout": 0.5}):
        assert update_work(validate_config({**SPIRAL, "network": network})) > update_work(base)
    data = {"dataset": "spiral", "n": 400, "test_fraction": 0.75}  # the same 100 training points
    more_tests = validate_config({**SPIRAL, "data": data})
    assert update_work(more_tests) == update_work(base) and epoch_work(more_tests) > epoch_work(base)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"training": {"batch_size": 7}},
        {"training": {"batch_size": 3}, "network": {"hidden": [4], "batch_norm": True}},  # 100 % 3 == 1
        {"training": {"batch_size": 500}},
        {"training": {"rule": "perceptron"}, "network": {"hidden": []}, "data": {"dataset": "gauss"}},
    ],
)
def test_the_model_counts_the_updates_the_trainer_makes(changes: dict) -> None:
    trainer = Trainer({**SPIRAL, **changes})
    assert Shape.of(trainer.config).updates == trainer.updates_per_epoch
    assert (Shape.of(trainer.config).n_train, Shape.of(trainer.config).n_test) == (
        trainer.n_train,
        trainer.n_test,
    )


def test_a_classic_rule_costs_a_fixed_step_per_sample() -> None:
    config = validate_config({"data": {"dataset": "and", "n": 40}, "training": {"rule": "perceptron"}})
    assert update_work(config) == cost.CLASSIC_STEP
    assert epoch_work(config) == 40 * cost.CLASSIC_STEP + evaluation_work(config)


def test_training_over_the_budget_names_epochs_and_how_many_would_fit() -> None:
    config = validate_config({**SPIRAL, "training": {"epochs": 1000}})
    work = train_work(config)
    budget = 0.5 * work.total
    with pytest.raises(ConfigError) as info:
        work.check(budget)
    fit = math.floor(budget / epoch_work(config))
    assert info.value.field == "training.epochs" and info.value.value == 1000
    assert f"at most {fit})" in str(info.value) and f"budget of {budget:.3g}" in str(info.value)
    assert train_work({**config, "training": {**config["training"], "epochs": fit}}).total <= budget
    assert train_work({**config, "training": {**config["training"], "epochs": fit + 1}}).total > budget


def test_grids_over_the_budget_name_the_grid() -> None:
    config = validate_config({**SPIRAL, "view": {"neuron_grid": 50}})
    work = train_work(config, 100)
    values = 100 * 100 * 1 + 16 * 50 * 50
    drawing = cost.GRID_PASS + cost.GRID_UNIT * (100 * 100 + 50 * 50) * 17 + values * cost.VALUE
    assert work.grids == drawing and train_work(config, 0).grids == 0
    work.check(work.total)  # exactly the budget fits
    with pytest.raises(ConfigError) as info:
        work.check(work.training + 0.5 * work.grids)
    assert (
        info.value.field == "grid" and info.value.value == 100 and "view.neuron_grid = 50" in str(info.value)
    )


def test_a_landscape_counts_its_path_up_to_the_last_recorded_update_and_its_surface() -> None:
    neuron = {"data": {"dataset": "gauss", "n": 200}, "network": {"hidden": []}}
    short = validate_config({**neuron, "training": {"epochs": 10}})
    long = validate_config({**neuron, "training": {"epochs": 100_000}})
    n_train = 100
    work = landscape_work(short, 41)
    assert work.grids == 41 * 41 * (cost.CELL + cost.CELL_POINT * n_train)
    per_update = epoch_work(short) / 10 + cost.OBJECTIVE + cost.OBJECTIVE_POINT * n_train
    assert work.training == pytest.approx(10 * 10 * per_update)
    steps = LIMITS["landscape_steps"]  # the longest path a landscape records
    assert landscape_work(long, 41).training == pytest.approx(steps * per_update)
