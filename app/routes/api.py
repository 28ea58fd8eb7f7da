"""The JSON API (see docs/api.md)."""

from __future__ import annotations

from fastapi import APIRouter

from app import __version__

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: status and version."""
    return {"status": "ok", "version": __version__}
