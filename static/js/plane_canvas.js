// What a frame paints on the output plane: two canvases in a layer that covers the plot area, under Plotly's SVG
// (which keeps the axes and the points on top). The heatmap (plane_image.js) holds one pixel per grid sample and
// is scaled up by the browser with smoothing, reaching half a cell past the outer samples; the overlay, at the
// screen's pixel density, holds the decision boundary (from the bytes, contour.js) or a single neuron's exact line
// and its weight vector w (neuron_line.js).

import { BOUNDARY_COLOR, boundarySegments } from "./contour.js";
import { LINE_COLOR, VECTOR_COLOR } from "./neuron_line.js";
import { PlaneImage } from "./plane_image.js";

/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./types.js").Extent} Extent */
/** @typedef {import("./outputs.js").Reading} Reading */
/** @typedef {import("./scales.js").Scale} Scale */
/** @typedef {{left: number, top: number, width: number, height: number}} Area */
/** @typedef {{from: number[], to: number[], foot: number[], head: number[], label: number[]}} NeuronLine */

/** The plot area's background where no heatmap is painted. */
export const PLOT_BG = "#fbfbfb";

export class PlaneCanvas {
  constructor() {
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
    /** @type {Area | null} the plot area in the plane's CSS pixels */
    this.area = null;
    /** @type {Extent | null} the axes' ranges */
    this.axes = null;
    this.placed = "";
    /** @type {number[]} the boundary's segments, reused from frame to frame */
    this.segments = [];
  }

  /**
   * Cover the plot area `area` whose axes span `axes` (after a figure draw only: never inside a frame).
   * @param {Area} area
   * @param {Extent} axes
   */
  place(area, axes) {
    this.area = area;
    this.axes = axes;
    Object.assign(this.layer.style, { left: `${area.left}px`, top: `${area.top}px`, width: `${area.width}px`, height: `${area.height}px` });
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(area.width * dpr));
    const height = Math.max(1, Math.round(area.height * dpr));
    if (this.overlay.width !== width || this.overlay.height !== height) [this.overlay.width, this.overlay.height] = [width, height];
    this.placed = "";
  }

  /**
   * Paint plane `index` of `block` (a grid over `extent`) with `scale`; null: no heatmap, the background shows.
   * @param {{block: Block, index: number} | null} shown
   * @param {Scale | null} scale
   * @param {Extent} extent
   */
  paintHeatmap(shown, scale, extent) {
    this.image.canvas.hidden = !shown;
    if (!shown) return;
    this.image.paint(shown.block, shown.index, scale);
    this.placeImage(extent, this.image.size);
  }

  /** Place the heatmap over its samples: they sit at cell centres, so it reaches half a cell out. */
  placeImage(extent, n) {
    if (!this.area) return;
    const [X0, X1, Y0, Y1] = this.axes;
    const [x0, x1, y0, y1] = extent;
    const dx = (x1 - x0) / (n - 1) / 2;
    const dy = (y1 - y0) / (n - 1) / 2;
    const sx = this.area.width / (X1 - X0);
    const sy = this.area.height / (Y1 - Y0);
    const box = [(x0 - dx - X0) * sx, (Y1 - y1 - dy) * sy, (x1 - x0 + 2 * dx) * sx, (y1 - y0 + 2 * dy) * sy];
    const key = box.map((v) => v.toFixed(2)).join(",");
    if (key === this.placed) return;
    this.placed = key;
    const style = this.image.canvas.style;
    [style.left, style.top, style.width, style.height] = box.map((v) => `${v}px`);
  }

  /**
   * The overlay: a single neuron's line and w (when `line` is given), else the boundary of `output` (a grid over
   * `extent`) as `reading` cuts it; nothing when neither (a neuron's map is shown).
   * @param {{output: Block | null, extent: Extent, reading: Reading, line: NeuronLine | null} | null} what
   */
  paintOverlay(what) {
    const ctx = this.overlay.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (!this.area || !what) return;
    const [X0, X1, Y0, Y1] = this.axes;
    const kx = this.overlay.width / (X1 - X0);
    const ky = this.overlay.height / (Y1 - Y0);
    const dpr = this.overlay.width / this.area.width;
    const px = (x) => (x - X0) * kx;
    const py = (y) => (Y1 - y) * ky;
    ctx.lineCap = "round";
    if (what.line) {
      drawNeuronLine(ctx, what.line, px, py, dpr);
      return;
    }
    if (!what.output) return;
    const segments = this.segments;
    segments.length = 0;
    boundarySegments(what.output, what.reading, segments);
    if (!segments.length) return;
    const n = what.output.shape[what.output.shape.length - 1];
    const [x0, x1, y0, y1] = what.extent;
    const ax = ((x1 - x0) / (n - 1)) * kx; // grid units → canvas pixels
    const bx = px(x0);
    const ay = (-(y1 - y0) / (n - 1)) * ky;
    const by = py(y0);
    ctx.beginPath();
    for (let s = 0; s < segments.length; s += 4) {
      ctx.moveTo(bx + segments[s] * ax, by + segments[s + 1] * ay);
      ctx.lineTo(bx + segments[s + 2] * ax, by + segments[s + 3] * ay);
    }
    ctx.strokeStyle = BOUNDARY_COLOR;
    ctx.lineWidth = (what.reading.kind === "classes" ? 1.6 : 2) * dpr;
    ctx.stroke();
  }

  /**
   * Draw the layer as it shows into `ctx` (a picture of the plane in CSS pixels: an export).
   * @param {CanvasRenderingContext2D} ctx
   */
  drawInto(ctx) {
    if (!this.area) return;
    const { left, top, width, height } = this.area;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.fillStyle = PLOT_BG;
    ctx.fillRect(left, top, width, height);
    const image = this.image.canvas;
    if (!image.hidden) {
      const [x, y, w, h] = ["left", "top", "width", "height"].map((k) => parseFloat(image.style[k]) || 0);
      ctx.drawImage(image, left + x, top + y, w, h);
    }
    ctx.drawImage(this.overlay, left, top, width, height);
    ctx.restore();
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
