// The output plane: the network's output as a heatmap over the input plane, the decision boundary, the data points
// (train filled, test hollow) and point drawing (draw.js) — or, while a neuron of the network diagram is hovered or
// pinned, that neuron's own map.
//
// What paints what (docs/architecture.md, "What paints what"):
//   - Plotly draws the axes and the points, once per change of the points, the view or the element's size
//     (`Plotly.react`); never per frame.
//   - A frame paints two canvases under Plotly's SVG, in the plot area: the heatmap (plane_image.js: the uint8 grid
//     through a colour table into ImageData, one pixel per sample, scaled up by the browser with smoothing) and the
//     overlay (the boundary from the bytes, contour.js, or a single neuron's exact line and w, neuron_line.js).
//   - Frames are painted at most once per animation frame, always the newest; sizes come from a ResizeObserver and
//     the plot area is read from Plotly after a figure draw, never inside a frame.
//
// Grid orientation (docs/architecture.md): row i of a grid is y = ys[i] (rising), column j is x = xs[j].

import { PointEditor } from "./draw.js";
import { AXIS_COLOR, PALETTE, VIRIDIS_SCALE } from "./colors.js";
import { BOUNDARY_COLOR, boundarySegments } from "./contour.js";
import { fmt } from "./format.js";
import { Legend } from "./legend.js";
import { LINE_COLOR, VECTOR_COLOR, isSingleNeuron, neuronLine, neuronWeights } from "./neuron_line.js";
import { outputReading, readingFor } from "./outputs.js";
import { PlaneImage } from "./plane_image.js";
import { outputScale } from "./scales.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./types.js").DataMessage} DataMessage */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {import("./types.js").Grid} Grid */
/** @typedef {import("./outputs.js").Reading} Reading */
/** @typedef {import("./scales.js").Scale} Scale */
/** @typedef {{split: "train" | "test", splitIndex: number, point: number[], label: number}} PointInfo */
/**
 * @typedef {object} PlaneCallbacks
 * @property {(x: number, y: number) => void} onAdd
 * @property {(index: number, x: number, y: number, info: PointInfo) => void} onMove
 * @property {(index: number, info: PointInfo) => void} onRemove
 * @property {(points: number[][]) => void} onBrush
 * @property {() => {tool: string, cls: number}} getTool
 */
/**
 * A map shown on the plane instead of the output (a neuron of the network diagram, network_view.js): what to paint
 * from a frame's grid, with which scale, and what to call it.
 * @typedef {object} MapFocus
 * @property {string} key
 * @property {string} label e.g. "layer 1 · neuron 3"
 * @property {boolean} pinned
 * @property {(grid: Grid | null) => {block: Block, index: number} | null} source
 * @property {(block: Block) => Scale} scale
 * @property {string} [unit] what its values are ("tanh", "x₁²")
 */

const Plotly = window.Plotly;
const PLOT_BG = "#fbfbfb";

export class PlaneView {
  /**
   * @param {HTMLElement} el the element to draw into (it gets the class `viz-plane`).
   * @param {Catalog} catalog how outputs are read, and the plane's extent before any data
   * @param {PlaneCallbacks} callbacks `index` counts `data.train.points` first, then `data.test.points` (the
   *   user-point index when there is no test split); `info` is `{split, splitIndex, point, label}`.
   * @param {{legend?: HTMLElement | null}} [options] where to draw the colour legend (none without)
   */
  constructor(el, catalog, { onAdd, onMove, onRemove, onBrush, getTool }, { legend = null } = {}) {
    this.el = el;
    this.catalog = catalog;
    this.el.classList.add("viz-plane");
    /** @type {DataMessage | null} */
    this.data = null;
    /** @type {Frame | null} */
    this.frame = null;
    this.view = { discretize: false, showTest: true };
    /** @type {Reading} how the output is read: from the config and the data, not from each frame */
    this.reading = outputReading(catalog, null, null);
    this.singleNeuron = false;
    /** @type {MapFocus | null} */
    this.focus = null;
    /** Frames painted: incremented where the heatmap's pixels are written (the page's stats). */
    this.painted = 0;
    this.local = emptyEdits();
    this.pointTraceCache = null;
    this.segments = [];
    this.size = { width: el.clientWidth || 400, height: el.clientHeight || el.clientWidth || 400 };
    /** @type {{left: number, top: number, width: number, height: number} | null} the plot area, CSS px */
    this.area = null;
    this.placed = { image: "", overlay: "" };
    this.build(legend);
    this.figureDirty = true;
    this.frameDirty = false;
    /** @type {Promise<void> | null} */
    this.pending = null;
    this.ready = Plotly.newPlot(el, [], this.layout(), { staticPlot: true }).then(() => {
      this.el.insertBefore(this.layer, this.el.firstChild); // under Plotly's SVG: the points stay on top
      this.el.append(this.readout, this.chip);
    });
    this.rendered = this.ready;
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      const height = Math.round(entry.contentRect.height);
      if (!(width > 0 && height > 0) || (width === this.size.width && height === this.size.height)) return;
      this.size = { width, height };
      this.figureDirty = true;
      this.schedule();
    }).observe(el);
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

  /** The canvases under the plot, the readout, the focus chip and the legend. */
  build(legend) {
    this.layer = document.createElement("div");
    this.layer.className = "viz-plane-layer";
    Object.assign(this.layer.style, { position: "absolute", overflow: "hidden", pointerEvents: "none", background: PLOT_BG });
    this.image = new PlaneImage();
    this.image.canvas.dataset.testid = "plane-heatmap";
    this.image.canvas.style.position = "absolute";
    this.overlay = document.createElement("canvas");
    this.overlay.className = "viz-plane-overlay";
    this.overlay.dataset.testid = "plane-overlay";
    Object.assign(this.overlay.style, { position: "absolute", left: "0", top: "0", width: "100%", height: "100%" });
    this.layer.append(this.image.canvas, this.overlay);
    this.readout = document.createElement("div");
    this.readout.className = "viz-readout";
    this.readout.dataset.testid = "plane-readout";
    this.readout.hidden = true;
    this.chip = document.createElement("div");
    this.chip.className = "viz-plane-focus";
    this.chip.dataset.testid = "plane-focus";
    this.chip.hidden = true;
    this.chipLabel = document.createElement("span");
    this.back = document.createElement("button");
    this.back.type = "button";
    this.back.className = "viz-plane-back";
    this.back.dataset.testid = "plane-back";
    this.back.textContent = "✕ back to the output";
    this.back.title = "Show the network's output again (Esc)";
    /** @type {() => void} */
    this.onBack = () => this.setFocus(null);
    this.back.addEventListener("click", () => this.onBack());
    this.chip.addEventListener("keydown", (e) => { if (e.key === "Escape") this.onBack(); });
    // the chip is on the plane but no part of it: a press on it must not add or move points
    for (const type of ["pointerdown", "pointerup", "pointermove", "contextmenu"]) {
      this.chip.addEventListener(type, (e) => e.stopPropagation());
    }
    this.chip.append(this.chipLabel, this.back);
    this.legend = legend ? new Legend(legend) : null;
  }

  /** Show the server's `data` message: points, extent, task, classes and config. Clears local edits. */
  setData(data) {
    this.data = data;
    this.reading = outputReading(this.catalog, data?.config, data);
    this.singleNeuron = isSingleNeuron(this.catalog, data?.config);
    this.local = emptyEdits();
    this.frameDirty = true;
    this.pointsChanged();
  }

  /** Show a decoded frame (its grid may be null: then only the points, weights overlay and boundary stay). */
  setFrame(frame) {
    this.frame = frame;
    this.frameDirty = true;
    this.schedule();
  }

  /** `{discretize, showTest}` (either may be left out). */
  setView(view) {
    const showTest = this.view.showTest;
    this.view = { ...this.view, ...view };
    this.frameDirty = true;
    if (this.view.showTest !== showTest) this.pointsChanged();
    else this.schedule();
  }

  /**
   * Show a map of the network diagram (a neuron) instead of the output, or the output again (null).
   * @param {MapFocus | null} focus
   */
  setFocus(focus) {
    if ((focus?.key ?? null) === (this.focus?.key ?? null) && focus?.pinned === this.focus?.pinned) return;
    this.focus = focus;
    this.chip.hidden = !focus;
    this.el.classList.toggle("showing-neuron", Boolean(focus));
    if (focus) {
      this.chipLabel.textContent = `${focus.label}${focus.unit ? ` (${focus.unit})` : ""}`;
      this.back.hidden = !focus.pinned;
    }
    this.frameDirty = true;
    this.schedule();
  }

  /** @returns {Promise<void>} resolves once everything set so far is on screen. */
  whenRendered() {
    return this.pending ?? this.rendered;
  }

  /** The points or how they are shown changed: rebuild their traces (kept otherwise, so Plotly skips them). */
  pointsChanged() {
    this.pointTraceCache = null;
    this.figureDirty = true;
    this.schedule();
  }

  /** Draw what changed at the next animation frame (at most once per frame; the newest frame). */
  schedule() {
    if (this.pending) return;
    this.pending = new Promise((resolve) => requestAnimationFrame(() => resolve(null)))
      .then(() => this.ready)
      .then(() => {
        this.pending = null;
        this.rendered = this.flush();
        return this.rendered;
      });
  }

  async flush() {
    if (this.figureDirty) {
      this.figureDirty = false;
      this.pointTraceCache ??= this.pointTraces(this.reading);
      await Plotly.react(this.el, this.pointTraceCache, this.layout());
      this.placeLayer();
      this.frameDirty = true;
    }
    if (this.frameDirty) {
      this.frameDirty = false;
      this.paint();
    }
  }

  /** The reading that fits the frame in hand (a frame of the previous run can come after a new `data`). */
  currentReading() {
    return readingFor(this.frame?.grid, this.reading);
  }

  /** Paint the frame: the heatmap (the output or the focused map), the overlay and the legend. */
  paint() {
    const grid = this.frame?.grid ?? null;
    const reading = this.currentReading();
    const focus = this.focus;
    const shown = focus ? focus.source(grid) : grid?.output ? { block: grid.output, index: 0 } : null;
    const scale = shown ? (focus ? focus.scale(shown.block) : outputScale(reading, this.view.discretize)) : null;
    if (shown) {
      this.image.paint(shown.block, shown.index, scale);
      this.painted += 1;
      this.placeImage(grid.extent, this.image.size);
    }
    this.image.canvas.hidden = !shown;
    this.drawOverlay(grid, reading, Boolean(focus));
    this.legend?.show(scale, this.legendText(reading, scale));
  }

  /** What the legend says about `scale`. */
  legendText(reading, scale) {
    if (this.focus) return { caption: this.chipLabel.textContent };
    if (!scale) return { caption: "" };
    if (scale.kind === "classes") {
      return scale.discrete ? { caption: "predicted class" } : { caption: "likeliest class", note: "paler: less sure" };
    }
    if (reading.kind === "regression") return { caption: "output value ŷ" };
    if (scale.discrete) return { caption: "predicted", ends: ["class 0", "class 1"] };
    return { caption: "output ŷ", note: `class 1 above ${fmt(scale.centre)}` };
  }

  /** Place the heatmap canvas over the grid's samples (they sit at cell centres: it reaches half a cell out). */
  placeImage(extent, n) {
    if (!this.area) return;
    const [X0, X1, Y0, Y1] = this.extent();
    const [x0, x1, y0, y1] = extent;
    const dx = (x1 - x0) / (n - 1) / 2;
    const dy = (y1 - y0) / (n - 1) / 2;
    const sx = this.area.width / (X1 - X0);
    const sy = this.area.height / (Y1 - Y0);
    const box = [(x0 - dx - X0) * sx, (Y1 - y1 - dy) * sy, (x1 - x0 + 2 * dx) * sx, (y1 - y0 + 2 * dy) * sy];
    const key = box.map((v) => v.toFixed(2)).join(",");
    if (key === this.placed.image) return;
    this.placed.image = key;
    const style = this.image.canvas.style;
    [style.left, style.top, style.width, style.height] = box.map((v) => `${v}px`);
  }

  /** Read the plot area from Plotly (after a figure draw only) and fit the canvases' layer to it. */
  placeLayer() {
    const full = /** @type {any} */ (this.el)._fullLayout;
    if (!full?.xaxis) return;
    const area = { left: full.xaxis._offset, top: full.yaxis._offset, width: full.xaxis._length, height: full.yaxis._length };
    this.area = area;
    Object.assign(this.layer.style, { left: `${area.left}px`, top: `${area.top}px`, width: `${area.width}px`, height: `${area.height}px` });
    Object.assign(this.chip.style, { left: `${area.left + 6}px`, top: `${area.top + 6}px` });
    const dpr = window.devicePixelRatio || 1;
    const key = [area.width, area.height, dpr].join(",");
    if (key !== this.placed.overlay) {
      this.placed.overlay = key;
      this.overlay.width = Math.max(1, Math.round(area.width * dpr));
      this.overlay.height = Math.max(1, Math.round(area.height * dpr));
    }
    this.placed.image = "";
  }

  /** The boundary (or a single neuron's line and w) on the overlay canvas; nothing while a neuron's map shows. */
  drawOverlay(grid, reading, focused) {
    const ctx = this.overlay.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (!this.area || focused) return;
    const [X0, X1, Y0, Y1] = this.extent();
    const kx = this.overlay.width / (X1 - X0);
    const ky = this.overlay.height / (Y1 - Y0);
    const dpr = this.overlay.width / this.area.width;
    const px = (x) => (x - X0) * kx;
    const py = (y) => (Y1 - y) * ky;
    ctx.lineCap = "round";
    // A single neuron's boundary is exactly its line: draw the line and w instead of the contour.
    if (this.singleNeuron && this.frame?.weights) {
      const line = neuronLine(neuronWeights(this.catalog, this.data.config, this.frame.weights), this.extent());
      if (line) drawNeuronLine(ctx, line, px, py, dpr);
      return;
    }
    if (!grid?.output) return;
    const segments = this.segments;
    segments.length = 0;
    boundarySegments(grid.output, reading, segments);
    if (!segments.length) return;
    const n = grid.output.shape[grid.output.shape.length - 1];
    const [x0, x1, y0, y1] = grid.extent;
    const ax = ((x1 - x0) / (n - 1)) * kx;
    const bx = px(x0);
    const ay = (-(y1 - y0) / (n - 1)) * ky;
    const by = py(y0);
    ctx.beginPath();
    for (let s = 0; s < segments.length; s += 4) {
      ctx.moveTo(bx + segments[s] * ax, by + segments[s + 1] * ay);
      ctx.lineTo(bx + segments[s + 2] * ax, by + segments[s + 3] * ay);
    }
    ctx.strokeStyle = BOUNDARY_COLOR;
    ctx.lineWidth = (reading.kind === "classes" ? 1.6 : 2) * dpr;
    ctx.stroke();
  }

  /**
   * The plane's layout: fixed axes on the extent at equal scale. The equal aspect is computed here as axis
   * domains for the element's size (Plotly's scaleanchor loses it when `react` changes the ranges).
   */
  layout() {
    const [x0, x1, y0, y1] = this.extent();
    const margin = { l: 34, r: 10, t: 10, b: 26 };
    const { width, height } = this.size;
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
      plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)",
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

  /** Show the value under the cursor (`xy` = [x, y] or null when the cursor left the plane): the output, or the
   * shown neuron's. */
  showReadout(xy) {
    const grid = this.frame?.grid ?? null;
    const shown = this.focus ? this.focus.source(grid) : grid?.output ? { block: grid.output, index: 0 } : null;
    if (!xy || !shown || !this.area) {
      this.readout.hidden = true;
      return;
    }
    const { block, index } = shown;
    const n = block.shape[block.shape.length - 1];
    const [x0, x1, y0, y1] = grid?.extent ?? this.extent();
    const j = Math.round(((xy[0] - x0) / (x1 - x0)) * (n - 1));
    const i = Math.round(((xy[1] - y0) / (y1 - y0)) * (n - 1));
    if (i < 0 || j < 0 || i >= n || j >= n) {
      this.readout.hidden = true;
      return;
    }
    const [lo, hi] = block.range;
    const at = (plane) => lo + (block.bytes[plane * n * n + i * n + j] * (hi - lo)) / 255;
    let value;
    if (this.focus) value = `a = ${at(index).toFixed(3)}`;
    else if (grid.classes) value = Array.from({ length: grid.classes }, (_, c) => `p${c} ${at(c).toFixed(2)}`).join("  ");
    else value = `ŷ = ${at(0).toFixed(3)}`;
    this.readout.textContent = `(${xy[0].toFixed(2)}, ${xy[1].toFixed(2)})  ${value}`;
    this.readout.style.right = `${this.size.width - this.area.left - this.area.width + 6}px`;
    this.readout.style.top = `${this.area.top + 6}px`;
    this.readout.hidden = false;
  }

  /** @returns {Promise<string>} the plane as a PNG data URL (2× resolution): the canvases under Plotly's image. */
  async toPNG() {
    await this.whenRendered();
    const { width, height } = this.size;
    const scale = 2;
    const svg = await Plotly.toImage(this.el, { format: "png", scale, width, height });
    const picture = new Image();
    picture.src = svg;
    await picture.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext("2d");
    if (this.area) {
      const { left, top, width: w, height: h } = this.area;
      ctx.setTransform(scale, 0, 0, scale, 0, 0);
      ctx.beginPath();
      ctx.rect(left, top, w, h);
      ctx.clip();
      ctx.fillStyle = PLOT_BG;
      ctx.fillRect(left, top, w, h);
      const image = this.image.canvas;
      if (!image.hidden) {
        const box = ["left", "top", "width", "height"].map((k) => parseFloat(image.style[k]) || 0);
        ctx.drawImage(image, left + box[0], top + box[1], box[2], box[3]);
      }
      ctx.drawImage(this.overlay, left, top, w, h);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    ctx.drawImage(picture, 0, 0);
    return canvas.toDataURL("image/png");
  }
}

/** A single neuron's line and its weight vector w (an arrow labelled w), in canvas pixels. */
function drawNeuronLine(ctx, { from, to, foot, head, label }, px, py, dpr) {
  ctx.beginPath();
  ctx.moveTo(px(from[0]), py(from[1]));
  ctx.lineTo(px(to[0]), py(to[1]));
  ctx.strokeStyle = LINE_COLOR;
  ctx.lineWidth = 2 * dpr;
  ctx.stroke();
  const [fx, fy, hx, hy] = [px(foot[0]), py(foot[1]), px(head[0]), py(head[1])];
  const angle = Math.atan2(hy - fy, hx - fx);
  const tip = 9 * dpr;
  ctx.beginPath();
  ctx.moveTo(fx, fy);
  ctx.lineTo(hx - Math.cos(angle) * tip * 0.6, hy - Math.sin(angle) * tip * 0.6);
  ctx.strokeStyle = VECTOR_COLOR;
  ctx.lineWidth = 2.5 * dpr;
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(hx, hy);
  ctx.lineTo(hx - tip * Math.cos(angle - 0.45), hy - tip * Math.sin(angle - 0.45));
  ctx.lineTo(hx - tip * Math.cos(angle + 0.45), hy - tip * Math.sin(angle + 0.45));
  ctx.closePath();
  ctx.fillStyle = VECTOR_COLOR;
  ctx.fill();
  ctx.font = `bold ${14 * dpr}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText("w", px(label[0]), py(label[1]));
}

function emptyEdits() {
  return { added: [], moved: new Map(), removed: new Set(), dragging: null };
}
