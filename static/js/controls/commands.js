// What goes to the live session, and what its answers change. Changes that need a new trainer (data, features,
// network, rule, loss, optimizer, batch size, …) reach the store and go out as one `configure` (coalesced over a
// few milliseconds); live settings (the catalog's `live` keys: learning rate, L1/L2, momentum, dropout, epochs, …)
// go out as `set` and reach the store when the server acknowledges them. The transport (play, pause, step, reset)
// and whether the run is playing (`store.playing`) live here too.

import { clone, getPath, setPath } from "../state.js";

/** @typedef {import("../catalog.js").Catalog} Catalog */
/** @typedef {import("../socket.js").Session} Session */
/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("./messages.js").Messages} Messages */

const COALESCE_MS = 60;
/** Events after which a run cannot go on by itself (reaching its epochs can: a larger `epochs` continues it). */
const ENDED = ["converged", "diverged", "early_stopped", "unbounded"];
const STOPS = [...ENDED, "paused", "finished"];

export class Commands {
  /**
   * @param {{store: Store, session: Session, catalog: Catalog, messages: Messages}} deps
   */
  constructor({ store, session, catalog, messages }) {
    this.store = store;
    this.session = session;
    this.catalog = catalog;
    this.messages = messages;
    /** @type {Map<number, {path: string, value: any}[]>} id of a `set` → the changes to store when acknowledged */
    this.pendingLive = new Map();
    /** @type {number[]} ids of configure messages not yet answered, oldest first */
    this.pendingConfigure = [];
    this.timer = null;
    this.stopped = false; // the run ended by itself (converged, diverged, …): play cannot go on
    store.on("config", ({ reset, source }) => {
      if (reset && source !== "server") this.scheduleConfigure();
    });
  }

  /** No configure is waiting to be sent or answered: the store's config is the server's. */
  get settled() { return this.pendingConfigure.length === 0 && !this.timer; }

  // --- the transport ------------------------------------------------------------------------------------------

  play() {
    const { store } = this;
    if (!store.trainable) {
      store.message("add points of at least two classes first", { kind: "info" });
      return;
    }
    const last = store.lastFrame;
    const epochs = getPath(store.config, "training.epochs");
    if (last && last.done && !this.timer && last.epoch >= epochs) {
      store.message(`This run trained all its ${epochs} epochs. Raise epochs (it applies live) to train on, ` +
        "or reset (r).", { kind: "info" });
      return;
    }
    if (last && last.done && this.stopped && !this.timer) {
      store.message(`This run ended at epoch ${last.epoch} (converged, diverged or stopped early); ` +
        "reset (r) to train it again.", { kind: "info" });
      return;
    }
    if (this.timer || !this.session.config) this.flushConfigure();
    this.session.play();
    store.setPlaying(true);
  }

  pause() {
    this.session.pause();
    this.store.setPlaying(false);
  }

  togglePlay() {
    if (this.store.playing) this.pause();
    else this.play();
  }

  /** One epoch, or one sample for a classic rule. */
  step() {
    if (!this.store.trainable) {
      this.store.message("add points of at least two classes first", { kind: "info" });
      return;
    }
    if (this.timer || !this.session.config) this.flushConfigure();
    if (this.store.playing) this.pause();
    this.session.step(1, this.catalog.classic(this.store.config) ? "update" : "epoch");
  }

  reset() {
    this.store.setPlaying(false);
    if (this.timer || !this.session.config) this.flushConfigure();
    else this.session.reset();
  }

  // --- configure and set --------------------------------------------------------------------------------------

  /** Coalesce config changes made within a few milliseconds into one `configure`. */
  scheduleConfigure() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushConfigure(), COALESCE_MS);
  }

  /** Send the store's config now; returns the message id (null while the drawn points cannot train yet). */
  flushConfigure() {
    clearTimeout(this.timer);
    this.timer = null;
    const { store } = this;
    if (!store.config) return null;
    store.setPlaying(false);
    if (!store.trainable) {
      this.session.pause();
      return null;
    }
    const id = this.session.configure(clone(store.config));
    this.pendingConfigure.push(id);
    return id;
  }

  /**
   * Live changes: one `set` now, into the store when the server acknowledges it (an error keeps them out). While a
   * configure is on its way (or offline) they go into the config it carries, which the server checks.
   * @param {{path: string, value: any}[]} changes
   */
  setLive(changes) {
    if (!this.session.connected || this.timer) {
      const c = clone(this.store.config);
      for (const { path, value } of changes) setPath(c, path, value);
      this.store.setConfig(c, { reset: false });
      return;
    }
    const fields = Object.fromEntries(changes.map(({ path, value }) => [path.split(".").pop(), value]));
    const id = this.session.send({ type: "set", ...fields });
    this.pendingLive.set(id, changes);
    for (const { path } of changes) this.messages.clearFieldError(path);
  }

  // --- the server's answers -----------------------------------------------------------------------------------

  onAck(msg) {
    const changes = this.pendingLive.get(msg.id);
    if (!changes) return;
    this.pendingLive.delete(msg.id);
    const c = clone(this.store.config);
    for (const { path, value } of changes) {
      setPath(c, path, value);
      this.messages.clearFieldError(path);
    }
    this.store.setConfig(c, { reset: false });
    if (this.messages.bannerFrom === "live") this.messages.clearBanner();
  }

  /** A `data` message: the configure (or points edit) it answers succeeded. */
  onData() {
    this.pendingConfigure.shift();
    this.messages.clearAnswered();
  }

  onError(msg) {
    const changes = this.pendingLive.get(msg.id);
    this.pendingLive.delete(msg.id);
    this.pendingConfigure = this.pendingConfigure.filter((id) => id !== msg.id);
    let field = msg.field || null;
    if (field && !field.includes(".") && changes) field = changes[0].path;
    if (field && !field.includes(".") && this.catalog.liveKeys.has(field)) field = this.catalog.livePath(field);
    this.store.message(msg.message || "the server refused that", { kind: "error", field });
    this.messages.bannerFrom = changes ? "live" : "config";
    if (changes) this.messages.markLive(field);
  }

  onEvent(msg) {
    const ev = msg.event;
    if (ev === "playing") this.store.setPlaying(true);
    else if (STOPS.includes(ev)) this.store.setPlaying(false);
    if (ENDED.includes(ev)) this.stopped = true;
    else if (ev === "playing" || ev === "finished") this.stopped = false;
  }
}
