"""Lessons: prepared scenes served through the API (filled in by the lessons work)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["lessons"])
