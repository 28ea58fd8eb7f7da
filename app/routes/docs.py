"""The interactive API reference, offline: Swagger UI at `/docs` and ReDoc at `/redoc`.

Their files come from the installed `fastapi-offline` package (Swagger UI 5, ReDoc 2), mounted at
`/docs/static` — no CDN, so the reference works with no internet and under the CSP's `'self'`
(app/headers.py). FastAPI's own pages start the viewer with an inline script, which `script-src 'self'`
forbids; these pages load a small start-up script from `/docs/start/` instead.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nnlive API — Swagger UI</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs/static/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""

_SWAGGER_START = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#api-reference",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return HTMLResponse(_PAGE)


@router.get("/docs/start.js")
async def start_script() -> Response:
    """Swagger UI's start-up script (a file, not an inline script: the CSP allows only scripts from here)."""
    return Response(_SWAGGER_START, media_type="text/javascript")


def install(app: FastAPI) -> None:
    """The page and Swagger UI's files on `app` (create it with docs_url=None, redoc_url=None)."""
    app.mount("/docs/static", StaticFiles(directory=ASSETS), name="docs-static")
    app.include_router(router)
