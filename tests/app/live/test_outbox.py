"""The outbox: texts in order and never dropped, the newest frame wins, the token bucket, the cut-off."""

from __future__ import annotations

import asyncio
import json

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
    sent_frames: list[int] = []

    async def scenario() -> list[object]:
        outbox = Outbox(fps=30.0, on_overflow=lambda: None, on_sent=sent_frames.append)
        outbox.attach()
        outbox.post(Event(event="playing", epoch=0, message="playing"))
        for seq, frame in enumerate((b"old", b"older", b"newest"), start=1):
            outbox.offer_frame(seq, 1000.0, frame)
        assert outbox.fps == 1000.0  # the rate of the latest frame offered
        outbox.put(Ack(id=1, of="set").model_dump_json())
        outbox.put(Ack(id=2, of="set").model_dump_json())
        outbox.close()
        sent: list[object] = []
        async for item in outbox.drain():
            sent.append(item)
        return sent

    sent = asyncio.run(scenario())
    texts = [json.loads(m) for m in sent if isinstance(m, str)]
    assert [t["type"] for t in texts] == ["event", "ack", "ack"] and [t["id"] for t in texts[1:]] == [1, 2]
    assert sent[-1] == b"newest" and b"old" not in sent and b"older" not in sent
    assert sent_frames == [3]  # only the frame written is reported back (the producer makes the next then)


def test_a_client_that_lets_texts_pile_up_overflows_once_its_limit_is_passed() -> None:
    overflows: list[int] = []
    outbox = Outbox(fps=30.0, on_overflow=lambda: overflows.append(1), on_sent=lambda seq: None)
    for k in range(MAX_PENDING_TEXTS):
        outbox.put(Ack(id=k, of="set").model_dump_json())
    assert overflows == []
    outbox.put(Ack(id="one too many", of="set").model_dump_json())
    assert overflows == [1]
