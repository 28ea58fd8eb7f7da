"""The scheduler: turns on a worker thread, at most one queued place per session, timed wake-ups, failures —
through the narrow `Turns` interface only (the sessions here have no room for anything else)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.live.scheduler import Scheduler


class Fake:
    """A session with only what the scheduler may use: `id`, `turn()` and `fail()` (slots: nothing else)."""

    __slots__ = ("failed", "id", "plan", "turns")

    def __init__(self, ident: int, plan: Callable[[int], float | None]) -> None:
        self.id, self.plan, self.turns, self.failed = ident, plan, [], threading.Event()

    def turn(self) -> float | None:
        self.turns.append(time.monotonic())
        return self.plan(len(self.turns))

    def fail(self) -> None:
        self.failed.set()


def eventually(done: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `done()` (a busy machine may take a while), then a little longer for any extra turn."""
    end = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)
    time.sleep(0.1)


def test_a_session_gets_a_turn_when_woken_and_waits_for_a_command_when_it_says_none() -> None:
    scheduler = Scheduler(threads=1, name="test-scheduler")
    idle = Fake(1, lambda n: None)
    scheduler.wake(idle)
    eventually(lambda: len(idle.turns) == 1)
    assert len(idle.turns) == 1
    for _ in range(5):
        scheduler.wake(idle)
    eventually(lambda: len(idle.turns) >= 2)
    assert 2 <= len(idle.turns) <= 6  # woken again; never more turns than wake-ups


def test_a_session_queued_many_times_gets_one_place() -> None:
    scheduler = Scheduler(threads=1, name="test-scheduler")
    gate = threading.Event()
    blocker = Fake(1, lambda n: (gate.wait(), None)[1])
    waiting = Fake(2, lambda n: None)
    scheduler.wake(blocker)
    eventually(lambda: len(blocker.turns) == 1)  # the only worker is busy with the blocker
    for _ in range(10):
        scheduler.wake(waiting)
    assert scheduler.waiting() == 1
    gate.set()
    eventually(lambda: len(waiting.turns) >= 1)
    assert len(waiting.turns) == 1


def test_a_timed_wake_up_is_not_early_and_a_command_makes_it_now() -> None:
    scheduler = Scheduler(threads=1, name="test-scheduler")
    later = Fake(1, lambda n: time.monotonic() + 0.3 if n == 1 else None)
    scheduler.wake(later)
    eventually(lambda: len(later.turns) == 2)
    assert later.turns[1] - later.turns[0] >= 0.3
    sleeper = Fake(2, lambda n: time.monotonic() + 60 if n == 1 else None)
    scheduler.wake(sleeper)
    eventually(lambda: len(sleeper.turns) == 1)
    scheduler.wake(sleeper)  # a command arrives: no need to wait a minute
    eventually(lambda: len(sleeper.turns) == 2, timeout=30)


def test_turns_take_turns_and_a_failing_session_ends_alone() -> None:
    scheduler = Scheduler(threads=1, name="test-scheduler")
    a, b = Fake(1, lambda n: 0.0 if n < 20 else None), Fake(2, lambda n: 0.0 if n < 20 else None)

    def boom(n: int) -> float | None:
        raise RuntimeError("a bug in a turn")

    broken = Fake(3, boom)
    for session in (a, b, broken):
        scheduler.wake(session)
    eventually(lambda: len(a.turns) == len(b.turns) == 20 and broken.failed.is_set())
    assert len(a.turns) == len(b.turns) == 20
    order = "".join(name for _, name in sorted([(t, "a") for t in a.turns] + [(t, "b") for t in b.turns]))
    assert "aaa" not in order and "bbb" not in order  # equal sessions take turns (within a grain: in order)
    assert broken.failed.is_set() and len(broken.turns) == 1


def burn(seconds: float) -> None:
    """Use `seconds` of this thread's CPU."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_session_with_expensive_turns_gets_no_more_cpu_than_a_cheap_one() -> None:
    """Fair shares: a turn's CPU time moves its session ahead in the queue, so a session whose turns cost 20
    ms gets about a tenth of the turns of one whose turns cost 2 ms — the same CPU — not as many."""
    scheduler = Scheduler(threads=1, name="test-scheduler")
    cheap = Fake(1, lambda n: (burn(0.002), 0.0 if n < 200 else None)[1])
    heavy = Fake(2, lambda n: (burn(0.020), 0.0 if n < 200 else None)[1])
    scheduler.wake(heavy)
    scheduler.wake(cheap)
    eventually(lambda: len(cheap.turns) >= 100)
    ratio = len(cheap.turns) / len(heavy.turns)
    assert 5 <= ratio <= 20  # about 10 (plain first come, first served: 1)
