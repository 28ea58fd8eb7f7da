"""The class broker's contract, against the in-process broker and a real Redis server: what is published after
subscribing reaches every subscriber in order, nothing before; the latest value of a key is kept."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest

from app.classroom.broker import SUBSCRIBER_QUEUE, Broker, LocalBroker, RedisBroker, open_broker

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(params=["local", "redis"])
def broker_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_server").url)
    return ""


async def take(messages: AsyncIterator[bytes], n: int) -> list[bytes]:
    return [await asyncio.wait_for(anext(messages), 10) for _ in range(n)]


def test_open_broker_picks_redis_by_url() -> None:
    assert isinstance(open_broker(None), LocalBroker)
    assert isinstance(open_broker("redis://127.0.0.1:1/0"), RedisBroker)


def test_every_subscriber_gets_every_message_in_order(broker_kind: str) -> None:
    async def run() -> None:
        broker: Broker = open_broker(broker_kind or None)
        channel = f"test:{secrets.token_hex(4)}"
        await broker.publish(channel, b"before anyone listens")
        async with broker.subscribe(channel) as one, broker.subscribe(channel) as two:
            sent = [bytes([k]) * 1000 + b"F" for k in range(20)]
            for message in sent:
                await broker.publish(channel, message)
            assert await take(one, 20) == sent
            assert await take(two, 20) == sent
            await broker.publish(f"{channel}:other", b"elsewhere")
            await broker.publish(channel, b"last")
            assert await take(one, 1) == [b"last"]
        await broker.close()

    asyncio.run(run())


def test_a_key_keeps_its_newest_value(broker_kind: str) -> None:
    async def run() -> None:
        broker: Broker = open_broker(broker_kind or None)
        key = f"test:{secrets.token_hex(4)}"
        assert await broker.recall(key) is None
        await broker.remember(key, b'{"type":"data","n":1}')
        await broker.remember(key, b'{"type":"data","n":2}')
        assert await broker.recall(key) == b'{"type":"data","n":2}'
        await broker.close()

    asyncio.run(run())


def test_a_subscriber_that_does_not_read_loses_the_oldest_not_the_newest() -> None:
    async def run() -> None:
        broker = LocalBroker()
        async with broker.subscribe("c") as slow:
            for k in range(SUBSCRIBER_QUEUE + 10):
                await broker.publish("c", str(k).encode())
            got = await take(slow, SUBSCRIBER_QUEUE)
        assert broker.dropped == 10
        assert got[0] == b"10" and got[-1] == str(SUBSCRIBER_QUEUE + 9).encode()

    asyncio.run(run())
