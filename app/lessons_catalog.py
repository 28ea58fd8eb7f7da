"""The lessons: prepared scenes, one JSON file each in `app/lessons/`, loaded once and checked on load.

A lesson file `NN-<id>.json` holds::

    {"id": "one-neuron-is-a-line", "number": 1, "title": "...", "era": "...",      # era optional
     "story": "...", "try": "...", "look_for": "...", "claim": "...",              # story optional
     "config": {...},                       # a whole config (docs/config.md), as the page loads it
     "display": {"speed": 10, "focus": ["compare"], "landscape": false},         # optional page settings
     "base_label": "SGD",                   # optional: the name of the base run when there are variants
     "variants": [{"label": "Adam", "overrides": {"training": {"optimizer": "adam"}}}, ...]}   # optional

`overrides` are merged into the base config key by key (objects merge, everything else replaces), and the
result is what the side-by-side run trains. Every config, the base one and each variant's, must pass
`nncore.validate_config`; a broken lesson file raises `LessonError` naming the file and the problem.
The format and the twelve lessons are described in docs/lessons.md.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from nncore.config import validate_config

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"

_TEXT_FIELDS = ("title", "try", "look_for", "claim")
_OPTIONAL_TEXT = ("era", "story", "base_label")
_KNOWN = {"id", "number", "config", "display", "variants", *_TEXT_FIELDS, *_OPTIONAL_TEXT}
_SUMMARY = ("id", "number", "title", "era", "claim")
#: What `display` may say: the speed (epochs per second, 0 = as fast as possible), the views to highlight,
#: which loss the side-by-side plot overlays ("train" or "test"), and the extras of lessons 4 (the activation
#: gallery) and 9 (the loss landscape).
FOCUS = ("plane", "network", "neuron", "curves", "compare", "timeline")
_DISPLAY = {"speed", "focus", "compare", "landscape", "gallery"}


class LessonError(ValueError):
    """A lesson file that cannot be served."""


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A new dict: `base` with `overrides` merged in (nested dicts merge, any other value replaces)."""
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _check_config(config: Any, where: str) -> dict[str, Any]:
    """The normalized config; LessonError if it is not a valid one."""
    if not isinstance(config, dict):
        raise LessonError(f"{where}: the config must be an object")
    try:
        return validate_config(config)
    except ValueError as exc:
        raise LessonError(f"{where}: invalid config: {exc}") from exc


def _check_display(display: Any, normalized: dict[str, Any], name: str) -> None:
    if not isinstance(display, dict) or set(display) - _DISPLAY:
        raise LessonError(
            f"{name}: 'display' must be an object with keys from: {', '.join(sorted(_DISPLAY))}"
        )
    speed = display.get("speed", 0)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or speed < 0:
        raise LessonError(f"{name}: display.speed must be a number >= 0 (epochs per second), got {speed!r}")
    focus = display.get("focus", [])
    if not isinstance(focus, list) or any(f not in FOCUS for f in focus):
        raise LessonError(f"{name}: display.focus must be a list of: {', '.join(FOCUS)}; got {focus!r}")
    if display.get("compare", "train") not in ("train", "test"):
        raise LessonError(f"{name}: display.compare must be 'train' or 'test' (the loss to overlay)")
    for flag in ("landscape", "gallery"):
        if not isinstance(display.get(flag, False), bool):
            raise LessonError(f"{name}: display.{flag} must be true or false")
    if display.get("landscape") and (
        normalized["network"]["hidden"] or normalized["training"]["rule"] != "backprop"
    ):
        raise LessonError(f"{name}: display.landscape needs a single neuron trained by backprop")


def check_lesson(raw: Any, name: str) -> dict[str, Any]:
    """Check one parsed lesson file called `name`; return it with each variant's merged `config` added."""
    if not isinstance(raw, dict):
        raise LessonError(f"{name}: a lesson must be a JSON object")
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        raise LessonError(f"{name}: unknown keys {unknown}; a lesson has: {', '.join(sorted(_KNOWN))}")
    lesson_id, number = raw.get("id"), raw.get("number")
    if (
        not isinstance(lesson_id, str)
        or not lesson_id.replace("-", "").isalnum()
        or lesson_id != lesson_id.lower()
    ):
        raise LessonError(f"{name}: 'id' must be lower-case letters, digits and dashes, got {lesson_id!r}")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise LessonError(f"{name}: 'number' must be an integer >= 1, got {number!r}")
    expected = f"{number:02d}-{lesson_id}.json"
    if name != expected:
        raise LessonError(f"{name}: the file of lesson {number} '{lesson_id}' must be called {expected}")
    for key in _TEXT_FIELDS:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise LessonError(f"{name}: '{key}' must be a non-empty string")
    for key in _OPTIONAL_TEXT:
        if key in raw and not isinstance(raw[key], str):
            raise LessonError(f"{name}: '{key}' must be a string")
    normalized = _check_config(raw.get("config"), name)
    _check_display(raw.get("display", {}), normalized, name)
    lesson = copy.deepcopy(raw)
    lesson.setdefault("display", {})
    variants = raw.get("variants", [])
    if not isinstance(variants, list):
        raise LessonError(f"{name}: 'variants' must be a list")
    lesson["variants"] = []
    for k, variant in enumerate(variants):
        where = f"{name}: variants[{k}]"
        if not isinstance(variant, dict) or set(variant) != {"label", "overrides"}:
            raise LessonError(f"{where} must be an object with exactly 'label' and 'overrides'")
        if not isinstance(variant["label"], str) or not isinstance(variant["overrides"], dict):
            raise LessonError(f"{where}: 'label' must be a string and 'overrides' an object")
        config = merge(raw["config"], variant["overrides"])
        _check_config(config, where)
        lesson["variants"].append({**copy.deepcopy(variant), "config": config})
    return lesson


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
