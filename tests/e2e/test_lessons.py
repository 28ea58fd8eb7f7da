"""Lessons, timeline and side-by-side runs in a real Chromium against a real server.

Every lesson opens from its URL and renders without console errors; the timeline replays an earlier epoch;
a fork trains as a second run. Tests wait for conditions, never for fixed times.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import WAIT, epoch, open_lesson, wait_applied

pytestmark = [pytest.mark.browser, pytest.mark.server]


def lesson_list(url: str) -> list[dict[str, Any]]:
    return httpx.get(url + "/api/lessons", timeout=10).json()["lessons"]


def lesson(url: str, lesson_id: str) -> dict[str, Any]:
    return httpx.get(f"{url}/api/lessons/{lesson_id}", timeout=10).json()


def applied(page: Any) -> dict[str, Any]:
    return page.evaluate("() => window.nnlive.store.applied")


def test_every_lesson_opens_from_its_url_and_renders(page: Any, live_server: Any) -> None:
    for item in lesson_list(live_server.url):
        full = lesson(live_server.url, item["id"])
        runs = len(full["variants"])
        open_lesson(page, live_server.url, item["id"])
        assert page.text_content("[data-testid=lesson-title]") == f"{item['number']}. {item['title']}"
        assert page.text_content("[data-testid=lesson-claim]").startswith("Claim")
        assert full["claim"] in page.text_content("[data-testid=lesson-claim]")
        assert page.is_visible("[data-testid=plane] .main-svg")
        config = applied(page)
        wanted = full["config"]
        if "dataset" in wanted["data"]:
            assert config["data"]["dataset"] == wanted["data"]["dataset"]
        else:
            assert len(config["data"]["points"]) == len(wanted["data"]["points"])
        assert config["network"]["hidden"] == wanted["network"]["hidden"]
        assert config["training"]["rule"] == wanted["training"].get("rule", "backprop")
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=compare-run]').length === {runs}",
            timeout=WAIT,
        )
        assert page.url.endswith(f"#lesson={item['id']}")
        assert not page.is_visible("[data-testid=error]"), page.text_content("[data-testid=error]")
        assert page.console_errors == [], item["id"]


def test_lesson_one_starts_from_its_hand_set_weights(page: Any, live_server: Any) -> None:
    open_lesson(page, live_server.url, "one-neuron-is-a-line")
    page.wait_for_function(
        """() => {
            const w = window.nnlive.store.lastFrame.weights[0];
            return w.W[0][0] === 1 && w.W[1][0] === 1 && w.b[0] === -1.5;
        }""",
        timeout=WAIT,
    )
    assert page.console_errors == []


def test_next_and_previous_walk_the_lessons_and_the_url_follows(page: Any, live_server: Any) -> None:
    items = lesson_list(live_server.url)
    open_lesson(page, live_server.url, items[0]["id"])
    assert page.is_disabled("[data-testid=lesson-prev]")
    page.click("[data-testid=lesson-next]")
    page.wait_for_selector(f"[data-testid=lesson][data-lesson='{items[1]['id']}']", timeout=WAIT)
    page.wait_for_function(f"() => location.hash === '#lesson={items[1]['id']}'", timeout=WAIT)
    wait_applied(page, "c.data.dataset === 'xor'")
    page.click("[data-testid=lesson-prev]")
    page.wait_for_selector(f"[data-testid=lesson][data-lesson='{items[0]['id']}']", timeout=WAIT)
    assert page.console_errors == []


def test_an_unknown_lesson_says_so_and_keeps_a_working_page(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/#lesson=no-such-lesson")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=error]').textContent"
        " .includes(\"unknown lesson 'no-such-lesson'\")",
        timeout=WAIT,
    )
    page.wait_for_function("() => window.nnlive.store.lastFrame !== null", timeout=WAIT)
    # the 404 of /api/lessons/no-such-lesson is the only console error (the browser logs failed fetches)
    assert all("404" in text for text in page.console_errors), page.console_errors


def test_timeline_replays_an_earlier_epoch_and_returns_to_live(page: Any, live_server: Any) -> None:
    open_lesson(page, live_server.url, "two-layers-solve-xor")
    page.click("[data-testid=play]")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 30", timeout=WAIT
    )
    page.click("[data-testid=pause]")
    page.wait_for_function("() => window.nnlive.timeline.history.length >= 5", timeout=WAIT)
    live_epoch = epoch(page)
    page.eval_on_selector(
        "[data-testid=timeline-scrubber]",
        "el => { el.value = '1'; el.dispatchEvent(new Event('input', {bubbles: true})); }",
    )
    page.wait_for_function("() => window.nnlive.replaying === true", timeout=WAIT)
    # The readouts show a frame at the next animation frame: wait until the top bar shows the replayed epoch
    # the timeline names (reading it at once could still see the live epoch).
    page.wait_for_function(
        "() => document.querySelector('[data-testid=epoch]').textContent"
        " === document.querySelector('[data-testid=timeline-epoch]').dataset.epoch",
        timeout=WAIT,
    )
    replayed = epoch(page)
    assert replayed < live_epoch
    assert page.text_content("[data-testid=timeline-epoch]").startswith(f"replay: epoch {replayed}")
    weights = page.evaluate("() => window.nnlive.timeline.history.at(1).weights[0].W")
    assert weights != page.evaluate("() => window.nnlive.store.lastFrame.weights[0].W")
    page.click("[data-testid=timeline-live]")
    page.wait_for_function("() => window.nnlive.replaying === false", timeout=WAIT)
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=epoch]').textContent)"
        " === window.nnlive.store.lastFrame.epoch",
        timeout=WAIT,
    )
    assert epoch(page) >= live_epoch
    assert page.console_errors == []


def test_a_fork_trains_as_a_second_run(page: Any, live_server: Any) -> None:
    open_lesson(page, live_server.url, "two-layers-solve-xor")
    assert page.locator("[data-testid=compare-run]").count() == 0
    page.select_option("[data-testid=fork-param]", "training.learning_rate")
    page.fill("[data-testid=fork-value]", "0.05")
    page.click("[data-testid=fork]")
    page.wait_for_selector("[data-testid=compare-run]", timeout=WAIT)
    assert "learning rate = 0.05" in page.text_content("[data-testid=compare-run]")
    page.click("[data-testid=play]")  # the runs play with the main run
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=run-epoch]').dataset.epoch || 0) >= 5",
        timeout=WAIT,
    )
    page.wait_for_selector("[data-testid=compare-curves] .main-svg", timeout=WAIT)
    forked = page.evaluate("() => window.nnlive.compare.runs[0].config")
    assert forked["training"]["learning_rate"] == 0.05
    assert forked["network"]["hidden"] == [2]
    assert page.console_errors == []


def test_lesson_nine_draws_the_landscape_and_its_path(page: Any, live_server: Any) -> None:
    open_lesson(page, live_server.url, "loss-landscape")
    page.wait_for_selector("[data-testid=landscape] .main-svg", timeout=WAIT)
    assert "bce loss over (w₁, w₂)" in page.text_content("[data-testid=landscape-caption]")
    page.click("[data-testid=play]")
    page.wait_for_function("() => window.nnlive.lessons.landscape.live.length >= 10", timeout=WAIT)
    start = page.evaluate("() => window.nnlive.lessons.landscape.live[0]")
    assert (start["w1"], start["w2"]) == (3.5, -2.0)  # the lesson's starting weights
    page.click("[data-testid=landscape-3d]")  # the 3-D surface (WebGL) and back to the map
    page.wait_for_selector("[data-testid=landscape] .gl-container", state="attached", timeout=WAIT)
    page.click("[data-testid=landscape-3d]")
    page.wait_for_function("() => window.nnlive.lessons.landscape.mode === 'contour'", timeout=WAIT)
    page.wait_for_selector("[data-testid=landscape] .main-svg .contour", state="attached", timeout=WAIT)
    assert page.console_errors == []


def test_a_reset_of_lesson_nine_starts_again_from_its_weights(page: Any, live_server: Any) -> None:
    open_lesson(page, live_server.url, "loss-landscape")
    page.click("[data-testid=play]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.epoch >= 5", timeout=WAIT)
    page.click("[data-testid=reset]")
    page.wait_for_function(
        """() => {
            const f = window.nnlive.store.lastFrame;
            return f.step === 0 && f.weights[0].W[0][0] === 3.5 && f.weights[0].W[1][0] === -2;
        }""",
        timeout=WAIT,
    )
    assert page.console_errors == []


def test_frame_history_stays_bounded_and_evenly_thinned(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    result = page.evaluate(
        """async () => {
            const m = await import('/static/js/timeline.js');
            const h = new m.FrameHistory(10);
            for (let i = 0; i <= 100; i++) h.push({epoch: i, step: i, grid: null});
            const kept = h.frames.map((f) => f.step);
            const length = h.length;
            const runBefore = h.run;
            h.push({epoch: 0, step: 0, grid: null});  // a new run
            // a binary frame as the server sends it (docs/protocol.md): the grids are uint8 blocks
            const rows = [[0, 0.5, 1], [0.25, 0.75, 1]];
            const bytes = (lo, hi) => rows.flat().map((v) => Math.round(((v - lo) / (hi - lo)) * 255));
            const header = new TextEncoder().encode(JSON.stringify({type: 'frame', epoch: 3, step: 9,
                grid: {extent: [-1, 1, -1, 1], size: 3, neuron_size: 3,
                       output: {dtype: 'uint8', shape: [2, 3], range: [0, 1], offset: 0},
                       layers: [{dtype: 'uint8', shape: [1, 2, 3], range: [-1, 1], offset: 6}]}}));
            const buffer = new Uint8Array(4 + header.length + 12);
            new DataView(buffer.buffer).setUint32(0, header.length, true);
            buffer.set(header, 4);
            buffer.set([...bytes(0, 1), ...bytes(-1, 1)], 4 + header.length);
            const socket = await import('/static/js/socket.js');
            const frame = socket.decodeFrame(buffer.buffer);
            const back = m.packFrame(frame);
            const valuesOf = (block) => socket.dequantize(block)[0].map((r) => Array.from(r));
            return {kept, length, newRun: h.run > runBefore && h.length === 1,
                    own: back.grid.output.bytes.buffer !== buffer.buffer,
                    output: valuesOf(back.grid.output), layer: valuesOf(back.grid.layers[0])};
        }"""
    )
    kept = result["kept"]
    assert (
        len(kept) == result["length"] <= 11 and kept[0] == 0 and kept[-1] == 100
    )  # the first and the newest
    gaps = {b - a for a, b in itertools.pairwise(kept[:-1])}
    assert len(gaps) == 1 and gaps.pop() > 1  # thinned, evenly
    assert result["newRun"]
    assert result["own"]  # the history keeps a copy of the bytes, not the whole message
    for got, want in (
        (result["output"], [[0, 0.5, 1], [0.25, 0.75, 1]]),
        (result["layer"], [[0, 0.5, 1], [0.25, 0.75, 1]]),
    ):
        for row, expected in zip(got, want, strict=True):
            assert row == pytest.approx(expected, abs=1.01 / 255)  # a grid is kept as bytes
    assert page.console_errors == []


def test_lesson_six_reports_the_divergence_in_its_side_by_side_run(page: Any, live_server: Any) -> None:
    open_lesson(page, live_server.url, "learning-rate")
    labels = page.locator("[data-testid=compare-run] .run-label").all_inner_texts()
    assert labels == ["η = 0.000001", "η = 0.3"]
    page.click("[data-testid=play]")
    large = page.locator("[data-testid=compare-run]").nth(1)
    large.locator("[data-testid=run-event][data-kind=diverged]").wait_for(timeout=WAIT)
    assert "diverged" in large.locator("[data-testid=run-event]").inner_text()
    assert page.text_content("[data-testid=status]") == "live"  # the page and its sessions carry on
    assert page.console_errors == []


def test_the_default_page_offers_lesson_one_and_loads_it_on_request(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
    page.wait_for_selector("[data-testid=start-here]", state="visible", timeout=WAIT)
    page.wait_for_function("() => window.nnlive.store.applied !== null", timeout=WAIT)
    assert page.evaluate("() => window.nnlive.store.applied.data.dataset") != "and"  # offered, not loaded
    assert not page.evaluate("() => document.body.classList.contains('lesson-mode')")
    page.click("[data-testid=start-lesson]")
    wait_applied(page, "c.data.dataset === 'and'")
    page.wait_for_function("() => location.hash === '#lesson=one-neuron-is-a-line'", timeout=WAIT)
    assert page.evaluate("() => document.body.classList.contains('lesson-mode')")
    assert not page.is_visible("[data-testid=start-here]")
    page.click("[data-testid=lesson-leave]")  # back to the plain page: the scene stays
    assert not page.evaluate("() => document.body.classList.contains('lesson-mode')")
    assert page.evaluate("() => window.nnlive.store.applied.data.dataset") == "and"
    page.wait_for_function("() => location.hash.startsWith('#s=') || location.hash.startsWith('#j=')")
    assert page.console_errors == []


def test_a_link_opens_no_start_here_card(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/#lesson=going-deep")
    page.wait_for_selector("#lessons[data-loading=false]", state="attached", timeout=WAIT)
    assert not page.is_visible("[data-testid=start-here]")
    assert page.console_errors == []


def test_forks_of_init_or_seed_start_from_their_own_weights_and_colours_stay_distinct(
    page: Any, live_server: Any
) -> None:
    open_lesson(page, live_server.url, "two-layers-solve-xor")
    page.wait_for_function(
        "() => window.nnlive.timeline.history.length && window.nnlive.timeline.history.at(0).step === 0",
        timeout=WAIT,
    )
    has_weights = page.evaluate(
        """() => ['training.learning_rate', 'seed', 'network.init'].map((path) => {
            const value = path === 'seed' ? 7 : path === 'network.init' ? 'he_normal' : 0.05;
            return Boolean(window.nnlive.compare.fork(path, value).config.network.weights);
        })"""
    )
    assert has_weights == [True, False, False]  # only the learning-rate fork reuses the main run's start
    page.evaluate("() => window.nnlive.compare.remove(window.nnlive.compare.runs[0])")
    page.evaluate("() => window.nnlive.compare.fork('training.learning_rate', 0.2)")
    colours = page.evaluate("() => window.nnlive.compare.runs.map((r) => r.colour)")
    assert len(colours) == 3 and len(set(colours)) == 3
    assert page.console_errors == []
