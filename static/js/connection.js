// The connection as the user meets it (docs/ui.md, "Connection"): when the live session's socket drops, a banner
// says what happened and what will happen (the next attempt, counting down), the controls wait (disabled: a
// press would be lost), and after the reconnect the run goes on where it was — the socket re-sends the scene with
// the latest frame's weights and its epoch (configure's `resume`, docs/protocol.md) — and plays again if it was
// playing. socket.js does the retrying; this module decides what the page shows and sends.

import { $, el } from "./dom.js";
import { clone } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./socket.js").Session} Session */
/** @typedef {import("./controls/commands.js").Commands} Commands */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Frame} Frame */

/** The controls that wait while offline (the Share menu's exports work without the server and stay). */
const CONTROLS = ".transport button, #speed, .layout button, .layout input, .layout select, #import-csv";
const TICK_MS = 250;

/**
 * Where a run is, if a config can continue it: the frame's weights fit the config's network.
 * @param {Config} config
 * @param {Frame | null} frame
 * @returns {{weights: any[], resume: {epoch: number, step: number}} | null}
 */
export function runToResume(config, frame) {
  const weights = frame && frame.weights;
  if (!Array.isArray(weights)) return null;
  const hidden = config.network?.hidden;
  const inputs = config.features?.length;
  if (!Array.isArray(hidden) || !inputs || weights.length !== hidden.length + 1) return null;
  const fits = weights.every((layer, k) => Array.isArray(layer.W)
    && layer.W.length === (k === 0 ? inputs : hidden[k - 1])
    && (k === hidden.length || layer.b.length === hidden[k])
    && layer.W.every((row) => row.length === layer.b.length && row.every(Number.isFinite))
    && layer.b.every(Number.isFinite));
  return fits ? { weights: clone(weights), resume: { epoch: frame.epoch, step: frame.step } } : null;
}

export class Connection {
  /** @param {{store: Store, session: Session, commands: Commands}} deps */
  constructor({ store, session, commands }) {
    this.store = store;
    this.session = session;
    this.commands = commands;
    this.banner = $("#connection");
    this.wasLive = session.status === "live";
    this.down = false;
    this.lostAt = 0; // the epoch on screen when the connection dropped
    this.wasPlaying = false;
    this.resumeWith = null; // what the reconnect's configure carries
    this.timer = null;
    session.handle({
      config: () => this.sceneToSend(),
      resume: () => this.resumeWith,
    });
    store.on("status", ({ status }) => this.onStatus(status));
    store.on("data", () => this.onData());
  }

  /** The scene for a reconnect's configure: the store's config with the run's latest weights, if they fit. */
  sceneToSend() {
    const { store, commands } = this;
    this.resumeWith = null;
    if (!store.trainable || !store.config) return null;
    const config = clone(store.config);
    const run = commands.settled ? runToResume(config, store.lastFrame) : null; // not when a configure was lost
    if (run) {
      config.network = { ...config.network, weights: run.weights };
      this.resumeWith = run.resume;
    }
    return config;
  }

  onStatus(status) {
    if (status === "live") {
      this.wasLive = true;
      if (this.down) this.back();
      return;
    }
    if (!this.wasLive) return; // the first connection: the page is not built yet
    if (!this.down) this.lost();
    this.show(status);
  }

  lost() {
    this.down = true;
    this.lostAt = this.store.lastFrame ? this.store.lastFrame.epoch : 0;
    this.wasPlaying = this.store.playing;
    document.body.classList.add("offline");
    for (const node of /** @type {NodeListOf<HTMLButtonElement | HTMLInputElement>} */ (document.querySelectorAll(CONTROLS))) {
      if (node.disabled) continue;
      node.disabled = true;
      node.dataset.offline = "true";
    }
    clearInterval(this.timer);
    this.timer = setInterval(() => this.show(this.session.status), TICK_MS);
  }

  back() {
    this.down = false;
    clearInterval(this.timer);
    document.body.classList.remove("offline");
    for (const node of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll("[data-offline]"))) {
      node.disabled = false;
      delete node.dataset.offline;
    }
    this.banner.hidden = true;
    this.restoring = true;
  }

  /** The first `data` after a reconnect: the run is back (at its epoch); it plays on if it was playing. */
  onData() {
    if (!this.restoring) return;
    this.restoring = false;
    const epoch = this.resumeWith ? this.resumeWith.epoch : 0;
    this.store.message(epoch ? `Connected again: the run goes on from epoch ${epoch}.`
      : "Connected again: the scene is back (its run starts again).", { kind: "info" });
    if (this.wasPlaying) setTimeout(() => this.commands.play(), 0);
  }

  show(status) {
    if (!this.down) return;
    const attempts = this.session.failures;
    const wait = Math.max(0, Math.ceil((this.session.retryAt - Date.now()) / 1000));
    const when = wait > 0 ? `Trying again in ${wait} s` : "Trying again now";
    const head = status === "offline" ? "The training server does not answer"
      : "The connection to the training server was lost";
    const run = this.lostAt ? `the run stays at epoch ${this.lostAt} and goes on from there` : "the scene is kept";
    this.banner.replaceChildren(
      el("strong", { text: `${head}.` }),
      `${when} (attempt ${attempts + 1}); it also tries the moment your browser is back online. ` +
      `Until then the controls wait and ${run} when the server answers.`);
    this.banner.hidden = false;
  }
}
