// The top bar's readouts: epoch, losses, accuracy and mistakes of the frame on screen, the connection status and
// the last training event (converged, diverged, …).

import { $ } from "./dom.js";
import { fmt, pct } from "./format.js";

/** @typedef {import("./types.js").Config} Config */

/**
 * @param {{epoch?: number, step?: number, metrics?: import("./types.js").Metrics | null}} frame
 * @param {Config | null} config regression shows no accuracy
 */
export function showReadouts(frame, config) {
  const m = frame.metrics || {};
  $("#epoch").textContent = String(frame.epoch ?? 0);
  $("#epoch").title = `epoch ${frame.epoch}, ${frame.step} updates`;
  $("#train-loss").textContent = fmt(m.train_loss, 4);
  $("#test-loss").textContent = fmt(m.test_loss, 4);
  const regression = config && config.data && config.data.task === "regression";
  $("#accuracy").textContent = regression ? "—" : m.test_accuracy === null || m.test_accuracy === undefined
    ? pct(m.train_accuracy) : `${pct(m.train_accuracy)} / ${pct(m.test_accuracy)}`;
  const classic = m.mistakes !== null && m.mistakes !== undefined;
  $("#mistakes-box").hidden = !classic;
  if (classic) $("#mistakes").textContent = String(m.mistakes);
}

/** @param {string} status "connecting" | "live" | "reconnecting" | "offline" */
export function showStatus(status) {
  const node = $("#status");
  node.textContent = status;
  node.dataset.state = status;
  document.body.dataset.connection = status;
}

/** A new run: the last run's event goes. */
export function clearEvent() {
  const node = $("#event");
  node.textContent = "";
  node.title = "";
  node.dataset.kind = "";
}

/** @param {{event: string, epoch?: number, message?: string}} msg an `event` message */
export function showEvent(msg) {
  const node = $("#event");
  const ev = msg.event;
  if (ev === "playing" || ev === "paused") {
    node.textContent = "";
    node.dataset.kind = "";
    return;
  }
  const text = msg.message || `${ev.replace(/_/g, " ")} at epoch ${msg.epoch}`;
  node.textContent = text;
  node.title = text;
  node.dataset.kind = ev;
}
