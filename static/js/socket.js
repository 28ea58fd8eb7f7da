// The live-training connection (docs/protocol.md, version 1): a Session owns one WebSocket to /ws/train,
// reconnects with backoff, re-sends the last `configure` (and live settings) after a reconnect, and decodes
// binary frames: the header's JSON, and the grids as the uint8 blocks they came in (the views paint those bytes).
//
//   const session = new Session(null, {onStatus, onHello, onData, onFrame, onEvent, onError, onAck});
//   session.configure(config); session.play(); session.step(1, "epoch"); session.set({learning_rate: 0.1});
//
// Handlers (all optional): onStatus(status: "connecting"|"live"|"reconnecting"|"offline"), onHello(msg),
// onData(msg), onFrame(decodedFrame), onEvent(msg), onError(msg), onAck(msg), config() → the config to send
// after a reconnect (default: the last one sent with configure) and resume() → where that run had got to
// (`{epoch, step}` or null: configure's `resume`, so the run goes on instead of starting again).
// compare.js creates extra Sessions for side-by-side runs.
import { t } from "./i18n.js";

/** The WebSocket URL of /ws/train on this page's origin. */
export function defaultUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/train`;
}

/** Dequantize `rows` × `cols` uint8 values from `bytes` at `offset` into Float32Array rows (lo + b·(hi − lo)/255).
 * The page paints the bytes themselves; this is for tools and tests that want the values. */
export function dequantizeRows(bytes, offset, rows, cols, range) {
  const [lo, hi] = range;
  const scale = (hi - lo) / 255;
  const out = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Float32Array(cols);
    const base = offset + i * cols;
    for (let j = 0; j < cols; j++) row[j] = lo + bytes[base + j] * scale;
    out[i] = row;
  }
  return out;
}

/** A grid block `{bytes, shape: [rows, cols] or [planes, rows, cols], range}` → planes of Float32Array rows. */
export function dequantize({ bytes, shape, range }) {
  const [rows, cols] = shape.slice(-2);
  const planes = shape.length === 3 ? shape[0] : 1;
  const out = [];
  for (let k = 0; k < planes; k++) out.push(dequantizeRows(bytes, k * rows * cols, rows, cols, range));
  return out;
}

/** One grid block of the payload as `{bytes, shape, range}` (a view into the payload, not a copy). */
function block(payload, spec) {
  const shape = spec.shape;
  if ((spec.dtype || "uint8") !== "uint8") throw new Error(`unsupported grid dtype ${spec.dtype}`);
  const size = shape.reduce((a, b) => a * b, 1);
  const need = spec.offset + size;
  if (need > payload.length) throw new Error(`frame payload too short: need ${need} bytes, have ${payload.length}`);
  return { bytes: payload.subarray(spec.offset, need), shape, range: spec.range };
}

/**
 * Decode one binary frame (ArrayBuffer) per docs/protocol.md: the header's fields, and its grids as the uint8
 * blocks they came in (views into the message, nothing expanded to floats; the views paint the bytes through
 * colour tables): `grid = null | {size, extent, output, classes, neuronSize, layers}` with `output` the output
 * block (shape [G, G], or [k, G, G] for a per-class output, then `classes` = k, else null) and `layers[l]` hidden
 * layer l's block, shape [units, g, g]. A block is `{bytes, shape, range}`: byte q means range[0] + q/255 ·
 * (range[1] − range[0]).
 * @param {ArrayBuffer} buffer
 * @returns {import("./types.js").Frame}
 */
export function decodeFrame(buffer) {
  const view = new DataView(buffer);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength)));
  const payload = new Uint8Array(buffer, 4 + headerLength);
  const frame = { ...header, grid: null };
  const g = header.grid;
  if (g) {
    const output = g.output ? block(payload, g.output) : null;
    const layers = (g.layers ?? []).map((spec) => block(payload, spec));
    const size = g.size ?? output?.shape[output.shape.length - 1] ?? 0;
    const neuronSize = layers.length ? (g.neuron_size ?? layers[0].shape[layers[0].shape.length - 1]) : (g.neuron_size ?? null);
    frame.grid = {
      size, extent: g.extent, output, classes: output && output.shape.length === 3 ? output.shape[0] : null,
      neuronSize, layers,
    };
  }
  return frame;
}

const BACKOFF = [250, 500, 1000, 2000, 4000, 8000];
const OFFLINE_AFTER = 4; // failed attempts in a row before the status says "offline" (it keeps trying)

export class Session {
  constructor(url = null, handlers = {}) {
    this.url = url || defaultUrl();
    this.handlers = handlers;
    this.status = "connecting";
    this.ws = null;
    this.hello = null;
    this.config = null; // the last config sent with `configure`, re-sent after a reconnect
    this.live = {}; // the last live settings sent with `set` (speed, learning rate, ...), re-sent too
    this.failures = 0;
    this.retryAt = 0; // Date.now() of the next attempt while reconnecting
    this.hasTrainer = false; // true once the server sent `data` on this connection
    this._resendLive = false;
    this.closed = false;
    this.nextId = 1;
    this._timer = null;
    this._onOnline = () => this.retryNow();
    window.addEventListener("online", this._onOnline);
    this.connect();
  }

  /** Add or replace handlers (the page routes the messages once it is built). */
  handle(handlers) {
    Object.assign(this.handlers, handlers);
  }

  _call(name, arg) {
    const fn = this.handlers[name];
    if (typeof fn === "function") {
      try {
        fn(arg);
      } catch (err) {
        console.warn(`nnlive: ${name} handler failed`, err);
      }
    }
  }

  _setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this._call("onStatus", status);
  }

  connect() {
    if (this.closed) return;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      this._scheduleReconnect();
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.failures = 0;
      this.hasTrainer = false;
      this._setStatus("live");
      // the scene as it is now (points edited since the last configure included), else the last config sent
      const current = typeof this.handlers.config === "function" ? this.handlers.config() : null;
      if (current) this.config = current;
      if (this.config) {
        this._resendLive = true;
        const resume = current && typeof this.handlers.resume === "function" ? this.handlers.resume() : null;
        this._send({ type: "configure", config: this.config, ...(resume ? { resume } : {}), id: this._id() });
      }
    };
    ws.onmessage = (event) => this._receive(event.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.closed) this._scheduleReconnect();
      else this._setStatus("offline");
    };
    ws.onerror = () => {}; // onclose follows; the status shows it
  }

  _scheduleReconnect() {
    this.failures += 1;
    const delay = BACKOFF[Math.min(this.failures - 1, BACKOFF.length - 1)] * (0.8 + 0.4 * Math.random());
    clearTimeout(this._timer);
    this.retryAt = Date.now() + delay;
    this._setStatus(this.failures > OFFLINE_AFTER ? "offline" : "reconnecting");
    this._timer = setTimeout(() => this.connect(), delay);
  }

  /** Try again at once (e.g. when the browser comes back online). */
  retryNow() {
    if (this.closed || (this.ws && this.ws.readyState <= 1)) return;
    clearTimeout(this._timer);
    this.connect();
  }

  _receive(raw) {
    if (raw instanceof ArrayBuffer) {
      let frame;
      try {
        frame = decodeFrame(raw);
      } catch (err) {
        this._call("onError", { type: "error", message: t("socket.bad_frame", { reason: err.message }),
          field: null });
        return;
      }
      this._call("onFrame", frame);
      return;
    }
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    switch (msg.type) {
      case "hello": this.hello = msg; this._call("onHello", msg); break;
      case "data":
        this.hasTrainer = true;
        if (this._resendLive && Object.keys(this.live).length) this._send({ type: "set", ...this.live, id: this._id() });
        this._resendLive = false;
        this._call("onData", msg);
        break;
      case "event": this._call("onEvent", msg); break;
      case "error": this._call("onError", msg); break;
      case "ack": this._call("onAck", msg); break;
      default: break;
    }
  }

  _id() {
    return this.nextId++;
  }

  _send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  /** Send a message; returns its id (echoed by the server's `ack` or `error`). */
  send(msg) {
    const id = msg.id ?? this._id();
    this._send({ ...msg, id });
    return id;
  }

  get connected() {
    return Boolean(this.ws && this.ws.readyState === WebSocket.OPEN);
  }

  configure(config) {
    this.config = config;
    // the config carries the training hyperparameters; only the session's own settings outlive a configure
    this.live = Object.fromEntries(Object.entries(this.live).filter(([key]) => key === "speed" || key === "frame"));
    this._resendLive = true; // the session's own settings follow once the new trainer exists (its `data`)
    return this.send({ type: "configure", config });
  }

  play() { return this.send({ type: "play" }); }

  pause() { return this.send({ type: "pause" }); }

  step(n = 1, unit = "epoch") { return this.send({ type: "step", n, unit }); }

  reset() { return this.send({ type: "reset" }); }

  /** Live settings (learning_rate, l1, l2, momentum, dropout, speed, frame); remembered for reconnects. */
  set(values) {
    Object.assign(this.live, values);
    if (!this.hasTrainer) return null; // the server has no network yet: sent after the first `data`
    return this.send({ type: "set", ...values });
  }

  points(op, fields) { return this.send({ type: "points", op, ...fields }); }

  weights(layer, kind, i, j, value) {
    const msg = { type: "weights", layer, kind, j, value };
    if (kind === "W") msg.i = i;
    return this.send(msg);
  }

  close() {
    this.closed = true;
    clearTimeout(this._timer);
    window.removeEventListener("online", this._onOnline);
    if (this.ws) {
      this._send({ type: "close" });
      this.ws.close();
    }
    this._setStatus("offline");
  }
}
