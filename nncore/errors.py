"""The one error type for bad input (it names the field, the bad value and what is allowed), and `Stopped`.

Long work takes a `should_stop` callback (`Trainer.run_epochs`, `headless.train`, `landscape.loss_landscape`):
a function of no arguments that the loop asks before every update; when it answers True the work ends with
`Stopped` (a deadline passed, or whoever asked for the work has gone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Asked before every update of long work: True ends it with `Stopped`.
ShouldStop = Callable[[], bool]


class Stopped(RuntimeError):
    """Work ended early because its `should_stop` said so."""


def check_stop(should_stop: ShouldStop | None) -> None:
    """Raise Stopped when `should_stop` says so (None: never)."""
    if should_stop is not None and should_stop():
        raise Stopped("stopped before the end: should_stop() answered True")


class ConfigError(ValueError):
    """A config (or a live change to one) that cannot be used.

    `field` is a dotted path into the config (``"training.learning_rate"``, ``"network.hidden[1]"``),
    `value` the offending value and `allowed` a short human description of what would be accepted.
    """

    def __init__(self, field: str, value: Any, allowed: str, message: str | None = None) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(message or f"{field}: {shown} is not allowed; {allowed}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able description for API and WebSocket errors."""
        plain = isinstance(self.value, (int, float, str, bool, type(None)))
        value = self.value if plain else repr(self.value)
        return {"field": self.field, "value": value, "allowed": self.allowed, "message": str(self)}
