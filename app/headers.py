"""Security headers on every HTTP response: the page, static files, /vendor, the API, /docs, errors.

The Content-Security-Policy allows what the page really does and nothing else (checked in Chromium by
tests/e2e/test_security.py, which watches for violations on the page and on /docs):

- scripts, styles, fonts, fetches and WebSockets from this origin only (`'self'`; the page has no inline
  script, and Plotly.js is served from /vendor);
- `style-src 'unsafe-inline'`: Plotly.js injects `<style>` elements and style attributes as it draws (styles,
  never scripts);
- `img-src data: blob:`: Plotly's image export draws its SVG through blob: and data: images (the page's "Plots
  as PNG"), and Swagger UI's icons at /docs are data: images;
- `connect-src data:`: the page fetches that PNG's data: URL to save it as a file;
- `frame-ancestors`: who may show the app in a frame — `'self'` unless NNLIVE_FRAME_ANCESTORS says otherwise
  (a projector page on another origin, say); `object-src 'none'`, `base-uri 'self'`, `form-action 'self'`.

One page is an exception: `static/viz_demo.html`, the views' test harness (tests/e2e/test_viz.py), starts
with an inline module script, so it alone is served with `script-src 'self' 'unsafe-inline'` (`HARNESS`);
moving that script into a file would let it drop the exception.

Besides: `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`, and `X-Frame-Options` for old
browsers when only the app itself may frame it.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HARNESS = "/static/viz_demo.html"  # the one page with an inline script (see the module docstring)


def content_security_policy(frame_ancestors: str, inline_scripts: bool = False) -> str:
    """The CSP, with `frame_ancestors` as its frame-ancestors sources."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'" if inline_scripts else "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "connect-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


def security_headers(frame_ancestors: str) -> dict[str, str]:
    """Every security header, by name."""
    headers = {
        "content-security-policy": content_security_policy(frame_ancestors),
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
    }
    if frame_ancestors.strip() == "'self'":
        headers["x-frame-options"] = "SAMEORIGIN"
    return headers


class SecurityHeaders:
    """A pure ASGI middleware that adds `security_headers` to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str], harness_csp: str) -> None:
        self.app, self.headers = app, dict(headers)
        self.harness = {**self.headers, "content-security-policy": harness_csp}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chosen = self.harness if scope.get("path") == HARNESS else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in chosen.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
