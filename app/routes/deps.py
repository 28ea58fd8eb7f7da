"""What routes ask FastAPI for: the app's settings, its heavy-work pool and its scene store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.heavy import HeavyWork
from app.settings import Settings
from app.store import SceneStore


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


def get_store(request: Request) -> SceneStore:
    """The app's scene store, opened by its lifespan (app/main.py)."""
    store: SceneStore = request.app.state.store
    return store


StoreDep = Annotated[SceneStore, Depends(get_store)]
