"""The outbox: texts in order and never dropped, the newest frame wins, the token bucket, the cut-off."""

from __future__ import annotations

import asyncio

import pytest

from app.live.outbox import FRAME_BURST, MAX_PENDING_TEXTS, Outbox, TokenBucket
from app.protocol import Ack, Event


def test_the_token_bucket_lets_a_burst_through_then_one_token_per_interval() -> None:
    bucket = TokenBucket(burst=FRAME_BURST, tokens=FRAME_BURST, at=0.0)
    assert [bucket.take(0.0, rate=10.0) for _ in range(int(FRAME_BURST))] == [0.0] * int(FRAME_BURST)
    assert bucket.take(0.0, rate=10.0) == pytest.approx(0.1)  # empty: the next token in 1/rate
    assert bucket.take(0.05, rate=10.0) == pytest.approx(0.05)
    assert bucket.take(0.1, rate=10.0) == 0.0
    assert bucket.take(100.0, rate=10.0) == 0.0 and bucket.tokens == pytest.approx(FRAME_BURST - 1)  # capped


def test_texts_keep_their_order_and_the_newest_frame_wins() -> None:
    async def scenario() -> list[object]:
        outbox = Outbox(fps=1000.0, on_overflow=lambda: None)
        outbox.attach()
        outbox.post(Event(event="playing", epoch=0, message="playing"))
        assert outbox.wants_frame()
        for frame in (b"old", b"older", b"newest"):
            outbox.offer_frame(frame)
        assert not outbox.wants_frame()  # one waits: the worker computes no other
        outbox.put(Ack(id=1, of="set"))
        outbox.put(Ack(id=2, of="set"))
        outbox.close()
        sent = []
        async for item in outbox.drain():
            sent.append(item)
        assert outbox.wants_frame()  # sent: the next one would go out
        return sent

    sent = asyncio.run(scenario())
    assert [getattr(m, "type", m) for m in sent] == ["event", "ack", "ack", b"newest"]
    assert [m.id for m in sent if isinstance(m, Ack)] == [1, 2]


def test_a_client_that_lets_texts_pile_up_overflows_once_its_limit_is_passed() -> None:
    overflows: list[int] = []
    outbox = Outbox(fps=30.0, on_overflow=lambda: overflows.append(1))
    for k in range(MAX_PENDING_TEXTS):
        outbox.put(Ack(id=k, of="set"))
    assert overflows == []
    outbox.put(Ack(id="one too many", of="set"))
    assert overflows == [1]
