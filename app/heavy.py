"""Heavy requests — `POST /api/train` and `POST /api/landscape` — run here, never in Starlette's shared thread
pool, so that health, the page and the live sessions never wait behind them:

- at most `max_heavy_requests` at once, each on a thread of this pool; one more is refused at once with
  **429** and `Retry-After` (`Busy`);
- each under a deadline (`request_deadline`, seconds) that the training loop itself checks before every update
  (nncore's `should_stop`): past it the work ends and the client gets **503** (`Overtime`);
- cancelled when its client leaves: the route waits for the work *or* the client's disconnect, and a
  disconnect stops the work at its next update.

The work is a plain function of its input and a `Stop` (nncore's `should_stop`), so a process pool can run it
later: the deadline travels as a time, the cancel as a flag the loop polls.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.errors import refusal
from app.metrics import HEAVY_IN_PROGRESS, HEAVY_REFUSED
from app.settings import Settings
from nncore.errors import Stopped

T = TypeVar("T")


class Stop:
    """A deadline and a cancel flag; calling it is nncore's `should_stop`."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self._cancelled = threading.Event()

    def __call__(self) -> bool:
        return self._cancelled.is_set() or time.monotonic() > self.deadline

    def cancel(self) -> None:
        self._cancelled.set()


class Busy(RuntimeError):
    """Every heavy worker is taken."""


class Overtime(RuntimeError):
    """The work ran past its deadline and was stopped."""


class HeavyWork:
    """The heavy requests of one app (see the module docstring). Only the event loop calls `run`."""

    def __init__(self, settings: Settings) -> None:
        self.limit = settings.max_heavy_requests
        self.seconds = settings.request_deadline
        # Retry after about as long as one request of the whole budget takes (a work unit is ~1 ns of CPU).
        self.retry_after = max(1, math.ceil(settings.train_budget / 1e9))
        self._pool = ThreadPoolExecutor(self.limit, thread_name_prefix="nnlive-heavy")
        self._running = 0

    @property
    def running(self) -> int:
        return self._running

    async def run(self, request: Request, work: Callable[[Stop], T]) -> T:
        """`work(stop)` on a heavy thread; Busy when all are taken, Overtime past the deadline, Stopped when
        the client left (the client sees nothing then)."""
        if self._running >= self.limit:
            HEAVY_REFUSED.labels("busy").inc()
            raise Busy(f"this server runs at most {self.limit} training requests at once")
        self._running += 1
        HEAVY_IN_PROGRESS.inc()
        stop = Stop(self.seconds)
        try:
            job = asyncio.wrap_future(self._pool.submit(work, stop))
            gone = asyncio.ensure_future(_disconnect(request))
            either: list[asyncio.Future[Any]] = [job, gone]
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            gone.cancel()
            if not job.done():  # the client left: stop the work and wait for its thread to be free again
                stop.cancel()
                HEAVY_REFUSED.labels("cancelled").inc()
                await asyncio.wait({job})
            try:
                return job.result()
            except Stopped:
                if time.monotonic() > stop.deadline:
                    HEAVY_REFUSED.labels("deadline").inc()
                    raise Overtime(
                        f"this request ran past this server's limit of {self.seconds:g} s and was stopped"
                    ) from None
                raise
        finally:
            self._running -= 1
            HEAVY_IN_PROGRESS.dec()

    def close(self) -> None:
        """Stop taking work (running work finishes)."""
        self._pool.shutdown(wait=False)


async def _disconnect(request: Request) -> None:
    """Return when the client disconnects (the body has been read, so the next message is the disconnect)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _busy(request: Request, exc: Exception) -> JSONResponse:
    heavy: HeavyWork = request.app.state.heavy
    after = str(heavy.retry_after)
    allowed = f"at most {heavy.limit} at once; retry after {after} s"
    return refusal(429, None, allowed, f"{exc}; retry after {after} s", {"retry-after": after})


async def _overtime(request: Request, exc: Exception) -> JSONResponse:
    heavy: HeavyWork = request.app.state.heavy
    allowed = f"work that ends within {heavy.seconds:g} s"
    message = f"{exc}; ask for less work (fewer epochs or points, a smaller network or grid)"
    return refusal(503, None, allowed, message, {"retry-after": str(heavy.retry_after)})


async def _stopped(request: Request, exc: Exception) -> JSONResponse:
    return refusal(503, None, "a client that waits for the answer", "stopped: the client left")


def install(app: FastAPI) -> None:
    """A HeavyWork on `app.state.heavy`, and the handlers that turn its refusals into 429 and 503."""
    app.state.heavy = HeavyWork(app.state.settings)
    app.add_exception_handler(Busy, _busy)
    app.add_exception_handler(Overtime, _overtime)
    app.add_exception_handler(Stopped, _stopped)
