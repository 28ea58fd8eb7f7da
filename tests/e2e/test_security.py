"""The Content-Security-Policy as Chromium enforces it: the page, /docs and /redoc work with no violation; and
the CSV import's message for labels that are not classes (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ARTIFACTS, LiveServer
from tests.e2e.helpers import WAIT, open_page

pytestmark = pytest.mark.browser

RECORD = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def violations(page: Any) -> list[str]:
    return list(page.evaluate("() => window.__violations"))


def test_the_page_works_under_its_csp_without_a_violation(page: Any, live_server: LiveServer) -> None:
    page.add_init_script(RECORD)
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    open_page(page, live_server.url)
    page.select_option("[data-testid=dataset]", "spiral")
    page.click("[data-testid=play]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.epoch > 5", timeout=WAIT)
    page.click("[data-testid=pause]")
    page.click("#export-menu summary")
    with page.expect_download() as png:
        page.click("[data-testid=export-png]")  # a data: image drawn into a canvas, downloaded as a blob:
    assert png.value.suggested_filename.endswith(".png")
    page.screenshot(path=str(ARTIFACTS / "csp-page.png"))
    assert violations(page) == [] and not [m for m in messages if "Content Security Policy" in m]
    assert page.console_errors == []


def test_the_api_reference_works_offline_under_the_csp(page: Any, live_server: LiveServer) -> None:
    page.add_init_script(RECORD)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(live_server.url + "/docs")
    page.wait_for_selector(".opblock", timeout=WAIT)
    assert "/api/train" in page.content()
    page.click("#operations-api-train_config_api_train_post .opblock-summary")  # open one operation
    page.wait_for_selector("text=Request body", timeout=WAIT)
    page.screenshot(path=str(ARTIFACTS / "csp-docs.png"), full_page=False)
    assert violations(page) == []
    assert [u for u in outside if not u.startswith(("data:", "blob:"))] == []  # no CDN


def test_a_csv_whose_labels_are_not_classes_says_so_at_the_control(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    open_page(page, live_server.url)
    before = page.evaluate("() => JSON.stringify(window.nnlive.store.config.data)")
    nine = tmp_path / "nine.csv"
    nine.write_text("x1,x2,label\n" + "".join(f"{k},{k % 3},{k}\n" for k in range(9)))
    page.set_input_files("[data-testid=import-csv]", str(nine))
    banner = page.locator("[data-testid=error]")
    banner.wait_for(state="visible")
    text = banner.text_content() or ""
    assert "label 8" in text and "0 to 7" in text and "x1,x2,target" in text
    assert page.evaluate("() => JSON.stringify(window.nnlive.store.config.data)") == before  # nothing changed
    targets = tmp_path / "targets.csv"
    targets.write_text("x1,x2,target\n" + "".join(f"{k},{k % 3},{k}\n" for k in range(9)))
    page.set_input_files("[data-testid=import-csv]", str(targets))
    page.wait_for_function(
        "() => { const d = window.nnlive.store.data; return d && d.task === 'regression' && "
        "d.config.data.points.length === 9; }",
        timeout=WAIT,
    )
    assert page.console_errors == []
