"""A real Chromium opens the page served by a real uvicorn server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_page_loads_plotly_without_console_errors(page, live_server) -> None:
    response = page.goto(live_server.url + "/")
    assert response.ok
    page.wait_for_function("() => window.Plotly !== undefined && typeof window.Plotly.newPlot === 'function'")
    page.wait_for_selector("[data-testid=plane] .main-svg")
    assert page.console_errors == []
