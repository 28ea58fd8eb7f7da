// The loss and accuracy curves: train/test loss (solid/dashed, left axis) and train/test accuracy (right axis,
// 0–1) against the epoch, one point per frame's epoch. `Plotly.newPlot` once; then new points are drawn at most
// once every DRAW_INTERVAL ms (`Plotly.restyle`: Plotly redraws the whole figure, axes and legend included, for any
// change — 15–50 ms here — so it cannot follow 30 frames a second), and the history shown is thinned to at most
// MAX_POINTS points per curve: every point while it fits, then every second one, every fourth… (always with the
// newest), so a long run stays evenly covered and a draw costs the same at epoch 100 and at epoch 100 000.

import { AXIS_COLOR } from "./colors.js";
import { t } from "./i18n.js";

/** @typedef {import("./types.js").Frame} Frame */

const Plotly = window.Plotly;
const CURVE_COLORS = { loss: "#1d2630", accuracy: "#009E73" };
const KEYS = ["train_loss", "test_loss", "train_accuracy", "test_accuracy"];
/** At most this many points per curve are drawn (a longer history is thinned evenly). */
export const MAX_POINTS = 1500;
/** New points are drawn at most this often (ms). */
const DRAW_INTERVAL = 1000;

/**
 * Frames of an epoch already shown are skipped; an epoch going backwards starts over.
 */
export class CurvesView {
  /** @param {HTMLElement} el the element to draw into. */
  constructor(el) {
    this.el = el;
    this.el.classList.add("viz-curves");
    this.log = false;
    this.lastEpoch = -Infinity;
    this.accuracy = true;
    this.clearPoints();
    /** @type {Promise<any> | null} the next draw, once scheduled */
    this.drawing = null;
    this.lastDraw = 0;
    this.ready = Plotly.newPlot(el, this.traces(), this.layout(), { displayModeBar: false, responsive: true });
    this.followBox();
  }

  /** The points shown: epochs and the four metrics, every `stride`-th frame's epoch (and the newest, `tip`). */
  clearPoints() {
    this.points = { x: [], y: KEYS.map(() => []) };
    this.tip = null;
    this.stride = 1;
    this.count = 0;
  }

  /** The figure follows its box (the panels around it grow and shrink, not only the window); a resize never
   * feeds itself: a size already fitted is skipped. */
  followBox() {
    let fitted = "";
    let pending = false;
    new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      const size = `${Math.round(width)}x${Math.round(height)}`;
      if (!(width > 0 && height > 0) || size === fitted || pending) return;
      fitted = size;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        if (/** @type {any} */ (this.el)._fullLayout) Plotly.Plots.resize(this.el).catch?.(() => {});
      });
    }).observe(this.el);
  }

  traces() {
    const line = (name, full, color, dash, yaxis) => ({
      type: "scatter", mode: "lines", name, x: [], y: [], yaxis, line: { color, dash, width: 2 },
      hovertemplate: `${full} %{y:.4f}<extra>${t("readout.epoch")} %{x}</extra>`,
    });
    return [
      line(t("readout.train_loss"), t("readout.train_loss"), CURVE_COLORS.loss, "solid", "y"),
      line(t("readout.test_loss"), t("readout.test_loss"), CURVE_COLORS.loss, "dash", "y"),
      line(t("curves.train_acc"), t("card.train_accuracy_full"), CURVE_COLORS.accuracy, "solid", "y2"),
      line(t("curves.test_acc"), t("card.test_accuracy"), CURVE_COLORS.accuracy, "dash", "y2"),
    ];
  }

  layout() {
    const font = { size: 10, color: AXIS_COLOR };
    return {
      margin: { l: 44, r: 40, t: 8, b: 30 },
      xaxis: { title: { text: t("readout.epoch"), font }, tickfont: font, zeroline: false, gridcolor: "#eef1f4", rangemode: "tozero" },
      // on a log axis every label is a whole number (0.002, not "2" nor "2m")
      yaxis: { title: { text: t("landscape.loss"), font }, tickfont: font, type: this.log ? "log" : "linear", gridcolor: "#eef1f4", zeroline: false, rangemode: this.log ? undefined : "tozero", tickformat: this.log ? "~g" : "" },
      yaxis2: { title: { text: t("readout.accuracy"), font: { ...font, color: CURVE_COLORS.accuracy } }, tickfont: { ...font, color: CURVE_COLORS.accuracy }, overlaying: "y", side: "right", range: [0, 1.02], dtick: 0.25, showgrid: false, zeroline: false, tickformat: ".0%" },
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 9 }, itemwidth: 30, tracegroupgap: 0 },
      showlegend: true, hovermode: "x unified", plot_bgcolor: "rgba(0,0,0,0)", paper_bgcolor: "rgba(0,0,0,0)",
      uirevision: "curves",
    };
  }

  /** Clear the curves (a new run). */
  reset() {
    this.lastEpoch = -Infinity;
    this.accuracy = true;
    this.clearPoints();
    this.ready = this.ready.then(() => Plotly.react(this.el, this.traces(), this.layout()));
    return this.ready;
  }

  /**
   * Append a frame's metrics at its epoch (skipped if that epoch is already drawn).
   * @returns {Promise<any>} resolves once it is drawn
   */
  push(frame) {
    if (frame.epoch < this.lastEpoch) this.reset();
    if (frame.epoch === this.lastEpoch || !frame.metrics) return this.drawing ?? this.ready;
    this.lastEpoch = frame.epoch;
    const m = frame.metrics;
    if (m.train_loss !== undefined) this.showAccuracy(m.train_accuracy != null);
    this.record(frame.epoch, KEYS.map((key) => m[key] ?? null));
    return this.scheduleDraw();
  }

  /** Keep a point if its index is a multiple of the stride (else as the newest only); thin when full. */
  record(epoch, values) {
    const index = this.count++;
    if (index % this.stride !== 0) {
      this.tip = { epoch, values };
      return;
    }
    this.tip = null;
    this.points.x.push(epoch);
    values.forEach((v, k) => this.points.y[k].push(v));
    if (this.points.x.length >= MAX_POINTS) {
      this.stride *= 2;
      const keep = (_, i) => i % 2 === 0; // kept points are every (stride/2)-th: keep every second
      this.points = { x: this.points.x.filter(keep), y: this.points.y.map((ys) => ys.filter(keep)) };
    }
  }

  /** Draw the new points at the next animation frame, at most every DRAW_INTERVAL ms. */
  scheduleDraw() {
    if (this.drawing) return this.drawing;
    const wait = Math.max(0, this.lastDraw + DRAW_INTERVAL - performance.now());
    this.drawing = new Promise((resolve) => setTimeout(() => requestAnimationFrame(resolve), wait)).then(() => {
      this.drawing = null;
      this.lastDraw = performance.now();
      this.ready = this.ready.then(() => this.draw());
      return this.ready;
    });
    return this.drawing;
  }

  /** The points the curves show, the newest included (drawn or not yet): epochs and, per KEYS, the values.
   * @returns {{x: number[], y: (number | null)[][], keys: string[]}} */
  shown() {
    const x = this.tip ? [...this.points.x, this.tip.epoch] : this.points.x.slice();
    const y = this.points.y.map((ys, k) => (this.tip ? [...ys, this.tip.values[k]] : ys.slice()));
    return { x, y, keys: KEYS };
  }

  /** The shown points into the traces; the layout (log scale, a replay marker) stays. */
  draw() {
    const { x, y } = this.shown();
    return Plotly.restyle(this.el, { x: y.map(() => x), y }, [0, 1, 2, 3]);
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
    this.clearPoints();
    for (const f of withMetrics) this.record(f.epoch, KEYS.map((key) => f.metrics[key] ?? null));
    this.lastEpoch = withMetrics.length ? withMetrics[withMetrics.length - 1].epoch : -Infinity;
    this.accuracy = withMetrics.some((f) => f.metrics.train_accuracy != null) || !withMetrics.length;
    const traces = this.traces();
    for (const trace of traces.slice(2)) trace.visible = this.accuracy;
    const layout = this.layout();
    layout.yaxis2.visible = this.accuracy;
    this.ready = this.ready.then(() => Plotly.react(this.el, traces, layout)).then(() => this.draw());
    return this.ready;
  }

  /** Log scale on the loss axis (true) or linear (false). */
  setLog(log) {
    this.log = Boolean(log);
    this.ready = this.ready.then(() => Plotly.relayout(this.el, { "yaxis.type": this.log ? "log" : "linear", "yaxis.autorange": true, "yaxis.rangemode": this.log ? "normal" : "tozero", "yaxis.tickformat": this.log ? "~g" : "" }));
    return this.ready;
  }

  /** @returns {Promise<string>} the curves as a PNG data URL. */
  async toPNG() {
    await this.ready;
    return Plotly.toImage(this.el, { format: "png", scale: 2, width: this.el.clientWidth, height: this.el.clientHeight });
  }
}
