// The output plane: the network's output as a heatmap over the input plane, the decision boundary, the data points
// (train filled, test hollow) and point drawing (draw.js) — or, while a neuron of the network diagram is hovered or
// pinned, that neuron's own map.
//
// What paints what (docs/architecture.md, "What paints what"):
//   - Plotly draws the axes and the points, once per change of the points, the view or the element's size
//     (`Plotly.react`); never per frame.
//   - A frame paints two canvases under Plotly's SVG, in the plot area (plane_canvas.js): the heatmap (the uint8
//     grid through a colour table into ImageData, one pixel per sample, scaled up by the browser with smoothing)
//     and the overlay (the boundary from the bytes, or a single neuron's exact line and w).
//   - Frames are painted at most once per animation frame, always the newest; sizes come from a ResizeObserver and
//     the plot area is read from Plotly after a figure draw, never inside a frame.
//
// Grid orientation (docs/architecture.md): row i of a grid is y = ys[i] (rising), column j is x = xs[j].

import { PointEditor } from "./draw.js";
import { AXIS_COLOR } from "./colors.js";
import { fmt } from "./format.js";
import { Legend } from "./legend.js";
import { FocusChip } from "./map_focus.js";
import { isSingleNeuron, neuronLine, neuronWeights } from "./neuron_line.js";
import { outputReading, readingFor } from "./outputs.js";
import { PlaneCanvas } from "./plane_canvas.js";
import { displayedPoints, emptyEdits, pointInfo, pointTraces } from "./plane_points.js";
import { outputScale } from "./scales.js";
import { t } from "./i18n.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./types.js").DataMessage} DataMessage */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {import("./types.js").Grid} Grid */
/** @typedef {import("./outputs.js").Reading} Reading */
/** @typedef {import("./scales.js").Scale} Scale */
/** @typedef {import("./plane_points.js").PointInfo} PointInfo */
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
    this.size = { width: el.clientWidth || 400, height: el.clientHeight || el.clientWidth || 400 };
    this.canvas = new PlaneCanvas();
    this.build(legend);
    this.figureDirty = true;
    this.frameDirty = false;
    /** @type {Promise<void> | null} */
    this.pending = null;
    this.ready = Plotly.newPlot(el, [], this.layout(), { staticPlot: true }).then(() => {
      this.el.insertBefore(this.canvas.layer, this.el.firstChild); // under Plotly's SVG: the points stay on top
      this.el.append(this.readout, this.chip.el);
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

  /** The readout under the cursor, the chip naming a shown neuron's map, and the legend. */
  build(legend) {
    this.readout = document.createElement("div");
    this.readout.className = "viz-readout";
    this.readout.dataset.testid = "plane-readout";
    this.readout.hidden = true;
    /** @type {() => void} what the chip's button does (LiveView: unpin the diagram's node) */
    this.onBack = () => this.setFocus(null);
    this.chip = new FocusChip(() => this.onBack());
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
    this.chip.show(focus);
    this.el.classList.toggle("showing-neuron", Boolean(focus));
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
      this.pointTraceCache ??= pointTraces(this.displayedPoints(), this.local.added, this.reading);
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
    this.canvas.paintHeatmap(shown, scale, grid?.extent ?? this.extent());
    if (shown) this.painted += 1;
    // A single neuron's boundary is exactly its line: draw the line and w instead of the contour.
    const weights = this.singleNeuron ? this.frame?.weights : null;
    const line = weights ? neuronLine(neuronWeights(this.catalog, this.data.config, weights), this.extent()) : null;
    this.canvas.paintOverlay(focus ? null : { output: line || weights ? null : grid?.output ?? null,
      extent: grid?.extent ?? this.extent(), reading, line });
    this.legend?.show(scale, this.legendText(reading, scale));
  }

  /** What the legend says about `scale`. */
  legendText(reading, scale) {
    if (this.focus) return { caption: this.chip.label.textContent };
    if (!scale) return { caption: "" };
    if (scale.kind === "classes") {
      return scale.discrete ? { caption: t("legend.predicted_class") }
        : { caption: t("legend.likeliest"), note: t("legend.paler") };
    }
    if (reading.kind === "regression") return { caption: t("legend.output_value") };
    if (scale.discrete) return { caption: t("legend.predicted"), ends: [t("legend.class", { c: 0 }), t("legend.class", { c: 1 })] };
    return { caption: t("legend.output"), note: t("legend.class1_above", { centre: fmt(scale.centre) }) };
  }

  /** Read the plot area from Plotly (after a figure draw only) and fit the canvases and the chip to it. */
  placeLayer() {
    const full = /** @type {any} */ (this.el)._fullLayout;
    if (!full?.xaxis) return;
    const area = { left: full.xaxis._offset, top: full.yaxis._offset, width: full.xaxis._length, height: full.yaxis._length };
    this.canvas.place(area, this.extent());
    this.chip.place(area.left, area.top);
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
    return displayedPoints(this.data, this.local, this.view.showTest);
  }

  /**
   * `{split, splitIndex, point, label}` of a point by callback index, as the server last sent it.
   * @returns {PointInfo}
   */
  pointInfo(index) {
    return pointInfo(this.data, index);
  }

  /** Show the value under the cursor (`xy` = [x, y] or null when the cursor left the plane): the output, or the
   * shown neuron's. */
  showReadout(xy) {
    const grid = this.frame?.grid ?? null;
    const shown = this.focus ? this.focus.source(grid) : grid?.output ? { block: grid.output, index: 0 } : null;
    const area = this.canvas.area;
    if (!xy || !shown || !area) {
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
    this.readout.style.right = `${this.size.width - area.left - area.width + 6}px`;
    this.readout.style.top = `${area.top + 6}px`;
    this.readout.hidden = false;
  }

  /** @returns {Promise<string>} the plane as a PNG data URL (2× resolution): the canvases under Plotly's picture. */
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
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    this.canvas.drawInto(ctx);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(picture, 0, 0);
    return canvas.toDataURL("image/png");
  }
}
