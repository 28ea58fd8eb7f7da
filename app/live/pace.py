"""How far a live session trains: paused, playing (as fast as it can, or at `speed` epochs a second), or
stepping to a target epoch or update count.

`speed` > 0 paces training in updates, so a slow speed still moves smoothly (1 epoch/s of 28 updates is 28
updates a second). A session's turn trains up to `paced_step(trainer)` updates unless a step `reached` its
target, then calls `settle(trainer)`, and asks `next_turn(...)` when to come back.
"""

from __future__ import annotations

import enum
import math
import time

from nncore import Trainer


class Mode(enum.Enum):
    PAUSED = "paused"
    PLAYING = "playing"
    STEPPING = "stepping"


class Pace:
    """A session's mode, speed and step target."""

    def __init__(self) -> None:
        self.mode = Mode.PAUSED
        self.speed = 0.0  # epochs per second while playing; 0 = as fast as possible
        self._target: tuple[str, int] | None = None  # ("epoch" | "update", value) while stepping
        self._origin = (0.0, 0)  # (time, step_count) when playing started at a set speed

    @property
    def paused(self) -> bool:
        return self.mode is Mode.PAUSED

    def pause(self) -> None:
        self.mode, self._target = Mode.PAUSED, None

    def play(self, trainer: Trainer) -> None:
        """Train on with no target (after a step too), paced from now."""
        self._target = None
        self._start(Mode.PLAYING, trainer)

    def step(self, unit: str, n: int, trainer: Trainer) -> None:
        """Train `n` more epochs or updates (`unit`), then pause."""
        now = trainer.epoch if unit == "epoch" else trainer.step_count
        self._target = (unit, now + n)
        self._start(Mode.STEPPING, trainer)

    def set_speed(self, speed: float, trainer: Trainer | None) -> None:
        self.speed = speed
        if self.mode is Mode.PLAYING and trainer is not None:
            self._start(Mode.PLAYING, trainer)

    def _start(self, mode: Mode, trainer: Trainer) -> None:
        self.mode = mode
        self._origin = (time.monotonic(), trainer.step_count)

    def paced_step(self, trainer: Trainer) -> float:
        """The step count a session playing at `speed` should have reached by now (inf: no pacing)."""
        if self.mode is not Mode.PLAYING or self.speed <= 0:
            return math.inf
        started, step0 = self._origin
        return step0 + (time.monotonic() - started) * self.speed * trainer.updates_per_epoch

    def reached(self, trainer: Trainer) -> bool:
        """True when a step's target is reached."""
        if self._target is None:
            return False
        unit, value = self._target
        return (trainer.epoch if unit == "epoch" else trainer.step_count) >= value

    def settle(self, trainer: Trainer) -> bool:
        """Pause when training ended or a step reached its target; True if it did."""
        if trainer.done or (self.mode is Mode.STEPPING and self.reached(trainer)):
            self.pause()
            return True
        return False

    def next_turn(self, trainer: Trainer, now: float, fps: float) -> float:
        """Now, or later when playing at a speed and ahead of it (at most one frame interval later)."""
        if self.mode is Mode.PLAYING and self.speed > 0:
            behind = self.paced_step(trainer) - trainer.step_count
            if behind < 1:
                return now + min(1.0 / fps, (1 - behind) / (self.speed * trainer.updates_per_epoch))
        return now
