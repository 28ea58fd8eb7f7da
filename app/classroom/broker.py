"""The class's messages between processes: a `Broker` publishes bytes on a channel to every subscriber, and
remembers the latest value of a key for late joiners.

- `LocalBroker` (the default): in this process only. It serves a class whose sockets are all in one web
  process — the embedded default, where one web process owns every socket and a pool of processes trains
  (docs/classroom.md, "One machine").
- `RedisBroker` (`REDIS_URL`): Redis pub/sub, so learners, teacher and broadcast may land on any worker or
  replica. Each process subscribes once per class (app/classroom/hub.py), so a frame crosses Redis once per
  process, whatever the number of watchers.

A subscriber that falls SUBSCRIBER_QUEUE messages behind loses the oldest (counted in `dropped`): a stalled
reader never grows memory nor slows the publisher. Channel and key names are the caller's; the Redis broker
prefixes them with PREFIX.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

import redis.asyncio as redis

SUBSCRIBER_QUEUE = 256
KEEP_SECONDS = 24 * 3600  # how long a remembered value lives (a class's day)
PREFIX = "nnlive:"
CONFIRM_SECONDS = 10.0  # how long Redis may take to confirm a subscription
log = logging.getLogger("nnlive.classroom")


class Broker(Protocol):
    """Publish/subscribe of bytes by channel, and the latest value of a key."""

    async def publish(self, channel: str, message: bytes) -> None:
        """Send `message` to every subscriber of `channel` (in this process or, with Redis, any)."""
        ...

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[bytes]]:
        """`async with broker.subscribe(ch) as messages: async for m in messages: …` — subscribed once the
        block is entered, so nothing published after that is missed."""
        ...

    async def remember(self, key: str, value: bytes) -> None:
        """Keep `value` under `key` for KEEP_SECONDS (the newest wins)."""
        ...

    async def recall(self, key: str) -> bytes | None:
        """The value kept under `key`, or None."""
        ...

    async def close(self) -> None: ...


class LocalBroker:
    """The in-process broker: an asyncio queue per subscriber (use it from one event loop)."""

    def __init__(self) -> None:
        self._channels: dict[str, set[asyncio.Queue[bytes]]] = {}
        self._kept: dict[str, tuple[float, bytes]] = {}
        self.dropped = 0

    async def publish(self, channel: str, message: bytes) -> None:
        for queue in self._channels.get(channel, ()):
            if queue.full():
                queue.get_nowait()
                self.dropped += 1
            queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        queue: asyncio.Queue[bytes] = asyncio.Queue(SUBSCRIBER_QUEUE)
        self._channels.setdefault(channel, set()).add(queue)

        async def messages() -> AsyncIterator[bytes]:
            while True:
                yield await queue.get()

        try:
            yield messages()
        finally:
            subscribers = self._channels.get(channel, set())
            subscribers.discard(queue)
            if not subscribers:
                self._channels.pop(channel, None)

    async def remember(self, key: str, value: bytes) -> None:
        self._kept[key] = (time.monotonic() + KEEP_SECONDS, value)

    async def recall(self, key: str) -> bytes | None:
        kept = self._kept.get(key)
        if kept is None or kept[0] < time.monotonic():
            self._kept.pop(key, None)
            return None
        return kept[1]

    async def close(self) -> None:
        self._channels.clear()


class RedisBroker:
    """Redis pub/sub at `url` (redis://host:port/db); one connection pool per process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url)

    async def publish(self, channel: str, message: bytes) -> None:
        await self.client.publish(PREFIX + channel, message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[bytes]]:
        pubsub = self.client.pubsub()
        await pubsub.subscribe(PREFIX + channel)
        # wait for Redis's confirmation: from then on nothing published is missed
        confirmed = await pubsub.get_message(timeout=CONFIRM_SECONDS)
        if confirmed is None or confirmed.get("type") != "subscribe":
            await pubsub.aclose()
            raise ConnectionError(f"Redis did not confirm the subscription to {channel!r}")

        async def messages() -> AsyncIterator[bytes]:
            async for item in pubsub.listen():
                if item.get("type") == "message":
                    yield bytes(item["data"])

        try:
            yield messages()
        finally:
            with contextlib.suppress(Exception):  # the connection may already be gone
                await pubsub.unsubscribe()
            await pubsub.aclose()

    async def remember(self, key: str, value: bytes) -> None:
        await self.client.set(PREFIX + key, value, ex=KEEP_SECONDS)

    async def recall(self, key: str) -> bytes | None:
        value = await self.client.get(PREFIX + key)
        return value.encode() if isinstance(value, str) else value

    async def close(self) -> None:
        await self.client.aclose()


def open_broker(redis_url: str | None) -> Broker:
    """Redis pub/sub at `redis_url`, else the in-process broker."""
    if redis_url:
        log.info("class broker: Redis")
        return RedisBroker(redis_url)
    return LocalBroker()
