// What goes to the live session, and what its answers change. Changes that need a new trainer (data, features,
// network, rule, loss, optimizer, batch size, …) reach the store and go out as one `configure` (coalesced over a
// few milliseconds); live settings (the catalog's `live` keys: learning rate, L1/L2, momentum, dropout, epochs, …)
// go out as `set` and reach the store when the server acknowledges them. The transport (play, pause, step, reset)
// and whether the run is playing (`store.playing`) live here too; while side-by-side runs train in lock-step, a
// `driver` (compare.js) takes play, pause and step over for all of them.
//
// A run that trained all its epochs goes on when play is pressed (its epochs become "until paused"), and so does
// one that ended by itself when its points are edited afterwards (`resumeAfterEdit`): an instruction given after
// training ended still shows its effect. Nothing is sent while the connection is down.

import { clone, getPath, setPath } from "../state.js";
import { clearEvent } from "../readouts.js";
import { wording } from "./messages.js";
import { t } from "../i18n.js";

/** @typedef {import("../catalog.js").Catalog} Catalog */
/** @typedef {import("../socket.js").Session} Session */
/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("./messages.js").Messages} Messages */

const COALESCE_MS = 60;
/** Events after which a run cannot go on by itself (reaching its epochs can: a larger `epochs` continues it). */
const ENDED = ["converged", "diverged", "early_stopped", "unbounded"];
const STOPS = [...ENDED, "paused", "finished"];
/** Ends that new points undo (the engine lets such a run go on: its data changed). */
const DATA_ENDS = ["converged", "early_stopped"];

/** @typedef {{play: () => boolean, pause: () => void, step: () => void}} Driver play: false when nothing can train */

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
    /** @type {string | null} how the current run ended (a trainer event), null while it can train */
    this.ended = null;
    /** @type {Driver | null} side-by-side runs in lock-step take the transport over (compare.js) */
    this.driver = null;
    this.edited = false; // the points changed since the run began (a run that ended by its data goes on)
    store.on("config", ({ reset, source }) => {
      if (reset && source !== "server") this.scheduleConfigure();
    });
  }

  /** No configure is waiting to be sent or answered: the store's config is the server's. */
  get settled() { return this.pendingConfigure.length === 0 && !this.timer; }

  // --- the transport ------------------------------------------------------------------------------------------

  play() {
    const { store } = this;
    if (!this.session.connected) {
      store.message(t("run.offline"), { kind: "info" }); // play stays play: nothing would train
      return;
    }
    if (!store.trainable) {
      store.message(t("run.two_classes"), { kind: "info" });
      return;
    }
    if (this.timer || !this.session.config) this.flushConfigure();
    if (this.driver) {
      if (!this.driver.play()) store.message(t("run.all_ended"), { kind: "info" });
      return;
    }
    if (!this.trainOnIfEnded()) return;
    this.session.play();
    store.setPlaying(true);
  }

  /**
   * The main run, if it has ended: true when it can go on — it trained all its epochs (they become "until
   * paused"), or it ended by its data (converged, stopped early) and its points changed since — else false, with a
   * notice unless `quiet`.
   */
  trainOnIfEnded(quiet = false) {
    const last = this.store.lastFrame;
    if (!last || !last.done || this.timer || !this.ended) return true; // (no end known: the server decides)
    if (this.ended === "finished") {
      this.trainOn(last.epoch);
      return true;
    }
    if (DATA_ENDS.includes(this.ended) && this.edited) return true;
    if (!quiet) {
      const end = t(`event.${this.ended || "stopped"}`);
      this.store.message(t("run.ended", { epoch: last.epoch, end }), { kind: "info" });
    }
    return false;
  }

  /** A run that trained all its epochs trains on until paused (its `epochs` becomes null: "until paused"). */
  trainOn(epoch) {
    this.store.message(t("run.trains_on", { epoch }), { kind: "info" });
    this.setLive([{ path: "training.epochs", value: null }]);
    this.ended = null;
  }

  /** The user's points changed: a run that had ended by itself (its epochs, or its data) trains on. */
  resumeAfterEdit() {
    const last = this.store.lastFrame;
    this.edited = true;
    if (!last || !last.done || this.store.playing) return;
    if (this.ended === "finished" || DATA_ENDS.includes(this.ended)) this.play();
  }

  pause() {
    if (this.driver) this.driver.pause();
    else this.session.pause();
    this.store.setPlaying(false);
  }

  togglePlay() {
    if (this.store.playing) this.pause();
    else this.play();
  }

  /** One epoch, or one sample for a classic rule. */
  step() {
    if (!this.session.connected) {
      this.store.message(t("run.offline"), { kind: "info" });
      return;
    }
    if (!this.store.trainable) {
      this.store.message(t("run.two_classes"), { kind: "info" });
      return;
    }
    if (this.timer || !this.session.config) this.flushConfigure();
    if (this.store.playing) this.pause();
    if (this.driver) this.driver.step();
    else this.session.step(1, this.catalog.classic(this.store.config) ? "update" : "epoch");
  }

  reset() {
    if (!this.session.connected) {
      this.store.message(t("run.offline"), { kind: "info" });
      return;
    }
    if (this.store.playing) this.pause();
    this.newRun();
    if (this.timer || !this.session.config) this.flushConfigure();
    else this.session.reset();
  }

  /** A new run starts (a configure or a reset): the last run's event and notices go with it. */
  newRun() {
    this.ended = null;
    this.edited = false;
    clearEvent();
    this.messages.clearNotice();
  }

  // --- configure and set --------------------------------------------------------------------------------------

  /** Coalesce config changes made within a few milliseconds into one `configure`. */
  scheduleConfigure() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushConfigure(), COALESCE_MS);
  }

  /** Send the store's config now, with `weights` as its network's initial weights if given (a saved scene's);
   * returns the message id (null while the drawn points cannot train yet). */
  flushConfigure({ weights = null } = {}) {
    clearTimeout(this.timer);
    this.timer = null;
    const { store } = this;
    if (!store.config) return null;
    if (store.playing) this.pause();
    this.newRun();
    if (!store.trainable) {
      this.session.pause();
      return null;
    }
    const config = clone(store.config);
    if (weights) config.network = { ...config.network, weights };
    const id = this.session.configure(config);
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
    const epochs = changes.find((x) => x.path === "training.epochs");
    const more = epochs && (epochs.value === null || epochs.value > (this.store.lastFrame?.epoch ?? 0));
    if (more && this.ended === "finished") this.ended = null; // raised epochs: the run can go on
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
    this.store.message(wording({ ...msg, field: field || msg.field }), { kind: "error", field });
    this.messages.bannerFrom = changes ? "live" : "config";
    if (changes) this.messages.markLive(field);
  }

  /**
   * A value the page's own check refused (fields.js `checkInput`): said at its control, in the same words, and
   * kept there until it is corrected; nothing is sent.
   * @param {{field: string, value: any, allowed: string}} problem
   */
  invalid(problem) {
    this.store.message(wording(problem), { kind: "error", field: problem.field });
    this.messages.bannerFrom = "live";
    this.messages.markLive(problem.field);
  }

  /** A trainer event of the current run (session_link.js drops those of a run a configure replaces). */
  onEvent(msg) {
    const ev = msg.event;
    if (ev !== "playing" && ev !== "paused") this.edited = false;
    if (this.driver) {
      // the lock-step driver says whether the runs play
    } else if (ev === "playing") this.store.setPlaying(true);
    else if (STOPS.includes(ev)) this.store.setPlaying(false);
    if (ENDED.includes(ev) || ev === "finished") this.ended = ev;
    else if (ev === "playing") this.ended = null;
  }
}
