"""Create the FastAPI app: static files, the page and the routers. Logic lives in routers and nncore."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app import __version__
from app.paths import PLOTLY_JS, PLOTLY_VERSION, STATIC_DIR, TEMPLATES_DIR
from app.routes import api, lessons

app = FastAPI(
    title="nnlive",
    version=__version__,
    description="Watch neural networks learn: train over JSON from a notebook, or live over a WebSocket.",
)
app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
app.include_router(api.router)
app.include_router(lessons.router)
templates = Jinja2Templates(directory=TEMPLATES_DIR)

ONE_YEAR = "public, max-age=31536000, immutable"


@app.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> HTMLResponse:
    """The visualizer page."""
    return templates.TemplateResponse(
        request, "index.html", {"version": __version__, "plotly_version": PLOTLY_VERSION}
    )


@app.get("/vendor/plotly.min.js", include_in_schema=False)
def plotly_js() -> FileResponse:
    """Plotly.js from the installed `plotly` package, so the app works with no internet.

    The page asks for it with `?v=<plotly version>`, so a long cache lifetime is safe across upgrades.
    """
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": ONE_YEAR})
