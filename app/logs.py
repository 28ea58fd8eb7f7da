"""The server's log: one format for nnlive's and uvicorn's lines, to standard error, at `--log-level`.

Every line is `time level logger: event key=value …`, e.g.

    2026-05-01T12:00:00+0000 INFO nnlive.http: request method=GET path=/api/health status=200 ms=0.6 …
    2026-05-01T12:00:03+0000 INFO nnlive.sessions: session start id=7 client=127.0.0.1
    2026-05-01T12:01:10+0000 INFO nnlive.sessions: session end id=7 seconds=67.2 frames=1510 epochs=812

Requests are logged by app/metrics.py's `RequestMetrics` (uvicorn's own access log is off: one line per
request, in this format); sessions by app/live/session.py; errors with what they happened to (method and
path, or session, command and config) by app/errors.py and app/live/.
"""

from __future__ import annotations

import logging.config
from typing import Any

LEVELS = ("debug", "info", "warning", "error")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def log_config(level: str = "info") -> dict[str, Any]:
    """A `logging.config.dictConfig` for nnlive's and uvicorn's loggers at `level` (uvicorn takes it as its
    `log_config`)."""
    if level not in LEVELS:
        raise ValueError(f"log level {level!r}; choose one of: {', '.join(LEVELS)}")
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT, "datefmt": DATE_FORMAT}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "nnlive": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def configure(level: str = "info") -> None:
    """Apply `log_config(level)` to this process."""
    logging.config.dictConfig(log_config(level))
