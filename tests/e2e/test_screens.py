"""The page on the screens learners and teachers have (issue 14), in a real Chromium against a real server.

At 1280×720, 1440×900 and 1920×1080 the plane, the network diagram down to the last neuron of every layer, the
curves and the open lesson's text (its title, what to try, the claim and its checklist) are inside the window
without scrolling; from 1440×900 up the lesson's side-by-side cards are too. At 390×844 (a phone) the page is
one column and nothing is wider than the screen. Projector mode comes from a URL flag or the toggle, and axe
(the axe-core package, from node_modules) finds no serious or critical violation on the page or any lesson.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT
from tests.e2e.helpers import WAIT

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENS = [(1280, 720), (1440, 900), (1920, 1080)]
PHONE = (390, 844)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
Box = dict[str, float]


@pytest.fixture
def screen(browser: Any) -> Iterator[Any]:
    """`screen(width, height)` opens a fresh page at that viewport (a phone-like one under 500 px)."""
    contexts = []

    def open_at(width: int, height: int) -> Any:
        phone = width < 500
        context = browser.new_context(
            viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
        )
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        return page

    yield open_at
    for context in contexts:
        context.close()


def load(page: Any, url: str, hash_: str = "") -> None:
    page.goto(url + "/" + hash_)
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_function(
        "() => window.nnlive.store.lastFrame && window.nnlive.store.lastFrame.grid", timeout=WAIT
    )
    if hash_.startswith("#lesson="):
        page.wait_for_selector("#lessons[data-loading=false]", state="attached", timeout=WAIT)
    page.wait_for_timeout(300)  # the plots settle into their boxes


def box(page: Any, selector: str) -> Box:
    found = page.evaluate(
        """(sel) => { const e = document.querySelector(sel); if (!e) return null;
            const r = e.getBoundingClientRect();
            return {x: r.left, y: r.top, right: r.right, bottom: r.bottom,
                    width: r.width, height: r.height}; }""",
        selector,
    )
    assert found, f"{selector} is not on the page"
    return found


def assert_on_screen(page: Any, selector: str, what: str) -> None:
    """The element is wholly inside the window, as the page opened (nothing scrolled)."""
    view = page.viewport_size
    b = box(page, selector)
    assert b["width"] > 0 and b["height"] > 0, f"{what} is not shown"
    assert b["x"] >= -1 and b["y"] >= -1, f"{what} starts outside the window: {b}"
    assert b["right"] <= view["width"] + 1 and b["bottom"] <= view["height"] + 1, (
        f"{what} ends outside the {view['width']}×{view['height']} window: {b}"
    )


def last_neurons(page: Any) -> list[str]:
    """The last neuron of every hidden layer and the output's, as selectors."""
    hidden = page.evaluate("() => window.nnlive.store.applied.network.hidden")
    outputs = page.evaluate("() => window.nnlive.store.lastFrame.weights.at(-1).b.length")
    layers = [*hidden, outputs]
    return [f"[data-testid=neuron-{k}-{n - 1}]" for k, n in enumerate(layers)]


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_plane_every_neuron_and_the_curves_are_in_view(
    screen: Any, live_server: Any, width: int, height: int
) -> None:
    page = screen(width, height)
    load(page, live_server.url)
    for what, selector in [
        ("the plane", "[data-testid=plane]"),
        ("the curves", "[data-testid=curves]"),
        ("the play button", "[data-testid=play]"),
        ("start here", "[data-testid=start-here]"),
    ]:
        assert_on_screen(page, selector, what)
    neurons = last_neurons(page)
    assert neurons == ["[data-testid=neuron-0-7]", "[data-testid=neuron-1-7]", "[data-testid=neuron-2-0]"]
    for selector in neurons:  # the 8th neuron of each layer, inside the diagram's box and the window
        assert_on_screen(page, selector, f"neuron {selector}")
        diagram, neuron = box(page, ".network-wrap"), box(page, selector)
        assert diagram["y"] <= neuron["y"] and neuron["bottom"] <= diagram["bottom"], (
            "cut by the diagram's box"
        )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.console_errors == []


def open_lesson_here(page: Any, lesson_id: str) -> None:
    """Open another lesson in the same page, as its link would (a hash change)."""
    page.evaluate("(id) => { location.hash = '#lesson=' + id; }", lesson_id)
    page.wait_for_selector(f"[data-testid=lesson][data-lesson='{lesson_id}']", state="attached", timeout=WAIT)
    page.wait_for_selector("#lessons[data-loading=false]", state="attached", timeout=WAIT)
    page.wait_for_function(
        "() => window.nnlive.store.lastFrame && window.nnlive.store.lastFrame.grid", timeout=WAIT
    )
    page.wait_for_timeout(300)


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_a_lessons_text_and_claim_sit_beside_the_plane(
    screen: Any, live_server: Any, width: int, height: int
) -> None:
    """The longest lesson texts (5 and 7), the deepest scene (12) and the landscape (9): text, claim and
    checklist in view; from 1440×900 up the side-by-side cards and the landscape too."""
    page = screen(width, height)
    load(page, live_server.url, "#lesson=loss-functions")
    for lesson_id in ["loss-functions", "old-rules-side-by-side", "going-deep", "loss-landscape"]:
        open_lesson_here(page, lesson_id)
        assert page.evaluate("() => document.body.classList.contains('lesson-mode')")
        for what, selector in [
            ("the lesson's title", "[data-testid=lesson-title]"),
            ("what to try", "[data-testid=lesson-try]"),
            ("what to look for", "[data-testid=lesson-look]"),
            ("the claim and its checklist", "[data-testid=lesson-claim]"),
            ("the plane", "[data-testid=plane]"),
            ("the curves", "[data-testid=curves]"),
        ]:
            assert_on_screen(page, selector, f"{lesson_id}: {what}")
        for selector in last_neurons(page):
            assert_on_screen(page, selector, f"{lesson_id}: neuron {selector}")
        plane, text = box(page, "[data-testid=plane]"), box(page, "[data-testid=lesson]")
        assert text["right"] <= plane["x"], "the lesson's text is beside the plane"
        if height >= 900:  # the lesson's own views: its cards, lesson 9's landscape
            view = "[data-testid=landscape]" if lesson_id == "loss-landscape" else "[data-testid=compare-run]"
            page.locator(view).first.wait_for(timeout=WAIT)
            first = page.locator(view).first.bounding_box()
            assert first["y"] + 60 <= height, f"{lesson_id}: its own views start below the fold: {first}"
    assert page.console_errors == []


@pytest.mark.parametrize("hash_", ["", "#lesson=optimizers-race"])
def test_a_phone_gets_one_column_and_no_sideways_scroll(screen: Any, live_server: Any, hash_: str) -> None:
    page = screen(*PHONE)
    load(page, live_server.url, hash_)
    width = PHONE[0]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    panels = page.evaluate(
        """() => [...document.querySelectorAll('.panel, .plane-wrap, .network-wrap, .topbar')]
            .filter((e) => e.getBoundingClientRect().width > 0)
            .map((e) => { const r = e.getBoundingClientRect();
                return [e.id || e.className, r.left, r.right]; })"""
    )
    assert panels and all(left >= 0 and right <= width for _, left, right in panels), panels
    plane, curves = box(page, "[data-testid=plane]"), box(page, "[data-testid=curves]")
    assert curves["y"] > plane["bottom"], "one column: the curves come under the plane"
    assert page.console_errors == []


def test_projector_mode_from_the_url_and_the_toggle(screen: Any, live_server: Any) -> None:
    page = screen(1920, 1080)
    load(page, live_server.url, "")
    plain = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#epoch')).fontSize)")
    page.goto(live_server.url + "/?projector=1&hide=data,training,timeline#lesson=going-deep")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_selector("#lessons[data-loading=false]", state="attached", timeout=WAIT)
    assert page.get_attribute("[data-testid=projector-toggle]", "aria-pressed") == "true"
    assert not page.is_visible("#panel-data") and not page.is_visible("#panel-training")
    assert not page.is_visible("#timeline") and page.is_visible("#panel-network")
    big = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#epoch')).fontSize)")
    assert big >= 1.2 * plain, (plain, big)
    for selector in ["[data-testid=plane]", "[data-testid=lesson-claim]", "[data-testid=curves]"]:
        assert_on_screen(page, selector, selector)
    page.click("[data-testid=projector-menu] summary")  # the teacher shows the Training panel again
    page.uncheck("[data-testid=hide-training]")
    assert page.is_visible("#panel-training")
    assert "hide=data,timeline" in page.url and page.url.endswith("#lesson=going-deep")
    page.click("[data-testid=projector-toggle]")
    assert page.is_visible("#panel-data") and "projector" not in page.url
    assert page.console_errors == []


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is (axe is evaluated through the DevTools
    protocol, which the page's Content-Security-Policy does not govern)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}))"""
    )


@pytest.fixture(scope="module")
def axe_available() -> Path:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does) to install axe-core from package.json")
    return AXE


def test_axe_finds_nothing_serious_on_the_page_nor_on_any_lesson(
    screen: Any, live_server: Any, axe_available: Path
) -> None:
    page = screen(1280, 800)
    load(page, live_server.url)
    assert axe_violations(page) == [], "the main page"
    assert page.evaluate("() => document.querySelectorAll('h1').length") == 1
    lessons = httpx.get(live_server.url + "/api/lessons", timeout=10).json()["lessons"]
    for item in lessons:
        open_lesson_here(page, item["id"])
        assert axe_violations(page) == [], f"lesson {item['number']} ({item['id']})"
    page.goto(live_server.url + "/?projector=1#lesson=loss-landscape")
    page.wait_for_selector("#lessons[data-loading=false]", state="attached", timeout=WAIT)
    assert axe_violations(page) == [], "projector mode"
