"""The saved-scenes API through FastAPI's TestClient on the embedded store: round trip, tokens, 404s, limits,
the short link's page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.store import SQLITE_FILE, keys
from nncore import validate_config

XOR = {"data": {"dataset": "xor"}, "network": {"hidden": [2]}, "training": {"epochs": 300}}
WEIGHTS = [{"W": [[6.0, -6.0], [-6.0, 6.0]], "b": [-3.0, -3.0]}, {"W": [[4.0], [4.0]], "b": [4.0]}]
SCENE = {"title": "XOR, two hidden neurons", "config": XOR, "weights": WEIGHTS}


def open_client(data_dir: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(data_dir=data_dir, **settings)))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with open_client(tmp_path) as test_client:  # `with`: the lifespan opens the store
        yield test_client


def create(client: TestClient, scene: dict[str, Any] = SCENE) -> dict[str, Any]:
    response = client.post("/api/scenes", json=scene)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_saved_scene_has_a_short_link_and_reads_back(client: TestClient) -> None:
    response = client.post("/api/scenes", json=SCENE)
    assert response.status_code == 201
    created = response.json()
    scene_id = created["id"]
    assert keys.is_id(scene_id) and created["url"] == f"/s/{scene_id}"
    assert response.headers["location"] == f"/api/scenes/{scene_id}"
    assert len(created["edit_token"]) == 43
    assert created["title"] == SCENE["title"] and created["kind"] == "scene" and created["class_id"] is None
    assert created["has_weights"] is True and created["history_points"] == 0
    scene = client.get(f"/api/scenes/{scene_id}").json()
    assert (
        scene["config"] == validate_config(XOR) and scene["weights"] == WEIGHTS and scene["history"] is None
    )
    assert "edit_token" not in scene and "token_hash" not in scene
    assert {k: scene[k] for k in created if k != "edit_token"} == {
        k: v for k, v in created.items() if k != "edit_token"
    }


def test_the_owner_replaces_and_deletes_with_the_edit_token(client: TestClient) -> None:
    created = create(client)
    path, token = f"/api/scenes/{created['id']}", created["edit_token"]
    history = {"train_loss": [0.7, 0.4, 0.1], "test_loss": [None, None, None]}
    changed = {"title": "XOR, trained", "config": XOR, "weights": WEIGHTS, "history": history}
    response = client.put(path, json=changed, headers=bearer(token))
    assert response.status_code == 200
    info = response.json()
    assert (
        info["id"] == created["id"]
        and info["created"] == created["created"]
        and info["updated"] > info["created"]
    )
    assert info["title"] == "XOR, trained" and info["history_points"] == 3
    assert client.get(path).json()["history"] == {"epoch": [1, 2, 3], **history}
    response = client.delete(path, headers=bearer(token))
    assert response.status_code == 204 and response.content == b""
    assert client.get(path).status_code == 404
    assert client.delete(path, headers=bearer(token)).status_code == 404


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, "Authorization: Bearer <edit_token>"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Authorization: Bearer <edit_token>"),
        ({"Authorization": "Bearer"}, "Authorization: Bearer <edit_token>"),
        (bearer("not-the-token"), "this edit token does not own the scene"),
    ],
)
def test_without_the_edit_token_a_scene_cannot_be_changed(
    client: TestClient, headers: dict[str, str], says: str
) -> None:
    created = create(client)
    other = create(client)
    path = f"/api/scenes/{created['id']}"
    for response in (
        client.put(path, json={**SCENE, "title": "taken over"}, headers=headers),
        client.delete(path, headers=headers),
    ):
        assert response.status_code == 403
        assert says in response.json()["detail"]
    wrong_owner = client.delete(path, headers=bearer(other["edit_token"]))
    assert wrong_owner.status_code == 403
    assert client.get(path).json()["title"] == SCENE["title"]


@pytest.mark.parametrize("scene_id", ["AAAAAAAAAAAA", "short", "x" * 500, "AAAAAAAAAAA%3D"])
def test_unknown_and_malformed_ids_get_the_same_404(client: TestClient, scene_id: str) -> None:
    token = create(client)["edit_token"]
    answers = [
        client.get(f"/api/scenes/{scene_id}"),
        client.put(f"/api/scenes/{scene_id}", json=SCENE, headers=bearer(token)),
        client.delete(f"/api/scenes/{scene_id}", headers=bearer(token)),
    ]
    for response in answers:
        assert response.status_code == 404
        assert response.json()["detail"].startswith("no saved scene has the id '")
    page = client.get(f"/s/{scene_id}")
    assert page.status_code == 404 and "Scene not found" in page.text and 'href="/"' in page.text


def test_the_short_link_serves_the_page_with_the_scenes_id(client: TestClient) -> None:
    scene_id = create(client)["id"]
    response = client.get(f"/s/{scene_id}")
    assert response.status_code == 200 and response.template.name == "index.html"  # type: ignore[attr-defined]
    assert response.context["scene_id"] == scene_id  # type: ignore[attr-defined]
    assert client.get("/").context["scene_id"] is None  # type: ignore[attr-defined]
    assert f'data-scene-id="{scene_id}"' in response.text  # where the page reads the id (scenes.js)
    assert response.text.replace(scene_id, "") == client.get("/").text  # otherwise the same page


def test_the_404_page_escapes_what_it_shows(client: TestClient) -> None:
    response = client.get("/s/%3Cimg%20src=x%20onerror=alert(1)%3E")
    assert response.status_code == 404
    assert "<img" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_lookup_returns_the_gallerys_metadata_in_order(client: TestClient) -> None:
    a, b = create(client, {**SCENE, "title": "a"}), create(client, {"title": "b", "config": XOR})
    gone = create(client)
    client.delete(f"/api/scenes/{gone['id']}", headers=bearer(gone["edit_token"]))
    ids = [b["id"], "AAAAAAAAAAAA", gone["id"], "not an id", a["id"]]
    scenes = client.post("/api/scenes/lookup", json={"ids": ids}).json()["scenes"]
    assert [s["id"] for s in scenes] == [b["id"], a["id"]]
    assert scenes[0] == {k: v for k, v in b.items() if k != "edit_token"}
    assert [s["has_weights"] for s in scenes] == [False, True]
    assert client.post("/api/scenes/lookup", json={"ids": []}).json() == {"scenes": []}


def test_lookup_takes_at_most_500_ids(client: TestClient) -> None:
    assert client.post("/api/scenes/lookup", json={"ids": ["AAAAAAAAAAAA"] * 500}).status_code == 200
    response = client.post("/api/scenes/lookup", json={"ids": ["AAAAAAAAAAAA"] * 501})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "ids"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"config": {"training": {"learning_rate": 20}}}, "config.training.learning_rate"),
        ({"config": {"network": {"hidden": [2]}}, "weights": [WEIGHTS[0]]}, "weights"),
        ({"config": XOR, "history": {"train_loss": [1.0], "loss": [1.0]}}, "history.loss"),
        ({"config": XOR, "title": "x" * 201}, "title"),
        ({"config": XOR, "owner": "me"}, "owner"),
        ({"title": "no config"}, "config"),
        ({"config": "xor"}, "config"),
    ],
)
def test_a_bad_scene_is_a_422_naming_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    mine = create(client)
    for response in (
        client.post("/api/scenes", json=body),
        client.put(f"/api/scenes/{mine['id']}", json=body, headers=bearer(mine["edit_token"])),
    ):
        assert response.status_code == 422, response.text
        problem = response.json()["detail"][0]
        assert problem["field"] == field and problem["allowed"] and problem["message"]


def test_a_scene_over_the_size_limit_is_a_413_naming_the_part_and_the_limit(tmp_path: Path) -> None:
    drawn = {"data": {"points": [[0.123456789, -0.987654321]] * 1000, "labels": [0, 1] * 500}}
    with open_client(tmp_path, scene_max_bytes=20_000) as client:
        response = client.post("/api/scenes", json={"config": drawn})
        assert response.status_code == 413
        problem = response.json()["detail"][0]
        assert problem["field"] == "config" and problem["value"] > 20_000
        assert "20,000 bytes" in problem["allowed"] and "NNLIVE_SCENE_MAX_BYTES" in problem["allowed"]
        assert "config is its largest part" in problem["message"]
        small = create(client, {"config": XOR})
        too_big = client.put(
            f"/api/scenes/{small['id']}", json={"config": drawn}, headers=bearer(small["edit_token"])
        )
        assert too_big.status_code == 413


def test_a_long_history_is_kept_decimated(tmp_path: Path) -> None:
    with open_client(tmp_path, scene_history_points=11) as client:
        history = {"train_loss": [1 / e for e in range(1, 101)]}
        created = create(client, {"config": XOR, "history": history})
        assert created["history_points"] == 11
        kept = client.get(f"/api/scenes/{created['id']}").json()["history"]
        assert kept["epoch"] == [1, 11, 21, 31, 41, 51, 60, 70, 80, 90, 100]
        assert kept["train_loss"] == [1 / e for e in kept["epoch"]]


def test_the_edit_token_is_stored_only_as_its_hash(tmp_path: Path) -> None:
    with open_client(tmp_path) as client:
        token = create(client)["edit_token"]
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.is_file())
    assert keys.hash_token(token).encode() in stored and token.encode() not in stored


def test_the_catalog_tells_clients_the_scene_limits_but_not_the_database(tmp_path: Path) -> None:
    with open_client(tmp_path) as client:
        server = client.get("/api/catalog").json()["server"]
    assert server["scene_max_bytes"] == 2_097_152 and server["scene_history_points"] == 1000
    assert "database_url" not in server and "data_dir" not in server


def test_a_store_that_fails_is_a_503_and_the_rest_of_the_app_works(tmp_path: Path) -> None:
    with open_client(tmp_path) as client:
        scene_id = create(client)["id"]
        shutil.rmtree(tmp_path)
        (tmp_path / SQLITE_FILE).mkdir(parents=True)  # the file is now a folder: SQLite cannot open it
        response = client.get(f"/api/scenes/{scene_id}")
        assert response.status_code == 503 and "unavailable" in response.json()["detail"][0]["message"]
        assert client.post("/api/scenes", json=SCENE).status_code == 503
        assert client.get("/api/health").status_code == 200
