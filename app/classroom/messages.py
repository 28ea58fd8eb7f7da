"""The classroom's REST bodies and the messages of the class socket `/ws/class/{code}` (docs/classroom.md,
"Class socket"), each defined once."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.classroom.records import NAME_LENGTH, TITLE_LENGTH, ClassRecord, Member, Mode


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- REST ------------------------------------------------------------------------------------------------


class ClassBody(_Strict):
    """`POST /api/classes`: a new class."""

    title: str = Field("", max_length=TITLE_LENGTH, description="the class's name on every screen")
    anonymous: bool = Field(False, description="learners as 'Learner 1', 'Learner 2', … on the dashboard")


class ClassOut(BaseModel):
    """A class as anyone with its code sees it."""

    code: str = Field(description="6 characters learners type to join")
    url: str = Field(description="the link learners open to join: /c/<code>")
    title: str
    state: dict[str, Any] = Field(description="mode, pushed scene, anonymous, spotlight (docs/classroom.md)")

    @classmethod
    def of(cls, record: ClassRecord) -> ClassOut:
        return cls(code=record.code, url=record.url, title=record.title, state=record.state.to_json())


class ClassCreated(ClassOut):
    """`POST /api/classes`'s answer: the class and the teacher's token (shown this once; keep it)."""

    teacher_token: str = Field(description="send as 'Authorization: Bearer <token>', or teacher=<token>")


class JoinBody(_Strict):
    """`POST /api/classes/{code}/members`: a learner joins."""

    name: str = Field(min_length=1, max_length=NAME_LENGTH, description="the learner's name in the class")


class MemberOut(BaseModel):
    """A learner of a class: `id` is their key in the class (the page keeps it)."""

    id: str
    name: str
    joined: str

    @classmethod
    def of(cls, member: Member) -> MemberOut:
        return cls(id=member.id, name=member.name, joined=member.joined)


# ---- the class socket: what the teacher sends -----------------------------------------------------------


class SetMode(_Strict):
    """Run the class in `mode`: "free" (release: each learner runs their own copy), "paused" (pause all),
    "watching" (everyone watches the teacher's broadcast)."""

    type: Literal["mode"]
    mode: Mode


class Push(_Strict):
    """Load the saved scene `scene` (an id) on every learner's page."""

    type: Literal["push"]
    scene: str = Field(min_length=1, max_length=40)


class Anonymous(_Strict):
    """Show learners' names, or 'Learner 1', 'Learner 2', … (by order of joining) on the teacher's screens."""

    type: Literal["anonymous"]
    on: bool


class Spotlight(_Strict):
    """Show one learner's run on the projector (None: nobody)."""

    type: Literal["spotlight"]
    member: str | None


class Collect(_Strict):
    """Ask every learner's page for a snapshot of their scene (saved as a class snapshot)."""

    type: Literal["collect"]


TeacherCommand = Annotated[SetMode | Push | Anonymous | Spotlight | Collect, Field(discriminator="type")]
teacher_command: TypeAdapter[TeacherCommand] = TypeAdapter(TeacherCommand)
