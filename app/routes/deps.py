"""What routes ask FastAPI for: the app's settings and its heavy-work pool."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.heavy import HeavyWork
from app.settings import Settings


def get_settings(request: Request) -> Settings:
    """The app's settings (a dependency)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_heavy(request: Request) -> HeavyWork:
    """The app's pool for training and landscapes (a dependency)."""
    heavy: HeavyWork = request.app.state.heavy
    return heavy


HeavyDep = Annotated[HeavyWork, Depends(get_heavy)]
