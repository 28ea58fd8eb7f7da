/**
 * Plotly figures: the output plane (heatmap, decision boundary, points, drawing), the loss/accuracy curves and
 * the small activation plots, and the colour scales every view shares: class k is PALETTE[k] (Okabe–Ito, from
 * state.js), signed values run blue (negative / class 0) – white – orange (positive / class 1).
 *
 * Grid orientation (docs/architecture.md): row i of a grid is y = ys[i] (rising), column j is x = xs[j].
 */
import { PointEditor } from "./draw.js";
import { isSingleNeuron, neuronLineShapes } from "./neuron_view.js";
import { PALETTE } from "./state.js";

const Plotly = window.Plotly;

const WHITE = [247, 247, 247];
const BOUNDARY_COLOR = "#1d2630";
const AXIS_COLOR = "#8a94a0";

/** "#rrggbb" → [r, g, b]. */
export function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a, b, t) {
  return a.map((v, k) => Math.round(v + (b[k] - v) * t));
}

/**
 * A 256-entry colour lookup table (Uint8Array of r, g, b triples) interpolating `stops` ([[r, g, b], ...],
 * evenly spaced over [0, 1]).
 */
export function makeLUT(stops) {
  const lut = new Uint8Array(256 * 3);
  for (let q = 0; q < 256; q++) {
    const s = (q / 255) * (stops.length - 1);
    const k = Math.min(stops.length - 2, Math.floor(s));
    const c = mix(stops[k], stops[k + 1], s - k);
    lut.set(c, q * 3);
  }
  return lut;
}

const BLUE = hexToRGB(PALETTE[0]);
const ORANGE = hexToRGB(PALETTE[1]);
/** Diverging blue – white – orange, index 0 ↔ −1, 255 ↔ +1 (strong ends: links and neuron tiles). */
export const DIVERGING_LUT = makeLUT([BLUE, WHITE, ORANGE]);
/** The same scale, softened, for the big output heatmap under the points. */
const PLANE_LUT = makeLUT([mix(WHITE, BLUE, 0.6), WHITE, mix(WHITE, ORANGE, 0.6)]);
/** Viridis (colour-blind-safe, perceptually uniform) for regression outputs and targets. */
const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];
/** Viridis softened towards white under the points, which keep the full colours. */
const VIRIDIS_LUT = makeLUT(VIRIDIS.map((c) => mix(hexToRGB(c), WHITE, 0.4)));
const VIRIDIS_SCALE = VIRIDIS.map((c, k) => [k / (VIRIDIS.length - 1), c]);

/** CSS colour of a signed value v ∈ [−1, 1] on the diverging scale. */
export function divergingCSS(v) {
  const q = Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5) * 3;
  return `rgb(${DIVERGING_LUT[q]},${DIVERGING_LUT[q + 1]},${DIVERGING_LUT[q + 2]})`;
}

/**
 * Paint `rows` (Float32Array rows, row i ↔ y_i rising) into `image` (ImageData of the same size, top row = highest
 * y) through `lut`, mapping value v to (v − centre) / halfWidth ∈ [−1, 1].
 */
export function paintRows(image, rows, lut, centre, halfWidth) {
  const h = rows.length;
  const w = h ? rows[0].length : 0;
  const px = image.data;
  const k = 127.5 / (halfWidth || 1);
  for (let i = 0; i < h; i++) {
    const row = rows[i];
    let o = (h - 1 - i) * w * 4;
    for (let j = 0; j < w; j++, o += 4) {
      let q = Math.round((row[j] - centre) * k + 127.5);
      q = (q > 255 ? 255 : q >= 0 ? q : q < 0 ? 0 : 127) * 3; // NaN → the middle colour
      px[o] = lut[q];
      px[o + 1] = lut[q + 1];
      px[o + 2] = lut[q + 2];
      px[o + 3] = 255;
    }
  }
}

const CLASSIC_OUTPUT = { perceptron: "step", delta: "linear", hebb: "sign", hebb_unsupervised: "linear", oja: "linear" };
const CLASSIC_BIPOLAR = new Set(["delta", "hebb", "hebb_unsupervised", "oja"]);
const BOUNDED = { sigmoid: [0, 1], step: [0, 1], tanh: [-1, 1], sign: [-1, 1] };

/** The output activation a config's network really uses (a classic rule fixes its own). */
export function outputActivation(config) {
  const rule = config?.training?.rule ?? "backprop";
  return CLASSIC_OUTPUT[rule] ?? config?.network?.output_activation ?? "sigmoid";
}

/**
 * How to read a network's output over the plane, from the normalized config and the data:
 * `{kind: 'binary', threshold, halfWidth}`, `{kind: 'softmax', classes}` or `{kind: 'regression', lo, hi}` (the
 * targets' range). A binary output's classes are cut where nncore cuts them (nncore/data.py `target_levels`):
 * at 0 when the targets are ±1 (tanh, sign or linear outputs, hinge loss, the bipolar classic rules), else at 0.5.
 */
export function outputReading(config, data) {
  if (data?.task === "regression") {
    const labels = [...(data.train?.labels ?? []), ...(data.test?.labels ?? [])];
    let lo = Math.min(...labels);
    let hi = Math.max(...labels);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
    return { kind: "regression", lo, hi: hi > lo ? hi : lo + 1 };
  }
  const activation = outputActivation(config);
  if (activation === "softmax" || (data?.classes ?? 2) > 2) {
    return { kind: "softmax", classes: Math.max(2, data?.classes ?? 2) };
  }
  const rule = config?.training?.rule ?? "backprop";
  const bipolar = rule === "backprop"
    ? config?.training?.loss === "hinge" || ["tanh", "sign", "linear"].includes(activation)
    : CLASSIC_BIPOLAR.has(rule);
  const [lo, hi] = BOUNDED[activation] ?? [-1, 1];
  return { kind: "binary", threshold: bipolar ? 0 : 0.5, halfWidth: (hi - lo) / 2 };
}

/**
 * `reading` made to fit the grid in hand (a frame of the previous run can arrive after a new `data` message):
 * class planes are read as softmax, a single plane as a binary output around its own middle.
 */
function readingFor(grid, reading) {
  if (!grid) return reading;
  if (grid.classes && reading.kind !== "softmax") return { kind: "softmax", classes: grid.classes.length };
  if (grid.output && reading.kind === "softmax") return { kind: "binary", threshold: 0.5, halfWidth: 0.5 };
  return reading;
}

/** Paints a frame's output grid into an offscreen canvas and hands out its data URL for a Plotly layout image. */
class PlaneImage {
  constructor() {
    this.canvas = document.createElement("canvas");
    this.ctx = this.canvas.getContext("2d");
    this.image = null;
  }

  /** @returns {string} a PNG data URL of the grid coloured per `reading` ({discretize} snaps to classes). */
  paint(grid, reading, { discretize }) {
    const g = grid.size;
    if (!this.image || this.image.width !== g) {
      this.canvas.width = this.canvas.height = g;
      this.image = this.ctx.createImageData(g, g);
    }
    if (reading.kind === "softmax") this.paintClasses(grid.classes, reading.classes, discretize);
    else if (reading.kind === "regression") {
      paintRows(this.image, grid.output, VIRIDIS_LUT, (reading.lo + reading.hi) / 2, (reading.hi - reading.lo) / 2);
    } else {
      // Discretizing squeezes the scale to a hair's width: each side gets its full class tint.
      const halfWidth = discretize ? 1e-9 : reading.halfWidth;
      paintRows(this.image, grid.output, PLANE_LUT, reading.threshold, halfWidth);
    }
    this.ctx.putImageData(this.image, 0, 0);
    return this.canvas.toDataURL();
  }

  /** Softmax: each pixel takes the colour of its most probable class, lighter as the confidence falls. */
  paintClasses(planes, k, discretize) {
    const g = planes[0].length;
    const px = this.image.data;
    const colours = PALETTE.slice(0, k).map(hexToRGB);
    const floor = 1 / k;
    for (let i = 0; i < g; i++) {
      let o = (g - 1 - i) * g * 4;
      for (let j = 0; j < g; j++, o += 4) {
        let best = 0;
        let p = planes[0][i][j];
        for (let c = 1; c < k; c++) {
          const pc = planes[c][i][j];
          if (pc > p) [best, p] = [c, pc];
        }
        const confidence = discretize ? 1 : Math.max(0, (p - floor) / (1 - floor));
        const t = 0.1 + 0.5 * confidence; // at most the binary plane's strength
        const c = colours[best];
        px[o] = WHITE[0] + (c[0] - WHITE[0]) * t;
        px[o + 1] = WHITE[1] + (c[1] - WHITE[1]) * t;
        px[o + 2] = WHITE[2] + (c[2] - WHITE[2]) * t;
        px[o + 3] = 255;
      }
    }
  }
}

/**
 * The contour `z = level` of a grid as an SVG path in data coordinates (marching squares, one segment per cell
 * edge pair; saddles resolved by the cell's mean). Far cheaper per frame than a Plotly contour trace.
 * @param {Float64Array} xs column coordinates
 * @param {Float64Array} ys row coordinates
 * @param {ArrayLike<number>[]} rows z values, row i ↔ ys[i]
 */
export function contourPath(xs, ys, rows, level) {
  let path = "";
  const r = (v) => Math.round(v * 1e4) / 1e4;
  const segment = (ax, ay, bx, by) => {
    path += `M${r(ax)},${r(ay)}L${r(bx)},${r(by)}`;
  };
  for (let i = 0; i + 1 < rows.length; i++) {
    const lo = rows[i];
    const hi = rows[i + 1];
    const y0 = ys[i];
    const y1 = ys[i + 1];
    for (let j = 0; j + 1 < lo.length; j++) {
      const v00 = lo[j], v01 = lo[j + 1], v10 = hi[j], v11 = hi[j + 1];
      const s00 = v00 > level, s01 = v01 > level, s10 = v10 > level, s11 = v11 > level;
      if (s00 === s01 && s00 === s10 && s00 === s11) continue;
      const x0 = xs[j];
      const x1 = xs[j + 1];
      // Crossings on the cell's edges: bottom (y0), right (x1), top (y1), left (x0).
      const bx = x0 + ((level - v00) / (v01 - v00)) * (x1 - x0);
      const ry = y0 + ((level - v01) / (v11 - v01)) * (y1 - y0);
      const tx = x0 + ((level - v10) / (v11 - v10)) * (x1 - x0);
      const ly = y0 + ((level - v00) / (v10 - v00)) * (y1 - y0);
      const bottom = s00 !== s01, right = s01 !== s11, top = s10 !== s11, left = s00 !== s10;
      if (bottom && right && top && left) {
        if ((v00 + v01 + v10 + v11) / 4 > level === s00) {
          segment(bx, y0, x1, ry);
          segment(tx, y1, x0, ly);
        } else {
          segment(bx, y0, x0, ly);
          segment(tx, y1, x1, ry);
        }
      } else {
        const points = [];
        if (bottom) points.push(bx, y0);
        if (right) points.push(x1, ry);
        if (top) points.push(tx, y1);
        if (left) points.push(x0, ly);
        segment(points[0], points[1], points[2], points[3]);
      }
    }
  }
  return path;
}

/** Decision-boundary shapes: output = threshold, or for softmax where each class's margin over the rest is 0. */
function boundaryShapes(grid, reading) {
  const shape = (path, width) => ({ type: "path", xref: "x", yref: "y", path, line: { color: BOUNDARY_COLOR, width }, layer: "above" });
  if (reading.kind === "binary" && !grid.output) return [];
  if (reading.kind === "binary") return [shape(contourPath(grid.xs, grid.ys, grid.output, reading.threshold), 2)];
  if (reading.kind !== "softmax" || !grid.classes) return []; // a frame of another output kind: no boundary
  const planes = grid.classes;
  return planes.map((plane, c) => {
    const margin = plane.map((row, i) => {
      const out = new Float32Array(row.length);
      for (let j = 0; j < row.length; j++) {
        let other = -Infinity;
        for (let d = 0; d < planes.length; d++) if (d !== c && planes[d][i][j] > other) other = planes[d][i][j];
        out[j] = row[j] - other;
      }
      return out;
    });
    return shape(contourPath(grid.xs, grid.ys, margin, 0), 1.6);
  });
}

/**
 * The output plane: the network's output as a heatmap over the input plane, the decision boundary, the data
 * points (train filled, test hollow) and point drawing (see draw.js). One Plotly figure, drawn with
 * `Plotly.newPlot` once and `Plotly.react` per frame, at most once per animation frame (the newest frame wins).
 */
export class PlaneView {
  /**
   * @param {HTMLElement} el the element to draw into (it gets the class `viz-plane`).
   * @param {object} callbacks `onAdd(x, y)`, `onMove(index, x, y, info)`, `onRemove(index, info)`,
   *   `onBrush(points)`, `getTool() -> {tool: 'add'|'move'|'erase'|'brush', cls}`. `index` counts
   *   `data.train.points` first, then `data.test.points` (the user-point index when there is no test split);
   *   `info` is `{split: 'train'|'test', splitIndex, point, label}`.
   */
  constructor(el, { onAdd, onMove, onRemove, onBrush, getTool }) {
    this.el = el;
    this.el.classList.add("viz-plane");
    this.data = null;
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
    const reading = readingFor(grid, outputReading(this.data?.config, this.data));
    const traces = [];
    const layout = this.layout();
    const config = this.data?.config;
    if (grid && (grid.output || grid.classes)) {
      this.imageURL ??= this.image.paint(grid, reading, this.view);
      layout.images = [planeImage(grid, this.imageURL)];
      layout.shapes = boundaryShapes(grid, reading);
    }
    // A single neuron's boundary is exactly its line: draw the line and w instead of the contour.
    if (this.frame?.weights && isSingleNeuron(config)) {
      const w = this.frame.weights[0];
      const [i1, i2] = [config.features.indexOf("x1"), config.features.indexOf("x2")];
      const overlay = neuronLineShapes({ w1: w.W[i1][0], w2: w.W[i2][0], b: w.b[0] }, this.extent());
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
    return this.data?.extent ?? this.frame?.grid?.extent ?? [-6, 6, -6, 6];
  }

  /** The points as drawn, in callback-index order (train then test), with local edits not yet confirmed. */
  displayedPoints() {
    const out = [];
    if (!this.data) return out;
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

  /** `{split, splitIndex, point, label}` of a point by callback index, as the server last sent it. */
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
    const { xaxis, yaxis, width } = this.el._fullLayout;
    this.readout.style.right = `${width - xaxis._offset - xaxis._length + 6}px`;
    this.readout.style.top = `${yaxis._offset + 6}px`;
    this.readout.hidden = false;
  }
}

function emptyEdits() {
  return { added: [], moved: new Map(), removed: new Set(), dragging: null };
}

/** A layout image covering the grid's cells: samples sit at cell centres, so the image reaches half a cell out. */
function planeImage(grid, source) {
  const [x0, x1, y0, y1] = grid.extent;
  const dx = (x1 - x0) / (grid.size - 1) / 2;
  const dy = (y1 - y0) / (grid.size - 1) / 2;
  return {
    source, xref: "x", yref: "y", x: x0 - dx, y: y1 + dy, sizex: x1 - x0 + 2 * dx, sizey: y1 - y0 + 2 * dy,
    sizing: "stretch", xanchor: "left", yanchor: "top", layer: "below",
  };
}

const CURVE_COLORS = { loss: "#1d2630", accuracy: "#009E73" };

/**
 * Train/test loss (solid/dashed, left axis) and train/test accuracy (right axis, 0–1) against the epoch.
 * One point per epoch: frames of an epoch already shown are skipped; an epoch going backwards starts over.
 */
export class CurvesView {
  /** @param {HTMLElement} el the element to draw into. */
  constructor(el) {
    this.el = el;
    this.el.classList.add("viz-curves");
    this.log = false;
    this.lastEpoch = -Infinity;
    this.accuracy = true;
    this.ready = Plotly.newPlot(el, this.traces(), this.layout(), { displayModeBar: false, responsive: true });
  }

  traces() {
    const line = (name, full, color, dash, yaxis) => ({
      type: "scatter", mode: "lines", name, x: [], y: [], yaxis, line: { color, dash, width: 2 },
      hovertemplate: `${full} %{y:.4f}<extra>epoch %{x}</extra>`,
    });
    return [
      line("train loss", "train loss", CURVE_COLORS.loss, "solid", "y"),
      line("test loss", "test loss", CURVE_COLORS.loss, "dash", "y"),
      line("train acc.", "train accuracy", CURVE_COLORS.accuracy, "solid", "y2"),
      line("test acc.", "test accuracy", CURVE_COLORS.accuracy, "dash", "y2"),
    ];
  }

  layout() {
    const font = { size: 10, color: AXIS_COLOR };
    return {
      margin: { l: 44, r: 40, t: 8, b: 30 },
      xaxis: { title: { text: "epoch", font }, tickfont: font, zeroline: false, gridcolor: "#eef1f4", rangemode: "tozero" },
      yaxis: { title: { text: "loss", font }, tickfont: font, type: this.log ? "log" : "linear", gridcolor: "#eef1f4", zeroline: false, rangemode: this.log ? undefined : "tozero" },
      yaxis2: { title: { text: "accuracy", font: { ...font, color: CURVE_COLORS.accuracy } }, tickfont: { ...font, color: CURVE_COLORS.accuracy }, overlaying: "y", side: "right", range: [0, 1.02], dtick: 0.25, showgrid: false, zeroline: false, tickformat: ".0%" },
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 9 }, itemwidth: 30, tracegroupgap: 0 },
      showlegend: true, hovermode: "x unified", plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)",
      uirevision: "curves",
    };
  }

  /** Clear the curves (a new run). */
  reset() {
    this.lastEpoch = -Infinity;
    this.accuracy = true;
    this.ready = this.ready.then(() => Plotly.react(this.el, this.traces(), this.layout()));
    return this.ready;
  }

  /** Append a frame's metrics at its epoch (skipped if that epoch is already drawn). */
  push(frame) {
    if (frame.epoch < this.lastEpoch) this.reset();
    if (frame.epoch === this.lastEpoch || !frame.metrics) return this.ready;
    this.lastEpoch = frame.epoch;
    const m = frame.metrics;
    if (m.train_loss !== undefined) this.showAccuracy(m.train_accuracy != null);
    const values = [m.train_loss, m.test_loss, m.train_accuracy, m.test_accuracy].map((v) => [v ?? null]);
    this.ready = this.ready.then(() => Plotly.extendTraces(this.el, { x: values.map(() => [frame.epoch]), y: values }, [0, 1, 2, 3]));
    return this.ready;
  }

  /** Show or hide the accuracy curves and axis (regression has none). */
  showAccuracy(show) {
    if (this.accuracy === show) return;
    this.accuracy = show;
    this.ready = this.ready.then(() => Plotly.update(this.el, { visible: show }, { "yaxis2.visible": show }, [2, 3]));
  }

  /** Replace the curves by a whole history of frames (one per epoch, in order). */
  setHistory(frames) {
    const withMetrics = frames.filter((f) => f.metrics);
    const keys = ["train_loss", "test_loss", "train_accuracy", "test_accuracy"];
    const traces = this.traces();
    traces.forEach((trace, k) => {
      trace.x = withMetrics.map((f) => f.epoch);
      trace.y = withMetrics.map((f) => f.metrics[keys[k]] ?? null);
    });
    this.lastEpoch = withMetrics.length ? withMetrics[withMetrics.length - 1].epoch : -Infinity;
    this.accuracy = withMetrics.some((f) => f.metrics.train_accuracy != null) || !withMetrics.length;
    for (const trace of traces.slice(2)) trace.visible = this.accuracy;
    const layout = this.layout();
    layout.yaxis2.visible = this.accuracy;
    this.ready = this.ready.then(() => Plotly.react(this.el, traces, layout));
    return this.ready;
  }

  /** Log scale on the loss axis (true) or linear (false). */
  setLog(log) {
    this.log = Boolean(log);
    this.ready = this.ready.then(() => Plotly.relayout(this.el, { "yaxis.type": this.log ? "log" : "linear", "yaxis.autorange": true, "yaxis.rangemode": this.log ? "normal" : "tozero" }));
    return this.ready;
  }

  /** @returns {Promise<string>} the curves as a PNG data URL. */
  async toPNG() {
    await this.ready;
    return Plotly.toImage(this.el, { format: "png", scale: 2, width: this.el.clientWidth, height: this.el.clientHeight });
  }
}

/**
 * A small plot of an activation f (solid) and its derivative f′ (dashed) over `x`; `df` may be null (softmax).
 * @param {HTMLElement} el
 * @param {{name: string, x: number[], f: number[], df: number[] | null}} curve
 * @returns {Promise} Plotly's promise.
 */
export function plotActivation(el, { name, x, f, df }) {
  el.classList.add("viz-activation");
  const font = { size: 9, color: AXIS_COLOR };
  const traces = [{ type: "scatter", mode: "lines", x, y: f, name: `${name}(a)`, line: { color: PALETTE[0], width: 2 }, hoverinfo: "skip" }];
  if (df) traces.push({ type: "scatter", mode: "lines", x, y: df, name: `${name}′(a)`, line: { color: PALETTE[1], width: 2, dash: "dash" }, hoverinfo: "skip" });
  const layout = {
    margin: { l: 24, r: 6, t: 18, b: 16 },
    xaxis: { tickfont: font, zeroline: true, zerolinecolor: "#d5dbe1", showgrid: false, fixedrange: true, nticks: 5 },
    yaxis: { tickfont: font, zeroline: true, zerolinecolor: "#d5dbe1", showgrid: false, fixedrange: true, nticks: 4 },
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 9 } },
    showlegend: true, plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)",
  };
  return Plotly.react(el, traces, layout, { staticPlot: true, responsive: true });
}
