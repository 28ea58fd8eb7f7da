// One side-by-side run (compare.js): its own live session (socket.js), a small card — plane, epoch, the numbers
// that matter (the metrics a lesson's claim is about; a single neuron's weights and how long w is), its last
// event, and "out of date — re-fork" when the main scene moved on — and the losses per epoch that the panel
// overlays. After a reconnect its session goes on from the run's latest weights and epoch, like the main run's.

import { runToResume } from "./connection.js";
import { el } from "./dom.js";
import { fmt, pct } from "./format.js";
import { PlaneView } from "./plane_view.js";
import { Session } from "./socket.js";
import { clone } from "./state.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {{x: number[], train: (number | null)[], test: (number | null)[]}} LossPoints */
/** @typedef {{path: string, value: any} | {overrides: any}} Recipe how the run was made from the main scene */

/** Small frames for a small plane: a coarse grid, no neuron grids. */
const SMALL_FRAME = { grid: 40, neuron_grid: 8, neurons: false };
const NAMES = {
  train_loss: "loss", test_loss: "test loss", train_accuracy: "accuracy", test_accuracy: "test accuracy",
  mistakes: "mistakes", weight_norm: "‖w‖",
};

/** @returns {LossPoints} */
export const emptyPoints = () => ({ x: [], train: [], test: [] });

/**
 * Append a frame's epoch and losses to `run.points` (once per epoch); true when something was added.
 * @param {{points: LossPoints, lastEpoch: number}} run
 * @param {Frame} frame
 */
export function record(run, frame) {
  const m = frame.metrics || {};
  if (frame.epoch === run.lastEpoch || m.train_loss === null || m.train_loss === undefined) return false;
  run.lastEpoch = frame.epoch;
  run.points.x.push(frame.epoch);
  run.points.train.push(m.train_loss);
  run.points.test.push(m.test_loss ?? null);
  return true;
}

/** A metric of a frame as the card shows it. */
function shown(metric, frame) {
  const value = metric === "weight_norm" ? norm(frame) : frame.metrics?.[metric];
  if (value === null || value === undefined) return null;
  return `${NAMES[metric] || metric.replace(/_/g, " ")} ${metric.endsWith("accuracy") ? pct(value) : fmt(value)}`;
}

function norm(frame) {
  let sum = 0;
  for (const { W, b } of frame.weights || []) sum += [...W.flat(), ...b].reduce((s, v) => s + v * v, 0);
  return Math.sqrt(sum);
}

export class Run {
  /**
   * @param {{label: string, config: Config, colour: string, recipe: Recipe}} run
   * @param {{catalog: Catalog, box: HTMLElement, speed: number, showTest: boolean, metrics: string[],
   *   onClose: (run: Run) => void, onLosses: () => void, onFrame: (run: Run, frame: Frame) => void,
   *   onEvent: (run: Run, event: string) => void, onRefork: (run: Run) => void}} deps
   *   `onLosses`: new losses to overlay; `metrics`: what the card shows besides the epoch
   */
  constructor({ label, config, colour, recipe }, deps) {
    this.label = label;
    this.config = config;
    this.colour = colour;
    this.recipe = recipe;
    this.deps = deps;
    this.metrics = deps.metrics;
    this.points = emptyPoints();
    this.lastEpoch = -1;
    /** @type {Frame | null} */
    this.frame = null;
    this.data = null;
    this.failed = false;
    this.closed = false;
    /** @type {number | null} the epoch the lock-step asked for (lock_step.js) */
    this.target = null;
    /** @type {{epoch: number, step: number} | null} where a reconnect's configure goes on from */
    this.resumeAt = null;
    this.build(deps.box);
    this.plane = this.makePlane(deps.catalog, deps.showTest);
    this.session = new Session(null, {
      onData: (msg) => this.onData(msg),
      onFrame: (frame) => this.onFrame(frame),
      onEvent: (msg) => this.onEvent(msg),
      onError: (msg) => this.showError(msg.message),
      onStatus: (status) => { this.card.dataset.status = status; },
      config: () => this.resumeConfig(),
      resume: () => this.resumeAt,
    });
    this.session.set({ speed: deps.speed, frame: SMALL_FRAME });
    this.session.configure(config);
  }

  build(box) {
    this.epoch = el("span", { class: "run-epoch", "data-testid": "run-epoch", text: "epoch 0" });
    this.numbers = el("span", { class: "run-loss", "data-testid": "run-numbers", text: "" });
    this.weights = el("span", { class: "run-weights", "data-testid": "run-weights", text: "" });
    this.event = el("p", { class: "run-event", "data-testid": "run-event" });
    this.stale = el("p", { class: "run-stale", "data-testid": "run-stale", hidden: true });
    this.planeBox = el("div", { class: "run-plane", "data-testid": "run-plane" });
    const remove = el("button", { type: "button", class: "icon-btn small", title: "Close this run",
      "aria-label": `Close the run ${this.label}`, text: "×", onclick: () => this.deps.onClose(this) });
    const swatch = el("span", { class: "run-swatch", "aria-hidden": "true" });
    swatch.style.background = this.colour;
    this.card = el("div", { class: "compare-run", "data-testid": "compare-run" },
      el("header", {}, swatch, el("strong", { class: "run-label", text: this.label, title: this.label }), remove),
      el("div", { class: "run-readout" }, this.epoch, this.numbers, this.weights),
      this.planeBox, this.event, this.stale);
    box.append(this.card);
  }

  /** A read-only plane (no drawing tool); the run trains and reports even if it cannot be drawn. */
  makePlane(catalog, showTest) {
    const noop = () => {};
    try {
      const plane = new PlaneView(this.planeBox, catalog, {
        onAdd: noop, onMove: noop, onRemove: noop, onBrush: noop, getTool: () => ({ tool: "none", cls: 0 }),
      });
      plane.setView({ showTest });
      return plane;
    } catch (err) {
      console.warn("nnlive: a side-by-side plane could not be drawn", err);
      return null;
    }
  }

  /** The metrics the card shows (a lesson's claim decides them). */
  setMetrics(metrics) {
    this.metrics = metrics.length ? metrics : ["train_loss", "test_loss"];
    if (this.frame) this.showNumbers(this.frame);
  }

  /** After a reconnect: this run's config with its latest weights, where they fit, and its epoch. */
  resumeConfig() {
    const config = clone(this.config);
    const run = runToResume(this.data?.config || config, this.frame);
    this.resumeAt = run ? run.resume : null;
    if (run) config.network = { ...config.network, weights: run.weights };
    return config;
  }

  onData(msg) {
    this.data = msg;
    this.failed = false;
    this.plane?.setData(msg);
  }

  /** @param {Frame} frame */
  onFrame(frame) {
    if (this.frame && frame.step < this.frame.step) {
      this.points = emptyPoints();
      this.lastEpoch = -1;
      this.event.textContent = "";
      this.event.dataset.kind = "";
    }
    this.frame = frame;
    this.plane?.setFrame(frame);
    this.epoch.textContent = `epoch ${frame.epoch}`;
    this.epoch.dataset.epoch = String(frame.epoch);
    this.showNumbers(frame);
    if (record(this, frame)) this.deps.onLosses();
    this.deps.onFrame(this, frame);
  }

  showNumbers(frame) {
    this.numbers.textContent = this.metrics.map((m) => shown(m, frame)).filter(Boolean).join(" · ");
    const single = frame.weights && frame.weights.length === 1 && frame.weights[0].b.length === 1;
    this.weights.hidden = !single;
    if (single) {
      const { W, b } = frame.weights[0];
      this.weights.textContent = `w = (${W.map((row) => fmt(row[0])).join(", ")}), b = ${fmt(b[0])} · ‖w‖ ${fmt(norm(frame))}`;
    }
  }

  onEvent(msg) {
    if (msg.event === "playing" || msg.event === "paused") return;
    this.event.textContent = msg.message || `${msg.event} at epoch ${msg.epoch}`;
    this.event.dataset.kind = msg.event;
    this.deps.onEvent(this, msg.event);
  }

  showError(text) {
    if (this.failed) return; // keep the first error: why the run could not start
    this.failed = !this.data;
    this.event.textContent = text;
    this.event.dataset.kind = "error";
  }

  /** Its newest frame (lock_step.js). */
  now() {
    return this.frame;
  }

  /** Lock-step play on a run that trained all its epochs: it trains on until paused (lock_step.js). */
  trainOn() {
    if (this.event.dataset.kind !== "finished") return false;
    this.session.set({ epochs: null });
    return true;
  }

  /** The main scene changed in a way this run's own change does not cover: say so, offer a re-fork. */
  markStale(reason) {
    this.card.dataset.stale = "true";
    this.stale.hidden = false;
    this.stale.replaceChildren(`Out of date: ${reason}. `, el("button", { type: "button", class: "btn small",
      "data-testid": "refork", text: "Re-fork", title: "Start this run again from the main scene as it is now",
      onclick: () => this.deps.onRefork(this) }));
  }

  /** Start again with `config` (a re-fork): a new trainer, an empty curve, up to date. */
  reconfigure(config) {
    this.config = config;
    this.points = emptyPoints();
    this.lastEpoch = -1;
    this.frame = null;
    this.target = null;
    this.event.textContent = "";
    this.event.dataset.kind = "";
    delete this.card.dataset.stale;
    this.stale.hidden = true;
    this.session.configure(config);
    this.deps.onLosses();
  }

  close() {
    this.closed = true;
    this.session.close();
    if (this.plane && window.Plotly) window.Plotly.purge(this.planeBox);
    this.card.remove();
  }
}
