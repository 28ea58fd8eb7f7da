"""Errors as clients see them: a bad input names the field, the value and what is allowed; nothing else leaks.

REST: a 422 whose `detail` is a list of `{"field", "value", "allowed", "message"}` (one shape for nncore's
`ConfigError`s and for pydantic's validation errors); any unexpected exception is a 500 with a generic
message, logged here with its traceback. The WebSocket's `error` message carries the same fields
(see `ws_error`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.protocol import MESSAGE_TYPES, Error
from app.store.base import StoreUnavailable
from nncore.errors import ConfigError

log = logging.getLogger("nnlive")

_LOCATIONS = {"body", "query", "path", "header", "cookie"}


def dotted(loc: Iterable[int | str]) -> str:
    """("config", "points", 3) → "config.points[3]"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def config_problem(exc: ConfigError) -> dict[str, Any]:
    """nncore's ConfigError in the common shape (`ConfigError.to_dict`), its value made JSON-safe: a
    non-finite number as its repr ("nan"), a long string cut to 200 characters."""
    detail = exc.to_dict()
    value = detail["value"]
    if isinstance(value, float) and not math.isfinite(value):
        detail["value"] = repr(value)
    elif isinstance(value, str):
        detail["value"] = value[:200]
    return detail


def problem(field: str | None, value: Any, allowed: str, message: str | None = None) -> dict[str, Any]:
    """One entry of a 422 `detail` (and the body of a WebSocket `error`), formatted as a ConfigError is."""
    return {**config_problem(ConfigError(field or "message", value, allowed, message)), "field": field}


def pydantic_problems(errors: Sequence[Any], skip_tag: bool = False) -> list[dict[str, Any]]:
    """pydantic's errors in the common shape; `skip_tag` drops the union tag pydantic puts first in `loc`."""
    out = []
    for error in errors:
        loc = [p for p in error["loc"] if p not in _LOCATIONS]
        if skip_tag:
            loc = loc[1:]
        if error["type"].startswith("union_tag"):  # the message's "type" is missing or unknown
            tags = ", ".join(MESSAGE_TYPES)
            tag = error["ctx"].get("tag")
            out.append(
                problem(
                    "type",
                    tag,
                    f"choose one of: {tags}",
                    f"unknown message type {tag!r}; choose one of: {tags}"
                    if tag is not None
                    else f"a message needs a type: one of {tags}",
                )
            )
            continue
        if error["type"] == "json_invalid":  # the whole body: no field to blame
            reason = error.get("ctx", {}).get("error", "")
            out.append(problem(None, None, "a JSON body", f"the body is not JSON ({reason}); send JSON"))
            continue
        field = dotted(loc) or None
        missing = error["type"] == "missing"
        value = None if missing else error.get("input")
        message = f"{field}: required" if missing else None
        out.append(problem(field, value, str(error["msg"]), message))
    return out


def unprocessable(problems: list[dict[str, Any]]) -> JSONResponse:
    """The 422 response."""
    return JSONResponse(status_code=422, content={"detail": problems})


async def _config_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConfigError)
    return unprocessable([config_problem(exc)])


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return unprocessable(pydantic_problems(exc.errors()))


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.error("scene store unavailable on %s %s: %s", request.method, request.url.path, exc)
    detail = "the scene store is unavailable right now; try again later (the reason is in the server's log)"
    return JSONResponse(status_code=503, content={"detail": detail})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": "internal server error (logged on the server)"})


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(ConfigError, _config_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StoreUnavailable, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected)


def ws_error(detail: dict[str, Any], message_id: Any = None) -> Error:
    """A WebSocket `error` message from a problem dict."""
    return Error(**detail, id=message_id)
