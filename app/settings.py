"""Server settings, read once from the environment: every `NNLIVE_*` variable, its default and meaning are
documented in docs/api.md, "Settings"."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from nncore import LIMITS


@dataclass(frozen=True)
class Settings:
    """Limits and policies of one server process."""

    max_sessions: int = 64
    max_fps: float = 30.0
    allowed_origins: tuple[str, ...] = ()
    train_budget: float = 2e9
    max_message_bytes: int = 1_048_576
    max_grid: int = 200
    max_neuron_grid: int = 64
    max_step: int = 10_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `NNLIVE_*` variables; a malformed value raises ValueError naming the variable."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            name = "NNLIVE_" + spec.name.upper()
            raw = env.get(name, "").strip()
            if not raw:
                continue
            if spec.name == "allowed_origins":
                values[spec.name] = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
                continue
            kind = int if spec.type == "int" else float
            try:
                value = kind(float(raw)) if kind is int else kind(raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a number") from None
            if value <= 0:
                raise ValueError(f"{name}={raw!r} must be positive")
            if spec.name in ("max_grid", "max_neuron_grid") and value > LIMITS["grid"]:
                raise ValueError(f"{name}={raw!r} is above nncore's largest grid side, {LIMITS['grid']}")
            values[spec.name] = value
        return cls(**values)

    def public(self) -> dict[str, Any]:
        """The limits a client may see (in `hello` and `/api/catalog`); origins are the server's business."""
        out = asdict(self)
        del out["allowed_origins"]
        return out
