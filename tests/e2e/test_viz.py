"""The visualization modules in a real Chromium, through the harness page static/viz_demo.html.

The harness builds the views (PlaneView, CurvesView, NetworkView, NeuronView) on the server's catalog
and exposes them as `window.viz` with the callbacks' calls recorded in `viz.events`; synthetic frames are
built here, shaped as the page's decoder hands them over (grids as uint8 blocks, row i ↔ ys[i], quantized by
the harness's `viz.block`). Colours are read back from real screenshots, pointer gestures go through
Playwright's mouse.
"""

from __future__ import annotations

import base64
import itertools
import math
from typing import Any

import pytest

from tests.e2e.helpers import plane_xy

pytestmark = [pytest.mark.browser, pytest.mark.server]

EXTENT = [-6, 6, -6, 6]

# JavaScript: a grid for viz.current's config whose output (or softmax classes) comes from `rule`, a JS
# expression in x and y, on a G = 100 grid, quantized as the server does (over [0, 1] for probabilities, else
# over the values' own range).
FRAME_FROM_RULE = """
([output, classes]) => {
  const G = 100, ext = [-6, 6, -6, 6];
  const lin = (a, b) => Float64Array.from({length: G}, (_, k) => a + (b - a) * k / (G - 1));
  const xs = lin(ext[0], ext[1]), ys = lin(ext[2], ext[3]);
  const plane = (f) => Array.from({length: G},
    (_, i) => Float32Array.from({length: G}, (_, j) => f(xs[j], ys[i])));
  const block = classes
    ? window.viz.block(classes.map((c) => plane(new Function('x', 'y', 'return ' + c))), [0, 1])
    : window.viz.block(plane(new Function('x', 'y', 'return ' + output)));
  return {size: G, extent: ext, output: block, classes: classes ? classes.length : null, neuronSize: null,
          layers: []};
}
"""


def open_harness(page: Any, live_server: Any, scene: str = "binary") -> None:
    page.goto(f"{live_server.url}/static/viz_demo.html?scene={scene}")
    page.wait_for_function("() => window.viz !== undefined")
    page.evaluate("() => window.viz.plane.whenRendered()")


def show_grid(
    page: Any, output: str | None = None, classes: list[str] | None = None, scene: str = "binary"
) -> None:
    """Load `scene`, drop its points, show a frame whose output is the JS expression `output` (or classes)."""
    page.evaluate(
        """async ([scene, output, classes, makeGrid]) => {
          const v = window.viz;
          v.load(scene);
          const data = v.current.data;
          v.plane.setData({...data, train: {points: [], labels: []}, test: {points: [], labels: []}});
          const grid = eval(makeGrid)([output, classes]);
          const weights = v.current.weights;
          v.plane.setFrame({epoch: 1, step: 1, done: false, metrics: null, update: null, weights, grid});
          await v.plane.whenRendered();
        }""",
        [scene, output, classes, FRAME_FROM_RULE],
    )


def client_of(page: Any, x: float, y: float) -> list[float]:
    """Viewport position of the data point (x, y) on the plane."""
    return list(plane_xy(page, x, y))


def colours_at(page: Any, points: list[tuple[float, float]]) -> list[list[int]]:
    """RGB colours of a real screenshot at the given data points of the plane."""
    where = [client_of(page, x, y) for x, y in points]
    png = page.screenshot()
    return page.evaluate(
        """async ([b64, where]) => {
          const blob = await (await fetch('data:image/png;base64,' + b64)).blob();
          const bitmap = await createImageBitmap(blob);
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = canvas.getContext('2d');
          ctx.drawImage(bitmap, 0, 0);
          const rgb = ([x, y]) => Array.from(
            ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3));
          return where.map(rgb);
        }""",
        [base64.b64encode(png).decode(), where],
    )


def is_orange(rgb: list[int]) -> bool:
    r, g, b = rgb
    return r > b + 40 and r > g


def is_blue(rgb: list[int]) -> bool:
    r, _, b = rgb
    return b > r + 40


def events(page: Any) -> list[dict[str, Any]]:
    """What the views' callbacks were called with, in order."""
    return page.evaluate("() => window.viz.events")


def plane_traces(page: Any) -> list[dict[str, Any]]:
    """The plane's Plotly traces once everything set so far is drawn."""
    return page.evaluate(
        "async () => { await window.viz.plane.whenRendered(); return document.getElementById('plane').data; }"
    )


POINTS_DATA = """
(points) => {
  const v = window.viz;
  v.events.length = 0;
  const train = {points, labels: points.map((_, k) => k % 2)};
  v.plane.setData({...v.current.data, train, test: {points: [], labels: []}});
  return v.plane.whenRendered();
}
"""


def test_heatmap_high_where_x_positive_is_orange_on_the_right(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    show_grid(page, output="x > 0 ? 0.95 : 0.05")
    right, left = colours_at(page, [(3, 0), (-3, 0)])
    assert is_orange(right), right
    assert is_blue(left), left
    show_grid(page, output="y > 0 ? 0.95 : 0.05")
    top, bottom = colours_at(page, [(0, 3), (0, -3)])
    assert is_orange(top), top
    assert is_blue(bottom), bottom
    page.screenshot(path="test-artifacts/viz-orientation.png")
    # The readout under the cursor shows the network's output there.
    page.mouse.move(*client_of(page, 0, 3))
    assert page.locator("[data-testid=plane-readout]").text_content().endswith("ŷ = 0.950")
    png = page.evaluate("() => window.viz.plane.toPNG()")
    assert png.startswith("data:image/png;base64,") and len(png) > 5000
    assert page.console_errors == []


def boundary_pixels(page: Any) -> list[list[float]]:
    """Data coordinates of the pixels the plane's overlay canvas (the boundary) has drawn."""
    return page.evaluate(
        """() => {
          const canvas = document.querySelector('[data-testid=plane-overlay]');
          const {width, height} = canvas;
          const {data} = canvas.getContext('2d').getImageData(0, 0, width, height);
          const [x0, x1, y0, y1] = window.viz.plane.extent();
          const out = [];
          for (let py = 0; py < height; py += 2) for (let px = 0; px < width; px += 2) {
            if (data[(py * width + px) * 4 + 3] > 128) {
              out.push([x0 + (px + 0.5) / width * (x1 - x0), y1 - (py + 0.5) / height * (y1 - y0)]);
            }
          }
          return out;
        }"""
    )


def test_decision_boundary_is_drawn_at_the_threshold(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    show_grid(page, output="1 / (1 + Math.exp(-(x - 2)))")
    drawn = boundary_pixels(page)
    assert len(drawn) > 50  # a line from the bottom of the plane to its top
    assert all(abs(x - 2) < 0.15 for x, _ in drawn)
    assert min(y for _, y in drawn) < -5 and max(y for _, y in drawn) > 5
    assert page.console_errors == []


def test_softmax_plane_takes_the_colour_of_the_likeliest_class(page: Any, live_server: Any) -> None:
    open_harness(page, live_server, "softmax")
    show_grid(page, classes=["x < 0 ? 0.9 : 0.05", "0.05", "x < 0 ? 0.05 : 0.9"], scene="softmax")
    left, right = colours_at(page, [(-3, 2), (3, 2)])
    assert is_blue(left), left  # class 0: #0072B2
    r, g, b = right  # class 2: #009E73, bluish green
    assert g > r + 40 and g > b, right
    assert page.console_errors == []


def test_click_adds_a_point_at_the_data_coordinate(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.evaluate(POINTS_DATA, [])
    page.select_option("#cls", "1")
    x, y = client_of(page, 2.0, -1.5)
    page.mouse.click(x, y)
    added = [e for e in events(page) if e["type"] == "add"]
    assert len(added) == 1
    assert added[0]["x"] == pytest.approx(2.0, abs=0.05)
    assert added[0]["y"] == pytest.approx(-1.5, abs=0.05)
    # The point shows at once, in its class's colour, before the server confirms it.
    pending = plane_traces(page)[2]
    assert pending["x"] == [pytest.approx(2.0, abs=0.05)]
    assert pending["marker"]["color"] == ["#E69F00"]
    assert page.console_errors == []


def test_drag_moves_a_point(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.evaluate(POINTS_DATA, [[1, 1], [-2, 2], [4, -4]])
    start = client_of(page, -2, 2)
    end = client_of(page, 3, -2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(end[0], end[1], steps=8)
    page.mouse.up()
    moved = [e for e in events(page) if e["type"] != "brush"]
    assert [e["type"] for e in moved] == ["move"]
    assert moved[0]["index"] == 1
    assert moved[0]["x"] == pytest.approx(3, abs=0.05)
    assert moved[0]["y"] == pytest.approx(-2, abs=0.05)
    assert moved[0]["info"] == {"split": "train", "splitIndex": 1, "point": [-2, 2], "label": 1}
    assert page.console_errors == []


def test_eraser_removes_the_nearest_point_within_a_few_pixels(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.evaluate(POINTS_DATA, [[1, 1], [-2, 2], [4, -4]])
    page.select_option("#tool", "erase")
    x, y = client_of(page, 4, -4)
    page.mouse.click(x + 4, y - 3)
    far = client_of(page, -4, -4)
    page.mouse.click(*far)
    removed = events(page)
    assert [(e["type"], e["index"]) for e in removed] == [("remove", 2)]
    # The point disappears at once.
    shown = plane_traces(page)[0]["x"]
    assert shown == [1, -2]
    assert page.console_errors == []


def test_brush_scatters_points_around_the_click(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.evaluate(POINTS_DATA, [])
    page.select_option("#tool", "brush")
    page.mouse.click(*client_of(page, -1, 1))
    brushed = events(page)
    assert [e["type"] for e in brushed] == ["brush"]
    points = brushed[0]["points"]
    assert len(points) >= 3
    assert all(math.dist(p, (-1, 1)) < 2.5 for p in points)
    assert page.console_errors == []


def network_counts(page: Any) -> tuple[int, int, int]:
    """How many input nodes, neurons and SVG links the network view shows."""
    return tuple(
        page.evaluate(
            """() => ['input-', 'neuron-', 'link-'].map(
             (p) => document.querySelectorAll(`#network [data-testid^="${p}"]`).length)"""
        )
    )


def test_network_draws_every_node_and_link(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.evaluate(
        """() => {
          const v = window.viz;
          const network = {...v.current.config.network, hidden: [4, 2]};
          const config = {...v.current.config, features: ['x1', 'x2'], network};
          v.network.render(config, v.makeFrame(config, v.randomWeights([2, 4, 2, 1])));
        }"""
    )
    assert network_counts(page) == (2, 4 + 2 + 1, 2 * 4 + 4 * 2 + 2 * 1)
    assert page.locator("#network [data-testid=neuron-2-0]").count() == 1
    assert page.locator("#network [data-testid=link-1-3-1]").count() == 1
    page.locator("#network").screenshot(path="test-artifacts/viz-network-2-4-2-1.png")
    page.evaluate("() => window.viz.load('perceptron')")
    assert network_counts(page) == (2, 1, 2)
    assert page.locator("#network [data-testid=link-0-1-0]").count() == 1
    assert page.console_errors == []


def test_a_big_network_renders_with_its_links_on_a_canvas(page: Any, live_server: Any) -> None:
    open_harness(page, live_server, "huge")
    inputs, neurons, links = network_counts(page)
    assert (inputs, neurons, links) == (2, 8 * 64 + 1, 0)
    assert page.console_errors == []


def link_point(page: Any, testid: str) -> list[float]:
    """Viewport position of a point of a link's curve where it, not a crossing link, gets the pointer."""
    return page.evaluate(
        """(testid) => {
          const link = document.querySelector(`[data-testid="${testid}"]`);
          const path = link.querySelector('.viz-link-line');
          const box = path.ownerSVGElement.getBoundingClientRect();
          for (const fraction of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
            const p = path.getPointAtLength(path.getTotalLength() * fraction);
            const [x, y] = [box.left + p.x, box.top + p.y];
            if (document.elementFromPoint(x, y)?.closest('.viz-link') === link) return [x, y];
          }
          throw new Error(`no point of ${testid} is on top`);
        }""",
        testid,
    )


def test_hovering_a_link_or_a_neuron_shows_its_value(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    w = page.evaluate("() => window.viz.current.weights[1].W[2][0]")
    page.mouse.move(*link_point(page, "link-1-2-0"))
    tooltip = page.locator("[data-testid=network-tooltip]")
    expected = f"{w:.3f}".replace("-", "−")
    assert tooltip.text_content() == f"w[1][2→0] = {expected}"
    b = page.evaluate("() => window.viz.current.weights[0].b[3]")
    page.locator("[data-testid=neuron-0-3]").hover()
    assert tooltip.text_content() == f"b[0][3] = {b:.3f}".replace("-", "−")
    assert page.console_errors == []


def test_clicking_a_link_or_a_neuron_edits_its_weight(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.mouse.click(*link_point(page, "link-0-1-3"))
    editor = page.locator("[data-testid=weight-editor]")
    editor.fill("0.75")
    editor.press("Enter")
    assert editor.count() == 0
    page.locator("[data-testid=bias-1-0]").click()  # a hidden neuron's bias: its small square
    editor.fill("-1.5")
    editor.press("Enter")
    page.locator("[data-testid=neuron-2-0]").click()  # the output node: its bias
    editor.press("Escape")
    assert editor.count() == 0
    assert [e["args"] for e in events(page)] == [[0, "W", 1, 3, 0.75], [1, "b", None, 0, -1.5]]
    assert page.console_errors == []


def test_neuron_view_writes_out_the_last_update_with_its_numbers(page: Any, live_server: Any) -> None:
    open_harness(page, live_server, "perceptron")
    page.evaluate(
        """() => {
          const v = window.viz;
          const train = {points: [[0, 0], [0, 1], [1, 0], [1, 1]], labels: [0, 0, 0, 1]};
          const test = {points: [], labels: []};
          const data = {...v.current.data, train, test, extent: [-0.5, 1.5, -0.5, 1.5]};
          data.config = {...v.current.config, data: {dataset: 'and'}};
          v.current = {...v.current, config: data.config, data};
          v.neuron.setData(data);
          v.plane.setData(data);
          const update = {rule: 'perceptron', index: 2, x: [1, 0], t: 1, a: -0.1, z: 0, error: 1,
                          dW: [0.1, 0], db: 0.1, learning_rate: 0.1, mistake: true};
          v.show({epoch: 1, step: 3, done: false, metrics: null, update, grid: null,
                  weights: [{W: [[0.3], [-0.1]], b: [0.15]}]});
        }"""
    )
    update = page.locator("[data-testid=neuron-update]").text_content()
    assert "w ← w + η(t − z)x = [0.2, −0.1] + 0.1·(1 − 0)·[1, 0] = [0.3, −0.1]" in update
    assert "b ← b + η(t − z) = 0.05 + 0.1·(1 − 0) = 0.15" in update
    assert page.locator("[data-testid=neuron-line]").text_content() == "0.3·x₁ − 0.1·x₂ + 0.15 = 0"
    rows = page.locator("[data-testid=truth-table] tr")
    # a = 0.3·x1 − 0.1·x2 + 0.15: (0, 0) → 0.15 > 0 but AND says 0: wrong; (0, 1) → 0.05: wrong;
    # (1, 0) → 0.45: wrong; (1, 1) → 0.35: right.
    classes = [rows.nth(k).get_attribute("class") for k in range(1, 5)]
    assert classes == ["wrong", "wrong", "wrong current", "right"]
    page.screenshot(path="test-artifacts/viz-neuron.png")
    assert page.console_errors == []


def test_curves_follow_the_epochs_and_switch_to_log_scale(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    lengths = page.evaluate(
        """async () => {
          const v = window.viz, c = v.current;
          await v.curves.reset();
          for (let epoch = 1; epoch <= 5; epoch++) {
            const frame = {epoch, metrics: {train_loss: 1 / epoch, test_loss: 1.2 / epoch,
                                            train_accuracy: 0.5 + epoch / 20,
                                            test_accuracy: 0.5 + epoch / 25}};
            await v.curves.push(frame);
            await v.curves.push(frame);  // the same epoch again: skipped
          }
          await v.curves.setLog(true);
          const el = document.getElementById('curves');
          return {lengths: el.data.map((t) => t.x.length), type: el.layout.yaxis.type, last: el.data[1].y[4]};
        }"""
    )
    assert lengths == {"lengths": [5, 5, 5, 5], "type": "log", "last": pytest.approx(0.24)}
    assert page.console_errors == []


def test_on_the_real_page_the_network_view_edits_the_live_network(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_function(
        "() => window.nnlive && window.nnlive.store.lastFrame && window.nnlive.store.lastFrame.weights",
        timeout=20_000,
    )
    hidden = page.evaluate("() => window.nnlive.store.applied.network.hidden")
    features = page.evaluate("() => window.nnlive.store.applied.features")
    inputs, neurons, links = network_counts(page)
    sizes = [len(features), *hidden, 1]
    assert (inputs, neurons) == (len(features), sum(sizes[1:]))
    assert links == sum(a * b for a, b in itertools.pairwise(sizes))
    page.mouse.click(*link_point(page, "link-0-0-0"))
    editor = page.locator("[data-testid=weight-editor]")
    editor.fill("2.5")
    editor.press("Enter")
    page.wait_for_function("() => window.nnlive.store.lastFrame.weights[0].W[0][0] === 2.5", timeout=20_000)
    page.mouse.move(*link_point(page, "link-0-0-0"))
    assert page.locator("[data-testid=network-tooltip]").text_content() == "w[0][0→0] = 2.500"
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("training", "output", "loss", "threshold"),
    [
        ("backprop", "sigmoid", "bce", 0.5),
        ("backprop", "tanh", "mse", 0.0),
        ("backprop", "linear", "mse", 0.0),
        ("backprop", "sigmoid", "hinge", 0.0),
        ("perceptron", "sigmoid", "mse", 0.5),
        ("delta", "sigmoid", "mse", 0.0),
        ("hebb", "sigmoid", "mse", 0.0),
    ],
)
def test_the_plane_cuts_a_binary_output_where_nncore_does(
    page: Any, live_server: Any, training: str, output: str, loss: str, threshold: float
) -> None:
    open_harness(page, live_server)
    reading = page.evaluate(
        """async ([rule, output, loss]) => {
          const {outputReading} = await import('/static/js/outputs.js');
          const network = {hidden: [], output_activation: output};
          const config = {features: ['x1', 'x2'], network, training: {rule, loss}};
          const data = {task: 'classification', classes: 2, train: {points: [], labels: []}};
          return outputReading(window.viz.catalog, config, data);
        }""",
        [training, output, loss],
    )
    assert reading["kind"] == "binary"
    assert reading["threshold"] == threshold


def test_history_and_activation_plots(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    result = page.evaluate(
        """async () => {
          const {plotActivation} = await import('/static/js/activation_plot.js');
          const v = window.viz;
          const metrics = (epoch) => ({train_loss: 1 / epoch, test_loss: null, train_accuracy: null,
                                       test_accuracy: null});
          const frames = [1, 2, 3].map((epoch) => ({epoch, metrics: metrics(epoch)}));
          await v.curves.setHistory(frames);
          const curves = document.getElementById('curves');
          const el = document.getElementById('activation');
          await plotActivation(el, {name: 'relu', x: [-1, 0, 1], f: [0, 0, 1], df: [0, 0, 1]});
          const traces = el.data.map((t) => t.name);
          return {loss: curves.data[0].y, accuracyShown: curves.data[2].visible, traces};
        }"""
    )
    assert result["loss"] == [1, 0.5, pytest.approx(1 / 3)]
    assert result["accuracyShown"] is False
    assert result["traces"] == ["relu(a)", "relu′(a)"]
    assert page.console_errors == []


def test_a_plane_without_a_drawing_tool_is_read_only(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.evaluate(POINTS_DATA, [[1, 1], [-2, 2]])
    page.evaluate(
        """() => {
          const select = document.getElementById('tool');
          select.append(new Option('none'));
          select.value = 'none';
        }"""
    )
    start = client_of(page, -2, 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 60, start[1] + 40, steps=5)
    page.mouse.up()
    page.mouse.click(*client_of(page, 3, 3))
    page.mouse.click(*client_of(page, 1, 1), button="right")
    assert events(page) == []
    assert plane_traces(page)[0]["x"] == [1, -2]
    assert page.console_errors == []


def test_regression_is_shown_on_a_continuous_scale(page: Any, live_server: Any) -> None:
    open_harness(page, live_server)
    page.evaluate(
        """async (makeGrid) => {
          const v = window.viz;
          const network = {...v.current.config.network, output_activation: 'linear'};
          const config = {...v.current.config, network};
          const train = {points: [[-4, 4], [4, 4]], labels: [-1, 1]};
          v.plane.setData({train, test: {points: [], labels: []}, extent: [-6, 6, -6, 6], task: 'regression',
                           classes: null, config});
          const grid = eval(makeGrid)(['x / 6', null]);
          v.plane.setFrame({epoch: 1, step: 1, metrics: null, update: null, weights: null, grid});
          await v.plane.whenRendered();
        }""",
        FRAME_FROM_RULE,
    )
    (lr, lg, lb), (rr, rg, rb) = colours_at(page, [(-5, -3), (5, -3)])
    assert lb > lg and lr > lg, (lr, lg, lb)  # viridis' low end: purple
    assert rg > rb + 40 and rr > rb, (rr, rg, rb)  # its high end: yellow
    markers = plane_traces(page)[0]["marker"]
    assert markers["color"] == [-1, 1]
    assert (markers["cmin"], markers["cmax"]) == (-1, 1)
    assert page.console_errors == []
