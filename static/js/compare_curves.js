// The overlay of the side-by-side runs (compare.js): every run's training or test loss against the epoch, on a log
// axis under the main curves, the main run in its own colour. Redrawn at most every 200 ms.

/** @typedef {import("./compare_run.js").LossPoints} LossPoints */
/** @typedef {{label: string, colour?: string, points: LossPoints}} Curve */

const REDRAW_MS = 200;

export class CompareCurves {
  /**
   * @param {HTMLElement} el the plot's element
   * @param {string} mainColour
   */
  constructor(el, mainColour) {
    this.el = el;
    this.mainColour = mainColour;
    this.pending = false;
  }

  /**
   * Draw soon (once for many calls).
   * @param {Curve} main
   * @param {Curve[]} runs
   * @param {"train" | "test"} metric
   */
  schedule(main, runs, metric) {
    this.args = [main, runs, metric];
    if (this.pending) return;
    this.pending = true;
    setTimeout(() => {
      this.pending = false;
      this.draw(...this.args);
    }, REDRAW_MS);
  }

  draw(main, runs, metric) {
    if (!window.Plotly) return;
    if (!runs.length) {
      if (/** @type {any} */ (this.el).data) window.Plotly.purge(this.el);
      return;
    }
    const line = (name, colour, points) => ({
      type: "scatter", mode: "lines", name, x: [...points.x], y: [...points[metric]], line: { color: colour, width: 2 },
      hovertemplate: `${name}: %{y:.4g}<extra>epoch %{x}</extra>`,
    });
    const traces = [line(main.label, this.mainColour, main.points), ...runs.map((r) => line(r.label, r.colour, r.points))];
    // a diverging run would squash every other curve flat: the axis stops at 100× the largest starting loss
    const all = [main, ...runs].map((r) => r.points[metric].filter((v) => v !== null));
    const starts = all.map((ys) => ys.find((v) => v > 0 && Number.isFinite(v))).filter((v) => v !== undefined);
    const positives = all.flat().filter((v) => v > 0 && Number.isFinite(v));
    const range = starts.length && positives.length
      ? [Math.log10(Math.min(...positives)) - 0.1, Math.log10(100 * Math.max(...starts))] : undefined;
    const font = { size: 10, color: "#4b5563" };
    const layout = {
      margin: { l: 48, r: 8, t: 6, b: 28 }, height: 170, showlegend: true,
      legend: { orientation: "h", y: 1.02, yanchor: "bottom", x: 0, font },
      xaxis: { title: { text: "epoch", font }, tickfont: font, zeroline: false },
      // every label a whole number (0.002, not "2" nor "2m")
      yaxis: { title: { text: `${metric} loss, all runs`, font }, tickfont: font, type: "log", zeroline: false,
        range, autorange: range ? false : true, tickformat: "~g", nticks: 5 },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", uirevision: "compare",
    };
    window.Plotly.react(this.el, traces, layout, { displayModeBar: false, responsive: true });
  }
}
