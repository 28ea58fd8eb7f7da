// The loss and accuracy curves: train/test loss (solid/dashed, left axis) and train/test accuracy (right axis,
// 0–1) against the epoch, one point per epoch. `Plotly.newPlot` once, then `extendTraces` per epoch.

import { AXIS_COLOR } from "./colors.js";

/** @typedef {import("./types.js").Frame} Frame */

const Plotly = window.Plotly;
const CURVE_COLORS = { loss: "#1d2630", accuracy: "#009E73" };

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
    this.ready = Plotly.newPlot(el, this.traces(), this.layout(), { displayModeBar: false, responsive: true });
    this.followBox();
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
      // on a log axis every label is a whole number (0.002, not "2" nor "2m")
      yaxis: { title: { text: "loss", font }, tickfont: font, type: this.log ? "log" : "linear", gridcolor: "#eef1f4", zeroline: false, rangemode: this.log ? undefined : "tozero", tickformat: this.log ? "~g" : "" },
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
    this.ready = this.ready.then(() => Plotly.relayout(this.el, { "yaxis.type": this.log ? "log" : "linear", "yaxis.autorange": true, "yaxis.rangemode": this.log ? "normal" : "tozero", "yaxis.tickformat": this.log ? "~g" : "" }));
    return this.ready;
  }

  /** @returns {Promise<string>} the curves as a PNG data URL. */
  async toPNG() {
    await this.ready;
    return Plotly.toImage(this.el, { format: "png", scale: 2, width: this.el.clientWidth, height: this.el.clientHeight });
  }
}
