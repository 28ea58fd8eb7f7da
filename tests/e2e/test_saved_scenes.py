"""Saved scenes on the page, in a real Chromium against a real server: the Save control saves the scene with
its trained weights and curves and shows the short link; the link opens that scene with those weights; "My
saved scenes" lists what this browser saved and deletes it; a refusal of the server is said at the control."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import LiveServer
from tests.e2e.helpers import WAIT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.server]


def save(page, title: str) -> str:
    """Open the Save menu, save under `title` and return the short link it shows."""
    page.click("[data-testid=save-menu] summary")
    page.fill("[data-testid=save-title]", title)
    page.click("[data-testid=save-scene]")
    page.wait_for_selector("[data-testid=saved-url]", timeout=WAIT)
    return page.input_value("[data-testid=saved-url]")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 390, "height": 844}])
def test_save_open_and_delete_a_scene(page, live_server, viewport) -> None:
    page.set_viewport_size(viewport)
    open_page(page, live_server.url)
    for _ in range(3):
        page.click("[data-testid=step]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.epoch >= 3", timeout=WAIT)
    trained = page.evaluate("window.nnlive.store.lastFrame.weights")
    link = save(page, "three epochs of circle")
    assert link.startswith(live_server.url + "/s/")
    scene_id = link.rsplit("/", 1)[1]
    stored = httpx.get(f"{live_server.url}/api/scenes/{scene_id}", timeout=30).json()
    assert stored["title"] == "three epochs of circle"
    assert stored["weights"] == trained  # the weights on screen, as the frame carried them
    assert stored["history"]["epoch"][-1] >= 3 and len(stored["history"]["train_loss"]) >= 3
    assert stored["config"]["data"]["dataset"] == page.evaluate("window.nnlive.store.config.data.dataset")
    item = page.locator("[data-testid=my-scenes] li", has_text="three epochs of circle")
    item.wait_for(timeout=WAIT)
    box = page.locator("[data-testid=save-menu] .menu-body").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert item.locator("[data-testid=delete-scene]").is_visible()

    # the short link opens the scene, its run starting from the saved weights
    other = page.context.new_page()
    other.goto(link)
    other.wait_for_function(
        "() => window.nnlive && window.nnlive.store.lastFrame && window.nnlive.store.applied", timeout=WAIT
    )
    assert other.evaluate("window.nnlive.store.lastFrame.epoch") == 0
    first = other.evaluate("window.nnlive.store.lastFrame.weights")
    for mine, theirs in zip(first, trained, strict=True):
        assert mine["b"] == pytest.approx(theirs["b"], abs=1e-6)
        assert mine["W"] == [pytest.approx(row, abs=1e-6) for row in theirs["W"]]
    assert "Opened the saved scene “three epochs of circle” with its trained weights" in other.inner_text(
        "[data-testid=notice]"
    )
    other.close()

    # delete it from the gallery: gone from the list and from the server
    item.locator("[data-testid=delete-scene]").click()
    page.wait_for_function(
        f"() => !document.querySelector('[data-testid=my-scenes] [data-scene=\"{scene_id}\"]')", timeout=WAIT
    )
    assert httpx.get(f"{live_server.url}/api/scenes/{scene_id}", timeout=30).status_code == 404
    assert page.console_errors == []


def test_a_refused_save_is_said_at_the_control(browser) -> None:
    server = LiveServer(env={"NNLIVE_SCENE_MAX_BYTES": "300"})
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        open_page(page, server.url)
        page.click("[data-testid=save-menu] summary")
        page.click("[data-testid=save-scene]")
        error = page.locator("[data-testid=save-error]")
        error.wait_for(timeout=WAIT)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=save-error]').textContent !== ''", timeout=WAIT
        )
        assert "over this server's limit of 300 bytes" in error.inner_text()
        assert page.locator("[data-testid=saved-link]").is_hidden()
        assert page.evaluate("localStorage.getItem('nnlive.saved-scenes')") is None
    finally:
        context.close()
        server.stop()
