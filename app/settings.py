"""Server settings, read once from the environment (every name is documented in docs/api.md, "Settings").

| variable | default | what |
|---|---|---|
| `NNLIVE_MAX_SESSIONS` | 64 | live WebSocket sessions per process; one more is refused with close code 1013 |
| `NNLIVE_MAX_FPS` | 30 | frames per second a session sends at most |
| `NNLIVE_ALLOWED_ORIGINS` | (none) | comma-separated origins (`https://a.example`) allowed to open
  `/ws/train` besides the page's own; `*` allows any |
| `NNLIVE_TRAIN_BUDGET` | 2e9 | the work one `POST /api/train` may ask for, in epochs × samples × parameters |
| `NNLIVE_MAX_MESSAGE_BYTES` | 1048576 | the largest WebSocket message a client may send |
| `NNLIVE_MAX_GRID` | 200 | the largest output grid side (G×G) a frame or `POST /api/train` may ask for |
| `NNLIVE_MAX_NEURON_GRID` | 64 | the largest neuron grid side (g×g) |
| `NNLIVE_MAX_STEP` | 10000 | the largest `n` of one WebSocket `step` message |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


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
            values[spec.name] = value
        return cls(**values)

    def public(self) -> dict[str, Any]:
        """The limits a client may see (in `hello` and `/api/catalog`); origins are the server's business."""
        out = asdict(self)
        del out["allowed_origins"]
        return out
