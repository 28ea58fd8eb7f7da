"""A class on real servers: the embedded default (one process: SQLite, in-process broker) and two server
processes that share a real Redis (REDIS_URL) and a real PostgreSQL (DATABASE_URL) — the teacher on one,
the learners on the other, as replicas behind a balancer would place them.

The flow: a teacher creates a class; three learners join; a learner's live run reaches the teacher's
dashboard as summaries; the teacher sets the class to watching and broadcasts a live run — every learner's
class socket receives the teacher's frames byte for byte; a pushed scene, a pause and a snapshot reach
everyone they are for; a wrong token or an unknown member is refused."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from app.classroom.summary import THUMB
from app.encoding import decode_frame
from tests.conftest import LiveServer, server_pair

pytestmark = [pytest.mark.server, pytest.mark.timeout(180)]
CONFIG = {
    "data": {"dataset": "xor", "n": 100, "test_fraction": 0.5},
    "network": {"hidden": [4]},
    "training": {"epochs": None},
}
WAIT = 20.0


@pytest.fixture(params=["embedded", "redis+postgres"])
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[LiveServer, LiveServer]]:
    """(the teacher's server, the learners' server): one embedded server twice, or two replicas."""
    if request.param == "embedded":
        server = LiveServer({"NNLIVE_DATA_DIR": str(tmp_path / "data")})
        yield server, server
        server.stop()
        return
    env = {
        "REDIS_URL": request.getfixturevalue("redis_server").url,
        "DATABASE_URL": request.getfixturevalue("database_url"),
    }
    with server_pair(env) as pair:
        yield pair


async def until(ws: ClientConnection, wanted: str, seconds: float = WAIT) -> dict[str, Any]:
    """The next text message of type `wanted` (others are skipped)."""
    deadline = time.monotonic() + seconds
    while True:
        message = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
        if isinstance(message, str) and json.loads(message)["type"] == wanted:
            return dict(json.loads(message))


async def train(url: str, query: str, config: dict[str, Any] = CONFIG) -> ClientConnection:
    """A live session on `url` with the class query, configured and playing."""
    ws = await connect(f"{url}/ws/train?{query}", max_size=None)
    assert json.loads(await ws.recv())["type"] == "hello"
    await ws.send(json.dumps({"type": "configure", "config": config}))
    await ws.send(json.dumps({"type": "play"}))
    return ws


def test_a_class_from_join_to_broadcast(servers: tuple[LiveServer, LiveServer]) -> None:
    teacher_server, learner_server = servers
    api = httpx.Client(base_url=teacher_server.url, timeout=30)
    created = api.post("/api/classes", json={"title": "Perceptrons", "anonymous": False})
    assert created.status_code == 201
    code, token = created.json()["code"], created.json()["teacher_token"]
    assert created.json()["url"] == f"/c/{code}"
    learner_api = httpx.Client(base_url=learner_server.url, timeout=30)
    assert learner_api.get(f"/api/classes/{code.lower()}").json()["title"] == "Perceptrons"
    members = [
        learner_api.post(f"/api/classes/{code}/members", json={"name": n}).json() for n in ("Ada", "Bo", "Cy")
    ]
    assert [m["name"] for m in members] == ["Ada", "Bo", "Cy"]
    asyncio.run(_flow(teacher_server, learner_server, code, token, members))
    snapshots = api.get(f"/api/classes/{code}/snapshots", headers={"Authorization": f"Bearer {token}"})
    assert [s["title"] for s in snapshots.json()["scenes"]] == ["Ada"]
    assert api.get(f"/api/classes/{code}/snapshots").status_code == 403


async def _flow(
    teacher_server: LiveServer,
    learner_server: LiveServer,
    code: str,
    token: str,
    members: list[dict[str, Any]],
) -> None:
    ws_t, ws_l = teacher_server.ws_url, learner_server.ws_url
    async with connect(f"{ws_t}/ws/class/{code}?teacher={token}", max_size=None) as teacher:
        hello = json.loads(await teacher.recv())
        assert hello["role"] == "teacher" and [m["name"] for m in hello["members"]] == ["Ada", "Bo", "Cy"]
        learners = [await connect(f"{ws_l}/ws/class/{code}?member={m['id']}", max_size=None) for m in members]
        for learner, member in zip(learners, members, strict=True):
            first = json.loads(await learner.recv())
            assert first["role"] == "learner" and first["you"]["name"] == member["name"]
        joined = {(await until(teacher, "joined"))["member"] for _ in members}
        assert joined == {m["id"] for m in members}

        # a learner's own run reaches the dashboard as summaries, about once a second
        run = await train(ws_l, f"class={code}&member={members[0]['id']}")
        summaries = [await until(teacher, "summary") for _ in range(3)]
        assert all(s["member"] == members[0]["id"] and s["name"] == "Ada" for s in summaries)
        assert summaries[-1]["epoch"] > summaries[0]["epoch"]
        assert summaries[-1]["settings"]["hidden"] == [4] and summaries[-1]["settings"]["data"] == "xor"
        thumb = summaries[-1]["thumb"]
        assert thumb["size"] == THUMB and len(base64.b64decode(thumb["cells"])) == THUMB * THUMB
        assert 0.0 <= summaries[-1]["metrics"]["test_accuracy"] <= 1.0
        await run.close()

        # watching: the teacher's broadcast reaches every learner, the very bytes the teacher's socket got
        await teacher.send(json.dumps({"type": "mode", "mode": "watching"}))
        for learner in learners:
            assert (await until(learner, "state"))["state"]["mode"] == "watching"
        broadcast = await train(ws_t, f"class={code}&teacher={token}")
        sent: set[bytes] = set()
        got: list[list[bytes]] = [[] for _ in learners]
        data_seen = [False] * len(learners)

        async def read_teacher() -> None:
            while True:
                message = await broadcast.recv()
                if isinstance(message, bytes):
                    sent.add(message)

        async def read_learner(k: int) -> None:
            while len(got[k]) < 10:
                message = await learners[k].recv()
                if isinstance(message, bytes):
                    got[k].append(message)
                elif json.loads(message)["type"] == "data":
                    data_seen[k] = True

        reader = asyncio.create_task(read_teacher())
        await asyncio.wait_for(asyncio.gather(*(read_learner(k) for k in range(len(learners)))), WAIT)
        await asyncio.sleep(0.2)
        reader.cancel()
        assert all(data_seen)
        for frames in got:
            assert set(frames) <= sent  # every frame a learner got is one the teacher's session sent
            epochs = [decode_frame(f)["epoch"] for f in frames]
            assert epochs == sorted(epochs) and epochs[-1] > epochs[0]
        await broadcast.close()

        # a learner who comes in late gets the broadcast's scene at once
        late = await connect(f"{ws_l}/ws/class/{code}?member={members[2]['id']}", max_size=None)
        assert json.loads(await late.recv())["type"] == "class"
        assert (await until(late, "data"))["config"]["network"]["hidden"] == [4]
        await late.close()

        # pause all, a refused push, a snapshot
        await teacher.send(json.dumps({"type": "mode", "mode": "paused"}))
        assert (await until(learners[1], "state"))["state"]["mode"] == "paused"
        await teacher.send(json.dumps({"type": "push", "scene": "AAAAAAAAAAAA"}))
        refused = await until(teacher, "error")
        assert "no saved scene has the id 'AAAAAAAAAAAA'" in refused["message"]
        await teacher.send(json.dumps({"type": "mode", "mode": "asleep"}))
        assert (await until(teacher, "error"))["field"] == "mode"
        body = {"config": CONFIG}
        auth = {"Authorization": f"Bearer {members[0]['id']}"}
        async with httpx.AsyncClient(base_url=learner_server.url, timeout=30) as client:
            assert (
                await client.post(f"/api/classes/{code}/snapshots", json=body, headers=auth)
            ).status_code == 201
            stranger = {"Authorization": "Bearer AAAAAAAAAAAA"}
            assert (
                await client.post(f"/api/classes/{code}/snapshots", json=body, headers=stranger)
            ).status_code == 403
        snapshot = await until(teacher, "snapshot")
        assert snapshot["name"] == "Ada" and snapshot["scene"]["url"].startswith("/s/")
        for learner in learners:
            await learner.close()


def test_wrong_keys_are_refused(live_server: LiveServer) -> None:
    created = httpx.post(live_server.url + "/api/classes", json={}, timeout=30).json()
    code = created["code"]

    async def refused(path: str) -> str:
        async with connect(live_server.ws_url + path) as ws:
            error = json.loads(await ws.recv())
            assert error["type"] == "error" and error["field"] == "class"
            await ws.wait_closed()
            assert ws.close_code == 1008
            return str(error["message"])

    async def run() -> None:
        assert "does not run the class" in await refused(f"/ws/class/{code}?teacher=not-the-token")
        assert "join the class" in await refused(f"/ws/class/{code}?member=AAAAAAAAAAAA")
        assert "no class has the code" in await refused("/ws/class/QQQQQQ?member=AAAAAAAAAAAA")
        assert "no learner" in await refused(f"/ws/train?class={code}&member=AAAAAAAAAAAA")
        assert "does not run the class" in await refused(f"/ws/train?class={code}&teacher=nope")

    asyncio.run(run())
    join = httpx.post(f"{live_server.url}/api/classes/{code}/members", json={"name": "   "}, timeout=30)
    assert join.status_code == 422 and join.json()["detail"][0]["field"] == "name"
    assert httpx.get(f"{live_server.url}/api/classes/nope", timeout=30).status_code == 404
