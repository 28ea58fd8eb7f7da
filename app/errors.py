"""Errors as clients see them: a bad input names the field, the value and what is allowed; nothing else leaks.

REST: a 422 whose `detail` is a list of `{"field", "value", "allowed", "message"}` (one shape for nncore's
`ConfigError`s and for pydantic's validation errors; app/schemas.py's `Problems` describes it in the OpenAPI
document); a refusal of another kind (413, 429, 503: `refusal`) has the same shape; any unexpected exception
is a 500 with a generic message, logged here with its traceback. The WebSocket's `error` message carries the
same fields (see `ws_error`).

Any string a client sent may come back in an error, so every string of a problem is made safe to encode: a
lone surrogate (JSON allows `"\\ud800"`, UTF-8 does not) is written as its escape, and responses are rendered
by `SafeJSONResponse`, which falls back to ASCII escapes rather than fail.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app.protocol import MESSAGE_TYPES, Error
from app.store.base import StoreUnavailable
from nncore.errors import ConfigError

log = logging.getLogger("nnlive")

_LOCATIONS = {"body", "query", "path", "header", "cookie"}
# pydantic's error types in the words nncore's Param.allowed uses, so that every error reads the same
# ("field: 'abc' is not allowed; must be a number"), never pydantic's own "Input should be a valid number, …"
_ALLOWED: dict[str, str] = {
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "int_parsing": "must be an integer",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be a text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "extra_forbidden": "unknown field; leave it out",
}
_BOUNDS = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}


def _allowed(error: Any) -> str:
    """What a pydantic error says is allowed, in nncore's words where it has them."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _ALLOWED:
        return _ALLOWED[kind]
    if kind in _BOUNDS:
        return f"must be a number {_BOUNDS[kind]} {next(iter(ctx.values()), '')}"
    if kind in ("literal_error", "enum"):
        return f"choose one of: {ctx.get('expected', '')}".replace("'", "")
    return str(error["msg"]).replace(" should have", " must have").replace("Input should be", "must be")


def dotted(loc: Iterable[int | str]) -> str:
    """("config", "points", 3) → "config.points[3]"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class SafeJSONResponse(JSONResponse):
    """A JSON response that any Python string can go into: UTF-8 as usual, or ASCII escapes when a string
    holds a lone surrogate (which UTF-8 cannot encode)."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            text = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
            return text.encode("ascii")


def safe_text(text: str) -> str:
    """`text` with any lone surrogate written as its escape ("\\ud800"), so that it encodes as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def config_problem(exc: ConfigError) -> dict[str, Any]:
    """nncore's ConfigError in the common shape (`ConfigError.to_dict`), made JSON-safe: a non-finite number
    as its repr ("nan"), a long string cut to 200 characters, every string encodable (`safe_text`)."""
    detail = exc.to_dict()
    value = detail["value"]
    if isinstance(value, float) and not math.isfinite(value):
        detail["value"] = repr(value)
    elif isinstance(value, str):
        detail["value"] = safe_text(value[:200])
    for key in ("field", "allowed", "message"):
        if isinstance(detail[key], str):
            detail[key] = safe_text(detail[key])
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
        if missing and field is None:  # no body at all where one is required
            out.append(problem(None, None, "a JSON body", "a JSON body is required; send a JSON object"))
            continue
        message = f"{field}: required" if missing else None
        out.append(problem(field, value, _allowed(error), message))
    return out


def unprocessable(problems: list[dict[str, Any]]) -> JSONResponse:
    """The 422 response."""
    return SafeJSONResponse(status_code=422, content={"detail": problems})


def refusal(
    status: int, value: Any, allowed: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A request refused as a whole (413, 429, 503): one problem with no field, in the 422's shape."""
    detail = [problem(None, value, allowed, message)]
    return SafeJSONResponse(status_code=status, content={"detail": detail}, headers=headers)


async def _config_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConfigError)
    return unprocessable([config_problem(exc)])


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return unprocessable(pydantic_problems(exc.errors()))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = safe_text(exc.detail) if isinstance(exc.detail, str) else exc.detail
    return SafeJSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=exc.headers)


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.error("scene store unavailable on %s %s: %s", request.method, request.url.path, exc)
    message = "the scene store is unavailable right now; try again later (the reason is in the server's log)"
    return refusal(503, request.url.path, "a scene store that answers", message)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception(
        "unhandled error method=%s path=%s client=%s",
        request.method,
        request.url.path,
        request.client.host if request.client else None,
        exc_info=exc,
    )
    headers = getattr(request.app.state, "security_headers", {})  # this answer bypasses the middlewares
    content = {"detail": "internal server error (logged on the server)"}
    return JSONResponse(status_code=500, content=content, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(ConfigError, _config_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StoreUnavailable, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected)


def ws_error(detail: dict[str, Any], message_id: Any = None) -> Error:
    """A WebSocket `error` message from a problem dict."""
    return Error(**detail, id=message_id)
