// The live session as the page follows it: the connection status, the server's `data` (the normalized config is
// adopted into the store once no configure is pending), frames, events, errors and acks, each to the module that
// deals with it, and the store's events ("data", "frame", "event") for the panels that follow the run.

import { Session } from "./socket.js";
import { clone } from "./state.js";
import { showEvent, showStatus } from "./readouts.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./controls/commands.js").Commands} Commands */
/** @typedef {import("./live_view.js").LiveView} LiveView */

/**
 * Open the live session at once (it connects while the catalog loads), at `url` (a class's: classroom/link.js) or
 * the page's own /ws/train.
 * @param {Store} store
 * @param {string | null} url
 * @returns {{session: Session, hello: Promise<any>}}
 */
export function openSession(store, url = null) {
  let helloResolve;
  const hello = new Promise((resolve) => { helloResolve = resolve; });
  const session = new Session(url, {
    onStatus: (status) => {
      store.setStatus(status);
      showStatus(status);
      if (status !== "live") store.setPlaying(false); // a new connection starts paused
    },
    onHello: (msg) => helloResolve(msg),
  });
  showStatus(session.status);
  return { session, hello };
}

/**
 * Take the server's normalized config (defaults filled in) without re-configuring; the user's points stay.
 * @param {Store} store
 * @param {import("./types.js").Config} config
 */
function adoptNormalized(store, config) {
  const c = clone(config);
  if (c.network) delete c.network.weights;
  if (store.drawing !== Boolean(c.data && Array.isArray(c.data.points))) return; // an answer to an older request
  if (store.drawing) Object.assign(c.data, { points: clone(store.drawn.points), labels: clone(store.drawn.labels) });
  c.view = { ...(c.view || {}), discretize: store.view.discretize, show_test: store.view.showTest,
    log_scale: store.view.logScale };
  if (JSON.stringify(c) === JSON.stringify(store.config)) return;
  store.setConfig(c, { reset: false, source: "server" });
}

/**
 * Route the session's messages once the page is built.
 * @param {Session} session
 * @param {{store: Store, commands: Commands, liveView: LiveView, onError: (msg: any) => boolean}} deps
 *   `onError` may take an error first (the scene loader's, for a link that fails): true when it did
 */
export function followSession(session, { store, commands, liveView, onError }) {
  session.handle({
    onData: (msg) => {
      liveView.onData(msg);
      store.data = msg;
      commands.onData();
      if (msg.config) {
        store.applied = clone(msg.config);
        if (commands.settled) adoptNormalized(store, msg.config);
      }
      store.emit("data", msg);
    },
    onFrame: (frame) => {
      if (liveView.onFrame(frame)) store.emit("frame", frame);
    },
    onEvent: (msg) => {
      if (!commands.settled && msg.event !== "playing" && msg.event !== "paused") return; // the replaced run's
      showEvent(msg);
      commands.onEvent(msg);
      store.emit("event", msg);
    },
    onError: (msg) => {
      if (!onError(msg)) commands.onError(msg);
    },
    onAck: (msg) => commands.onAck(msg),
    // after a reconnect: the scene as it is now (edits included), unless the drawn points cannot train yet;
    // connection.js adds the run's weights and epoch
    config: () => (store.trainable ? clone(store.config) : null),
  });
}
