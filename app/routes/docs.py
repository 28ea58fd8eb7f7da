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
<title>nnlive API — {viewer}</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
{head}
</head>
<body>
<div id="api-reference"></div>
<script src="/docs/static/{script}"></script>
<script src="/docs/start/{viewer_lower}.js"></script>
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

_REDOC_START = """Redoc.init("/openapi.json", {}, document.getElementById("api-reference"));
"""


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    head = '<link rel="stylesheet" href="/docs/static/swagger-ui.css">'
    page = _PAGE.format(viewer="Swagger UI", viewer_lower="swagger", head=head, script="swagger-ui-bundle.js")
    return HTMLResponse(page)


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    """ReDoc over /openapi.json."""
    page = _PAGE.format(viewer="ReDoc", viewer_lower="redoc", head="", script="redoc.standalone.js")
    return HTMLResponse(page)


@router.get("/docs/start/{viewer}.js")
async def start_script(viewer: str) -> Response:
    """The start-up script of a viewer (a file, not an inline script: the CSP allows only scripts from
    here)."""
    scripts = {"swagger": _SWAGGER_START, "redoc": _REDOC_START}
    if viewer not in scripts:
        return Response(status_code=404)
    return Response(scripts[viewer], media_type="text/javascript")


def install(app: FastAPI) -> None:
    """The pages and the viewers' files on `app` (create it with docs_url=None, redoc_url=None)."""
    app.mount("/docs/static", StaticFiles(directory=ASSETS), name="docs-static")
    app.include_router(router)
