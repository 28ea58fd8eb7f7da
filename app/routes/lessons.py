"""Lessons: prepared scenes served through the API, and lesson 9's loss landscape (see docs/lessons.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from app import lessons_catalog
from app.heavy import Stop
from app.routes.deps import HeavyDep, SettingsDep
from app.schemas import HEAVY_ERRORS, INPUT_ERRORS, Detail, LandscapeRequest
from app.settings import Settings
from nncore.config import validate_config
from nncore.cost import landscape_work
from nncore.landscape import check_neuron, loss_landscape

router = APIRouter(prefix="/api", tags=["lessons"])


@router.get("/lessons")
def list_lessons() -> dict[str, list[dict[str, Any]]]:
    """Every lesson in order: id, number, title, era, claim, side_by_side."""
    return {"lessons": lessons_catalog.summaries()}


@router.get(
    "/lessons/{lesson_id}",
    responses={404: {"model": Detail, "description": "no such lesson"}, **INPUT_ERRORS},
)
def one_lesson(lesson_id: str) -> dict[str, Any]:
    """One lesson: texts, config, display settings and side-by-side variants (each with its config)."""
    try:
        return lessons_catalog.get_lesson(lesson_id)
    except KeyError as exc:
        raise HTTPException(status_code=404, detail=str(exc.args[0])) from exc


@router.post("/landscape", responses=HEAVY_ERRORS)
async def landscape(
    request: Request, body: LandscapeRequest, settings: SettingsDep, heavy: HeavyDep
) -> dict[str, Any]:
    """The loss over a (w1, w2) grid of a single neuron, and the optimizer's path (nncore.landscape), on a
    heavy thread (app/heavy.py).

    A config that is not one backprop-trained neuron, or whose work is over the server's budget
    (docs/api.md, "Work budget"), is a 422 naming the field (app/errors.py's handler).
    """
    return await heavy.run(request, lambda stop: _landscape(body, settings, stop))


def _landscape(body: LandscapeRequest, settings: Settings, stop: Stop) -> dict[str, Any]:
    config = validate_config(body.config)
    check_neuron(config)
    landscape_work(config, body.grid).check(settings.train_budget)
    return loss_landscape(config, body.grid, body.w1_range, body.w2_range, should_stop=stop)
