"""Server settings, read once from the environment by pydantic-settings: every `NNLIVE_*` variable, its
default and meaning are documented in docs/api.md, "Settings"."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import platformdirs
from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nncore import LIMITS

LARGEST_GRID = int(LIMITS["grid"])
MAX_FPS = 30.0  # the default cap, and a live session's frame rate until the client asks for another
MAX_WORKERS = 256  # training processes at most
MIN_FPS = 0.1  # the slowest frame rate a client may ask for (a frame every 10 s), and the lowest cap
DATA_DIR = Path(platformdirs.user_data_dir("nnlive", appauthor=False))  # e.g. ~/.local/share/nnlive
PRIVATE = {  # settings that stay on the server (not in `public()`)
    "workers",
    "allowed_origins",
    "allowed_hosts",
    "frame_ancestors",
    "data_dir",
    "database_url",
    "database_pool_size",
    "redis_url",
}
ENV_NAMES = {"database_url": "DATABASE_URL", "redis_url": "REDIS_URL"}  # variables without the NNLIVE_ prefix


class Settings(BaseSettings):
    """Limits and policies of one server process: `NNLIVE_<FIELD>` sets each (e.g. `NNLIVE_MAX_FPS=12`);
    `Settings(max_fps=12)` overrides the environment."""

    model_config = SettingsConfigDict(env_prefix="NNLIVE_", frozen=True)

    workers: int = Field(
        default_factory=lambda: len(os.sched_getaffinity(0)),  # the CPUs this process may use
        gt=0,
        le=MAX_WORKERS,
        description="training processes that run the live sessions (default: one per CPU)",
    )
    max_sessions: int = Field(64, gt=0, description="live WebSocket sessions on this machine (web process)")
    max_fps: float = Field(
        MAX_FPS, ge=MIN_FPS, le=1000, description="frames per second a live session sends at most"
    )
    allowed_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="comma-separated origins allowed to open /ws/train besides the page's own; * for all"
    )
    train_budget: float = Field(2e9, gt=0, description="the work one request may ask for (docs/api.md)")
    max_message_bytes: int = Field(
        1_048_576, gt=0, description="the largest WebSocket message a client sends"
    )
    max_grid: int = Field(200, gt=0, le=LARGEST_GRID, description="the largest output grid side")
    max_neuron_grid: int = Field(64, gt=0, le=LARGEST_GRID, description="the largest neuron grid side")
    max_step: int = Field(10_000, gt=0, description="the largest n of a WebSocket step")
    max_body_bytes: int = Field(2_097_152, gt=0, description="the largest HTTP request body, in bytes")
    max_json_depth: int = Field(32, gt=0, description="the deepest nesting of a JSON body or message")
    max_heavy_requests: int = Field(
        2, gt=0, description="training and landscape requests running at once; one more gets a 429"
    )
    request_deadline: float = Field(
        30.0, gt=0, description="seconds a training or landscape request may run before it is stopped"
    )
    max_sessions_per_client: int = Field(
        32, gt=0, description="live sessions one client address may hold at once"
    )
    configure_timeout: float = Field(
        30.0, gt=0, description="seconds a new WebSocket may stay open without a configure"
    )
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="comma-separated Host names served besides the loopback names; * for any"
    )
    frame_ancestors: str = Field(
        "'self'", description="the CSP frame-ancestors sources: who may show the app in a frame"
    )
    data_dir: Path = Field(DATA_DIR, description="where the embedded store keeps saved scenes (SQLite)")
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("database_url", "DATABASE_URL"),
        description="postgresql://user:password@host:port/db: saved scenes in PostgreSQL instead of SQLite",
    )
    database_pool_size: int = Field(10, gt=0, description="PostgreSQL connections per process at most")
    redis_url: str | None = Field(
        None,
        validation_alias=AliasChoices("redis_url", "REDIS_URL"),
        description="redis://host:port/db: classes talk through Redis pub/sub instead of in-process",
    )
    scene_max_bytes: int = Field(2_097_152, gt=0, description="the largest saved scene, as JSON")
    scene_history_points: int = Field(1000, ge=2, description="epochs of a saved history kept at most")

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        """ "https://a.example, http://b.example/" → ("https://a.example", "http://b.example")."""
        if isinstance(value, str):
            return tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: Any) -> Any:
        """ "Lab.Example.org, 10.0.0.5" → ("lab.example.org", "10.0.0.5") (names compare without case)."""
        if isinstance(value, str):
            return tuple(h.strip().lower() for h in value.split(",") if h.strip())
        return tuple(h.lower() for h in value)

    @field_validator("frame_ancestors")
    @classmethod
    def _ancestors(cls, value: str) -> str:
        """CSP sources only ('none', 'self', https://projector.example, …): nothing that ends the
        directive."""
        if not re.fullmatch(r"[A-Za-z0-9'*:/.\- ]+", value):
            raise ValueError("space-separated CSP sources, such as 'self' https://projector.example")
        return value

    @field_validator("redis_url", mode="before")
    @classmethod
    def _redis(cls, value: Any) -> Any:
        """An empty REDIS_URL is none; anything else must be a Redis URL."""
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a Redis URL: redis://host:port/db (rediss:// for TLS)")
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database(cls, value: Any) -> Any:
        """An empty DATABASE_URL is none; anything else must be a PostgreSQL URL."""
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL: postgresql://user:password@host:port/database")
        return value

    @field_validator(
        "workers",
        "max_sessions",
        "max_message_bytes",
        "max_grid",
        "max_neuron_grid",
        "max_step",
        "max_body_bytes",
        "max_json_depth",
        "max_heavy_requests",
        "max_sessions_per_client",
        "database_pool_size",
        "scene_max_bytes",
        "scene_history_points",
        mode="before",
    )
    @classmethod
    def _whole(cls, value: Any) -> Any:
        """A count written as a float ("1e6", "64.0") is that integer; "12.5" stays refused."""
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return value
            return int(number) if number.is_integer() else value
        return value

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from the `NNLIVE_*` variables; ValueError naming each malformed variable and its value."""
        try:
            return cls()
        except ValidationError as exc:
            raise ValueError("; ".join(_problem(error) for error in exc.errors())) from None

    def public(self) -> dict[str, Any]:
        """The limits a client may see (in `hello` and `/api/catalog`); PRIVATE ones stay on the server."""
        return self.model_dump(exclude=PRIVATE)


def _problem(error: Any) -> str:
    """One pydantic error as "NNLIVE_MAX_FPS='0' is not allowed: input should be greater than 0"."""
    field = str(error["loc"][0]).lower()
    name = ENV_NAMES.get(field, "NNLIVE_" + field.upper())
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{name}={_redacted(os.environ.get(name))!r} is not allowed: {message[:1].lower()}{message[1:]}"


def _redacted(value: str | None) -> str | None:
    """A URL's password as ***: "postgresql://u:***@db/nnlive" (an error message may reach a log)."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.password is None:
        return value
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()
