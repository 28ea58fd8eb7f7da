// The timeline (docs/lessons.md): the page keeps a bounded history of the live run's frames and a scrubber replays
// any earlier one — weights, boundary, network, readouts through LiveView.show, and a marker on the loss curves —
// without retraining. Dragging the scrubber stops live drawing (training goes on and is still recorded); "live"
// returns to the newest frame.
//
// Memory: at most MAX_FRAMES frames and MAX_BYTES of grids, kept as the uint8 bytes they came over the wire in
// (nothing is lost, re-quantized or expanded). When the history is full every second frame is dropped and from then on only every `stride`-th new frame
// is kept (plus always the newest), so a long run stays evenly covered from its first epoch to its newest.

import { el, targetOf } from "./dom.js";
import { t } from "./i18n.js";

/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./live_view.js").LiveView} LiveView */
/** @typedef {import("./curves_view.js").CurvesView} CurvesView */

export const MAX_FRAMES = 500;
/** At most this many bytes of grids are kept (a big network's frames are thinned sooner). */
export const MAX_BYTES = 32 * 2 ** 20;
/** The scrubber follows new frames at most this often (ms). */
const UPDATE_INTERVAL = 250;

/**
 * A decoded frame as the history keeps it: its grid blocks copied, byte for byte, into one buffer of their own
 * (a decoded frame's blocks are views into the whole WebSocket message, header included). The views read it as
 * they read a live frame.
 * @param {Frame} frame
 * @returns {Frame & {index?: number}} a new object (the history numbers it)
 */
export function packFrame(frame) {
  const g = frame.grid;
  if (!g) return { ...frame };
  const blocks = [g.output, ...(g.layers ?? [])].filter(Boolean);
  const store = new Uint8Array(blocks.reduce((sum, b) => sum + b.bytes.length, 0));
  let offset = 0;
  /** @param {Block | null} b */
  const keep = (b) => {
    if (!b) return null;
    store.set(b.bytes, offset);
    const bytes = store.subarray(offset, offset + b.bytes.length);
    offset += b.bytes.length;
    return { bytes, shape: b.shape, range: b.range };
  };
  return { ...frame, grid: { ...g, output: keep(g.output), layers: (g.layers ?? []).map(keep) } };
}

/** The bytes of a frame's grids. */
function gridBytes(frame) {
  const g = frame.grid;
  return g ? (g.output?.bytes.length ?? 0) + (g.layers ?? []).reduce((sum, b) => sum + b.bytes.length, 0) : 0;
}

/** The bounded, evenly thinned history of one run's frames: the k-th frame of the run is kept when k is a
 * multiple of `stride` (1, then 2, 4, … each time the history fills up), and the newest frame is always there too. */
export class FrameHistory {
  constructor(max = MAX_FRAMES, maxBytes = MAX_BYTES) {
    this.max = max;
    this.maxBytes = maxBytes;
    this.run = 0; // counts runs: a new one starts when a frame comes from before the last one
    this.clear();
  }

  clear() {
    this.kept = []; // frames whose index in the run is a multiple of `stride`
    this.tip = null; // the newest frame when it is not one of those
    this.stride = 1;
    this.count = 0; // frames of this run seen so far
    this.bytes = 0; // grid bytes of the kept frames
    this.run += 1;
  }

  get frames() { return this.tip ? [...this.kept, this.tip] : this.kept; }

  get length() { return this.kept.length + (this.tip ? 1 : 0); }

  at(i) { return i === this.kept.length && this.tip ? this.tip : this.kept[i]; }

  newest() { return this.at(this.length - 1); }

  /** The index of the kept frame nearest to update `step`. */
  nearest(step) {
    let best = 0;
    for (let i = 1; i < this.length; i++) {
      if (Math.abs(this.at(i).step - step) < Math.abs(this.at(best).step - step)) best = i;
    }
    return best;
  }

  /** Record a frame. A frame from before the newest one starts a new run; one at the same moment (an edit of
   * the weights) replaces it. */
  push(frame) {
    const last = this.newest();
    if (last && (frame.step < last.step || frame.epoch < last.epoch)) this.clear();
    const newest = this.newest();
    const packed = packFrame(frame);
    if (newest && frame.step === newest.step && frame.epoch === newest.epoch) {
      packed.index = newest.index;
      if (this.tip) this.tip = packed;
      else {
        this.bytes += gridBytes(packed) - gridBytes(this.kept[this.kept.length - 1]);
        this.kept[this.kept.length - 1] = packed;
      }
      return;
    }
    packed.index = this.count++;
    this.tip = null;
    if (packed.index % this.stride !== 0) {
      this.tip = packed;
      return;
    }
    this.kept.push(packed);
    this.bytes += gridBytes(packed);
    if (this.kept.length >= this.max || (this.bytes >= this.maxBytes && this.kept.length > 2)) {
      this.stride *= 2;
      this.kept = this.kept.filter((f) => f.index % this.stride === 0);
      this.bytes = this.kept.reduce((sum, f) => sum + gridBytes(f), 0);
    }
  }
}

/**
 * The timeline under the plane.
 * @param {{store: Store, liveView: LiveView, curves: CurvesView}} deps
 */
export function initTimeline(deps) {
  const root = document.getElementById("timeline");
  return root ? new Timeline(deps, root) : null;
}

class Timeline {
  /**
   * @param {{store: Store, liveView: LiveView, curves: CurvesView}} deps
   * @param {HTMLElement} root
   */
  constructor({ store, liveView, curves }, root) {
    this.liveView = liveView;
    this.curves = curves;
    this.root = root;
    this.history = new FrameHistory();
    this.index = -1; // the replayed frame, -1 when live
    this.timer = null;
    this.updated = 0;
    this.build();
    if (store.lastFrame) this.record(store.lastFrame);
    store.on("frame", (frame) => this.record(frame));
    document.addEventListener("nnlive:lesson", () => this.goLive());
    // the transport (buttons or the space / s / r shortcuts) acts on the live run: show it again
    store.on("event", (msg) => { if (msg.event === "playing") this.goLive(); });
    document.addEventListener("click", (e) => {
      if (targetOf(e).closest?.("[data-testid=play], [data-testid=step], [data-testid=reset]")) this.goLive();
    }, true);
    document.addEventListener("keydown", (e) => {
      const typing = targetOf(e).closest?.("input, select, textarea, [contenteditable]");
      if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && [" ", "s", "r"].includes(e.key)) this.goLive();
    }, true);
  }

  build() {
    this.root.classList.add("timeline");
    this.root.dataset.testid = "timeline";
    this.scrubber = el("input", { type: "range", min: "0", max: "0", step: "1", value: "0",
      "data-testid": "timeline-scrubber", "aria-label": t("timeline.aria"),
      title: t("timeline.title") });
    this.scrubber.addEventListener("input", () => this.replay(Number(this.scrubber.value)));
    this.label = el("span", { class: "timeline-label", "data-testid": "timeline-epoch", text: "—" });
    this.live = el("button", { type: "button", class: "btn small timeline-live", "data-testid": "timeline-live",
      title: t("timeline.live_title"), text: t("timeline.live"), onclick: () => this.goLive() });
    this.root.replaceChildren(el("span", { class: "timeline-title", text: t("timeline.history") }), this.scrubber, this.label, this.live);
    this.update();
  }

  get replaying() { return this.index >= 0; }

  record(frame) {
    const run = this.history.run;
    const shown = this.replaying ? this.history.at(this.index) : null;
    this.history.push(frame);
    if (shown && this.history.run !== run) {
      this.goLive(); // a new run (reset or a new scene): the old history is gone
      return;
    }
    if (shown && this.history.at(this.index) !== shown) this.index = this.history.nearest(shown.step); // thinned
    this.updateSoon();
  }

  /** Update the scrubber and its label for a new frame: at most every UPDATE_INTERVAL ms (the plane, not the
   * scrubber, shows every frame). */
  updateSoon() {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.updated + UPDATE_INTERVAL - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.update();
    }, wait);
  }

  /** Show the recorded frame `i` everywhere, without retraining. */
  replay(i) {
    if (!this.history.length) return;
    this.index = Math.max(0, Math.min(i, this.history.length - 1));
    const frame = this.history.at(this.index);
    this.liveView.replaying = true;
    this.liveView.show(frame);
    this.markCurves(frame.epoch);
    document.dispatchEvent(new CustomEvent("nnlive:replay", { detail: { frame } }));
    this.update();
  }

  goLive() {
    const was = this.replaying;
    this.index = -1;
    if (was || this.liveView.replaying) {
      this.liveView.replaying = false;
      this.markCurves(null);
      document.dispatchEvent(new CustomEvent("nnlive:replay", { detail: { frame: null } }));
    }
    this.update();
  }

  markCurves(epoch) {
    const node = /** @type {any} */ (this.curves?.el);
    if (!node || !window.Plotly || !node._fullLayout) return;
    const shapes = epoch === null ? [] : [{ type: "line", xref: "x", yref: "paper", x0: epoch, x1: epoch, y0: 0, y1: 1,
      line: { color: "#d55e00", width: 2, dash: "dot" } }];
    Promise.resolve(this.curves.ready).then(() => window.Plotly.relayout(node, { shapes })).catch(() => {});
  }

  update() {
    this.updated = performance.now();
    const n = this.history.length;
    this.scrubber.max = String(Math.max(0, n - 1));
    this.scrubber.disabled = n < 2;
    this.root.classList.toggle("is-replaying", this.replaying);
    this.live.disabled = !this.replaying;
    if (!this.replaying) this.scrubber.value = String(Math.max(0, n - 1));
    const shown = this.replaying ? this.history.at(this.index) : this.history.newest();
    const newest = this.history.newest();
    if (!shown) {
      this.label.textContent = "—";
      return;
    }
    const moment = t("timeline.moment", { epoch: shown.epoch, step: shown.step });
    this.label.textContent = this.replaying ? t("timeline.replay", { moment, live: newest.epoch }) : moment;
    this.label.dataset.epoch = String(shown.epoch);
    this.root.title = t("timeline.kept", { n, stride: this.history.stride });
  }
}
