"""Create the FastAPI app: settings, error handlers, the protections, static files, the page, and the routers.

`create_app(settings)` builds an app (tests build their own with other settings); `app` is the one uvicorn
serves, configured from the environment (app/settings.py). Logic lives in the routers, app/live/ and nncore.

Every request passes, outermost first: `RequestMetrics` (timing, one log line; app/metrics.py),
`SecurityHeaders` (app/headers.py), `HostCheck` (app/hosts.py), `BodyBounds` (size and nesting of the body,
before anything parses it; app/bounds.py), then FastAPI's routing.
"""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from app import __version__, errors, heavy, i18n
from app.bounds import BodyBounds
from app.classroom.broker import open_broker
from app.classroom.hub import Hub
from app.classroom.records import ClassTable, normal_code
from app.headers import SecurityHeaders, content_security_policy, security_headers
from app.hosts import HostCheck
from app.live.pool import START_SECONDS, pool_for
from app.live.registry import Registry
from app.metrics import RequestMetrics, metrics_endpoint
from app.paths import PLOTLY_JS, PLOTLY_VERSION, STATIC_DIR, TEMPLATES_DIR
from app.routes import api, classes, docs, lessons, scenes, ws
from app.routes.deps import StoreDep
from app.settings import Settings
from app.store import keys, open_store

ONE_YEAR = "public, max-age=31536000, immutable"
templates = Jinja2Templates(directory=TEMPLATES_DIR)
shell = APIRouter(include_in_schema=False)


NOT_FOUND = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<title>{what} not found — nnlive</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>{what} not found</h1>
<p>{why}</p>
<p><a href="/">{back}</a></p>
</body></html>
"""


def not_found(what: str, why: str, back: str) -> HTMLResponse:
    """The 404 page of a short link or a join link that names nothing (`why` is HTML, its values escaped)."""
    return HTMLResponse(NOT_FOUND.format(what=what, why=why, back=back), status_code=404)


def render_page(request: Request, scene_id: str | None = None, class_code: str | None = None) -> HTMLResponse:
    """The visualizer page; with `scene_id`, the page that opens that saved scene; with `class_code`, a
    learner's page in that class."""
    lang = i18n.pick(request.query_params.get("lang"), request.headers.get("accept-language"))
    context = {
        "version": __version__,
        "plotly_version": PLOTLY_VERSION,
        "scene_id": scene_id,
        "class_code": class_code,
        "lang": lang,
        "t": lambda key: i18n.translate(lang, key),
        "i18n": i18n.page_data(lang),
    }
    response = templates.TemplateResponse(request, "index.html", context)
    response.headers["Vary"] = "Accept-Language"
    return response


@shell.get("/", response_class=HTMLResponse)
def page(request: Request) -> HTMLResponse:
    """The visualizer page."""
    return render_page(request)


@shell.get("/s/{scene_id}", response_class=HTMLResponse)
def scene_page(request: Request, scene_id: str, store: StoreDep) -> HTMLResponse:
    """The short link of a saved scene: the page, given the scene's id (`scene_id` in the template), or a
    404 page when no scene has that id."""
    if not (keys.is_id(scene_id) and store.lookup([scene_id])):
        shown = html.escape(scene_id[:40])
        why = (
            f"No saved scene has the id <code>{shown}</code>: the link may be mistyped, or the scene's\n"
            "owner deleted it."
        )
        return not_found("Scene", why, "Open nnlive with the default scene")
    return render_page(request, scene_id)


@shell.get("/c/{code}", response_class=HTMLResponse)
def class_page(request: Request, code: str) -> HTMLResponse:
    """A class's join link: the page as a learner of that class (it asks the name first), or a 404 page."""
    normal = normal_code(code)
    record = request.app.state.classes.get(normal) if normal else None
    if record is None:
        why = f"No class has the code <code>{html.escape(code[:12])}</code>: check it with your teacher."
        return not_found("Class", why, "Open nnlive on your own")
    return render_page(request, class_code=record.code)


@shell.get("/class", response_class=HTMLResponse)
def teacher_page(request: Request) -> HTMLResponse:
    """The teacher's page: create a class, its code and link, the dashboard of every learner's run."""
    context = {"version": __version__}
    return templates.TemplateResponse(request, "teacher.html", context)


@shell.get("/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly.js from the installed `plotly` package, so the app works with no internet.

    The page asks for it with `?v=<plotly version>`, so a long cache lifetime is safe across upgrades.
    """
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": ONE_YEAR})


log = logging.getLogger("nnlive.training")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the training processes, open the scene store (its schema migrated; a database that cannot be
    reached stops the start with the reason) and the classes' broker (app/classroom) when the server starts;
    close the store and the broker when it stops. (The training processes end with the web process:
    app/live/pool.py.)"""
    if not await app.state.pool.wait_ready():
        log.warning(
            "not every training process started within %s s; serving with those that have",
            START_SECONDS,
        )
    app.state.store = await run_in_threadpool(open_store, app.state.settings)
    app.state.classes = ClassTable(app.state.store)
    app.state.hub = Hub(open_broker(app.state.settings.redis_url))
    try:
        yield
    finally:
        await app.state.hub.close()
        await run_in_threadpool(app.state.store.close)


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app with `settings` (default: from the environment)."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        lifespan=lifespan,
        title="nnlive",
        version=__version__,
        description="Watch neural networks learn, live: train from a notebook over JSON, or live over a "
        "WebSocket (`/ws/train`, protocol in docs/protocol.md). Every validation failure is a 422 whose "
        "`detail` lists `{field, value, allowed, message}`; 413, 429 and 503 have the same shape "
        '(docs/api.md, "Limits and protection").',
        default_response_class=errors.SafeJSONResponse,
        docs_url=None,  # app/routes/docs.py serves both from local files
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sessions = Registry(settings.max_sessions, settings.max_sessions_per_client)
    app.state.pool = pool_for(settings.workers)
    app.state.security_headers = security_headers(settings.frame_ancestors)
    errors.install(app)
    heavy.install(app)
    app.add_middleware(BodyBounds, max_bytes=settings.max_body_bytes, max_depth=settings.max_json_depth)
    app.add_middleware(HostCheck, allowed_hosts=settings.allowed_hosts)
    harness_csp = content_security_policy(settings.frame_ancestors, inline_scripts=True)
    app.add_middleware(SecurityHeaders, headers=app.state.security_headers, harness_csp=harness_csp)
    app.add_middleware(RequestMetrics)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    docs.install(app)
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.include_router(shell)
    app.include_router(api.router)
    app.include_router(lessons.router)
    app.include_router(scenes.router)
    app.include_router(classes.router)
    app.include_router(classes.socket_router)
    app.include_router(ws.router)
    return app


app = create_app()
