"""Classes and their learners in the store (migration 0002), on SQLite and a real PostgreSQL in turn."""

from __future__ import annotations

from app.classroom.records import CODE_ALPHABET, CODE_LENGTH, ClassState, ClassTable, normal_code
from app.store import keys
from app.store.sql import SqlStore


def test_a_class_is_created_found_and_changed(store: SqlStore) -> None:
    classes = ClassTable(store)
    token = keys.new_token()
    record = classes.create("Monday's class", keys.hash_token(token), ClassState(anonymous=True))
    assert len(record.code) == CODE_LENGTH and set(record.code) <= set(CODE_ALPHABET)
    assert record.url == f"/c/{record.code}"
    found = classes.get(record.code)
    assert found == record and found.state.anonymous and found.state.mode == "free"
    assert classes.teacher_matches(record.code, token)
    assert not classes.teacher_matches(record.code, keys.new_token())
    assert not classes.teacher_matches("ZZZZZZ", token)
    state = found.state.changed(mode="watching", scene="U3FibKiTBsTw", scene_version=1)
    classes.set_state(record.code, state)
    assert classes.get(record.code).state == state
    assert classes.get("ZZZZZZ") is None


def test_learners_join_in_order(store: SqlStore) -> None:
    classes = ClassTable(store)
    code = classes.create("", keys.hash_token(keys.new_token())).code
    other = classes.create("", keys.hash_token(keys.new_token())).code
    ada, bo = classes.join(code, "Ada"), classes.join(code, "Bo")
    classes.join(other, "Cy")
    assert [m.name for m in classes.members(code)] == ["Ada", "Bo"]
    assert classes.member(code, bo.id) == bo
    assert classes.member(other, ada.id) is None  # a member id belongs to its class only
    assert keys.is_id(ada.id) and ada.id != bo.id


def test_codes_are_read_whatever_the_case() -> None:
    assert normal_code(" abc234 ") == "ABC234"
    assert normal_code("ABC23") is None and normal_code("ABCD0O") is None  # too short; 0 and O are not used
