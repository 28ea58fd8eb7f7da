"""Each lesson's `check` — its claim as conditions over the numbers on screen, which the page evaluates live
(static/js/claim_check.js) — holds at the end of the lesson's own scene, and not before its runs have trained.

The runs are trained here as the page shows them: every run of the lesson (the base run and each variant) from
its first frame (epoch 0) to its end, one measurement per epoch; `evaluate` reads the conditions as the page
does (docs/lessons.md, "A lesson file"). So a lesson cannot ship a check its scene never ticks.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np
import pytest

from app.lessons_catalog import METRICS, lessons
from nncore.landscape import loss_landscape
from nncore.trainer import Trainer

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}
Runs = dict[str, dict[str, Any]]  # label → {"history": {metric: [per epoch]}, "events": [...]}


def measured(trainer: Trainer) -> dict[str, Any]:
    """What one frame shows: the trainer's metrics, its epoch and ‖every weight and bias‖."""
    norm = math.sqrt(sum(float(np.sum(p * p)) for p in trainer.network.params))
    return {**trainer.metrics, "epoch": trainer.epoch, "weight_norm": norm}


def scene(item: dict[str, Any]) -> Runs:
    """Every run of the lesson trained to its end, with the numbers the page sees after each epoch."""
    labels = [item.get("base_label") or "", *(v["label"] for v in item["variants"])]
    configs = [item["config"], *(v["config"] for v in item["variants"])]
    runs: Runs = {}
    for label, config in zip(labels, configs, strict=True):
        trainer = Trainer(config)
        history = [measured(trainer)]
        while not trainer.done:
            trainer.run_epochs(1)
            history.append(measured(trainer))
        runs[label] = {"history": history, "events": [e["type"] for e in trainer.events]}
        if item["display"].get("landscape"):
            surface = loss_landscape(config, 41)
            cell = (surface["w1"][1] - surface["w1"][0], surface["w2"][1] - surface["w2"][0])
            end, low = surface["end"], surface["minimum"]
            cells = max(abs(end["w1"] - low["w1"]) / cell[0], abs(end["w2"] - low["w2"]) / cell[1])
            for row in history:
                row["landscape_cells"] = cells if row is history[-1] else None
    runs[""] = runs[item.get("base_label") or ""]
    return runs


def value(runs: Runs, run: str, metric: str, stat: str) -> float | None:
    """A run's metric over the epochs shown (null values skipped), or None when there is none yet."""
    values = [row[metric] for row in runs[run]["history"] if row.get(metric) is not None]
    if not values:
        return None
    return {"last": values[-1], "first": values[0], "min": min(values), "max": max(values)}[stat]


def holds(runs: Runs, condition: dict[str, Any]) -> bool:
    run = condition.get("run", "")
    if condition.get("event"):
        return condition["event"] in runs[run]["events"]
    left = value(runs, run, condition["metric"], condition.get("stat", "last"))
    if "than" in condition:
        than = condition["than"]
        other = value(runs, than.get("run", ""), than["metric"], than.get("stat", "last"))
        right = None if other is None else other * condition.get("times", 1.0) + condition.get("plus", 0.0)
    else:
        right = condition["value"]
    return left is not None and right is not None and OPS[condition.get("op", ">=")](left, right)


def test_every_lesson_has_a_check_over_known_metrics() -> None:
    for item in lessons():
        assert item.get("check"), f"lesson {item['number']} has no check"
        for condition in item["check"]:
            assert condition.get("event") or condition["metric"] in METRICS


@pytest.mark.parametrize("number", range(1, 13))
def test_the_scene_ends_with_its_check_ticked(number: int) -> None:
    item = next(item for item in lessons() if item["number"] == number)
    runs = scene(item)
    failed = [c["label"] for c in item["check"] if not holds(runs, c)]
    assert not failed, f"lesson {number}'s scene ends without: {failed}"
    first = {label: {**run, "history": run["history"][:1], "events": []} for label, run in runs.items()}
    if number != 1:  # lesson 1's hand-set weights compute AND from the start: its claim holds at once
        assert not all(holds(first, c) for c in item["check"]), "the check must not hold before training"
