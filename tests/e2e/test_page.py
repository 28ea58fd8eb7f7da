"""The page in a real Chromium against a real server: draw, train, watch, share, recover from bad input.

Every test waits for conditions (never fixed sleeps) and ends with no console errors. The page exposes a
handle as `window.nnlive` (see static/js/main.js), which the tests read for facts the screen shows in pixels.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.helpers import (
    WAIT,
    click_plane,
    enter_value,
    epoch,
    open_page,
    plane_xy,
    server_of_its_own,
    set_speed_max,
    wait_applied,
    wait_config,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

SLOW = 45_000  # ms: a server stopping (it may wait for its sockets) and starting again


def train_loss(page: Any) -> float:
    return float(page.text_content("[data-testid=train-loss]"))


def wait_epoch_at_least(page: Any, n: int) -> None:
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=epoch]').textContent) >= {n}", timeout=WAIT
    )


def wait_epoch_is(page: Any, n: int) -> None:
    page.wait_for_function(
        f"() => document.querySelector('[data-testid=epoch]').textContent === '{n}'", timeout=WAIT
    )


def grid_signature(page: Any) -> float:
    """A number that changes when the output heatmap changes (sum of the output grid's bytes)."""
    return page.evaluate(
        """() => {
            const bytes = window.nnlive.store.lastFrame.grid.output.bytes;
            let s = 0;
            for (const b of bytes) s += b;
            return s;
        }"""
    )


def plane_image(page: Any) -> str:
    """The heatmap the plane shows (its canvas as a PNG data URL), or '' when there is none."""
    return page.evaluate(
        """() => {
            const canvas = document.querySelector('[data-testid=plane-heatmap]');
            return canvas && !canvas.hidden ? canvas.toDataURL() : '';
        }"""
    )


def draw_clusters(page: Any) -> None:
    """Start from an empty canvas and click two clusters: class 0 lower left, class 1 upper right."""
    page.click("[data-testid=clear]")
    page.wait_for_function(
        "() => window.nnlive.store.drawing && window.nnlive.store.drawn.points.length === 0"
    )
    cluster = [(0.0, 0.0), (0.6, 0.3), (-0.5, 0.5), (0.3, -0.6), (-0.4, -0.3)]
    for cls, (cx, cy) in ((0, (-3.0, -3.0)), (1, (3.0, 3.0))):
        page.click(f"[data-testid=class-picker] [data-testid=class-{cls}]")
        for dx, dy in cluster:
            click_plane(page, cx + dx, cy + dy)
    page.wait_for_function(
        """() => {
            const d = window.nnlive.store.data;
            return d && d.config && Array.isArray(d.config.data.points) && d.config.data.points.length === 10;
        }""",
        timeout=WAIT,
    )


def test_draw_two_clusters_and_watch_it_learn(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    draw_clusters(page)
    drawn = page.evaluate("() => window.nnlive.store.drawn")
    assert sorted(drawn["labels"]) == [0] * 5 + [1] * 5
    assert all(x < 0 for (x, _), label in zip(drawn["points"], drawn["labels"], strict=True) if label == 0)
    wait_epoch_is(page, 0)
    page.wait_for_function("() => window.nnlive.store.lastFrame.grid !== null", timeout=WAIT)
    first_loss = train_loss(page)
    first_grid = grid_signature(page)
    page.wait_for_function("() => window.nnlive.stats.painted > 0")
    first_image = plane_image(page)
    assert first_image

    page.click("[data-testid=play]")
    page.wait_for_selector("[data-testid=pause]", state="visible")
    wait_epoch_at_least(page, 5)
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=train-loss]').textContent) < {first_loss} * 0.8",
        timeout=WAIT,
    )
    page.click("[data-testid=pause]")
    page.wait_for_selector("[data-testid=play]", state="visible")
    assert train_loss(page) < first_loss
    assert grid_signature(page) != pytest.approx(first_grid)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=plane-heatmap]').toDataURL()"
        f" !== {json.dumps(first_image)}"
    )
    assert page.console_errors == []


def test_switching_activation_resets_the_network(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    set_speed_max(page)
    page.click("[data-testid=play]")
    wait_epoch_at_least(page, 3)
    page.select_option("[data-testid=activation]", "relu")
    wait_epoch_is(page, 0)
    wait_applied(page, "c.network.activation === 'relu'")
    page.wait_for_selector("[data-testid=play]", state="visible")  # a new run starts paused
    assert page.text_content("#activation-formula").startswith("relu")
    page.wait_for_selector("#activation-plot .main-svg")
    assert page.console_errors == []


def test_xor_gate_perceptron_never_error_free_but_2_2_1_backprop_is(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    set_speed_max(page)
    page.select_option("[data-testid=dataset]", "xor")
    page.select_option("[data-testid=rule]", "perceptron")
    wait_applied(
        page,
        "c.training.rule === 'perceptron' && c.data.dataset === 'xor' && c.network.hidden.length === 0",
    )
    assert page.text_content("#layer-count") == "0"
    assert page.is_disabled("[data-testid=add-layer]")
    enter_value(page, "#f-training-epochs", "100")  # the page's scene trains until paused: give it an end
    wait_config(page, "c.training.epochs === 100")
    # a classic rule steps one sample at a time
    page.click("[data-testid=step]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.step === 1", timeout=WAIT)
    assert epoch(page) == 0
    page.click("[data-testid=play]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.done === true", timeout=WAIT)
    frame = page.evaluate("() => window.nnlive.store.lastFrame")
    assert frame["epoch"] == 100
    assert frame["metrics"]["mistakes"] >= 1  # XOR is not linearly separable: never an error-free epoch
    assert frame["metrics"]["train_accuracy"] < 1.0
    assert int(page.text_content("[data-testid=mistakes]")) >= 1

    # the same gate with a 2-2-1 network trained by backprop
    page.select_option("[data-testid=rule]", "backprop")
    wait_applied(page, "c.training.rule === 'backprop'")
    while int(page.text_content("#layer-count")) > 0:
        count = int(page.text_content("#layer-count"))
        page.click("[data-testid=remove-layer]")
        page.wait_for_function(f"() => document.querySelector('#layer-count').textContent === '{count - 1}'")
    page.click("[data-testid=add-layer]")
    while int(page.input_value("[data-testid=layer-0-size]")) > 2:
        size = int(page.input_value("[data-testid=layer-0-size]"))
        page.click("[data-testid=layer-0-minus]")
        page.wait_for_function(
            f"() => document.querySelector('[data-testid=layer-0-size]').value === '{size - 1}'"
        )
    page.wait_for_function(
        "() => JSON.stringify(window.nnlive.store.applied.network.hidden) === '[2]'", timeout=WAIT
    )
    enter_value(page, "[data-testid=learning-rate]", "0.1")
    wait_config(page, "c.training.learning_rate === 0.1")
    page.click("[data-testid=play]")
    page.wait_for_function(
        "() => (window.nnlive.store.lastFrame.metrics || {}).train_accuracy === 1", timeout=WAIT
    )
    assert page.text_content("[data-testid=accuracy]").startswith("100.0%")
    weights = page.evaluate("() => window.nnlive.store.lastFrame.weights.map(w => w.b.length)")
    assert weights == [2, 1]
    assert page.console_errors == []


def test_reloading_the_url_restores_the_scene(page: Any, live_server: Any, browser: Any) -> None:
    open_page(page, live_server.url)
    draw_clusters(page)
    page.click("[data-testid=class-picker] [data-testid=class-2]")
    click_plane(page, -3.0, 3.0)  # a third class: the page switches to a softmax output
    page.select_option("[data-testid=activation]", "sigmoid")
    page.click("[data-testid=add-layer]")
    wait_applied(
        page,
        "c.network.activation === 'sigmoid' && "
        "c.network.hidden.length === 3 && c.network.output_activation === 'softmax' && "
        "c.data.points.length === 11",
    )
    page.check("[data-testid=discretize]")
    page.evaluate("() => window.nnlive.store.flushHash()")
    url = page.url
    assert re.search(r"#s=[A-Za-z0-9_-]+$", url)
    before = page.evaluate("() => window.nnlive.store.scene()")

    other = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    other.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    other.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        other.goto(url)
        other.wait_for_selector("#app[data-ready=true]", timeout=WAIT)
        other.wait_for_function(
            "() => window.nnlive.store.data && Array.isArray(window.nnlive.store.data.config.data.points)",
            timeout=WAIT,
        )
        after = other.evaluate("() => window.nnlive.store.scene()")
        assert after["config"]["data"]["points"] == before["config"]["data"]["points"]
        assert after["config"]["data"]["labels"] == before["config"]["data"]["labels"]
        assert after["config"]["network"] == before["config"]["network"]
        assert after["config"]["training"] == before["config"]["training"]
        assert after["view"]["discretize"] is True
        assert other.is_checked("[data-testid=discretize]")
        assert other.input_value("[data-testid=activation]") == "sigmoid"
        assert other.input_value("[data-testid=dataset]") == "__draw__"
        server_points = other.evaluate("() => window.nnlive.store.data.config.data.points.length")
        assert server_points == 11
        assert errors == []
    finally:
        other.close()
    assert page.console_errors == []


@pytest.mark.parametrize("bad_hash", ["#s=not!valid", "#s=AAAAAAAA", "#j=bm90IGpzb24", "#hello"])
def test_malformed_url_shows_a_message_and_the_default_scene(
    page: Any, live_server: Any, bad_hash: str
) -> None:
    open_page(page, live_server.url, bad_hash)
    banner = page.locator("[data-testid=error]")
    banner.wait_for(state="visible")
    assert "default scene" in banner.text_content()
    defaults = page.evaluate("() => window.nnlive.catalog.defaults")
    assert page.input_value("[data-testid=dataset]") == defaults["data"]["dataset"]
    page.wait_for_selector("[data-testid=plane] .main-svg")
    page.wait_for_function("() => window.nnlive.store.lastFrame.grid !== null")
    # the broken hash is replaced by the default scene's
    page.wait_for_function("() => /^#s=/.test(location.hash)")
    assert page.console_errors == []


def test_a_link_with_an_invalid_config_falls_back_with_the_reason(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    bad = {
        "v": 1,
        "config": {"data": {"dataset": "circle"}, "network": {"hidden": [4], "activation": "nope"}},
    }
    encoded = page.evaluate("async (scene) => (await import('/static/js/state.js')).encodeScene(scene)", bad)
    page.goto("about:blank")
    open_page(page, live_server.url, "#" + encoded)
    banner = page.locator("[data-testid=error]")
    banner.wait_for(state="visible")
    # the reason in the page's one wording of a refused value: the control, what was given, what is allowed
    assert "activation: “nope” is not allowed — choose one of: step," in banner.text_content()
    assert "default scene" in banner.text_content()
    wait_applied(page, "c.network.activation === 'tanh'")
    assert page.input_value("[data-testid=activation]") == "tanh"
    assert page.console_errors == []


def test_keyboard_shortcuts(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    page.click("body", position={"x": 5, "y": 790})  # focus the page, not an input
    page.keyboard.press("s")
    wait_epoch_is(page, 1)
    page.keyboard.press("s")
    wait_epoch_is(page, 2)
    page.keyboard.press("Space")
    page.wait_for_selector("[data-testid=pause]", state="visible")
    wait_epoch_at_least(page, 4)
    page.keyboard.press("Space")
    page.wait_for_selector("[data-testid=play]", state="visible")
    page.keyboard.press("r")
    wait_epoch_is(page, 0)
    # keys typed into an input are text, not commands
    page.click("[data-testid=learning-rate]")
    page.keyboard.press("s")
    page.keyboard.press("r")
    page.wait_for_timeout(300)  # nothing may happen: give a wrongly sent command time to show
    assert epoch(page) == 0
    assert page.input_value("[data-testid=learning-rate]").endswith("sr")
    page.keyboard.press("Escape")
    # class and tool keys
    page.click("body", position={"x": 5, "y": 790})
    page.keyboard.press("3")
    page.keyboard.press("e")
    view = page.evaluate("() => window.nnlive.store.view")
    assert view["cls"] == 2 and view["tool"] == "erase"
    assert page.get_attribute("[data-testid=class-2]", "aria-checked") == "true"
    # (the learning-rate text typed above is refused by the server with a readable error, no console error)
    assert page.console_errors == []


def test_bad_learning_rate_shows_an_error_naming_the_field(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    before = page.evaluate("() => window.nnlive.store.config.training.learning_rate")
    enter_value(page, "[data-testid=learning-rate]", "100")
    banner = page.locator("[data-testid=error]")
    banner.wait_for(state="visible")
    text = banner.text_content()
    assert text == "learning rate: 100 is not allowed — must be a number in (0, 10]."
    field_error = page.locator('.field[data-field="training.learning_rate"] .field-error')
    assert field_error.text_content() == text
    assert page.input_value("[data-testid=learning-rate]") == "100"  # what the user typed is kept
    assert page.evaluate("() => window.nnlive.store.config.training.learning_rate") == before
    # a good value clears the message and goes live
    enter_value(page, "[data-testid=learning-rate]", "0.03")
    wait_config(page, "c.training.learning_rate === 0.03")
    banner.wait_for(state="hidden")
    assert field_error.text_content() == ""
    # a bad config value (a reset-type change) is named next to its control too
    enter_value(page, "#f-training-batch-size", "0")
    page.wait_for_function(
        "() => document.querySelector('.field[data-field=\"training.batch_size\"]')"
        ".classList.contains('has-error')",
        timeout=WAIT,
    )
    assert page.text_content('.field[data-field="training.batch_size"] .field-error') == (
        "batch size: 0 is not allowed — must be an integer in [1, 5000]."
    )
    assert page.console_errors == []


def test_reconnects_and_reconfigures(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    draw_clusters(page)
    page.select_option("[data-testid=activation]", "elu")
    wait_applied(page, "c.network.activation === 'elu'")
    click_plane(page, 2.0, 4.0)  # one more point: sent as a `points` edit, not a new configure
    page.wait_for_function("() => window.nnlive.store.data.config.data.points.length === 11", timeout=WAIT)
    page.click("[data-testid=step]")
    wait_epoch_is(page, 1)
    page.evaluate("() => { window.__data = 0; window.nnlive.store.on('data', () => { window.__data++; }); }")
    page.evaluate("() => window.nnlive.session.ws.close()")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=status]').textContent !== 'live'", timeout=WAIT
    )
    page.wait_for_function(
        "() => document.querySelector('[data-testid=status]').textContent === 'live'", timeout=WAIT
    )
    page.wait_for_function("() => window.__data >= 1", timeout=WAIT)  # configure re-sent, with the run
    applied = page.evaluate("() => window.nnlive.store.applied")
    assert applied["network"]["activation"] == "elu"
    assert len(applied["data"]["points"]) == 11  # the scene as it is now, the last edit included
    wait_epoch_is(page, 1)  # the run goes on where it was (configure's resume), not from epoch 0
    assert page.console_errors == []


def test_export_and_import(page: Any, live_server: Any, tmp_path: Any) -> None:
    open_page(page, live_server.url)
    page.select_option("[data-testid=dataset]", "gauss")
    wait_applied(page, "c.data.dataset === 'gauss'")
    page.click("[data-testid=step]")
    wait_epoch_is(page, 1)
    run = page.evaluate("() => window.nnlive.exports.runJSON()")
    assert run["epoch"] == 1
    assert [len(w["b"]) for w in run["config"]["network"]["weights"]] == [8, 8, 1]
    csv = page.evaluate("() => window.nnlive.exports.pointsCSV()")
    lines = csv.strip().splitlines()
    assert lines[0] == "x1,x2,label,split" and len(lines) == 201
    png = page.evaluate("() => window.nnlive.exports.plotsPNG()")
    assert png.startswith("data:image/png;base64,") and len(png) > 10_000

    with page.expect_download() as download:
        page.click("#export-menu summary")
        page.click("[data-testid=export-json]")
    assert download.value.suggested_filename.endswith(".json")

    good = tmp_path / "points.csv"
    good.write_text("x1,x2,label\n-1,-1,0\n-1.5,-0.5,0\n1,1,1\n1.5,0.5,1\n0,2,2\n")
    page.set_input_files("[data-testid=import-csv]", str(good))
    page.wait_for_function(
        "() => { const d = window.nnlive.store.data; return d && Array.isArray(d.config.data.points) && "
        "d.config.data.points.length === 5 && d.config.network.output_activation === 'softmax'; }",
        timeout=WAIT,
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n3,oops,1\n")
    page.set_input_files("[data-testid=import-csv]", str(bad))
    banner = page.locator("[data-testid=error]")
    banner.wait_for(state="visible")
    assert "line 3" in banner.text_content() and "x2" in banner.text_content()
    assert page.evaluate("() => window.nnlive.store.drawn.points.length") == 5  # nothing lost
    assert page.console_errors == []


def test_screenshot_of_a_trained_spiral(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    page.select_option("[data-testid=dataset]", "spiral")
    wait_applied(page, "c.data.dataset === 'spiral'")
    for feature in ("x1^2", "x2^2", "sin(x1)", "sin(x2)"):
        page.click(f"[data-testid='feature-{feature}']")
    enter_value(page, "#f-training-epochs", "300")
    page.wait_for_function(
        "() => window.nnlive.store.applied.features.length === 6"
        " && window.nnlive.store.config.training.epochs === 300",
        timeout=WAIT,
    )
    enter_value(page, "[data-testid=learning-rate]", "0.03")
    wait_config(page, "c.training.learning_rate === 0.03")
    set_speed_max(page)
    page.click("[data-testid=play]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.done === true", timeout=60_000)
    accuracy = page.evaluate("() => window.nnlive.store.lastFrame.metrics.train_accuracy")
    assert accuracy > 0.9
    page.evaluate("() => window.nnlive.plane.whenRendered ? window.nnlive.plane.whenRendered() : null")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page.png"))
    assert (ARTIFACTS / "page.png").stat().st_size > 50_000
    assert page.console_errors == []


def test_erase_and_move_points_keep_the_running_network(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    draw_clusters(page)
    page.click("[data-testid=step]")
    page.click("[data-testid=step]")
    wait_epoch_is(page, 2)
    # erase the point at (3.6, 3.3)
    page.click("[data-testid=tool-erase]")
    click_plane(page, 3.6, 3.3)
    page.wait_for_function("() => window.nnlive.store.data.config.data.points.length === 9", timeout=WAIT)
    drawn = page.evaluate("() => window.nnlive.store.drawn.points")
    assert all(abs(x - 3.6) + abs(y - 3.3) > 0.1 for x, y in drawn)
    assert epoch(page) == 2  # the network is kept: only the points changed
    # move the point at (-3, -3) to (-1, 1)
    page.click("[data-testid=tool-move]")
    start = plane_xy(page, -3.0, -3.0)
    end = plane_xy(page, -1.0, 1.0)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(end[0], end[1], steps=6)
    page.mouse.up()
    page.wait_for_function(
        "() => window.nnlive.store.data.config.data.points"
        ".some(([x, y]) => Math.abs(x + 1) < 0.15 && Math.abs(y - 1) < 0.15)",
        timeout=WAIT,
    )
    drawn = page.evaluate("() => window.nnlive.store.drawn")
    assert len(drawn["points"]) == 9 and not any(abs(x + 3) + abs(y + 3) < 0.05 for x, y in drawn["points"])
    assert epoch(page) == 2
    # the edited points are in the link
    page.evaluate("() => window.nnlive.store.flushHash()")
    scene = page.evaluate("async () => (await import('/static/js/state.js')).decodeScene(location.hash)")
    assert len(scene["config"]["data"]["points"]) == 9
    assert page.console_errors == []


def test_a_weight_edited_in_the_diagram_reaches_the_network(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    page.wait_for_selector("[data-testid=link-0-0-0]")
    page.click("[data-testid=link-0-0-0]")
    editor = page.locator("[data-testid=weight-editor]")
    editor.wait_for(state="visible")
    editor.fill("2.5")
    editor.press("Enter")
    page.wait_for_function("() => window.nnlive.store.lastFrame.weights[0].W[0][0] === 2.5", timeout=WAIT)
    assert epoch(page) == 0
    assert page.console_errors == []


def test_status_goes_offline_and_the_page_reconnects_when_the_server_returns(browser: Any) -> None:
    server, context, page = server_of_its_own(browser)
    try:
        open_page(page, server.url)
        page.select_option("[data-testid=activation]", "sigmoid")
        page.wait_for_function(
            "() => window.nnlive.store.applied.network.activation === 'sigmoid'", timeout=SLOW
        )
        server.stop()
        status = page.locator("[data-testid=status]")
        page.wait_for_function(
            "() => document.querySelector('[data-testid=status]').textContent === 'reconnecting'",
            timeout=SLOW,
        )
        page.wait_for_function(
            "() => document.querySelector('[data-testid=status]').textContent === 'offline'", timeout=SLOW
        )
        assert status.get_attribute("data-state") == "offline"
        page.evaluate(
            "() => { window.__configured = 0;"
            " window.nnlive.store.on('data', () => { window.__configured += 1; }); }"
        )
        server.restart()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=status]').textContent === 'live'", timeout=SLOW
        )
        page.wait_for_function("() => window.__configured >= 1", timeout=SLOW)  # the config was sent again
        assert page.evaluate("() => window.nnlive.store.applied.network.activation") == "sigmoid"
        assert page.console_errors == []
    finally:
        context.close()
        server.stop()


def test_a_finished_run_goes_on_when_epochs_are_raised(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    set_speed_max(page)
    enter_value(page, "#f-training-epochs", "5")
    wait_config(page, "c.training.epochs === 5")
    page.click("[data-testid=play]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.done === true", timeout=WAIT)
    wait_epoch_is(page, 5)  # the readout shows the frame at the next animation frame
    enter_value(page, "#f-training-epochs", "9")
    wait_config(page, "c.training.epochs === 9")
    assert epoch(page) == 5  # a live change: no reset
    page.wait_for_selector("[data-testid=play]", state="visible")
    page.click("[data-testid=play]")
    wait_epoch_is(page, 9)
    page.wait_for_selector("[data-testid=play]", state="visible")
    page.click("[data-testid=play]")  # all its epochs trained: play trains on, until paused
    notice = page.locator("[data-testid=notice]")
    notice.wait_for(state="visible")
    assert "trains on until you pause" in notice.text_content()
    wait_config(page, "c.training.epochs === null")
    wait_epoch_at_least(page, 30)
    page.click("[data-testid=pause]")
    assert page.input_value("#f-training-epochs") == ""
    assert page.console_errors == []


def test_play_after_a_converged_run_says_reset_instead_of_an_error(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url, "#lesson=one-neuron-is-a-line")  # the perceptron on AND
    wait_applied(page, "c.training.rule === 'perceptron' && c.data.dataset === 'and'")
    set_speed_max(page)
    page.click("[data-testid=play]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.done === true", timeout=WAIT)
    ended = page.evaluate("() => window.nnlive.store.lastFrame.epoch")
    assert ended < page.evaluate("() => window.nnlive.store.applied.training.epochs")  # it converged
    page.wait_for_selector("[data-testid=play]", state="visible")
    page.click("[data-testid=play]")
    notice = page.locator("[data-testid=notice]")
    notice.wait_for(state="visible")
    assert "reset" in notice.text_content()
    assert not page.is_visible("[data-testid=error]")  # no server error
    assert page.console_errors == []


def test_a_scene_link_pasted_into_the_open_tab_loads(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    scene = {"v": 1, "config": {"data": {"dataset": "moons", "noise": 0.2}, "network": {"hidden": [5]}}}
    encoded = page.evaluate(
        "async (scene) => (await import('/static/js/state.js')).encodeScene(scene)", scene
    )
    page.evaluate("(hash) => { location.hash = hash; }", encoded)
    wait_applied(
        page,
        "c.data.dataset === 'moons' && JSON.stringify(c.network.hidden) === '[5]'",
    )
    assert page.input_value("[data-testid=dataset]") == "moons"
    assert page.input_value("[data-testid=layer-0-size]") == "5"
    page.evaluate("() => { location.hash = 's=broken!'; }")
    banner = page.locator("[data-testid=error]")
    banner.wait_for(state="visible")
    assert "stays" in banner.text_content()
    assert page.evaluate("() => window.nnlive.store.applied.data.dataset") == "moons"
    assert page.console_errors == []


def test_a_lesson_link_is_not_a_broken_scene(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url, "#lesson=xor-breaks-a-perceptron")
    wait_applied(page, "c.data.dataset === 'xor'")  # the lesson's
    assert not page.is_visible("[data-testid=error]")
    assert page.console_errors == []


def test_drawn_points_survive_network_rule_and_optimizer_changes(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    draw_clusters(page)
    before = page.evaluate("() => window.nnlive.store.drawn")
    page.click("[data-testid=add-layer]")
    page.select_option("[data-testid=optimizer]", "sgd")
    page.select_option("[data-testid=rule]", "perceptron")
    wait_applied(page, "c.training.rule === 'perceptron'")
    page.select_option("[data-testid=rule]", "backprop")
    page.select_option("[data-testid=dataset]", "moons")  # a preset puts them aside ...
    wait_applied(page, "c.data.dataset === 'moons'")
    page.select_option("[data-testid=dataset]", "__draw__")  # ... and "my own points" brings them back
    wait_applied(
        page,
        "c.training.optimizer === 'sgd' && "
        "c.training.rule === 'backprop' && c.network.hidden.length === 3 && Array.isArray(c.data.points)",
    )
    after = page.evaluate("() => window.nnlive.store.data.config.data")
    assert after["points"] == before["points"] and after["labels"] == before["labels"]
    assert page.console_errors == []


@pytest.mark.parametrize(("width", "height", "plane_min"), [(1280, 800, 300), (1920, 1080, 450)])
def test_layout_fits_laptop_and_projector(
    browser: Any, live_server: Any, width: int, height: int, plane_min: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        open_page(page, live_server.url)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scrolling
        assert (
            page.evaluate("() => document.documentElement.scrollHeight") <= height
        )  # columns scroll, not the page
        box = page.locator("[data-testid=plane]").bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
        assert min(box["width"], box["height"]) >= plane_min
        for testid in (
            "play",
            "step",
            "reset",
            "epoch",
            "train-loss",
            "test-loss",
            "accuracy",
            "status",
            "dataset",
        ):
            assert page.is_visible(f"[data-testid={testid}]"), testid
            b = page.locator(f"[data-testid={testid}]").bounding_box()
            assert b["y"] + b["height"] <= height, testid
        network = page.locator("#network").bounding_box()
        assert network["height"] >= 150
    finally:
        context.close()


def menu_shows(page: Any, output: str, loss: str) -> None:
    """Wait until the output-activation and loss menus show these choices."""
    page.wait_for_function(
        "([output, loss]) => document.querySelector('[data-testid=output-activation]').value === output"
        " && document.querySelector('[data-testid=loss]').value === loss",
        arg=[output, loss],
        timeout=WAIT,
    )


def test_a_choice_that_implies_the_output_and_loss_shows_what_the_server_chose(
    page: Any, live_server: Any
) -> None:
    open_page(page, live_server.url)
    menu_shows(page, "sigmoid", "bce")  # the default scene: two classes
    page.select_option("[data-testid=output-activation]", "tanh")  # the loss is the server's to choose: mse
    wait_applied(page, "c.network.output_activation === 'tanh' && c.training.loss === 'mse'")
    menu_shows(page, "tanh", "mse")
    page.select_option("[data-testid=dataset]", "moons")  # two classes again: the user's choice stays
    wait_applied(page, "c.data.dataset === 'moons'")
    menu_shows(page, "tanh", "mse")
    page.select_option("[data-testid=dataset]", "blobs")  # three classes: softmax and cross-entropy
    wait_applied(page, "c.data.dataset === 'blobs'")
    menu_shows(page, "softmax", "cross_entropy")
    page.select_option("[data-testid=dataset]", "sine")  # regression: a linear output and mse
    wait_applied(page, "c.data.dataset === 'sine'")
    menu_shows(page, "linear", "mse")
    assert not page.is_visible("[data-testid=error]")
    assert page.console_errors == []
