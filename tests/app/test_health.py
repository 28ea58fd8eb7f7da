"""The health endpoint and the page shell, through FastAPI's TestClient."""

from fastapi.testclient import TestClient

from app import __version__
from app.main import app
from app.paths import PLOTLY_JS

client = TestClient(app)


def test_health_reports_status_and_version() -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def test_page_loads_plotly_from_the_app_not_a_cdn() -> None:
    html = client.get("/").text
    assert '<script src="/vendor/plotly.min.js?v=' in html
    assert "cdn" not in html.lower()
    assert 'type="module"' in html


def test_plotly_is_served_from_the_installed_package_with_a_long_cache() -> None:
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.content == PLOTLY_JS.read_bytes()
    assert "max-age=31536000" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/javascript")
