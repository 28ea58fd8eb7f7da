// The loss landscape of lesson 9: the loss of a single neuron over a grid of its two weights (w1, w2), the other
// parameters fixed at the end of training (POST /api/landscape, nncore/landscape.py), with the optimizer's path.
// The path grows live from the page's frames (w1 = W[0][0], w2 = W[1][0], the frame's train loss); a contour map
// by default, a 3-D surface on request.
//
//   const view = new LandscapeView(container);
//   await view.load(config);     // fetch and draw the surface (and the path the server recorded, faint)
//   view.push(frame);            // one live frame: extend the path
//   view.showUpTo(epoch);        // the timeline replays: draw the path only up to this epoch
//   view.reset();                // a new run from the start: clear the live path

import { postLandscape } from "./api.js";

const PATH_COLOUR = "#d55e00";
const SURFACE_SCALE = "Viridis";
const MAX_PATH = 4096; // path points kept: the first and the newest (a drawn path needs no more)

/** log10 of the loss, so the colours resolve the bottom of the bowl as well as its steep walls. */
function logLoss(rows) {
  return rows.map((row) => row.map((v) => (v === null || !(v > 0) ? null : Math.log10(v))));
}

/** The neuron's first two weights and the loss of a frame, or null when the frame has none. */
export function pathPoint(frame) {
  const W = frame && frame.weights && frame.weights[0] && frame.weights[0].W;
  if (!W || W.length < 2 || !W[0] || W[0].length !== 1) return null;
  const loss = frame.metrics ? frame.metrics.train_loss : null;
  return { epoch: frame.epoch, step: frame.step, w1: W[0][0], w2: W[1][0], loss: loss ?? null };
}

export class LandscapeView {
  /** @param {HTMLElement} el the element to draw into. */
  constructor(el) {
    this.el = el;
    this.el.classList.add("landscape");
    this.el.innerHTML = "";
    const bar = document.createElement("div");
    bar.className = "landscape-bar";
    this.caption = document.createElement("span");
    this.caption.className = "landscape-caption";
    this.caption.dataset.testid = "landscape-caption";
    this.toggle = document.createElement("button");
    this.toggle.type = "button";
    this.toggle.className = "btn small";
    this.toggle.dataset.testid = "landscape-3d";
    this.toggle.textContent = "3-D";
    this.toggle.title = "Switch between the contour map and the 3-D surface";
    this.toggle.addEventListener("click", () => this.setMode(this.mode === "contour" ? "surface" : "contour"));
    bar.append(this.caption, this.toggle);
    this.plot = document.createElement("div");
    this.plot.className = "landscape-plot";
    this.plot.dataset.testid = "landscape";
    this.el.append(bar, this.plot);
    this.mode = "contour";
    this.surface = null;
    this.live = [];
    this.upTo = Infinity;
    this.pending = false;
    this.ready = Promise.resolve();
  }

  /** Fetch the landscape for `config` and draw it; rejects with a readable Error when the server refuses. */
  async load(config) {
    this.caption.textContent = "computing the loss surface…";
    const token = (this._token = {});
    const surface = await postLandscape({ config, grid: 41 });
    if (token !== this._token) return; // a newer load started meanwhile
    this.surface = surface;
    const fixed = surface.fixed && surface.fixed.b ? surface.fixed.b.map((v) => v.toFixed(3)).join(", ") : "";
    this.caption.textContent = `${surface.loss_name} loss over (w₁, w₂), colours on a log scale; bias fixed at `
      + `b = ${fixed} (its value at the end of training); ○ start, ★ lowest cell, orange: this run's path`;
    this.el.dataset.ready = "true";
    this.draw();
  }

  reset() {
    this.live = [];
    this.upTo = Infinity;
    this.schedule();
  }

  /** Extend the live path with a frame (a frame of an earlier epoch than the last one starts a new path). */
  push(frame) {
    const p = pathPoint(frame);
    if (!p) return;
    const last = this.live[this.live.length - 1];
    if (last && p.step < last.step) this.live = [];
    if (last && p.step === last.step) this.live[this.live.length - 1] = p; // the same moment, edited weights
    else this.live.push(p);
    if (this.live.length > MAX_PATH) this.live.splice(1, this.live.length - MAX_PATH);
    this.upTo = Infinity;
    this.schedule();
  }

  /** Grid cells (the larger of the two axes' counts) from the live path's newest point to the surface's lowest
   * cell, or null before both are there: lesson 9's claim, read from the screen. */
  cellsFromMinimum() {
    const s = this.surface;
    const end = this.live[this.live.length - 1];
    if (!s || !s.minimum || !end || s.w1.length < 2) return null;
    const cell1 = s.w1[1] - s.w1[0];
    const cell2 = s.w2[1] - s.w2[0];
    return Math.max(Math.abs(end.w1 - s.minimum.w1) / cell1, Math.abs(end.w2 - s.minimum.w2) / cell2);
  }

  /** Draw the path only up to `epoch` (the timeline's scrubber); Infinity shows all of it. */
  showUpTo(epoch) {
    this.upTo = epoch;
    this.schedule();
  }

  setMode(mode) {
    this.mode = mode;
    this.toggle.textContent = mode === "contour" ? "3-D" : "map";
    this.draw();
  }

  schedule() {
    if (this.pending || !this.surface) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    if (!this.surface) return;
    const s = this.surface;
    const shown = this.live.filter((p) => p.epoch <= this.upTo);
    const recorded = s.path;
    const start = { w1: recorded.w1[0], w2: recorded.w2[0], loss: recorded.loss[0] };
    const traces = [];
    const layout = {
      margin: { l: 44, r: 8, t: 6, b: 36 }, showlegend: false, paper_bgcolor: "rgba(0,0,0,0)",
      uirevision: "landscape",
    };
    if (this.mode === "contour") {
      traces.push(
        { type: "contour", x: s.w1, y: s.w2, z: logLoss(s.loss), customdata: s.loss, colorscale: SURFACE_SCALE,
          contours: { coloring: "heatmap" }, ncontours: 24, showscale: false,
          hovertemplate: "w₁ %{x:.2f}, w₂ %{y:.2f}<br>loss %{customdata:.4f}<extra></extra>" },
        { type: "scatter", mode: "lines", x: recorded.w1, y: recorded.w2, hoverinfo: "skip",
          line: { color: "rgba(255,255,255,0.55)", width: 1.5, dash: "dot" }, name: "recorded path" },
        { type: "scatter", mode: "lines+markers", x: shown.map((p) => p.w1), y: shown.map((p) => p.w2),
          line: { color: PATH_COLOUR, width: 2.5 }, marker: { size: 4, color: PATH_COLOUR }, name: "path",
          hovertemplate: "epoch %{text}<extra></extra>", text: shown.map((p) => p.epoch) },
        { type: "scatter", mode: "markers", x: [start.w1], y: [start.w2], hoverinfo: "skip",
          marker: { size: 10, color: "#ffffff", line: { color: "#000", width: 1.5 } } },
      );
      if (s.minimum) {
        traces.push({ type: "scatter", mode: "markers", x: [s.minimum.w1], y: [s.minimum.w2], hoverinfo: "skip",
          marker: { symbol: "star", size: 14, color: "#f0e442", line: { color: "#000", width: 1 } } });
      }
      Object.assign(layout, {
        xaxis: { title: { text: "w₁" }, range: [s.w1[0], s.w1[s.w1.length - 1]], zeroline: false },
        yaxis: { title: { text: "w₂" }, range: [s.w2[0], s.w2[s.w2.length - 1]], zeroline: false,
          scaleanchor: "x", scaleratio: 1 },
      });
    } else {
      const withLoss = shown.filter((p) => p.loss !== null);
      traces.push(
        { type: "surface", x: s.w1, y: s.w2, z: s.loss, surfacecolor: logLoss(s.loss), colorscale: SURFACE_SCALE,
          showscale: false, opacity: 0.9 },
        { type: "scatter3d", mode: "lines+markers", x: withLoss.map((p) => p.w1), y: withLoss.map((p) => p.w2),
          z: withLoss.map((p) => p.loss), line: { color: PATH_COLOUR, width: 5 }, marker: { size: 2, color: PATH_COLOUR } },
      );
      layout.scene = { xaxis: { title: { text: "w₁" } }, yaxis: { title: { text: "w₂" } }, zaxis: { title: { text: "loss" } } };
    }
    this.ready = this.ready.then(() => window.Plotly.react(this.plot, traces, layout, { displayModeBar: false, responsive: true }));
    return this.ready;
  }

  destroy() {
    this._token = {};
    if (this.plot && window.Plotly) window.Plotly.purge(this.plot);
    this.el.innerHTML = "";
    this.el.classList.remove("landscape");
    delete this.el.dataset.ready;
  }
}
