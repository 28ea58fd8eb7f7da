"""The lessons: prepared scenes, one JSON file each in `app/lessons/`, loaded once and checked on load.

A lesson file `NN-<id>.json` holds::

    {"id": "one-neuron-is-a-line", "number": 1, "title": "...", "era": "...",      # era optional
     "story": "...", "try": "...", "look_for": "...", "claim": "...",              # story optional
     "config": {...},                       # a whole config (docs/config.md), as the page loads it
     "display": {"speed": 10, "focus": ["compare"], "landscape": false},         # optional page settings
     "base_label": "SGD",                   # optional: the name of the base run when there are variants
     "variants": [{"label": "Adam", "overrides": {"training": {"optimizer": "adam"}}}, ...],   # optional
     "check": [{"label": "Adam below half of SGD", "run": "Adam", "metric": "train_loss",      # optional
                "op": "<=", "than": {"run": "SGD", "metric": "train_loss"}, "times": 0.5}, ...]}

`overrides` are merged into the base config key by key (objects merge, everything else replaces), and the
result is what the side-by-side run trains. `check` is the claim as conditions over the numbers on screen,
which the page evaluates as the runs train and ticks the claim when all hold (static/js/claim_check.js). The
format is the pydantic model `Lesson`, published as a JSON
Schema in docs/lesson.schema.json; every config, the base one and each variant's, must also pass
`nncore.validate_config`. A broken lesson file raises `LessonError` naming the file and the problem. The
format and the twelve lessons are described in docs/lessons.md.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.errors import dotted
from nncore.config import validate_config

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"

_SUMMARY = ("id", "number", "title", "era", "claim")
Focus = Literal["plane", "network", "neuron", "curves", "compare", "timeline"]
FOCUS: tuple[str, ...] = get_args(Focus)  # the views `display.focus` may highlight


_TEXT = r"\S"  # a text with something in it


class LessonError(ValueError):
    """A lesson file that cannot be served."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Display(_Strict):
    """How the page shows the lesson."""

    speed: float = Field(0, ge=0, description="epochs per second; 0 = as fast as possible")
    focus: list[Focus] = Field([], description="the views to highlight")
    compare: Literal["train", "test"] = Field("train", description="the loss the side-by-side plot overlays")
    landscape: bool = Field(False, description="lesson 9's loss landscape (a single backprop neuron)")
    gallery: bool = Field(False, description="lesson 4's activation gallery")

    @field_validator("focus", mode="wrap")
    @classmethod
    def _focus(cls, value: Any, handler: Any) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise ValueError(f"must be a list of: {', '.join(FOCUS)}; got {value!r}") from None


Metric = Literal[
    "epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "mistakes", "weight_norm",
    "landscape_cells",
]  # fmt: skip
METRICS: tuple[str, ...] = get_args(Metric)  # frame metrics, epoch, ‖all weights‖, lesson 9's distance
Stat = Literal["last", "first", "min", "max"]
Op = Literal[">=", ">", "<=", "<", "=="]
RunEvent = Literal["converged", "diverged", "early_stopped", "finished", "unbounded"]


class Measure(_Strict):
    """One number on screen: a run's metric, over the epochs it has shown (`stat`)."""

    run: str = Field("", description="the run's label (base_label or a variant's label); empty: the main run")
    metric: Metric = Field(
        description="a frame metric, the epoch, weight_norm (‖every weight and bias‖) or landscape_cells "
        "(lesson 9: grid cells from the path's end to the surface's lowest cell)"
    )
    stat: Stat = Field("last", description="which of the epochs shown: the last, first, lowest or highest")


class Condition(_Strict):
    """One part of a claim the page can see: `run` reported `event`, or its measure compares (`op`) with a
    number `value` or with another measure `than`, as `than × times + plus`."""

    label: str = Field(pattern=_TEXT, description="what the page lists, e.g. 'tanh: test accuracy ≥ 95 %'")
    run: str = Field("", description="the run's label; empty: the main run")
    event: RunEvent | None = Field(None, description="holds once the run reported this event")
    metric: Metric | None = None
    stat: Stat = "last"
    op: Op = ">="
    value: float | None = Field(None, description="the number to compare with")
    than: Measure | None = Field(None, description="or the measure to compare with")
    times: float = 1.0
    plus: float = 0.0

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        if (self.event is None) == (self.metric is None):
            raise ValueError("needs either an event or a metric")
        if self.metric is not None and (self.value is None) == (self.than is None):
            raise ValueError("a metric is compared with a value or with another measure (than), one of them")
        return self


class Variant(_Strict):
    """A run beside the base one: the base config with `overrides` merged in (see `merge`)."""

    label: str
    overrides: dict[str, Any]


class Lesson(_Strict):
    """One lesson file, `NN-<id>.json` (docs/lessons.md)."""

    model_config = ConfigDict(extra="forbid", strict=True, title="nnlive lesson")

    id: str = Field(pattern=r"^[a-z0-9-]+$", description="lower-case letters, digits and dashes")
    number: int = Field(ge=1)
    title: str = Field(pattern=_TEXT, description="a non-empty text")
    era: str = ""
    story: str = ""
    try_: str = Field(alias="try", pattern=_TEXT, description="a non-empty text: what to try")
    look_for: str = Field(pattern=_TEXT, description="a non-empty text: what to look for")
    claim: str = Field(pattern=_TEXT, description="a non-empty text: what the lesson shows")
    config: dict[str, Any] = Field(description="a whole config (docs/config.md), as the page loads it")
    display: Display = Display()
    base_label: str = Field("", description="the name of the base run when there are variants")
    variants: list[Variant] = []
    check: list[Condition] = Field([], description="the claim as conditions over the numbers on screen")

    @field_validator("config")
    @classmethod
    def _config(cls, config: dict[str, Any]) -> dict[str, Any]:
        try:
            validate_config(config)
        except ValueError as exc:
            raise ValueError(f"is not a valid config: {exc}") from None
        return config

    @model_validator(mode="after")
    def _runs(self) -> Lesson:
        """Each variant's merged config is valid; the landscape needs a single backprop neuron."""
        for k, variant in enumerate(self.variants):
            try:
                validate_config(merge(self.config, variant.overrides))
            except ValueError as exc:
                raise ValueError(f"variants[{k}].overrides make an invalid config: {exc}") from None
        normalized = validate_config(self.config)
        single = not normalized["network"]["hidden"] and normalized["training"]["rule"] == "backprop"
        if self.display.landscape and not single:
            raise ValueError("display.landscape needs a single neuron trained by backprop")
        runs = {"", self.base_label, *(v.label for v in self.variants)}
        for k, condition in enumerate(self.check):
            for where, run in ((f"check[{k}].run", condition.run), (f"check[{k}].than.run", condition.than)):
                name = run.run if isinstance(run, Measure) else run
                if isinstance(name, str) and name not in runs:
                    known = ", ".join(repr(r) for r in sorted(runs) if r)
                    raise ValueError(f"{where} {name!r} is not a run of this lesson; the runs are: {known}")
            uses_landscape = "landscape_cells" in (condition.metric, condition.than and condition.than.metric)
            if uses_landscape and not self.display.landscape:
                raise ValueError(f"check[{k}] measures landscape_cells: it needs display.landscape")
        return self


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A new dict: `base` with `overrides` merged in (nested dicts merge, any other value replaces)."""
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _problem(error: Any) -> str:
    """A pydantic error as `<field> <what is wrong>`."""
    where = dotted(error["loc"])
    field = Lesson.model_fields.get("try_" if where == "try" else where)
    if error["type"] == "value_error":  # our own words, written to follow the field's name
        message = str(error["msg"]).removeprefix("Value error, ")
    elif error["type"] == "extra_forbidden":
        message = "is not a key of a lesson (docs/lessons.md)"
    elif error["type"] == "missing":
        message = "is required"
    elif error["type"] == "string_pattern_mismatch" and field is not None:
        message = f"must be {field.description}, got {error['input']!r}"
    else:
        message = f"{str(error['msg'])[:1].lower()}{str(error['msg'])[1:]}, got {error['input']!r}"
        return f"{where}: {message}" if where else message
    return f"{where} {message}" if where else message


def check_lesson(raw: Any, name: str) -> dict[str, Any]:
    """Check one parsed lesson file called `name`; return it with each variant's merged `config` added."""
    try:
        lesson = Lesson.model_validate(raw)
    except ValidationError as exc:
        raise LessonError(f"{name}: " + "; ".join(_problem(e) for e in exc.errors())) from None
    expected = f"{lesson.number:02d}-{lesson.id}.json"
    if name != expected:
        raise LessonError(
            f"{name}: the file of lesson {lesson.number} '{lesson.id}' must be called {expected}"
        )
    out = copy.deepcopy(raw)
    out.setdefault("display", {})
    out["variants"] = [
        {**copy.deepcopy(variant), "config": merge(raw["config"], variant["overrides"])}
        for variant in raw.get("variants", [])
    ]
    return out


def schema() -> dict[str, Any]:
    """The JSON Schema of a lesson file, published as docs/lesson.schema.json (a test keeps the two equal)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **Lesson.model_json_schema(by_alias=True),
    }


@cache
def _load(directory: Path) -> tuple[dict[str, Any], ...]:
    lessons = []
    for path in sorted(directory.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise LessonError(f"{path.name}: not valid JSON: {exc}") from exc
        lessons.append(check_lesson(raw, path.name))
    lessons.sort(key=lambda lesson: lesson["number"])
    numbers = [lesson["number"] for lesson in lessons]
    if numbers != list(range(1, len(lessons) + 1)):
        raise LessonError(f"lessons must be numbered 1, 2, 3, … without gaps or repeats; found {numbers}")
    return tuple(lessons)


def lessons(directory: Path = LESSONS_DIR) -> list[dict[str, Any]]:
    """Every lesson, sorted by number (deep copies: callers may change them)."""
    return copy.deepcopy(list(_load(directory)))


def summaries(directory: Path = LESSONS_DIR) -> list[dict[str, Any]]:
    """The list the lessons panel shows: id, number, title, era, claim and whether it runs side by side."""
    return [
        {**{key: lesson.get(key, "") for key in _SUMMARY}, "side_by_side": bool(lesson["variants"])}
        for lesson in _load(directory)
    ]


def get_lesson(lesson_id: str, directory: Path = LESSONS_DIR) -> dict[str, Any]:
    """One lesson with its full config; `KeyError` with a readable message for an unknown id."""
    for lesson in _load(directory):
        if lesson["id"] == lesson_id:
            return copy.deepcopy(lesson)
    known = ", ".join(lesson["id"] for lesson in _load(directory))
    raise KeyError(f"unknown lesson {lesson_id!r}; the lessons are: {known}")
