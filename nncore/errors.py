"""The one error type for bad input: it names the field, the bad value and what is allowed."""

from __future__ import annotations

from typing import Any


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
