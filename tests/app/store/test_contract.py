"""The `SceneStore` contract, run against the embedded SQLite store and a real PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.store import SceneContent, StoreUnavailable, keys
from app.store.sql import SqlStore
from nncore import validate_config
from tests.app.store.conftest import query

XOR = validate_config({"data": {"dataset": "xor"}, "network": {"hidden": [2]}})
DRAWN = validate_config(
    {"data": {"points": [[0.1 + 0.2, -1 / 3], [2.5, 1e-300], [-0.0, 7.0]], "labels": [0, 1, 1]}}
)
WEIGHTS = [{"W": [[6.0, -6.0], [-6.0, 6.0]], "b": [-3.0, -3.0]}, {"W": [[4.0], [4.0]], "b": [4.0]}]
HISTORY = {"epoch": [1, 2, 3], "train_loss": [0.7, 0.5, 0.25], "test_loss": [None, None, None]}


def content(title: str = "XOR", **changes: object) -> SceneContent:
    parts: dict[str, object] = {"config": XOR, "weights": WEIGHTS, "history": HISTORY, **changes}
    return SceneContent(title, **parts)  # type: ignore[arg-type]


def test_a_created_scene_reads_back_whole(store: SqlStore) -> None:
    before = datetime.now(UTC)
    info = store.create(content(), keys.hash_token("t"))
    assert keys.is_id(info.id) and info.url == f"/s/{info.id}"
    assert (info.title, info.kind, info.class_id) == ("XOR", "scene", None)
    assert info.has_weights and info.history_points == 3 and info.size == content().size
    assert info.created == info.updated and before <= info.created <= datetime.now(UTC)
    assert info.created.tzinfo is not None and info.created.utcoffset() == timedelta(0)
    scene = store.get(info.id)
    assert scene is not None and scene.info == info and scene.content == content()


def test_numbers_and_text_come_back_exactly(store: SqlStore) -> None:
    title = "XOR 손으로 그린 점 — ünïcode ✓"
    info = store.create(content(title, config=DRAWN, weights=None, history=None), "h")
    scene = store.get(info.id)
    assert scene is not None
    assert scene.content.title == title and scene.content.config == DRAWN
    assert scene.content.config["data"]["points"][0] == [0.30000000000000004, -0.3333333333333333]
    assert scene.content.weights is None and scene.content.history is None
    assert not scene.info.has_weights and scene.info.history_points == 0
    assert scene.info.size == len(title.encode()) + len(scene.content.body.encode())


def test_ids_are_fresh_and_well_formed(store: SqlStore) -> None:
    ids = {store.create(content(), "h").id for _ in range(50)}
    assert len(ids) == 50 and all(keys.is_id(i) for i in ids)


def test_the_token_hash_is_kept_and_only_it(store: SqlStore) -> None:
    token = keys.new_token()
    info = store.create(content(), keys.hash_token(token))
    assert store.token_hash(info.id) == keys.hash_token(token)
    assert store.token_hash("AAAAAAAAAAAA") is None
    rows = query(store, "SELECT * FROM scenes")
    assert not any(token in str(value) for row in rows for value in row)


def test_update_replaces_the_content_and_keeps_id_kind_class_and_creation(store: SqlStore) -> None:
    first = store.create(content(), "h", kind="snapshot", class_id="class-1")
    changed = content("renamed", config=DRAWN, weights=None, history=None)
    info = store.update(first.id, changed)
    assert info is not None
    assert (info.id, info.kind, info.class_id, info.created) == (
        first.id,
        "snapshot",
        "class-1",
        first.created,
    )
    assert info.updated > first.updated and info.title == "renamed" and not info.has_weights
    scene = store.get(first.id)
    assert scene is not None and scene.content == changed and scene.info == info
    assert store.update("AAAAAAAAAAAA", changed) is None


def test_delete_removes_the_scene_once(store: SqlStore) -> None:
    info = store.create(content(), "h")
    other = store.create(content(), "h")
    assert store.delete(info.id) is True
    assert store.get(info.id) is None and store.token_hash(info.id) is None
    assert store.delete(info.id) is False
    assert store.get(other.id) is not None


def test_lookup_answers_in_the_order_asked_and_leaves_unknown_ids_out(store: SqlStore) -> None:
    a, b, c = (store.create(content(title), "h") for title in "abc")
    found = store.lookup([c.id, "AAAAAAAAAAAA", a.id, c.id, "not an id"])
    assert [info.id for info in found] == [c.id, a.id]
    assert found[0] == c and found[1] == a
    assert store.lookup([]) == [] and store.lookup(["AAAAAAAAAAAA"]) == []
    assert {info.title for info in store.lookup([b.id])} == {"b"}


def test_a_class_lists_its_scenes_oldest_first_by_kind(store: SqlStore) -> None:
    one = store.create(content("one"), "h", kind="snapshot", class_id="k1")
    pushed = store.create(content("pushed"), "h", kind="scene", class_id="k1")
    two = store.create(content("two"), "h", kind="snapshot", class_id="k1")
    store.create(content("elsewhere"), "h", kind="snapshot", class_id="k2")
    store.create(content("saved"), "h")
    assert [i.id for i in store.in_class("k1")] == [one.id, pushed.id, two.id]
    assert [i.id for i in store.in_class("k1", kind="snapshot")] == [one.id, two.id]
    assert store.in_class("nobody") == []


def test_a_clash_of_ids_takes_a_fresh_one(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = store.create(content("first"), "h")
    fresh = keys.new_id()
    offered = iter([taken.id, taken.id, fresh])
    monkeypatch.setattr(keys, "new_id", lambda: next(offered))
    info = store.create(content("second"), "h")
    assert info.id == fresh
    first = store.get(taken.id)
    assert first is not None and first.info.title == "first"  # the clash overwrote nothing
    monkeypatch.setattr(keys, "new_id", lambda: taken.id)
    with pytest.raises(StoreUnavailable, match="no free scene id"):
        store.create(content("third"), "h")


def test_threads_use_the_store_at_once(store: SqlStore) -> None:
    """Request threads share one store: each operation takes its own connection."""
    made: list[str] = []
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for j in range(8):
                info = store.create(content(f"{k}-{j}"), "h")
                assert store.update(info.id, content(f"{k}-{j}!")) is not None
                made.append(info.id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(made)) == 48
    assert sorted(i.title for i in store.lookup(made)) == sorted(
        f"{k}-{j}!" for k in range(6) for j in range(8)
    )
