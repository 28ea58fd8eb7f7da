"""Shared helpers of the browser tests: open the page, read the epoch, set a control and wait for it."""

from __future__ import annotations

from typing import Any

from tests.conftest import LiveServer

WAIT = 20_000  # ms: generous for a loaded CI machine; conditions usually hold within a second


def open_page(page: Any, url: str, hash_: str = "") -> None:
    """Open the page and wait until it is connected and showing its first scene."""
    page.goto(url + "/" + hash_)
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=status]').textContent === 'live'", timeout=WAIT
    )
    page.wait_for_function(
        "() => window.nnlive.store.data !== null && window.nnlive.store.lastFrame !== null", timeout=WAIT
    )


def epoch(page: Any) -> int:
    """The epoch the top bar shows."""
    return int(page.text_content("[data-testid=epoch]"))


def wait_applied(page: Any, predicate: str, timeout: int = WAIT) -> None:
    """Wait until the config the server applied satisfies `predicate`, a JS expression over `c`
    (for example "c.network.activation === 'relu'")."""
    page.wait_for_function(
        f"() => {{ const c = window.nnlive.store.applied; return Boolean(c) && ({predicate}); }}",
        timeout=timeout,
    )


def wait_config(page: Any, predicate: str, timeout: int = WAIT) -> None:
    """Wait until the page's own config (live changes included) satisfies `predicate` (JS, over `c`)."""
    page.wait_for_function(
        f"() => {{ const c = window.nnlive.store.config; return Boolean(c) && ({predicate}); }}",
        timeout=timeout,
    )


def enter_value(page: Any, selector: str, value: str) -> None:
    """Type `value` into the field `selector` and press Enter (the way a user commits a number)."""
    page.fill(selector, value)
    page.press(selector, "Enter")


def plane_xy(page: Any, x: float, y: float) -> tuple[float, float]:
    """Viewport pixel of the data point (x, y) on the output plane (draw.js's map, as the views use)."""
    return tuple(
        page.evaluate(
            """async ([x, y]) => {
                const {dataToClient} = await import('/static/js/draw.js');
                return dataToClient(document.querySelector('[data-testid=plane]'), [x, y]);
            }""",
            [x, y],
        )
    )


def click_plane(page: Any, x: float, y: float) -> None:
    """Click the plane at the data point (x, y)."""
    px, py = plane_xy(page, x, y)
    page.mouse.click(px, py)


def set_speed_max(page: Any) -> None:
    """Drag the speed slider to its end (as fast as the server can)."""
    page.eval_on_selector(
        "#speed", "el => { el.value = el.max; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )


def open_lesson(page: Any, url: str, lesson_id: str) -> None:
    """Open /#lesson=<id> and wait until the lesson's scene is running on the server and drawn."""
    page.goto(f"{url}/#lesson={lesson_id}")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_selector(f"[data-testid=lesson][data-lesson='{lesson_id}']", state="attached", timeout=WAIT)
    page.wait_for_selector("#lessons[data-loading=false]", state="attached", timeout=WAIT)
    page.wait_for_function(
        "() => window.nnlive.store.lastFrame && window.nnlive.store.lastFrame.grid", timeout=WAIT
    )


def server_of_its_own(browser: Any) -> tuple[LiveServer, Any, Any]:
    """A server only this test stops and starts again, and a 1280×800 page (page errors in
    `page.console_errors`); the caller closes the context and stops the server."""
    server = LiveServer()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return server, context, page
