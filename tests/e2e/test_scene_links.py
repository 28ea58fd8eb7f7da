"""A saved scene's short link in a real Chromium: a known id opens the page, an unknown one says so and leads
back to the app (the scene the page then shows: tests/e2e/test_saved_scenes.py)."""

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_a_short_link_opens_the_page(page, live_server) -> None:
    scene = {"title": "drawn", "config": {}}
    saved = httpx.post(live_server.url + "/api/scenes", json=scene, timeout=30).json()
    response = page.goto(live_server.url + saved["url"])
    assert response.status == 200
    page.wait_for_selector("[data-testid=plane] .main-svg")
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 390, "height": 844}])
def test_an_unknown_short_link_says_so_and_leads_back(page, live_server, viewport) -> None:
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + "/s/AAAAAAAAAAAA")
    assert response.status == 404
    assert page.get_by_role("heading").inner_text() == "Scene not found"
    assert "No saved scene has the id AAAAAAAAAAAA" in page.inner_text("body")
    link = page.get_by_role("link", name="Open nnlive with the default scene")
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    not_found = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert page.console_errors == [not_found]  # the page's own status, nothing else
    link.click()
    page.wait_for_selector("[data-testid=plane] .main-svg")
    assert page.url.split("#")[0] == live_server.url + "/" and page.console_errors == [not_found]
