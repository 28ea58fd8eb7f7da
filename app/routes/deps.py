"""What routes ask FastAPI for: the app's settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.settings import Settings


def get_settings(request: Request) -> Settings:
    """The app's settings (a dependency)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
