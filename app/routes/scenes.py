"""Saved scenes over REST (docs/api.md, "Saved scenes"): create, read, replace, delete, and look up a gallery.

Whoever holds a scene's edit token owns it (there are no accounts): `PUT` and `DELETE` need it as
`Authorization: Bearer <edit_token>` (403 otherwise). An unknown id and a malformed one get the same 404.
Routes are sync `def`s: the store blocks, so FastAPI runs them in its thread pool, off the event loop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.errors import config_problem
from app.routes.deps import SettingsDep, StoreDep
from app.schemas import (
    BODY_ERRORS,
    OWNER_ERRORS,
    SCENE_ERRORS,
    STORE_ERRORS,
    LookupAnswer,
    LookupRequest,
    SceneBody,
    SceneCreated,
    SceneInfoOut,
    SceneOut,
)
from app.settings import Settings
from app.store import SceneContent, SceneStore, keys
from app.store.content import SceneTooLarge, check_scene

router = APIRouter(prefix="/api/scenes", tags=["scenes"])
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]
NO_TOKEN = (
    "changing a scene needs its edit token: send 'Authorization: Bearer <edit_token>' with the edit_token "
    "that POST /api/scenes answered"
)


def not_found(scene_id: str) -> HTTPException:
    """The one 404 for an id that names no scene, well formed or not."""
    return HTTPException(status_code=404, detail=f"no saved scene has the id {scene_id[:40]!r}")


def _content(body: SceneBody, settings: Settings) -> SceneContent:
    """The body checked (422 naming the field), or a 413 when the scene is over the size limit."""
    try:
        return check_scene(
            body.title,
            body.config,
            body.weights,
            body.history,
            max_bytes=settings.scene_max_bytes,
            history_points=settings.scene_history_points,
        )
    except SceneTooLarge as exc:
        raise HTTPException(status_code=413, detail=[config_problem(exc)]) from None


def _owned(store: SceneStore, scene_id: str, bearer: HTTPAuthorizationCredentials | None) -> None:
    """404 unless the scene exists; 403 unless the bearer token is its edit token."""
    stored = store.token_hash(scene_id) if keys.is_id(scene_id) else None
    if stored is None:
        raise not_found(scene_id)
    if bearer is None:
        raise HTTPException(status_code=403, detail=NO_TOKEN)
    if not keys.token_matches(bearer.credentials, stored):
        raise HTTPException(status_code=403, detail=f"this edit token does not own the scene {scene_id!r}")


@router.post("", status_code=201, responses={**BODY_ERRORS, **STORE_ERRORS})
def create_scene(body: SceneBody, store: StoreDep, settings: SettingsDep, response: Response) -> SceneCreated:
    """Save a scene: its id, its short link `/s/<id>` and its edit token (kept only as a hash here)."""
    content = _content(body, settings)
    token = keys.new_token()
    info = store.create(content, keys.hash_token(token))
    response.headers["Location"] = f"/api/scenes/{info.id}"
    return SceneCreated(**SceneInfoOut.of(info).model_dump(), edit_token=token)


@router.post("/lookup", responses={**BODY_ERRORS, **STORE_ERRORS})
def lookup_scenes(body: LookupRequest, store: StoreDep) -> LookupAnswer:
    """Metadata of the scenes among `ids` (a browser's gallery), in order; ids of no scene are left out."""
    infos = store.lookup([scene_id for scene_id in body.ids if keys.is_id(scene_id)])
    return LookupAnswer(scenes=[SceneInfoOut.of(info) for info in infos])


@router.get("/{scene_id}", responses=SCENE_ERRORS)
def get_scene(scene_id: str, store: StoreDep) -> SceneOut:
    """The whole scene: config, weights, history and metadata."""
    scene = store.get(scene_id) if keys.is_id(scene_id) else None
    if scene is None:
        raise not_found(scene_id)
    return SceneOut.of_scene(scene)


@router.put("/{scene_id}", responses={**BODY_ERRORS, **OWNER_ERRORS})
def replace_scene(
    scene_id: str, body: SceneBody, bearer: Bearer, store: StoreDep, settings: SettingsDep
) -> SceneInfoOut:
    """Replace the scene's title, config, weights and history (its id and link stay); needs the token."""
    _owned(store, scene_id, bearer)
    info = store.update(scene_id, _content(body, settings))
    if info is None:  # deleted meanwhile
        raise not_found(scene_id)
    return SceneInfoOut.of(info)


@router.delete("/{scene_id}", status_code=204, responses=OWNER_ERRORS)
def delete_scene(scene_id: str, bearer: Bearer, store: StoreDep) -> Response:
    """Delete the scene; needs the token."""
    _owned(store, scene_id, bearer)
    if not store.delete(scene_id):
        raise not_found(scene_id)
    return Response(status_code=204)
