// The page's one store: the config (docs/config.md), the user's drawn points, the view options, and what the
// server last said. Mirrored into the URL hash so a link restores the scene, drawn points included.
//
//   store.config      the config the user asked for (one dict, the same that `configure` sends)
//   store.view        {discretize, showTest, logScale, tool, cls, speed}
//   store.drawn       {points: [[x1, x2], ...], labels: [...]} — the user's own points; kept across every
//                     change of network, rule, optimizer and preset (a preset does not erase them)
//   store.applied     the normalized config of the running session (from the server's `data` message)
//   store.data        the server's last `data` message;  store.lastFrame  the newest live frame
//   store.playing     whether the live run is training ("playing" event)
//   store.on(type, fn) → an unsubscribe function. Events (detail):
//     "config" {reset, source}   the config changed (reset: the session must be re-configured)
//     "view" (the changed keys), "drawn" (the edit), "status" {status}, "message" {text, kind, field, sticky},
//     "playing" {playing}
//     "data" (the `data` message), "frame" (a live decoded frame), "event" (an `event` message)
//
// The URL hash is `#s=<base64url(deflate-raw(JSON))>` (or `#j=<base64url(JSON)>` where the browser cannot
// deflate): `{"v": 1, "config": {...}, "view": {...}, "drawn"?: {points, labels}}`. Drawn points travel inside
// config.data while they are the scene's data, and in `drawn` while a preset is shown.
import { t } from "./i18n.js";

/** @type {Readonly<{discretize: boolean, showTest: boolean, logScale: boolean, tool: string, cls: number, speed: number}>} */
const DEFAULT_VIEW = Object.freeze({
  discretize: false, showTest: true, logScale: false, tool: "add", cls: 0, speed: 10,
});

/** Deep copy of a JSON-able value. */
export function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Read a dotted path ("training.learning_rate", "network.hidden[1]") from an object. */
export function getPath(obj, path) {
  let cur = obj;
  for (const key of splitPath(path)) {
    if (cur == null) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Set a dotted path in an object, creating intermediate objects. */
export function setPath(obj, path, value) {
  const keys = splitPath(path);
  let cur = obj;
  keys.slice(0, -1).forEach((key) => {
    if (cur[key] == null || typeof cur[key] !== "object") cur[key] = {};
    cur = cur[key];
  });
  cur[keys[keys.length - 1]] = value;
}

function splitPath(path) {
  return String(path).replace(/\[(\d+)\]/g, ".$1").split(".").filter(Boolean);
}

// --- URL hash encoding --------------------------------------------------------------------------------------------

function toBase64url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  const response = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}

const canDeflate = typeof CompressionStream === "function" && typeof DecompressionStream === "function";

/** Encode a scene as a URL hash (without the leading '#'). */
export async function encodeScene(scene) {
  const json = new TextEncoder().encode(JSON.stringify(scene));
  if (canDeflate) return "s=" + toBase64url(await pipe(json, new CompressionStream("deflate-raw")));
  return "j=" + toBase64url(json);
}

/** Decode a URL hash (with or without '#'); returns null for an empty hash and throws a readable Error for a
 * malformed one. */
export async function decodeScene(hash) {
  const text = (hash || "").replace(/^#/, "");
  if (!text || /^lesson=/.test(text)) return null; // `#lesson=<id>` opens a lesson (lessons.js), not a scene
  const match = /^([sj])=([A-Za-z0-9_-]+)$/.exec(text);
  if (!match) throw new Error(t("scene.bad_format"));
  let bytes;
  try {
    bytes = fromBase64url(match[2]);
    if (match[1] === "s") bytes = await pipe(bytes, new DecompressionStream("deflate-raw"));
  } catch {
    throw new Error(t("scene.cut_short"));
  }
  let scene;
  try {
    scene = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new Error(t("scene.bad_json"));
  }
  if (!scene || typeof scene !== "object" || Array.isArray(scene) || typeof scene.config !== "object" ||
      scene.config === null || Array.isArray(scene.config)) {
    throw new Error(t("scene.no_config"));
  }
  return scene;
}

/** Round coordinates so drawn points stay short in the URL (1e-3 of the plane is far below a pixel). */
function roundPoints(points) {
  return points.map((p) => p.map((v) => Math.round(v * 1000) / 1000));
}

// --- the store ----------------------------------------------------------------------------------------------------

export class Store extends EventTarget {
  constructor() {
    super();
    this.config = null;
    this.defaults = null;
    this.applied = null;
    this.data = null;
    this.drawn = { points: [], labels: [], extent: null };
    this.view = { ...DEFAULT_VIEW };
    this.status = "connecting";
    this.playing = false;
    this.lastFrame = null;
    this._hashTimer = null;
    this._hashTicket = 0; // the newest hash write: an older one still encoding is dropped
    this._lastHash = null;
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * Call `fn(detail)` for every `type` event; a listener that throws is logged and the others still run.
   * @param {string} type
   * @param {(detail: any) => void} fn
   * @returns {() => void} unsubscribe
   */
  on(type, fn) {
    const listener = (/** @type {CustomEvent} */ e) => {
      try {
        fn(e.detail);
      } catch (err) {
        console.warn(`nnlive: a "${type}" listener failed`, err);
      }
    };
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }

  /** True when the config trains on the user's own points rather than a preset. */
  get drawing() {
    return Boolean(this.config && this.config.data && Array.isArray(this.config.data.points));
  }

  /** True when the user's drawn points can be trained: at least two points of two classes. */
  get drawnReady() {
    const labels = this.drawn.labels || [];
    return labels.length >= 2 && new Set(labels).size >= 2;
  }

  /** True when there is something to train: a preset, or drawn points that are ready. */
  get trainable() {
    return Boolean(this.config) && (!this.drawing || this.drawnReady);
  }

  /** Replace the whole config; `reset` says whether the session must be re-configured. */
  setConfig(config, { reset = true, source = "user" } = {}) {
    this.config = clone(config);
    if (this.config && typeof this.config === "object") {
      // a link may carry only some sections: the server fills the rest with its defaults
      for (const key of ["data", "network", "training", "view"]) this.config[key] ??= {};
    }
    if (this.config && this.config.network) delete this.config.network.weights;
    if (this.drawing) {
      const { points, labels, extent } = this.config.data;
      this.drawn = { points: clone(points), labels: clone(labels), extent: clone(extent) || null };
    }
    this.emit("config", { reset, source });
    this.saveHash();
  }

  /** Change one field of the config by dotted path. */
  update(path, value, { reset = true } = {}) {
    const config = clone(this.config);
    setPath(config, path, value);
    this.setConfig(config, { reset });
  }

  /** The user's points changed (op: add/move/remove/replace); the config's data follows them. */
  setDrawn(points, labels, detail = {}) {
    this.drawn = { ...this.drawn, points: clone(points), labels: clone(labels) };
    if (this.config) {
      const keep = this.drawing ? this.config.data : { test_fraction: 0 };
      this.config.data = { ...keep, points: roundPoints(this.drawn.points), labels: clone(this.drawn.labels) };
    }
    this.emit("drawn", detail);
    this.saveHash();
  }

  setView(patch) {
    Object.assign(this.view, patch);
    this.emit("view", { ...patch });
    this.saveHash();
  }

  setPlaying(playing) {
    this.playing = playing;
    this.emit("playing", { playing });
  }

  setStatus(status) {
    this.status = status;
    this.emit("status", { status });
  }

  /** A message for the user: kind "error" | "info"; field (dotted path) places it next to the control. */
  message(text, { kind = "error", field = null, sticky = false } = {}) {
    this.emit("message", { text, kind, field, sticky });
  }

  /** The scene that goes into the URL. */
  scene() {
    const config = clone(this.config);
    if (config && config.network) delete config.network.weights;
    if (config && config.data && Array.isArray(config.data.points)) config.data.points = roundPoints(config.data.points);
    const { tool, ...view } = this.view;
    const scene = { v: 1, config, view };
    // points drawn earlier stay with the link while a preset is shown ("my own points" brings them back)
    if (!this.drawing && this.drawn.points.length) {
      scene.drawn = { points: roundPoints(this.drawn.points), labels: clone(this.drawn.labels),
        extent: this.drawn.extent || null };
    }
    return scene;
  }

  /** Restore a decoded scene (from decodeScene). */
  loadScene(scene) {
    const drawn = scene.drawn;
    if (drawn && Array.isArray(drawn.points) && Array.isArray(drawn.labels) && drawn.points.length === drawn.labels.length) {
      this.drawn = { points: clone(drawn.points), labels: clone(drawn.labels), extent: clone(drawn.extent) || null };
    }
    if (scene.view && typeof scene.view === "object") {
      for (const key of Object.keys(DEFAULT_VIEW)) {
        if (key in scene.view && typeof scene.view[key] === typeof DEFAULT_VIEW[key]) this.view[key] = scene.view[key];
      }
    }
    this.setConfig(scene.config, { reset: true, source: "url" });
    this.emit("view", { ...this.view });
  }

  /** Write the scene to the URL hash (coalesced; replaceState so the back button is not flooded). */
  saveHash() {
    if (!this.config) return;
    clearTimeout(this._hashTimer);
    const ticket = ++this._hashTicket;
    this._hashTimer = setTimeout(async () => {
      try {
        const hash = await encodeScene(this.scene());
        // a later write (or flushHash, after which a lesson names the URL) supersedes one still encoding
        if (ticket === this._hashTicket && hash !== this._lastHash) {
          this._lastHash = hash;
          history.replaceState(null, "", "#" + hash);
        }
      } catch (err) {
        console.warn("could not write the URL", err);
      }
    }, 120);
  }

  /** True when `hash` (without '#') is the one this store wrote last: not a link pasted by the user. */
  wroteHash(hash) {
    return hash === this._lastHash;
  }

  /** Write the hash now (tests and exports wait for it). */
  async flushHash() {
    clearTimeout(this._hashTimer);
    if (!this.config) return;
    const ticket = ++this._hashTicket;
    const hash = await encodeScene(this.scene());
    if (ticket !== this._hashTicket) return; // a newer write is under way
    this._lastHash = hash;
    history.replaceState(null, "", "#" + hash);
  }
}
