"""Saved scenes on real servers (uvicorn on free loopback ports): the embedded SQLite store and a real
PostgreSQL by DATABASE_URL; two server processes sharing one store; a database that cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from app.store import SQLITE_FILE
from tests.conftest import LiveServer, server_pair

pytestmark = [pytest.mark.server, pytest.mark.timeout(120)]

SCENE = {
    "title": "circle, drawn by hand",
    "config": {"data": {"points": [[0, 0], [0.1, 0.2], [2, 2], [-2, 2]], "labels": [0, 0, 1, 1]}},
    "history": {"train_loss": [0.69, 0.41, 0.2], "train_accuracy": [0.5, 0.75, 1.0]},
}


@pytest.fixture(params=["embedded", "postgres"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment of a server on each store: an SQLite file in a fresh folder, or a fresh database."""
    if request.param == "embedded":
        return {"NNLIVE_DATA_DIR": str(tmp_path / "data")}
    return {"DATABASE_URL": request.getfixturevalue("database_url")}


@pytest.fixture
def servers(store_env: dict[str, str]) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two server processes on the same store, as two workers or two replicas."""
    with server_pair(store_env) as pair:
        yield pair


def stored_count(env: dict[str, str]) -> int:
    """Scenes in the store, read straight from its database (not through the app)."""
    if "DATABASE_URL" in env:
        with psycopg.connect(env["DATABASE_URL"]) as connection:
            row = connection.execute("SELECT COUNT(*) FROM scenes").fetchone()
    else:
        import sqlite3

        with sqlite3.connect(Path(env["NNLIVE_DATA_DIR"]) / SQLITE_FILE) as connection:
            row = connection.execute("SELECT COUNT(*) FROM scenes").fetchone()
    assert row is not None
    return int(row[0])


def test_a_scene_round_trips_through_a_real_server(
    servers: tuple[LiveServer, LiveServer], store_env: dict[str, str]
) -> None:
    server = servers[0]
    with httpx.Client(base_url=server.url, timeout=30) as api:
        created = api.post("/api/scenes", json=SCENE)
        assert created.status_code == 201
        scene_id, token = created.json()["id"], created.json()["edit_token"]
        assert stored_count(store_env) == 1
        scene = api.get(f"/api/scenes/{scene_id}").json()
        assert scene["config"]["data"]["points"] == [[0.0, 0.0], [0.1, 0.2], [2.0, 2.0], [-2.0, 2.0]]
        assert scene["history"] == {"epoch": [1, 2, 3], **SCENE["history"]}  # type: ignore[dict-item]
        page = api.get(f"/s/{scene_id}")
        assert page.status_code == 200 and f'data-scene-id="{scene_id}"' in page.text
        assert page.text.replace(scene_id, "") == api.get("/").text  # the page, told which scene to open
        assert api.get("/s/AAAAAAAAAAAA").status_code == 404
        auth = {"Authorization": f"Bearer {token}"}
        assert api.put(f"/api/scenes/{scene_id}", json={**SCENE, "title": "renamed"}).status_code == 403
        assert (
            api.put(f"/api/scenes/{scene_id}", json={**SCENE, "title": "renamed"}, headers=auth).status_code
            == 200
        )
        listed = api.post("/api/scenes/lookup", json={"ids": [scene_id]}).json()["scenes"]
        assert [s["title"] for s in listed] == ["renamed"]
        assert api.delete(f"/api/scenes/{scene_id}", headers=auth).status_code == 204
        assert api.get(f"/api/scenes/{scene_id}").status_code == 404
        assert stored_count(store_env) == 0


def test_two_server_processes_share_the_scenes(servers: tuple[LiveServer, LiveServer]) -> None:
    one, two = (httpx.Client(base_url=s.url, timeout=30) for s in servers)
    with one, two:
        created = one.post("/api/scenes", json=SCENE).json()
        path, auth = f"/api/scenes/{created['id']}", {"Authorization": f"Bearer {created['edit_token']}"}
        assert two.get(path).json()["title"] == SCENE["title"]
        assert (
            two.put(path, json={**SCENE, "title": "changed on the second"}, headers=auth).status_code == 200
        )
        assert one.get(path).json()["title"] == "changed on the second"
        assert two.get(created["url"]).status_code == 200
        assert one.delete(path, headers=auth).status_code == 204
        assert two.get(path).status_code == 404 and two.get(created["url"]).status_code == 404


def test_a_server_whose_database_cannot_be_reached_does_not_start() -> None:
    """Port 1 of the loopback: nothing listens. The reason names the database but not the password."""
    with pytest.raises(RuntimeError) as info:
        LiveServer({"DATABASE_URL": "postgresql://nnlive:hunter2@127.0.0.1:1/nnlive"})
    log = str(info.value)
    assert "cannot connect to the PostgreSQL database nnlive@127.0.0.1:1/nnlive within 10 s" in log
    assert "hunter2" not in log
