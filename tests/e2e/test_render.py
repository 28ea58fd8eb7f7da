"""What the page paints, in a real Chromium against a real server: the plane's heatmap is the frame's
bytes through the colour table, the legends say the ranges the engine uses, a neuron's map shows on the plane
and the way back works, and the page paints (nearly) every frame it receives.

The frames are captured off the WebSocket as the server sent them and decoded here (app/encoding.py); the
colour tables are rebuilt here from their definition (docs/ui.md "Colours": Okabe–Ito blue and orange,
softened towards white for the plane), so the page's pixels are checked against an independent reading.
"""

from __future__ import annotations

import itertools
import struct
from typing import Any

import numpy as np
import pytest

from app.encoding import frame_header
from tests.e2e.helpers import WAIT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.server]

WHITE = (247, 247, 247)
BLUE = (0x00, 0x72, 0xB2)
ORANGE = (0xE6, 0x9F, 0x00)


def js_round(v: float) -> int:
    return int(np.floor(v + 0.5))


def mix(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(js_round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def lut(stops: list[tuple[int, ...]]) -> np.ndarray:
    """256 colours evenly interpolating `stops` (colors.js makeLUT)."""
    out = np.zeros((256, 3), dtype=int)
    for q in range(256):
        s = q / 255 * (len(stops) - 1)
        k = min(len(stops) - 2, int(np.floor(s)))
        out[q] = mix(stops[k], stops[k + 1], s - k)
    return out


PLANE_LUT = lut([mix(WHITE, BLUE, 0.6), WHITE, mix(WHITE, ORANGE, 0.6)])  # the output plane
DIVERGING_LUT = lut([BLUE, WHITE, ORANGE])  # neuron maps


def expected_colours(
    codes: np.ndarray, value_range: list[float], table: np.ndarray, centre: float, half: float
) -> np.ndarray:
    """The colours of uint8 `codes` of a block over `value_range`, on `table` at (v − centre) / half."""
    lo, hi = value_range
    values = lo + codes * (hi - lo) / 255
    q = np.clip(np.floor((values - centre) * (127.5 / half) + 127.5 + 0.5), 0, 255).astype(int)
    return table[q]


class Frames:
    """The binary frames the page's WebSocket received, as the server sent them."""

    def __init__(self, page: Any) -> None:
        self.messages: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload: Any) -> None:
        if isinstance(payload, bytes | bytearray):
            self.messages.append(bytes(payload))

    def last(self, step: int) -> tuple[dict[str, Any], memoryview]:
        """The header and payload of the newest frame at update `step`."""
        for message in reversed(self.messages):
            header = frame_header(message)
            if header["step"] == step:
                return header, memoryview(message)[4 + struct.unpack_from("<I", message, 0)[0] :]
        raise AssertionError(f"no frame at step {step} among {len(self.messages)}")


def block(payload: memoryview, spec: dict[str, Any]) -> np.ndarray:
    count = int(np.prod(spec["shape"]))
    return np.frombuffer(payload, dtype=np.uint8, count=count, offset=spec["offset"]).reshape(spec["shape"])


def canvas_pixels(page: Any, testid: str) -> np.ndarray:
    """The RGB pixels of a canvas of the page, (height, width, 3)."""
    width, height, data = page.evaluate(
        """(testid) => {
            const c = document.querySelector(`[data-testid=${testid}]`);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            return [c.width, c.height, Array.from(d)];
        }""",
        testid,
    )
    return np.array(data, dtype=int).reshape(height, width, 4)[:, :, :3]


def shown_step(page: Any) -> int:
    """Wait until the plane has painted the newest frame; its update count."""
    page.evaluate("() => window.nnlive.plane.whenRendered()")
    return int(page.evaluate("() => window.nnlive.store.lastFrame.step"))


def test_the_plane_paints_the_frames_bytes_through_its_colour_table(page: Any, live_server: Any) -> None:
    frames = Frames(page)
    open_page(page, live_server.url)
    page.click("[data-testid=step]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.epoch === 1", timeout=WAIT)
    header, payload = frames.last(shown_step(page))
    grid = header["grid"]
    codes = block(payload, grid["output"])  # (G, G), row i is y_i rising
    catalog = page.evaluate("() => window.nnlive.catalog.raw")
    applied = page.evaluate("() => window.nnlive.store.applied")
    output, loss = applied["network"]["output_activation"], applied["training"]["loss"]
    threshold = catalog["outputs"][output]["binary"][loss]["threshold"]
    lo, hi = catalog["activations"][output]["range"]
    want = expected_colours(codes, grid["output"]["range"], PLANE_LUT, threshold, (hi - lo) / 2)

    pixels = canvas_pixels(page, "plane-heatmap")
    size = grid["size"]
    assert pixels.shape[:2] == (size, size)  # one canvas pixel per sample, scaled up by the browser
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, size, size=(60, 2)):
        # the canvas's top row is the highest y
        got = pixels[size - 1 - i, j]
        assert np.abs(got - want[i, j]).max() <= 1, (i, j, got, want[i, j])
    assert page.console_errors == []


def scene_hash(page: Any, config: dict[str, Any]) -> str:
    encoded = page.evaluate(
        "async (scene) => (await import('/static/js/state.js')).encodeScene(scene)",
        {"v": 1, "config": config},
    )
    return "#" + encoded


def legend(page: Any, testid: str) -> dict[str, Any]:
    return page.evaluate(
        """(testid) => {
            const el = document.querySelector(`[data-testid=${testid}]`);
            return {hidden: el.hidden, kind: el.dataset.kind, text: el.textContent,
                    lo: Number(el.dataset.lo), hi: Number(el.dataset.hi),
                    swatches: el.querySelectorAll('.viz-legend-swatch').length,
                    visible: el.getBoundingClientRect().width > 0};
        }""",
        testid,
    )


def test_the_legends_show_the_ranges_the_heatmaps_use(page: Any, live_server: Any) -> None:
    open_page(page, live_server.url)
    page.wait_for_function("() => window.nnlive.stats.painted > 0")
    catalog = page.evaluate("() => window.nnlive.catalog.raw")
    applied = page.evaluate("() => window.nnlive.store.applied")
    out_lo, out_hi = catalog["activations"][applied["network"]["output_activation"]]["range"]
    shown = legend(page, "legend")
    assert shown["visible"] and shown["kind"] == "continuous"
    assert (shown["lo"], shown["hi"]) == (out_lo, out_hi)
    assert f"class 1 above {0.5 * (out_lo + out_hi):g}" in shown["text"]
    hidden_lo, hidden_hi = catalog["activations"][applied["network"]["activation"]]["range"]
    tiles = legend(page, "network-legend")
    assert not tiles["hidden"] and (tiles["lo"], tiles["hi"]) == (hidden_lo, hidden_hi)
    assert applied["network"]["activation"] in tiles["text"]
    page.check("[data-testid=discretize]")
    page.wait_for_function("() => document.querySelector('[data-testid=legend]').dataset.kind === 'discrete'")
    assert "class 0" in legend(page, "legend")["text"] and "class 1" in legend(page, "legend")["text"]

    # five classes: one swatch per class
    softmax = scene_hash(page, {"data": {"dataset": "blobs", "k": 5, "n": 200}, "network": {"hidden": [6]}})
    regression = scene_hash(page, {"data": {"dataset": "sine", "n": 120}, "network": {"hidden": [8]}})
    page.goto("about:blank")
    open_page(page, live_server.url, softmax)
    page.wait_for_function("() => window.nnlive.store.applied.network.output_activation === 'softmax'")
    page.wait_for_function("() => document.querySelector('[data-testid=legend]').dataset.kind === 'classes'")
    assert legend(page, "legend")["swatches"] == 5

    # a regression: a value scale over the targets' range
    page.goto("about:blank")
    open_page(page, live_server.url, regression)
    page.wait_for_function("() => window.nnlive.store.data.task === 'regression'")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=legend]').textContent.includes('value')", timeout=WAIT
    )
    data = page.evaluate("() => window.nnlive.store.data")
    labels = data["train"]["labels"] + data["test"]["labels"]
    shown = legend(page, "legend")
    assert shown["lo"] == pytest.approx(min(labels)) and shown["hi"] == pytest.approx(max(labels))
    assert page.console_errors == []


def chip(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const chip = document.querySelector('[data-testid=plane-focus]');
            const back = document.querySelector('[data-testid=plane-back]');
            return {shown: !chip.hidden, text: chip.textContent, back: !back.hidden,
                    focus: window.nnlive.plane.focus ? window.nnlive.plane.focus.key : null,
                    size: document.querySelector('[data-testid=plane-heatmap]').width};
        }"""
    )


def wait_focus(page: Any, key: str) -> None:
    """Wait until the plane shows the map `key` (a node's testid)."""
    page.wait_for_function(f"() => window.nnlive.plane.focus && window.nnlive.plane.focus.key === '{key}'")


def test_a_neuron_tile_shows_its_map_on_the_plane_and_the_way_back(page: Any, live_server: Any) -> None:
    frames = Frames(page)
    open_page(page, live_server.url)
    page.click("[data-testid=step]")
    page.wait_for_function("() => window.nnlive.store.lastFrame.epoch === 1", timeout=WAIT)
    page.evaluate("() => window.nnlive.plane.whenRendered()")
    size = page.evaluate("() => window.nnlive.store.lastFrame.grid.size")
    tile = page.locator("[data-testid=neuron-0-1] .viz-node-box")

    # hovering previews the neuron's own map, painted from its bytes; leaving the tile brings the output back
    tile.hover()
    wait_focus(page, "neuron-0-1")
    header, payload = frames.last(shown_step(page))
    layer = header["grid"]["layers"][0]
    codes = block(payload, layer)[1]  # layer 0, unit 1: (g, g)
    g = codes.shape[0]
    state = chip(page)
    assert state["shown"] and "layer 1 · neuron 2" in state["text"] and not state["back"]
    assert state["size"] == g  # the neuron's grid, scaled up with smoothing on screen
    catalog = page.evaluate("() => window.nnlive.catalog.raw")
    activation = page.evaluate("() => window.nnlive.store.applied.network.activation")
    lo, hi = catalog["activations"][activation]["range"]
    want = expected_colours(codes, layer["range"], DIVERGING_LUT, (lo + hi) / 2, (hi - lo) / 2)
    pixels = canvas_pixels(page, "plane-heatmap")
    for i in range(0, g, 3):
        for j in range(0, g, 3):
            assert np.abs(pixels[g - 1 - i, j] - want[i, j]).max() <= 1
    assert legend(page, "legend")["text"].startswith("layer 1 · neuron 2")
    page.mouse.move(5, 790)
    page.wait_for_function("() => window.nnlive.plane.focus === null")
    page.evaluate("() => window.nnlive.plane.whenRendered()")
    state = chip(page)
    assert not state["shown"] and state["size"] == size

    # a click pins it (it stays after the pointer leaves); the plane's button goes back to the output
    tile.click()
    page.mouse.move(5, 790)
    page.wait_for_function("() => window.nnlive.plane.focus && window.nnlive.plane.focus.pinned")
    state = chip(page)
    assert state["focus"] == "neuron-0-1" and state["back"]
    assert page.get_attribute("[data-testid=neuron-0-1]", "class") == "viz-node pinned"
    points = page.evaluate("() => window.nnlive.plane.displayedPoints().length")
    page.click("[data-testid=plane-back]")
    page.wait_for_function("() => window.nnlive.plane.focus === null")
    assert "pinned" not in page.get_attribute("[data-testid=neuron-0-1]", "class")
    assert page.evaluate("() => window.nnlive.plane.local.added.length") == 0  # the button adds no point
    assert page.evaluate("() => window.nnlive.plane.displayedPoints().length") == points

    # by keyboard: Enter on a focused tile pins its map, Esc goes back
    page.focus("[data-testid=neuron-1-3]")
    page.keyboard.press("Enter")
    wait_focus(page, "neuron-1-3")
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.nnlive.plane.focus === null")
    page.evaluate("() => window.nnlive.plane.whenRendered()")
    assert chip(page)["size"] == size
    assert page.console_errors == []


STATS = "() => { const s = window.nnlive.stats; return {...s, painted: s.painted, tiles: s.tiles}; }"


def test_the_page_paints_the_frames_it_receives(page: Any, live_server: Any) -> None:
    """A functional check, not a speed target (bench/browser.py measures that): in a short play at 30 frames a
    second the plane paints most frames it receives, and the counters count what the page did."""
    open_page(page, live_server.url)
    config = page.evaluate("() => window.nnlive.store.config")
    config["training"]["epochs"] = 5000  # it keeps playing
    long_run = scene_hash(page, config)
    page.goto("about:blank")
    open_page(page, live_server.url, long_run)
    page.eval_on_selector(  # the speed slider's 30/s
        "#speed", "el => { el.value = '4'; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    page.wait_for_function("() => window.nnlive.store.view.speed === 30")
    before = page.evaluate(STATS)
    page.click("[data-testid=play]")
    page.wait_for_timeout(4000)
    page.click("[data-testid=pause]")
    after = page.evaluate(STATS)
    received = after["received"] - before["received"]
    painted = after["painted"] - before["painted"]
    assert received >= 20, after
    assert painted >= 0.5 * received, (painted, received)
    assert painted <= received + 3  # painted at most once per frame (and for view changes)
    assert after["tiles"] > 0
    assert page.console_errors == []


def test_the_history_keeps_a_bounded_number_of_grid_bytes(page: Any, live_server: Any) -> None:
    """A big network's frames are thinned by their bytes, not only by their count (bounded memory)."""
    open_page(page, live_server.url)
    result = page.evaluate(
        """async () => {
            const {FrameHistory} = await import('/static/js/timeline.js');
            const h = new FrameHistory(500, 1000);  // at most 1000 bytes of grids
            const grid = () => ({size: 10, extent: [0, 1, 0, 1], classes: null, neuronSize: null, layers: [],
                                 output: {bytes: new Uint8Array(100), shape: [10, 10], range: [0, 1]}});
            for (let i = 0; i <= 200; i++) h.push({epoch: i, step: i, grid: grid()});
            return {steps: h.frames.map((f) => f.step), bytes: h.bytes};
        }"""
    )
    steps = result["steps"]
    assert result["bytes"] <= 1000 and len(steps) <= 11
    assert steps[0] == 0 and steps[-1] == 200  # the first and the newest, evenly between
    gaps = {b - a for a, b in itertools.pairwise(steps[:-1])}
    assert len(gaps) == 1 and gaps.pop() > 1
    assert page.console_errors == []
