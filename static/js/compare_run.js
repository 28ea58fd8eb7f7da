// One side-by-side run (compare.js): its own live session (socket.js), a small plane, its epoch and losses, and
// the losses per epoch that the panel overlays.

import { el } from "./dom.js";
import { fmt } from "./format.js";
import { PlaneView } from "./plane_view.js";
import { Session } from "./socket.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {{x: number[], train: (number | null)[], test: (number | null)[]}} LossPoints */

/** Small frames for a small plane: a coarse grid, no neuron grids. */
const SMALL_FRAME = { grid: 40, neuron_grid: 8, neurons: false };

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

export class Run {
  /**
   * @param {{label: string, config: Config, colour: string}} run
   * @param {{catalog: Catalog, box: HTMLElement, speed: number, showTest: boolean, onClose: (run: Run) => void,
   *   onLosses: () => void}} deps `onLosses`: new losses to overlay
   */
  constructor({ label, config, colour }, { catalog, box, speed, showTest, onClose, onLosses }) {
    this.label = label;
    this.config = config;
    this.colour = colour;
    this.onLosses = onLosses;
    this.points = emptyPoints();
    this.lastEpoch = -1;
    /** @type {Frame | null} */
    this.frame = null;
    this.data = null;
    this.failed = false;
    this.closed = false;
    this.build(box, onClose);
    this.plane = this.makePlane(catalog, showTest);
    this.session = new Session(null, {
      onData: (msg) => this.onData(msg),
      onFrame: (frame) => this.onFrame(frame),
      onEvent: (msg) => this.onEvent(msg),
      onError: (msg) => this.showError(msg.message),
      onStatus: (status) => { this.card.dataset.status = status; },
    });
    this.session.set({ speed, frame: SMALL_FRAME });
    this.session.configure(config);
  }

  build(box, onClose) {
    this.epoch = el("span", { class: "run-epoch", "data-testid": "run-epoch", text: "epoch 0" });
    this.loss = el("span", { class: "run-loss", text: "" });
    this.event = el("p", { class: "run-event", "data-testid": "run-event" });
    this.planeBox = el("div", { class: "run-plane", "data-testid": "run-plane" });
    const remove = el("button", { type: "button", class: "icon-btn small", title: "Close this run",
      "aria-label": `Close the run ${this.label}`, text: "×", onclick: () => onClose(this) });
    this.card = el("div", { class: "compare-run", "data-testid": "compare-run" },
      el("header", {}, el("span", { class: "run-swatch", style: `background:${this.colour}` }),
        el("strong", { class: "run-label", text: this.label, title: this.label }), remove),
      el("div", { class: "run-readout" }, this.epoch, this.loss),
      this.planeBox, this.event);
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
    }
    this.frame = frame;
    this.plane?.setFrame(frame);
    this.epoch.textContent = `epoch ${frame.epoch}`;
    this.epoch.dataset.epoch = String(frame.epoch);
    const m = frame.metrics || {};
    const test = m.test_loss === null || m.test_loss === undefined ? "" : ` · test ${fmt(m.test_loss)}`;
    this.loss.textContent = `loss ${fmt(m.train_loss)}${test}`;
    if (record(this, frame)) this.onLosses();
  }

  onEvent(msg) {
    if (msg.event === "playing" || msg.event === "paused") return;
    this.event.textContent = msg.message || `${msg.event} at epoch ${msg.epoch}`;
    this.event.dataset.kind = msg.event;
  }

  showError(text) {
    if (this.failed) return; // keep the first error: why the run could not start
    this.failed = !this.data;
    this.event.textContent = text;
    this.event.dataset.kind = "error";
  }

  close() {
    this.closed = true;
    this.session.close();
    if (this.plane && window.Plotly) window.Plotly.purge(this.planeBox);
    this.card.remove();
  }
}
