"""Classes over REST and the class socket (docs/classroom.md): create a class, look it up by code, join it,
list its learners and snapshots, send a snapshot; and `WS /ws/class/{code}`, the socket each teacher's and
learner's page holds for the class's events (and, for learners, the teacher's broadcast frames).

The teacher's token rules a class as a scene's edit token rules a scene: `Authorization: Bearer <token>` on
REST, `?teacher=<token>` on the sockets. A learner's member id (from joining) is their key: `Bearer <member
id>` to send a snapshot, `?member=<id>` on the sockets. Store calls block, so they run in the thread pool.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request, WebSocket
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect

from app.classroom.hub import Hub, Seat, kept_data
from app.classroom.messages import (
    Anonymous,
    ClassBody,
    ClassCreated,
    ClassOut,
    Collect,
    JoinBody,
    MemberOut,
    Push,
    SetMode,
    Spotlight,
    TeacherCommand,
    teacher_command,
)
from app.classroom.records import ClassRecord, ClassState, ClassTable, Member, normal_code
from app.errors import problem, pydantic_problems, ws_error
from app.hosts import origin_allowed
from app.routes.deps import SettingsDep, StoreDep
from app.routes.scenes import _content
from app.schemas import (
    BODY_ERRORS,
    INPUT_ERRORS,
    STORE_ERRORS,
    Detail,
    LookupAnswer,
    SceneBody,
    SceneInfoOut,
)
from app.settings import Settings
from app.store import keys

SNAPSHOT = "snapshot"  # the store's kind of a learner's snapshot (class_id: the class's code)
router = APIRouter(prefix="/api/classes", tags=["classes"])
socket_router = APIRouter()
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]
log = logging.getLogger("nnlive.classroom")
#: What a route about one class may answer: no such class, or not the teacher's (or a learner's) key.
CLASS_ERRORS: dict[int | str, dict[str, Any]] = {
    **INPUT_ERRORS,
    **STORE_ERRORS,
    404: {"model": Detail, "description": "no class has this code"},
    403: {"model": Detail, "description": "not the teacher's token (or not a learner's member id)"},
}


def get_classes(request: Request) -> ClassTable:
    classes: ClassTable = request.app.state.classes
    return classes


def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


ClassesDep = Annotated[ClassTable, Depends(get_classes)]
HubDep = Annotated[Hub, Depends(get_hub)]


def _class(classes: ClassTable, code: str) -> ClassRecord:
    """The class `code` names (any case), or the one 404."""
    normal = normal_code(code)
    record = classes.get(normal) if normal else None
    if record is None:
        raise HTTPException(status_code=404, detail=f"no class has the code {code[:12]!r}")
    return record


def _teacher(classes: ClassTable, record: ClassRecord, bearer: HTTPAuthorizationCredentials | None) -> None:
    if bearer is None or not classes.teacher_matches(record.code, bearer.credentials):
        detail = f"this needs the teacher's token of the class {record.code}"
        raise HTTPException(status_code=403, detail=detail)


@router.post("", status_code=201, responses={**BODY_ERRORS, **STORE_ERRORS})
def create_class(body: ClassBody, classes: ClassesDep) -> ClassCreated:
    """A new class: its code, its join link `/c/<code>` and the teacher's token."""
    token = keys.new_token()
    record = classes.create(body.title, keys.hash_token(token), ClassState(anonymous=body.anonymous))
    return ClassCreated(**ClassOut.of(record).model_dump(), teacher_token=token)


@router.get("/{code}", responses=CLASS_ERRORS)
def get_class(code: str, classes: ClassesDep) -> ClassOut:
    """The class a code names (what the join page shows)."""
    return ClassOut.of(_class(classes, code))


@router.post("/{code}/members", status_code=201, responses={**BODY_ERRORS, **CLASS_ERRORS})
async def join_class(code: str, body: JoinBody, classes: ClassesDep, hub: HubDep) -> MemberOut:
    """A learner joins under `name`: their member id (the page keeps it) and name."""
    record = await run_in_threadpool(_class, classes, code)
    name = " ".join(body.name.split())
    if not name:
        detail = [problem("name", body.name, "1 to 40 characters, not only spaces")]
        raise HTTPException(status_code=422, detail=detail)
    member = await run_in_threadpool(classes.join, record.code, name)
    await hub.event(record.code, {"type": "joined", "member": member.id, "name": member.name})
    return MemberOut.of(member)


@router.get("/{code}/members", responses=CLASS_ERRORS)
def class_members(code: str, classes: ClassesDep, bearer: Bearer) -> list[MemberOut]:
    """The class's learners in the order they joined (the teacher's token)."""
    record = _class(classes, code)
    _teacher(classes, record, bearer)
    return [MemberOut.of(m) for m in classes.members(record.code)]


@router.post("/{code}/snapshots", status_code=201, responses={**BODY_ERRORS, **CLASS_ERRORS})
async def send_snapshot(
    code: str,
    body: SceneBody,
    bearer: Bearer,
    classes: ClassesDep,
    hub: HubDep,
    store: StoreDep,
    settings: SettingsDep,
) -> SceneInfoOut:
    """A learner's snapshot of their scene (`Bearer <member id>`), saved as a scene the teacher's token
    owns."""
    record = await run_in_threadpool(_class, classes, code)
    member_id = bearer.credentials if bearer else ""
    member = None
    if keys.is_id(member_id):
        member = await run_in_threadpool(classes.member, record.code, member_id)
    if member is None:
        detail = f"a snapshot needs 'Authorization: Bearer <member id>' of a learner of {record.code}"
        raise HTTPException(status_code=403, detail=detail)
    content = _content(body.model_copy(update={"title": body.title or member.name}), settings)
    owner = await run_in_threadpool(classes.token_hash, record.code)
    info = await run_in_threadpool(store.create, content, owner or "", kind=SNAPSHOT, class_id=record.code)
    out = SceneInfoOut.of(info)
    event = {"type": "snapshot", "member": member.id, "name": member.name}
    await hub.event(record.code, {**event, "scene": out.model_dump(mode="json")})
    return out


@router.get("/{code}/snapshots", responses=CLASS_ERRORS)
def class_snapshots(code: str, classes: ClassesDep, store: StoreDep, bearer: Bearer) -> LookupAnswer:
    """The class's snapshots, oldest first (the teacher's token); each opens at its `url`."""
    record = _class(classes, code)
    _teacher(classes, record, bearer)
    return LookupAnswer(scenes=[SceneInfoOut.of(i) for i in store.in_class(record.code, SNAPSHOT)])


# ---- the class socket -------------------------------------------------------------------------------------


async def _seat_for(websocket: WebSocket, classes: ClassTable, code: str) -> tuple[Seat, Member | None] | str:
    """The seat the socket's query asks for, or the reason it may not have one."""
    token, member_id = websocket.query_params.get("teacher"), websocket.query_params.get("member")
    if token is not None:
        if await run_in_threadpool(classes.teacher_matches, code, token):
            return Seat("teacher"), None
        return f"this teacher token does not run the class {code}"
    if member_id is not None and keys.is_id(member_id):
        member = await run_in_threadpool(classes.member, code, member_id)
        if member is not None:
            return Seat("learner", member.id), member
    return f"join the class {code} first (POST /api/classes/{code}/members), then connect with member=<id>"


@socket_router.websocket("/ws/class/{code}")
async def class_socket(websocket: WebSocket, code: str) -> None:
    """A teacher's or learner's socket of a class; see docs/classroom.md."""
    settings: Settings = websocket.app.state.settings
    classes: ClassTable = websocket.app.state.classes
    hub: Hub = websocket.app.state.hub
    origin, host = websocket.headers.get("origin"), websocket.headers.get("host")
    if not origin_allowed(origin, host, settings.allowed_origins, settings.allowed_hosts):
        await websocket.close(code=1008, reason="origin not allowed")
        return
    await websocket.accept()
    record = await run_in_threadpool(classes.get, normal_code(code) or "")
    seat = None if record is None else await _seat_for(websocket, classes, record.code)
    if record is None or not isinstance(seat, tuple):
        reason = f"no class has the code {code[:12]!r}" if record is None else str(seat)
        await websocket.send_text(ws_error(problem("class", code[:12], reason, reason)).model_dump_json())
        await websocket.close(code=1008, reason="not in this class")
        return
    (place, member) = seat
    await hub.enter(record.code, place)
    try:
        await websocket.send_text(json.dumps(await _hello(record, place, member, classes)))
        if member is not None:  # a learner
            kept = await hub.broker.recall(kept_data(record.code))
            if kept is not None:
                place.put_text(kept.decode())
            await hub.event(record.code, {"type": "joined", "member": member.id, "name": member.name})
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_send_seat, websocket, place)
            await _receive(websocket, record.code, place, classes, hub)
            tasks.cancel_scope.cancel()
    finally:
        hub.leave(record.code, place)
        if member is not None:
            await hub.event(record.code, {"type": "left", "member": member.id, "name": member.name})


async def _hello(
    record: ClassRecord, seat: Seat, member: Member | None, classes: ClassTable
) -> dict[str, Any]:
    hello: dict[str, Any] = {"type": "class", "role": seat.role, **ClassOut.of(record).model_dump()}
    if member is not None:
        hello["you"] = MemberOut.of(member).model_dump()
    else:
        members = await run_in_threadpool(classes.members, record.code)
        hello["members"] = [MemberOut.of(m).model_dump() for m in members]
    return hello


async def _send_seat(websocket: WebSocket, seat: Seat) -> None:
    try:
        async for item in seat.outgoing():
            if isinstance(item, bytes):
                await websocket.send_bytes(item)
            else:
                await websocket.send_text(item)
        await websocket.close(code=1008, reason="too many unread messages")
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass


async def _receive(websocket: WebSocket, code: str, seat: Seat, classes: ClassTable, hub: Hub) -> None:
    """Teachers' commands until the socket closes; a learner's socket only listens."""
    while not seat.closed:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if seat.role != "teacher":
            seat.put_text(_error(None, "a learner's class socket only listens"))
            continue
        try:
            command = teacher_command.validate_json(message.get("text") or "")
        except ValidationError as exc:
            seat.put_text(ws_error(pydantic_problems(exc.errors(), skip_tag=True)[0]).model_dump_json())
            continue
        reason = await _apply(command, code, classes, hub)
        if reason is not None:
            seat.put_text(_error(command.type, reason))


def _error(field: str | None, reason: str) -> str:
    return ws_error(problem(field, None, reason, reason)).model_dump_json()


async def _apply(command: TeacherCommand, code: str, classes: ClassTable, hub: Hub) -> str | None:
    """Change the class's state as `command` says, store it and tell the class; the reason when refused."""
    record = await run_in_threadpool(classes.get, code)
    if record is None:
        return f"the class {code} is gone"
    state = record.state
    if isinstance(command, SetMode):
        state = state.changed(mode=command.mode)
    elif isinstance(command, Push):
        store = hub_store(classes)
        if not keys.is_id(command.scene) or not await run_in_threadpool(store.lookup, [command.scene]):
            return f"no saved scene has the id {command.scene[:40]!r}"
        state = state.changed(scene=command.scene, scene_version=state.scene_version + 1)
    elif isinstance(command, Anonymous):
        state = state.changed(anonymous=command.on)
    elif isinstance(command, Spotlight):
        state = state.changed(spotlight=command.member)
    elif isinstance(command, Collect):
        state = state.changed(collect_version=state.collect_version + 1)
    await run_in_threadpool(classes.set_state, code, state)
    await hub.event(code, {"type": "state", "state": state.to_json()})
    return None


def hub_store(classes: ClassTable) -> Any:
    """The scene store the class table is kept in (pushed scenes are saved scenes)."""
    return classes.store
