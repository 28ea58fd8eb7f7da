// Where a lesson's run starts: its config reaching the server (the `data` message that carries it), its hand-set
// starting weights sent weight by weight (the store keeps no weights in a config), and sent again when a new run
// of the lesson's own network begins (a reset, a new optimizer) — but never a zero start for a rule that learns
// from its own output (Oja, unsupervised Hebb): at w = 0 their output y is 0 and no update would ever move it,
// so they start from the initializer's random weights instead (lesson 5 says so).

import { targetOf } from "./dom.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./socket.js").Session} Session */
/** @typedef {import("./catalog.js").Catalog} Catalog */

const close = (a, b) => (typeof a === "number" && typeof b === "number" ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) : a === b);

/** Does the server's normalized config carry every value the lesson's config sets (weights and view aside)? */
export function carries(normalized, raw, path = "") {
  if (raw === null || typeof raw !== "object") return close(normalized, raw);
  if (normalized === null || typeof normalized !== "object") return false;
  if (Array.isArray(raw)) {
    return Array.isArray(normalized) && raw.length === normalized.length && raw.every((v, i) => carries(normalized[i], v));
  }
  const skip = new Set(["network.weights", "view"]); // weights come separately; view follows the page's toggles
  return Object.entries(raw).every(([key, value]) => skip.has(path + key)
    || carries(normalized[key], value, `${path}${key}.`));
}

export class LessonStart {
  /**
   * @param {{store: Store, session: Session, catalog: Catalog}} deps
   * @param {() => any} lesson the lesson whose scene is on the page (null while one is loading)
   */
  constructor({ store, session, catalog }, lesson) {
    this.store = store;
    this.session = session;
    this.catalog = catalog;
    this.lesson = lesson;
    this.lastStep = 0;
    this.resetAsked = false;
    const asked = () => { this.resetAsked = true; };
    document.addEventListener("click", (e) => { if (targetOf(e).closest?.("[data-testid=reset]")) asked(); }, true);
    document.addEventListener("keydown", (e) => {
      if (e.key === "r" && !targetOf(e).closest?.("input, select, textarea")) asked();
    }, true);
    store.on("frame", (frame) => this.keepStart(frame));
  }

  /** Resolves true at the first `data` message that carries the lesson's config (false after 10 s). */
  whenApplied(config) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { off(); resolve(false); }, 10000);
      const off = this.store.on("data", (msg) => {
        if (msg.config && carries(msg.config, config)) {
          clearTimeout(timer);
          off();
          resolve(true);
        }
      });
    });
  }

  /** The hand-set start, weight by weight. */
  sendWeights(weights) {
    if (!Array.isArray(weights)) return;
    weights.forEach((layer, k) => {
      layer.W.forEach((row, i) => row.forEach((value, j) => this.session.weights(k, "W", i, j, value)));
      layer.b.forEach((value, j) => this.session.weights(k, "b", 0, j, value));
    });
  }

  /** A new run of the lesson's own network (network, inputs and seed the lesson's) starts from its weights. */
  keepStart(frame) {
    const previous = this.lastStep;
    const reset = this.resetAsked;
    this.lastStep = frame.step;
    this.resetAsked = false;
    const lesson = this.lesson();
    const weights = lesson && lesson.config.network && lesson.config.network.weights;
    if (!weights || !(frame.step === 0 && (previous > 0 || reset))) return;
    const applied = this.store.applied;
    const c = lesson.config;
    const same = applied && carries(applied.network.hidden, c.network.hidden || [])
      && carries(applied.features, c.features || this.catalog.defaults.features) && applied.seed === (c.seed || 0);
    const zero = weights.every((layer) => [...layer.W.flat(), ...layer.b].every((v) => v === 0));
    const unsupervised = applied && this.catalog.rule(applied.training.rule).supervised === false;
    if (same && !(zero && unsupervised)) this.sendWeights(weights);
  }
}
