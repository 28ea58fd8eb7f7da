"""A declarative description of one tunable parameter: its default, its limits and how to check a value.

Optimizer hyperparameters, dataset parameters and config fields are all described by `Param`, so validation
messages and the catalog (what the page shows in its menus) come from one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from nncore.errors import ConfigError

Kind = Literal["float", "int", "bool", "choice"]


@dataclass(frozen=True)
class Param:
    """One parameter: `kind` float/int (with inclusive `min`/`max`, or an exclusive `min` when `above_min`),
    bool, or choice (one of `choices`)."""

    default: Any
    min: float | None = None
    max: float | None = None
    kind: Kind = "float"
    choices: tuple[str, ...] = ()
    doc: str = ""
    above_min: bool = False  # the value must be strictly greater than `min` (a learning rate > 0)
    nullable: str = ""  # when set, null is allowed too and this says what it means ("until paused")

    def allowed(self) -> str:
        """What a valid value looks like, in words."""
        if self.kind == "bool":
            return "must be true or false"
        if self.kind == "choice":
            return "choose one of: " + ", ".join(self.choices)
        noun = "an integer" if self.kind == "int" else "a number"
        bracket, relation = ("(", ">") if self.above_min else ("[", ">=")
        if self.min is not None and self.max is not None:
            text = f"must be {noun} in {bracket}{self.min:g}, {self.max:g}]"
        elif self.min is not None:
            text = f"must be {noun} {relation} {self.min:g}"
        elif self.max is not None:
            text = f"must be {noun} <= {self.max:g}"
        else:
            text = f"must be {noun}"
        return f"{text}, or null ({self.nullable})" if self.nullable else text

    def check(self, field: str, value: Any) -> Any:
        """Return `value` normalized (int, float, bool, str, or None when `nullable`) or raise `ConfigError`
        naming `field`."""
        if value is None and self.nullable:
            return None
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ConfigError(field, value, self.allowed())
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise ConfigError(field, value, self.allowed())
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(field, value, self.allowed())
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ConfigError(field, value, self.allowed())
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ConfigError(field, value, self.allowed())
        below = self.min is not None and (value <= self.min if self.above_min else value < self.min)
        if below or (self.max is not None and value > self.max):
            raise ConfigError(field, value, self.allowed())
        return value

    def describe(self) -> dict[str, Any]:
        """A JSON-able description for the catalog."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "default": self.default,
            "doc": self.doc,
            "allowed": self.allowed(),  # the words every error about it uses (the page's own checks too)
        }
        if self.min is not None:
            out["min"] = self.min
        if self.above_min:
            out["above_min"] = True
        if self.max is not None:
            out["max"] = self.max
        if self.choices:
            out["choices"] = list(self.choices)
        if self.nullable:
            out["nullable"] = self.nullable
        return out
