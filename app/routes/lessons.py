"""Lessons: prepared scenes served through the API, and lesson 9's loss landscape (see docs/lessons.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from app import lessons_catalog
from nncore.landscape import loss_landscape

router = APIRouter(prefix="/api", tags=["lessons"])


class LandscapeRequest(BaseModel):
    """The scene (a config with a single-layer network) and the grid to evaluate the loss on."""

    config: dict[str, Any]
    grid: int = Field(41, ge=3, le=101, description="grid points per axis")
    w1_range: tuple[float, float] | None = Field(None, description="[lo, hi] of w1; default: around the path")
    w2_range: tuple[float, float] | None = Field(None, description="[lo, hi] of w2; default: around the path")


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
async def landscape(request: LandscapeRequest) -> dict[str, Any]:
    """The loss over a (w1, w2) grid of a single neuron, and the optimizer's path (nncore.landscape).

    A config that is not one backprop-trained neuron is a 422 naming the field (app/errors.py's handler).
    """
    return await run_in_threadpool(
        loss_landscape, request.config, request.grid, request.w1_range, request.w2_range
    )
