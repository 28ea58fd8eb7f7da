// What the views show of the run: the server's `data` and live frames go to the plane, the network diagram, the
// neuron panel, the curves and the readouts — or, while the timeline replays an earlier frame, that frame does
// (the live frames are still recorded); the view options (store.view) go to the plane and the curves; a neuron
// hovered or pinned in the diagram shows its map on the plane. Frames come at up to 30 per second: each view draws
// at most once per animation frame, always the newest frame (the plane schedules its own painting; the network and
// neuron views and the readouts are drawn here). `stats` counts what came and what was painted (window.nnlive.stats,
// bench/browser.py).

import { $ } from "./dom.js";
import { showReadouts } from "./readouts.js";
import { t } from "./i18n.js";

/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {import("./types.js").DataMessage} DataMessage */
/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./plane_view.js").PlaneView} PlaneView */
/** @typedef {import("./network_view.js").NetworkView} NetworkView */
/** @typedef {import("./neuron_view.js").NeuronView} NeuronView */
/** @typedef {import("./curves_view.js").CurvesView} CurvesView */

/** Call `fn` and log instead of throwing: one broken view must not stop the others. */
export function safely(what, fn) {
  try {
    const result = fn();
    if (result && typeof result.catch === "function") result.catch((err) => console.warn(`nnlive: ${what} failed`, err));
    return result;
  } catch (err) {
    console.warn(`nnlive: ${what} failed`, err);
    return undefined;
  }
}

/** The kind of output a `data` message's run has: a frame of another kind must not be read with it. */
const outputKind = (d) => (d && d.config ? `${d.task}/${d.config.network.output_activation}/${d.classes}` : "");

export class LiveView {
  /**
   * @param {{store: Store, catalog: Catalog, plane: PlaneView, network: NetworkView, neuron: NeuronView,
   *   curves: CurvesView}} views
   */
  constructor({ store, catalog, plane, network, neuron, curves }) {
    this.store = store;
    this.catalog = catalog;
    this.plane = plane;
    this.network = network;
    this.neuron = neuron;
    this.curves = curves;
    this._replaying = false;
    this.detached = false; // the user's points cannot be trained yet (fewer than two classes): no run is theirs
    /** @type {Frame | null} */
    this.pending = null;
    /**
     * `received`: live frames that reached the page; `drawn`: animation frames that drew one (diagram, neuron panel,
     * readouts); `painted`: frames whose heatmap was painted on the plane (counted where its pixels are written);
     * `tiles`: neuron tiles painted.
     */
    this.stats = {
      received: 0,
      drawn: 0,
      get painted() { return plane.painted; },
      get tiles() { return network.tilesPainted; },
    };
    store.on("view", (patch) => this.onView(patch));
    network.onShowMap((focus) => safely("output plane", () => plane.setFocus(focus)));
    plane.onBack = () => network.unpin();
  }

  /** The view options (discretize, test points, log scale) go to the views and into the config's `view`. */
  onView(patch) {
    const v = this.store.view;
    safely("output plane", () => this.plane.setView({ discretize: v.discretize, showTest: v.showTest }));
    if ("logScale" in patch) safely("curves", () => this.curves.setLog(v.logScale));
    const view = this.store.config?.view;
    if (view) Object.assign(view, { discretize: v.discretize, show_test: v.showTest, log_scale: v.logScale });
  }

  /** True while the timeline shows an earlier frame: live frames are recorded, not drawn. */
  get replaying() { return this._replaying; }

  set replaying(value) {
    this._replaying = Boolean(value);
    document.body.classList.toggle("replaying", this._replaying);
    if (!this._replaying && this.store.lastFrame) this.show(this.store.lastFrame);
  }

  /** Draw a decoded frame everywhere but the curves (a live one, or one the timeline replays). */
  show(frame) {
    if (!frame) return;
    safely("output plane", () => this.plane.setFrame(frame));
    if (!this.pending) requestAnimationFrame(() => this.drawPending());
    this.pending = frame;
  }

  drawPending() {
    const frame = this.pending;
    this.pending = null;
    if (!frame) return;
    const config = this.store.applied || this.store.config;
    this.stats.drawn += 1;
    safely("network view", () => this.network.render(config, frame));
    safely("neuron view", () => this.neuron.render(config, frame));
    showReadouts(frame, config);
  }

  /** @param {DataMessage} msg the server's `data`: a new run or new points */
  onData(msg) {
    this.detached = false;
    const before = this.store.data;
    if (this.store.lastFrame && outputKind(before) !== outputKind(msg)) {
      safely("output plane", () => this.plane.setFrame({ ...this.store.lastFrame, grid: null }));
    }
    safely("output plane", () => this.plane.setData(msg));
    safely("neuron view", () => this.neuron.setData(msg)); // the gates' truth table
  }

  /**
   * A live frame: recorded in the store, added to the curves, drawn unless the timeline replays.
   * @param {Frame} frame
   * @returns {boolean} false when it was dropped (the user's points have no trainer yet: it is not theirs)
   */
  onFrame(frame) {
    if (this.detached) return false;
    this.stats.received += 1;
    const previous = this.store.lastFrame;
    this.store.lastFrame = frame;
    if (previous && frame.epoch < previous.epoch) safely("curves", () => this.curves.reset());
    safely("curves", () => this.curves.push(frame));
    if (!this._replaying) this.show(frame);
    return true;
  }

  /** Draw the user's points when there is no trainer for them yet (fewer than two classes). */
  showLocal() {
    const { store } = this;
    this.detached = true;
    store.lastFrame = null;
    const extent = store.config.data?.extent || store.data?.extent || this.catalog.planeExtent;
    const classes = Math.max(2, ...store.drawn.labels.map((l) => l + 1));
    safely("output plane", () => this.plane.setData({ type: "data", train: { points: store.drawn.points, labels: store.drawn.labels },
      test: { points: [], labels: [] }, extent, task: "classification", classes, config: store.config }));
    safely("output plane", () => this.plane.setFrame({ epoch: 0, step: 0, done: false, metrics: {}, weights: null, update: null, grid: null }));
    safely("curves", () => this.curves.reset());
    showReadouts({ epoch: 0, step: 0, metrics: {} }, store.config);
    $("#draw-hint").textContent = t(store.drawn.points.length ? "data.hint.second_class" : "data.hint.first_points");
  }
}
