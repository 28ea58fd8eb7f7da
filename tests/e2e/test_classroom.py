"""A class in one real Chromium against a real server: a teacher (one browser context: the dashboard and the
broadcast page) and three learners (a context each, as three devices). The teacher creates a class; learners
join by its link with a name; their runs fill the dashboard's tiles (thumbnail, epoch, loss, accuracy,
settings), which sort and put one learner on the projector; anonymous names hide the names; the teacher pauses
everyone, broadcasts a run that every learner's page shows, releases them to run their own copy, pushes a
saved scene and collects snapshots."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import WAIT
from tests.e2e.test_screens import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.timeout(300)]
NAMES = ["Ada", "Bo", "Cy"]
SHOTS = None  # a folder to save screenshots in while developing (then look at them)


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png")


def errors_of(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def join(browser: Any, url: str, name: str, viewport: dict[str, int]) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = errors_of(page)
    page.goto(url)
    page.fill("[data-testid=join-name]", name)
    page.click("[data-testid=join]")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_function("() => window.nnlive.store.lastFrame !== null", timeout=WAIT)
    return context, page, errors


def mode_of(page: Any) -> str:
    return str(page.get_attribute("[data-testid=class-badge]", "data-mode"))


def test_a_teacher_and_three_learners(browser, live_server) -> None:
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 720})
    contexts = [teacher_context]
    try:
        teacher = teacher_context.new_page()
        teacher_errors = errors_of(teacher)
        teacher.goto(live_server.url + "/class")
        teacher.fill("[data-testid=class-title]", "Perceptrons")
        teacher.click("[data-testid=create]")
        code = teacher.text_content("[data-testid=class-code]", timeout=WAIT)
        link = teacher.input_value("[data-testid=join-link]")
        assert link == f"{live_server.url}/c/{code}"
        teacher.wait_for_selector("[data-testid=class-status][data-state=live]", timeout=WAIT)

        wide, phone = {"width": 1280, "height": 720}, {"width": 390, "height": 844}
        viewports = [wide, wide, phone]
        learners = []
        for name, viewport in zip(NAMES, viewports, strict=True):
            context, page, errors = join(browser, link, name, viewport)
            contexts.append(context)
            learners.append((page, errors))
            assert page.text_content("[data-testid=class-badge]") == f"Your own run · Class {code} · {name}"
        shot(learners[2][0], "learner-phone")

        # every learner's own run shows on the dashboard
        for page, _ in learners:
            page.click("[data-testid=play]")
        teacher.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=tile] [data-stat=epoch]')]"
            ".filter(e => Number(e.textContent) > 0).length === 3",
            timeout=WAIT,
        )
        names = teacher.eval_on_selector_all("[data-testid=tile-name]", "els => els.map(e => e.textContent)")
        assert names == NAMES
        tile = teacher.locator("[data-testid=tile]", has_text="Bo")
        assert "hidden 8-8" in tile.inner_text() and "circle" in tile.inner_text()
        painted = tile.locator("canvas").evaluate(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            " const colours = Array.from({length: d.length / 4}, (_, i) => d[4 * i] + ',' + d[4 * i + 2]);"
            " return new Set(colours).size; }"
        )
        assert painted > 5  # a boundary, not a blank square
        before = int(tile.locator("[data-stat=epoch]").inner_text())
        teacher.wait_for_function(
            "before => [...document.querySelectorAll('[data-testid=tile]')].some(t =>"
            " t.textContent.includes('Bo')"
            " && Number(t.querySelector('[data-stat=epoch]').textContent) > before)",
            arg=before,
            timeout=WAIT,
        )  # the tile refreshes
        teacher.select_option("[data-testid=sort]", "name")
        teacher.select_option("[data-testid=sort]", "epoch")
        teacher.wait_for_timeout(300)
        epochs = teacher.eval_on_selector_all(
            "[data-testid=tile] [data-stat=epoch]", "els => els.map(e => Number(e.textContent))"
        )
        assert epochs == sorted(epochs, reverse=True)
        tile.click()
        teacher.wait_for_selector("[data-testid=spotlight] >> text=Bo", timeout=WAIT)
        teacher.check("[data-testid=anonymous]")
        teacher.wait_for_function(
            "() => !document.querySelector('[data-testid=tiles]').textContent.includes('Ada')", timeout=WAIT
        )
        assert teacher.text_content("[data-testid=spotlight-name]").startswith("Learner ")
        shot(teacher, "dashboard")
        assert axe_violations(teacher) == [], "the teacher's dashboard"
        assert axe_violations(learners[0][0]) == [], "a learner's page in the class"

        # pause all: every learner's run stops and the transport holds
        teacher.click("[data-testid=mode-paused]")
        for page, _ in learners:
            page.wait_for_function(
                "() => document.querySelector('[data-testid=class-badge]').dataset.mode === 'paused'",
                timeout=WAIT,
            )
            page.wait_for_function("() => !window.nnlive.store.playing", timeout=WAIT)
            assert page.evaluate("document.querySelector('.transport').inert")

        # broadcast: the teacher's run, on every learner's page
        broadcast = teacher_context.new_page()
        broadcast.goto(f"{live_server.url}/?teach={code}")
        broadcast.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
        assert broadcast.text_content("[data-testid=class-badge]") == f"Broadcasting to class {code}"
        broadcast.select_option("[data-testid=dataset]", "xor")
        broadcast.wait_for_function("() => window.nnlive.store.applied.data.dataset === 'xor'", timeout=WAIT)
        teacher.click("[data-testid=mode-watching]")
        broadcast.click("[data-testid=play]")
        broadcast.wait_for_function("() => window.nnlive.store.lastFrame.epoch > 3", timeout=WAIT)
        for page, _ in learners:
            page.wait_for_function(
                "() => window.nnlive.store.data && window.nnlive.store.data.config.data.dataset === 'xor'"
                " && window.nnlive.store.lastFrame.epoch > 3",
                timeout=WAIT,
            )
            assert page.text_content("[data-testid=class-badge]").startswith("Watching the teacher · ")
        shot(learners[0][0], "learner-watching")

        # release: each learner runs their own copy of what they watched
        broadcast.click("[data-testid=pause]")
        teacher.click("[data-testid=mode-free]")
        for page, _ in learners:
            page.wait_for_function(
                "() => window.nnlive.store.applied.data.dataset === 'xor'"
                " && !document.querySelector('.transport').inert",
                timeout=WAIT,
            )
        own = learners[0][0]
        own.click("[data-testid=play]")
        own.wait_for_function("() => window.nnlive.store.playing", timeout=WAIT)

        # push a saved scene the teacher saved, then collect snapshots
        broadcast.select_option("[data-testid=dataset]", "gauss")
        gauss = "() => window.nnlive.store.applied.data.dataset === 'gauss'"
        broadcast.wait_for_function(gauss, timeout=WAIT)
        broadcast.click("[data-testid=save-menu] summary")
        broadcast.fill("[data-testid=save-title]", "two blobs")
        broadcast.uncheck("[data-testid=save-weights]")
        broadcast.click("[data-testid=save-scene]")
        broadcast.wait_for_selector("[data-testid=saved-url]", timeout=WAIT)
        teacher.reload()
        teacher.wait_for_selector("[data-testid=class-status][data-state=live]", timeout=WAIT)
        teacher.wait_for_selector("[data-testid=push-select] option >> text=two blobs", state="attached")
        teacher.click("[data-testid=push]")
        for page, _ in learners:
            page.wait_for_function(gauss, timeout=WAIT)
        teacher.click("[data-testid=collect]")
        teacher.wait_for_function(
            "() => document.querySelectorAll('[data-testid=snapshot]').length === 3", timeout=WAIT
        )
        shot(teacher, "dashboard-snapshots")
        teacher.set_viewport_size({"width": 390, "height": 844})
        for selector in ("[data-testid=class-code]", "[data-testid=mode-paused]", "[data-testid=tiles]"):
            box = teacher.locator(selector).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        shot(teacher, "dashboard-phone")
        assert teacher_errors == []
        for _, errors in learners:
            assert errors == []
    finally:
        for context in contexts:
            context.close()
