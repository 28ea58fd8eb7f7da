// The output plane: the network's output as a heatmap over the input plane (plane_image.js), the decision
// boundary (contour.js, or a single neuron's exact line, neuron_line.js), the data points (train filled, test
// hollow) and point drawing (draw.js). One Plotly figure, made with `Plotly.newPlot` once and `Plotly.react` per
// frame, at most once per animation frame (the newest frame wins).
//
// Grid orientation (docs/architecture.md): row i of a grid is y = ys[i] (rising), column j is x = xs[j].

import { PointEditor } from "./draw.js";
import { AXIS_COLOR, PALETTE, VIRIDIS_SCALE } from "./colors.js";
import { boundaryShapes } from "./contour.js";
import { isSingleNeuron, neuronLineShapes, neuronWeights } from "./neuron_line.js";
import { outputReading, readingFor } from "./outputs.js";
import { PlaneImage, planeImage } from "./plane_image.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").DataMessage} DataMessage */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {import("./outputs.js").Reading} Reading */
/** @typedef {{split: "train" | "test", splitIndex: number, point: number[], label: number}} PointInfo */
/**
 * @typedef {object} PlaneCallbacks
 * @property {(x: number, y: number) => void} onAdd
 * @property {(index: number, x: number, y: number, info: PointInfo) => void} onMove
 * @property {(index: number, info: PointInfo) => void} onRemove
 * @property {(points: number[][]) => void} onBrush
 * @property {() => {tool: string, cls: number}} getTool
 */

const Plotly = window.Plotly;

export class PlaneView {
  /**
   * @param {HTMLElement} el the element to draw into (it gets the class `viz-plane`).
   * @param {Catalog} catalog how outputs are read, and the plane's extent before any data
   * @param {PlaneCallbacks} callbacks `index` counts `data.train.points` first, then `data.test.points` (the
   *   user-point index when there is no test split); `info` is `{split, splitIndex, point, label}`.
   */
  constructor(el, catalog, { onAdd, onMove, onRemove, onBrush, getTool }) {
    this.el = el;
    this.catalog = catalog;
    this.el.classList.add("viz-plane");
    /** @type {DataMessage | null} */
    this.data = null;
    /** @type {Frame | null} */
    this.frame = null;
    this.view = { discretize: false, showTest: true };
    this.image = new PlaneImage();
    this.imageURL = null;
    this.local = emptyEdits();
    this.pointTraceCache = null;
    this.pending = null;
    this.readout = document.createElement("div");
    this.readout.className = "viz-readout";
    this.readout.dataset.testid = "plane-readout";
    this.readout.hidden = true;
    this.ready = Plotly.newPlot(el, [], this.layout(), { staticPlot: true }).then(() => {
      this.el.appendChild(this.readout);
    });
    this.rendered = this.ready;
    new ResizeObserver(() => this.schedule()).observe(el);
    this.pointEditor = new PointEditor(el, {
      getTool,
      getPoints: () => this.displayedPoints(),
      onAdd: (x, y) => {
        this.local.added.push({ point: [x, y], label: getTool().cls ?? 0 });
        this.pointsChanged();
        onAdd(x, y);
      },
      onMove: (index, x, y) => {
        this.local.moved.set(index, [x, y]);
        this.pointsChanged();
        onMove(index, x, y, this.pointInfo(index));
      },
      onRemove: (index) => {
        const info = this.pointInfo(index);
        this.local.removed.add(index);
        this.pointsChanged();
        onRemove(index, info);
      },
      onBrush: (points) => {
        for (const point of points) this.local.added.push({ point, label: getTool().cls ?? 0 });
        this.pointsChanged();
        onBrush(points);
      },
      onDrag: (index, x, y) => {
        this.local.dragging = index === null ? null : { index, point: [x, y] };
        this.pointsChanged();
      },
      onHover: (xy) => this.showReadout(xy),
    });
  }

  /** Show the server's `data` message: points, extent, task, classes and config. Clears local edits. */
  setData(data) {
    this.data = data;
    this.imageURL = null;
    this.local = emptyEdits();
    this.pointsChanged();
  }

  /** Show a decoded frame (its grid may be null: then only the points, weights overlay and boundary stay). */
  setFrame(frame) {
    this.frame = frame;
    this.imageURL = null;
    this.schedule();
  }

  /** `{discretize, showTest}` (either may be left out). */
  setView(view) {
    this.view = { ...this.view, ...view };
    this.imageURL = null;
    this.pointsChanged();
  }

  /** @returns {Promise<void>} resolves once everything set so far is on screen. */
  whenRendered() {
    return this.pending ?? this.rendered;
  }

  /** @returns {Promise<string>} the plane as a PNG data URL (2× resolution). */
  async toPNG() {
    await this.whenRendered();
    return Plotly.toImage(this.el, { format: "png", scale: 2, width: this.el.clientWidth, height: this.el.clientHeight });
  }

  /** The points or how they are shown changed: rebuild their traces (kept otherwise, so Plotly skips them). */
  pointsChanged() {
    this.pointTraceCache = null;
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = this.ready
      .then(() => new Promise((resolve) => requestAnimationFrame(resolve)))
      .then(() => {
        this.pending = null;
        this.rendered = this.render();
        return this.rendered;
      });
  }

  render() {
    const grid = this.frame?.grid;
    const config = this.data?.config;
    const reading = readingFor(grid, outputReading(this.catalog, config, this.data));
    const traces = [];
    const layout = this.layout();
    if (grid && (grid.output || grid.classes)) {
      this.imageURL ??= this.image.paint(grid, reading, this.view);
      layout.images = [planeImage(grid, this.imageURL)];
      layout.shapes = boundaryShapes(grid, reading);
    }
    // A single neuron's boundary is exactly its line: draw the line and w instead of the contour.
    if (this.frame?.weights && isSingleNeuron(this.catalog, config)) {
      const overlay = neuronLineShapes(neuronWeights(this.catalog, config, this.frame.weights), this.extent());
      layout.shapes = overlay.shapes;
      layout.annotations = overlay.annotations;
    }
    this.pointTraceCache ??= this.pointTraces(reading);
    traces.push(...this.pointTraceCache);
    return Plotly.react(this.el, traces, layout);
  }

  /**
   * The plane's layout: fixed axes on the extent at equal scale. The equal aspect is computed here as axis
   * domains for the element's current size (Plotly's scaleanchor loses it when `react` changes the ranges).
   */
  layout() {
    const [x0, x1, y0, y1] = this.extent();
    const margin = { l: 34, r: 10, t: 10, b: 26 };
    const width = this.el.clientWidth || 400;
    const height = this.el.clientHeight || width;
    const w = Math.max(1, width - margin.l - margin.r);
    const h = Math.max(1, height - margin.t - margin.b);
    const scale = Math.min(w / (x1 - x0), h / (y1 - y0));
    const fx = Math.min(1, (scale * (x1 - x0)) / w);
    const fy = Math.min(1, (scale * (y1 - y0)) / h);
    const axis = {
      fixedrange: true, showgrid: false, zeroline: false, ticks: "outside", ticklen: 3, tickcolor: AXIS_COLOR,
      tickfont: { size: 10, color: AXIS_COLOR }, showline: true, linecolor: "#c9d1d9", mirror: true, nticks: 7,
    };
    return {
      width, height, margin,
      xaxis: { ...axis, range: [x0, x1], domain: [(1 - fx) / 2, (1 + fx) / 2] },
      yaxis: { ...axis, range: [y0, y1], domain: [(1 - fy) / 2, (1 + fy) / 2] },
      plot_bgcolor: "#fbfbfb", paper_bgcolor: "rgba(0,0,0,0)",
      showlegend: false, dragmode: false, hovermode: false,
    };
  }

  extent() {
    return this.data?.extent ?? this.frame?.grid?.extent ?? this.catalog.planeExtent;
  }

  /** The points as drawn, in callback-index order (train then test), with local edits not yet confirmed. */
  displayedPoints() {
    const out = [];
    if (!this.data) return out;
    /** @type {["train" | "test", {points: number[][], labels: number[]}][]} */
    const splits = [["train", this.data.train], ["test", this.data.test]];
    for (const [split, part] of splits) {
      (part?.points ?? []).forEach((point, splitIndex) => {
        const index = out.length;
        const moved = this.local.dragging?.index === index ? this.local.dragging.point : this.local.moved.get(index);
        const hidden = this.local.removed.has(index) || (split === "test" && !this.view.showTest);
        out.push({ point: moved ?? point, label: part.labels[splitIndex], split, splitIndex, hidden });
      });
    }
    return out;
  }

  /**
   * `{split, splitIndex, point, label}` of a point by callback index, as the server last sent it.
   * @returns {PointInfo}
   */
  pointInfo(index) {
    const trainCount = this.data.train.points.length;
    const split = index < trainCount ? "train" : "test";
    const splitIndex = split === "train" ? index : index - trainCount;
    const part = this.data[split];
    return { split, splitIndex, point: part.points[splitIndex], label: part.labels[splitIndex] };
  }

  /** Three scatter traces: train points (filled), test points (hollow), points added here but not yet confirmed. */
  pointTraces(reading) {
    const shown = this.displayedPoints().filter((p) => !p.hidden);
    const added = this.local.added;
    const count = shown.length + added.length;
    const size = count > 600 ? 5 : count > 60 ? 8 : 11;
    const colourOf = (label) => (reading.kind === "regression" ? label : PALETTE[Math.max(0, label | 0) % PALETTE.length]);
    const regression = reading.kind === "regression" ? { colorscale: VIRIDIS_SCALE, cmin: reading.lo, cmax: reading.hi } : {};
    const trace = (points, style) => {
      const colours = points.map((p) => colourOf(p.label));
      const marker = { size, ...regression, ...style(colours) };
      return {
        type: "scatter", mode: "markers", hoverinfo: "skip", marker,
        x: points.map((p) => p.point[0]), y: points.map((p) => p.point[1]),
      };
    };
    const train = shown.filter((p) => p.split === "train");
    const test = shown.filter((p) => p.split === "test");
    return [
      trace(train, (colours) => ({ color: colours, line: { color: "#ffffff", width: 1.2 } })),
      trace(test, (colours) => ({ color: "rgba(255,255,255,0.85)", line: { color: colours, width: 2.2, ...regression } })),
      trace(added, (colours) => ({ color: colours, opacity: 0.55, line: { color: "#ffffff", width: 1.2 } })),
    ];
  }

  /** Show the network's output under the cursor (`xy` = [x, y] or null when the cursor left the plane). */
  showReadout(xy) {
    const grid = this.frame?.grid;
    if (!xy || !(grid?.output || grid?.classes)) {
      this.readout.hidden = true;
      return;
    }
    const [x0, x1, y0, y1] = grid.extent;
    const j = Math.round(((xy[0] - x0) / (x1 - x0)) * (grid.size - 1));
    const i = Math.round(((xy[1] - y0) / (y1 - y0)) * (grid.size - 1));
    if (i < 0 || j < 0 || i >= grid.size || j >= grid.size) {
      this.readout.hidden = true;
      return;
    }
    const value = grid.output
      ? `ŷ = ${grid.output[i][j].toFixed(3)}`
      : grid.classes.map((plane, c) => `p${c} ${plane[i][j].toFixed(2)}`).join("  ");
    this.readout.textContent = `(${xy[0].toFixed(2)}, ${xy[1].toFixed(2)})  ${value}`;
    const { xaxis, yaxis, width } = /** @type {any} */ (this.el)._fullLayout;
    this.readout.style.right = `${width - xaxis._offset - xaxis._length + 6}px`;
    this.readout.style.top = `${yaxis._offset + 6}px`;
    this.readout.hidden = false;
  }
}

function emptyEdits() {
  return { added: [], moved: new Map(), removed: new Set(), dragging: null };
}
