"""Lessons: prepared scenes served through the API, and lesson 9's loss landscape (see docs/lessons.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from app import lessons_catalog
from app.routes.deps import SettingsDep
from app.schemas import LandscapeRequest
from nncore.config import validate_config
from nncore.cost import landscape_work
from nncore.landscape import check_neuron, loss_landscape

router = APIRouter(prefix="/api", tags=["lessons"])


@router.get("/lessons")
def list_lessons() -> dict[str, list[dict[str, Any]]]:
    """Every lesson in order: id, number, title, era, claim, side_by_side."""
    return {"lessons": lessons_catalog.summaries()}


@router.get("/lessons/{lesson_id}")
def one_lesson(lesson_id: str) -> dict[str, Any]:
    """One lesson: texts, config, display settings and side-by-side variants (each with its config)."""
    try:
        return lessons_catalog.get_lesson(lesson_id)
    except KeyError as exc:
        raise HTTPException(status_code=404, detail=str(exc.args[0])) from exc


@router.post("/landscape")
def landscape(request: LandscapeRequest, settings: SettingsDep) -> dict[str, Any]:
    """The loss over a (w1, w2) grid of a single neuron, and the optimizer's path (nncore.landscape); a sync
    route, so it runs in the thread pool.

    A config that is not one backprop-trained neuron, or whose work is over the server's budget
    (docs/api.md, "Work budget"), is a 422 naming the field (app/errors.py's handler).
    """
    config = validate_config(request.config)
    check_neuron(config)
    landscape_work(config, request.grid).check(settings.train_budget)
    return loss_landscape(config, request.grid, request.w1_range, request.w2_range)
