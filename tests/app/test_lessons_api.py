"""The lessons API: the list in order, each lesson's config validates, a clear 404, the landscape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import lessons_catalog
from app.main import app
from nncore.config import validate_config

client = TestClient(app)

TITLES = [
    "One neuron is a line",
    "XOR breaks a single perceptron",
    "Two layers solve XOR",
    "Activation functions add non-linearity",
    "Old rules side by side",
    "Gradient descent and the learning rate",
    "Loss functions",
    "Optimizers race",
    "The loss landscape",
    "Overfitting and generalization",
    "Many classes",
    "Going deep",
]


def test_list_is_the_twelve_lessons_in_order() -> None:
    response = client.get("/api/lessons")
    assert response.status_code == 200
    items = response.json()["lessons"]
    assert [item["number"] for item in items] == list(range(1, 13))
    assert [item["title"] for item in items] == TITLES
    assert len({item["id"] for item in items}) == 12
    for item in items:
        assert item["claim"].strip()
        assert "config" not in item  # the list is short; one lesson carries its config
    side_by_side = {item["number"] for item in items if item["side_by_side"]}
    assert {5, 8} <= side_by_side


@pytest.mark.parametrize("number", range(1, 13))
def test_each_lesson_has_texts_and_a_config_that_validates(number: int) -> None:
    lesson_id = client.get("/api/lessons").json()["lessons"][number - 1]["id"]
    response = client.get(f"/api/lessons/{lesson_id}")
    assert response.status_code == 200
    lesson = response.json()
    assert lesson["id"] == lesson_id and lesson["number"] == number
    assert lesson["title"] == TITLES[number - 1]
    for key in ("try", "look_for", "claim"):
        assert isinstance(lesson[key], str) and len(lesson[key]) > 40, key
    normalized = validate_config(lesson["config"])
    assert normalized["training"]["epochs"] >= 1
    for variant in lesson["variants"]:
        assert variant["label"]
        assert variant["config"] == lessons_catalog.merge(lesson["config"], variant["overrides"])
        validate_config(variant["config"])
        assert variant["config"] != lesson["config"]


def test_unknown_lesson_is_a_404_naming_the_lessons() -> None:
    response = client.get("/api/lessons/no-such-lesson")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "unknown lesson 'no-such-lesson'" in detail
    assert "one-neuron-is-a-line" in detail and "going-deep" in detail


def test_merge_merges_objects_and_replaces_everything_else() -> None:
    base = {"network": {"hidden": [8], "activation": "tanh"}, "training": {"lr": 1}, "seed": 0}
    merged = lessons_catalog.merge(base, {"network": {"hidden": [8, 8, 8]}, "seed": 3})
    assert merged == {
        "network": {"hidden": [8, 8, 8], "activation": "tanh"},
        "training": {"lr": 1},
        "seed": 3,
    }
    assert base["network"]["hidden"] == [8]  # the base is not changed


def _write(tmp_path, name: str, lesson: dict) -> None:
    (tmp_path / name).write_text(json.dumps(lesson))


def _valid(number: int = 1, lesson_id: str = "a-lesson") -> dict:
    return {
        "id": lesson_id,
        "number": number,
        "title": "A lesson",
        "try": "Press play.",
        "look_for": "The line.",
        "claim": "It works.",
        "config": {"data": {"dataset": "and", "test_fraction": 0.0}, "network": {"hidden": []}},
    }


def test_catalog_rejects_a_bad_config_naming_the_file_and_the_field(tmp_path) -> None:
    bad = _valid()
    bad["config"]["training"] = {"learning_rate": -1}
    _write(tmp_path, "01-a-lesson.json", bad)
    with pytest.raises(lessons_catalog.LessonError, match=r"01-a-lesson.json.*training.learning_rate"):
        lessons_catalog.lessons(tmp_path)


def test_catalog_rejects_a_bad_variant_and_a_misnamed_file(tmp_path) -> None:
    bad = _valid()
    bad["variants"] = [{"label": "x", "overrides": {"training": {"optimizer": "nope"}}}]
    _write(tmp_path, "01-a-lesson.json", bad)
    with pytest.raises(lessons_catalog.LessonError, match=r"variants\[0\].*optimizer"):
        lessons_catalog.lessons(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    _write(other, "1-a-lesson.json", _valid())
    with pytest.raises(lessons_catalog.LessonError, match=r"must be called 01-a-lesson\.json"):
        lessons_catalog.lessons(other)


def test_catalog_rejects_gaps_in_the_numbering(tmp_path) -> None:
    _write(tmp_path, "01-a-lesson.json", _valid(1, "a-lesson"))
    _write(tmp_path, "03-b-lesson.json", _valid(3, "b-lesson"))
    with pytest.raises(lessons_catalog.LessonError, match=r"without gaps.*\[1, 3\]"):
        lessons_catalog.lessons(tmp_path)


def test_landscape_endpoint_returns_the_surface_and_the_path_of_lesson_9() -> None:
    config = client.get("/api/lessons/loss-landscape").json()["config"]
    response = client.post("/api/landscape", json={"config": config, "grid": 11})
    assert response.status_code == 200
    body = response.json()
    assert len(body["w1"]) == len(body["w2"]) == 11
    assert len(body["loss"]) == 11 and all(len(row) == 11 for row in body["loss"])
    assert body["loss_name"] == "bce"
    assert body["path"]["w1"][0] == config["network"]["weights"][0]["W"][0][0]
    assert len(body["path"]["w1"]) == config["training"]["epochs"] + 1  # full batch: one update per epoch
    assert body["minimum"]["loss"] == min(min(row) for row in body["loss"])


def test_landscape_endpoint_refuses_a_network_with_hidden_layers_with_a_readable_422() -> None:
    config = {"data": {"dataset": "circle"}, "network": {"hidden": [4]}}
    response = client.post("/api/landscape", json={"config": config})
    assert response.status_code == 422
    [problem] = response.json()["detail"]  # the app's common 422 shape
    assert problem["field"] == "network.hidden" and "single neuron" in problem["message"]
    bad_grid = client.post("/api/landscape", json={"config": config, "grid": 1000})
    assert bad_grid.status_code == 422


def test_catalog_rejects_bad_display_settings(tmp_path) -> None:
    bad = _valid()
    bad["display"] = {"speed": 10, "focus": ["everything"]}
    _write(tmp_path, "01-a-lesson.json", bad)
    with pytest.raises(lessons_catalog.LessonError, match=r"display\.focus must be a list of: plane"):
        lessons_catalog.lessons(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    deep = _valid()
    deep["config"]["network"] = {"hidden": [4]}
    deep["config"]["data"] = {"dataset": "circle"}
    deep["display"] = {"landscape": True}
    _write(other, "01-a-lesson.json", deep)
    with pytest.raises(lessons_catalog.LessonError, match="landscape needs a single neuron"):
        lessons_catalog.lessons(other)


def test_landscape_refuses_unknown_keys_like_the_other_requests() -> None:
    config = client.get("/api/lessons/loss-landscape").json()["config"]
    response = client.post("/api/landscape", json={"config": config, "grid": 11, "colour": "red"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "colour"


def test_the_published_json_schema_is_the_lesson_model() -> None:
    """docs/lesson.schema.json is what `Lesson` says; regenerate it with
    `python -c "import json; from app.lessons_catalog import schema; print(json.dumps(schema(), indent=2,
    ensure_ascii=False))" > docs/lesson.schema.json` after changing the model."""
    published = Path(__file__).resolve().parents[2] / "docs" / "lesson.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == lessons_catalog.schema()
    keys = set(lessons_catalog.schema()["properties"])
    assert {"id", "number", "title", "try", "look_for", "claim", "config", "display", "variants"} <= keys
    for lesson in lessons_catalog.lessons():  # every lesson file is an instance of the model
        raw = {k: v for k, v in lesson.items() if k != "variants"}
        raw["variants"] = [{"label": v["label"], "overrides": v["overrides"]} for v in lesson["variants"]]
        lessons_catalog.Lesson.model_validate(raw)


def test_a_lesson_error_names_the_file_the_field_and_what_is_allowed(tmp_path) -> None:
    for change, expected in [
        ({"id": "A Lesson"}, r"01-a-lesson.json: id must be lower-case letters, digits and dashes"),
        ({"claim": "  "}, r"claim must be a non-empty text"),
        ({"colour": "red"}, r"colour is not a key of a lesson"),
        ({"number": 0}, r"number: input should be greater than or equal to 1"),
    ]:
        with pytest.raises(lessons_catalog.LessonError, match=expected):
            lessons_catalog.check_lesson({**_valid(), **change}, "01-a-lesson.json")


def test_the_landscape_has_a_work_budget_like_training() -> None:
    from app.main import create_app
    from app.settings import Settings
    from nncore.cost import landscape_work

    config = client.get("/api/lessons/loss-landscape").json()["config"]
    work = landscape_work(validate_config(config), 41)
    tight = TestClient(create_app(Settings(train_budget=work.training + 0.5 * work.grids)))
    response = tight.post("/api/landscape", json={"config": config, "grid": 41})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "grid" and problem["value"] == 41 and "the surface" in problem["allowed"]
    assert tight.post("/api/landscape", json={"config": config, "grid": 11}).status_code == 200
    starved = TestClient(create_app(Settings(train_budget=0.5 * work.training)))
    [problem] = starved.post("/api/landscape", json={"config": config, "grid": 11}).json()["detail"]
    assert problem["field"] == "training.epochs"


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ([{"label": "x", "run": "nobody", "event": "converged"}], "check[0].run 'nobody' is not a run"),
        ([{"label": "x", "metric": "epoch"}], "value or with another measure"),
        ([{"label": "x", "metric": "epoch", "value": 1, "event": "finished"}], "either an event or a metric"),
        ([{"label": "x", "metric": "speed", "value": 1}], "check[0].metric: input should be"),
        ([{"label": "x", "metric": "epoch", "op": "=>", "value": 1}], "check[0].op: input should be"),
        ([{"label": "x", "metric": "landscape_cells", "op": "<=", "value": 1}], "needs display.landscape"),
        (
            [{"label": "x", "metric": "epoch", "value": 1, "than": {"run": "ghost", "metric": "epoch"}}],
            "value or with another measure",
        ),
        (
            [{"label": "x", "metric": "epoch", "than": {"run": "ghost", "metric": "epoch"}}],
            "'ghost' is not a run",
        ),
    ],
)
def test_a_claim_check_names_what_is_wrong(check: list[dict[str, Any]], message: str) -> None:
    raw = json.loads((lessons_catalog.LESSONS_DIR / "08-optimizers-race.json").read_text(encoding="utf-8"))
    with pytest.raises(lessons_catalog.LessonError) as info:
        lessons_catalog.check_lesson({**raw, "check": check}, "08-optimizers-race.json")
    assert message in str(info.value)
