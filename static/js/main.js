// Entry point of the page: builds the views, the store, the live session and the controls, then hands a context
// to the lessons, timeline and compare panels.
//
// ctx — what initLessons(ctx), initTimeline(ctx) and initCompare(ctx) receive:
//   ctx.store          the Store (state.js): .config (the config the user chose), .applied (normalized config of
//                      the running session), .data (last `data` message), .drawn {points, labels}, .view
//                      {discretize, showTest, logScale, tool, cls, speed}, .lastFrame; events via
//                      store.on("config" | "view" | "drawn" | "data" | "frame" | "status" | "message", fn(detail))
//   ctx.session        the live Session (socket.js): configure(config), play(), pause(), step(n, unit), reset(),
//                      set({...}), points(op, fields), weights(layer, kind, i, j, value); `new ctx.Session(null,
//                      handlers)` opens another run (compare.js)
//   ctx.Session        the Session class; ctx.decodeFrame(arrayBuffer) decodes a binary frame
//   ctx.api            api.js: getCatalog(), getActivation(name, {lo, hi, n}), getDataset(name, params)
//   ctx.catalog        the normalized catalog (every section a list of {name, ...}); ctx.palette = PALETTE
//   ctx.plane          PlaneView on #plane;  ctx.network  NetworkView on #network
//   ctx.curves         CurvesView on #curves; ctx.neuron  NeuronView on #neuron
//   ctx.renderFrame(frame)   draws a decoded frame everywhere (plane, network, neuron, readouts) — live frames and
//                      the timeline's replay both go through it; it does not touch the curves
//   ctx.onFrame(fn)    fn(frame) for every live decoded frame (also while replaying); returns an unsubscribe fn
//   ctx.onData(fn)     fn(dataMessage) for every `data` message (a new run or new points); returns unsubscribe
//   ctx.onEvent(fn)    fn(eventMessage) for `event` messages (converged, diverged, paused, ...)
//   ctx.replaying      set true while showing history: live frames stop drawing (still recorded and passed to
//                      onFrame listeners); set false and the newest live frame is drawn again
//   ctx.loadConfig(config)   replace the whole scene's config (resets the run; drawn points inside config.data)
//   ctx.play(), ctx.pause(), ctx.step(), ctx.reset()   the transport buttons
//   ctx.message(text, {kind: "error"|"info", field})  show a message (next to the control of `field`)
//   ctx.controls       the Controls (controls.js): .playing, .classic, .clearBanner(force), .harmonize(config, ...)
//   ctx.exports        exports.js: plotsPNG(), runJSON(), pointsCSV(), parsePointsCSV(text)
//   ctx.ready          a Promise resolved once the first scene is configured
// (ctx.catalog, ctx.controls, ctx.exports and ctx.ready are set before initLessons/initTimeline/initCompare run.)

import { Store, PALETTE, clone, decodeScene } from "./state.js";
import { Session, decodeFrame } from "./socket.js";
import { api } from "./api.js";
import { Controls } from "./controls.js";
import { fmt, pct } from "./format.js";
import { initExports } from "./exports.js";
import { initLessons } from "./lessons.js";
import { initTimeline } from "./timeline.js";
import { initCompare } from "./compare.js";
import { PlaneView, CurvesView, plotActivation } from "./plots.js";
import { NetworkView } from "./network_view.js";
import { NeuronView } from "./neuron_view.js";

const $ = (sel) => document.querySelector(sel);

/** Call `fn` and log instead of throwing: one broken view must not stop the others. */
function safely(what, fn) {
  try {
    const result = fn();
    if (result && typeof result.catch === "function") result.catch((err) => console.warn(`nnlive: ${what} failed`, err));
    return result;
  } catch (err) {
    console.warn(`nnlive: ${what} failed`, err);
    return undefined;
  }
}

// --- readouts ---------------------------------------------------------------------------------------------------


function showReadouts(frame, config) {
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

function showStatus(status) {
  const node = $("#status");
  node.textContent = status;
  node.dataset.state = status;
  document.body.dataset.connection = status;
}

function showEvent(msg) {
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

// --- the page ---------------------------------------------------------------------------------------------------

async function main() {
  const store = new Store();
  const frameListeners = new Set();
  const dataListeners = new Set();
  const eventListeners = new Set();
  let controls = null;
  let replaying = false;
  let detached = false; // true while the user's points cannot be trained yet (fewer than two classes)
  let helloResolve;
  const hello = new Promise((resolve) => { helloResolve = resolve; });
  let initialId = null;
  let defaults = null;

  const ctx = {
    store, api, palette: PALETTE, Session, decodeFrame, catalog: null, session: null,
    plane: null, network: null, curves: null, neuron: null,
    renderFrame, onFrame: (fn) => subscribe(frameListeners, fn), onData: (fn) => subscribe(dataListeners, fn),
    onEvent: (fn) => subscribe(eventListeners, fn),
    get replaying() { return replaying; },
    set replaying(value) {
      replaying = Boolean(value);
      document.body.classList.toggle("replaying", replaying);
      if (!replaying && store.lastFrame) renderFrame(store.lastFrame);
    },
    loadConfig: (config) => store.setConfig(config),
    play: () => controls && controls.play(), pause: () => controls && controls.pause(),
    step: () => controls && controls.step(), reset: () => controls && controls.reset(),
    message: (text, opts) => store.message(text, opts),
    ready: null,
  };
  window.nnlive = ctx; // for the console and the browser tests

  function subscribe(set, fn) {
    set.add(fn);
    return () => set.delete(fn);
  }

  function notify(set, value) {
    for (const fn of set) safely("a listener", () => fn(value));
  }

  // Frames come at up to 30 per second: the plane schedules its own drawing; the network and neuron views and the
  // readouts are drawn once per animation frame, with the newest frame asked for (a replayed one included).
  let pendingFrame = null;
  function renderFrame(frame) {
    if (!frame) return;
    safely("plane", () => ctx.plane.setFrame(frame));
    if (!pendingFrame) requestAnimationFrame(drawPending);
    pendingFrame = frame;
  }

  function drawPending() {
    const frame = pendingFrame;
    pendingFrame = null;
    if (!frame) return;
    const config = store.applied || store.config;
    safely("network view", () => ctx.network.render(config, frame));
    safely("neuron view", () => ctx.neuron.render(config, frame));
    showReadouts(frame, config);
  }

  // views
  const getTool = () => ({ tool: store.view.tool, cls: store.view.cls });
  ctx.plane = safely("plane", () => new PlaneView($("#plane"), {
    getTool,
    onAdd: (x, y) => editPoints((pts, labels) => { pts.push([x, y]); labels.push(store.view.cls); return { op: "add", points: [[x, y]], labels: [store.view.cls] }; }),
    onMove: (index, x, y, info) => editPoints((pts) => {
      const k = findDrawn(pts, index, info);
      if (k < 0) return null;
      pts[k] = [x, y];
      return { op: "replace" };
    }),
    onRemove: (index, info) => editPoints((pts, labels) => {
      const k = findDrawn(pts, index, info);
      if (k < 0) return null;
      pts.splice(k, 1);
      labels.splice(k, 1);
      return { op: "remove", indices: [k] };
    }),
    onBrush: (points) => editPoints((pts, labels) => {
      const xy = points.map((p) => (Array.isArray(p) ? [p[0], p[1]] : [p.x, p.y]));
      xy.forEach((p) => { pts.push(p); labels.push(store.view.cls); });
      return { op: "add", points: xy, labels: xy.map(() => store.view.cls) };
    }),
  }));
  ctx.curves = safely("curves", () => new CurvesView($("#curves")));
  ctx.network = safely("network view", () => new NetworkView($("#network"), {
    onEditWeight: (layer, kind, i, j, value) => ctx.session.weights(layer, kind, i, j, value),
  }));
  ctx.neuron = safely("neuron view", () => new NeuronView($("#neuron")));

  // Plotly figures follow their boxes (the panels around them grow and shrink, not only the window)
  const resized = new Set();
  const sizes = new WeakMap(); // the last size each figure was fitted to: a resize never feeds itself
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const { width, height } = entry.contentRect;
      const key = `${Math.round(width)}x${Math.round(height)}`;
      if (width > 0 && height > 0 && sizes.get(entry.target) !== key) {
        sizes.set(entry.target, key);
        resized.add(entry.target);
      }
    }
    if (!resized.size) return;
    requestAnimationFrame(() => {
      for (const el of resized) if (el._fullLayout) safely("resize", () => window.Plotly.Plots.resize(el));
      resized.clear();
    });
  });
  observer.observe($("#curves")); // PlaneView watches its own box

  /** Which of the user's points does the plane's (index, info) mean? Matched by position (the server may split
   * the user's points into train and test). */
  function findDrawn(pts, index, info) {
    const target = info && info.point ? info.point : null;
    if (!target) return index < pts.length ? index : -1;
    let best = -1;
    let bestD = Infinity;
    pts.forEach((p, k) => {
      const d = Math.hypot(p[0] - target[0], p[1] - target[1]);
      if (d < bestD) [best, bestD] = [k, d];
    });
    return best;
  }

  /** Apply an edit of the user's points: locally at once, then to the server (points op, or configure when the
   * classes change or the scene was a preset until now). */
  function editPoints(mutate) {
    if (!store.config || !controls) return; // before the first scene there is nothing to edit
    const wasDrawing = store.drawing;
    let points;
    let labels;
    if (wasDrawing) {
      points = clone(store.drawn.points);
      labels = clone(store.drawn.labels);
    } else {
      const d = store.data;
      const usable = d && d.task !== "regression";
      points = usable ? [...d.train.points, ...(d.test ? d.test.points : [])].map((p) => [...p]) : [];
      labels = usable ? [...d.train.labels, ...(d.test ? d.test.labels : [])] : [];
    }
    const classesBefore = labels.length ? Math.max(...labels) + 1 : 0;
    const readyBefore = wasDrawing && controls.drawnReady();
    const op = mutate(points, labels);
    if (!op) return;
    if (!wasDrawing) {
      const c = clone(store.config);
      const preset = store.data && store.data.task !== "regression"; // its points became the user's
      const extent = (store.data && store.data.extent) || [-6, 6, -6, 6];
      c.data = { points, labels, test_fraction: preset ? c.data.test_fraction ?? 0 : 0, extent };
      controls.harmonize(c, null, labels);
      store.setConfig(c);
      return;
    }
    store.setDrawn(points, labels, op);
    if (!controls.drawnReady()) {
      showLocalPoints();
      controls.flushConfigure();
      return;
    }
    const classesAfter = Math.max(...labels) + 1;
    if (!readyBefore || classesAfter !== classesBefore) {
      if (!controls.harmonizeDrawn()) controls.flushConfigure();
      return;
    }
    if (op.op === "add") ctx.session.points("add", { points: op.points, labels: op.labels });
    else if (op.op === "remove") ctx.session.points("remove", { indices: op.indices });
    else ctx.session.points("replace", { points, labels });
  }

  /** Draw the user's points when there is no trainer for them yet (fewer than two classes). */
  function showLocalPoints() {
    detached = true;
    store.lastFrame = null;
    const extent = (store.config.data && store.config.data.extent) || (store.data && store.data.extent) || [-6, 6, -6, 6];
    const k = Math.max(2, ...store.drawn.labels.map((l) => l + 1));
    safely("plane", () => ctx.plane.setData({ type: "data", train: { points: store.drawn.points, labels: store.drawn.labels },
      test: { points: [], labels: [] }, extent, task: "classification", classes: k, config: store.config }));
    safely("plane", () => ctx.plane.setFrame({ epoch: 0, step: 0, done: false, metrics: {}, weights: null, update: null, grid: null }));
    safely("curves", () => ctx.curves.reset());
    showReadouts({ epoch: 0, step: 0, metrics: {} }, store.config);
    const need = store.drawn.points.length ? "add points of a second class (pick its colour above the tools)"
      : "click the plane to add points; pick a class colour first";
    $("#draw-hint").textContent = need;
  }

  // the live session
  const session = new Session(null, {
    onStatus: (status) => {
      store.setStatus(status);
      showStatus(status);
      if (status !== "live" && controls) controls.setPlaying(false); // a new connection starts paused
    },
    onHello: (msg) => helloResolve(msg),
    onData: (msg) => {
      detached = false;
      const before = store.data;
      store.data = msg;
      // a frame of the previous run must not be read with the new run's output kind (softmax planes vs one plane)
      const kind = (d) => (d && d.config ? `${d.task}/${d.config.network.output_activation}/${d.classes}` : "");
      if (store.lastFrame && kind(before) !== kind(msg)) {
        safely("plane", () => ctx.plane.setFrame({ ...store.lastFrame, grid: null }));
      }
      if (controls) controls.onData(msg);
      if (msg.config) {
        store.applied = clone(msg.config);
        const settled = controls && controls.pendingConfigure.length === 0 && !controls._configureTimer;
        if (settled) adoptNormalized(msg.config);
      }
      safely("plane", () => ctx.plane.setData(msg));
      safely("neuron view", () => ctx.neuron.setData?.(msg)); // the gates' truth table
      store.emit("data", msg);
      notify(dataListeners, msg);
    },
    onFrame: (frame) => {
      if (detached) return; // the user's points have no trainer yet: the old run's last frames are not theirs
      const previous = store.lastFrame;
      store.lastFrame = frame;
      if (previous && frame.epoch < previous.epoch) safely("curves", () => ctx.curves.reset());
      safely("curves", () => ctx.curves.push(frame));
      if (!replaying) renderFrame(frame);
      store.emit("frame", frame);
      notify(frameListeners, frame);
    },
    onEvent: (msg) => {
      showEvent(msg);
      if (controls) controls.onEvent(msg);
      notify(eventListeners, msg);
    },
    onError: (msg) => {
      if (msg.id !== undefined && msg.id === initialId && defaults) {
        initialId = null;
        const reason = String(msg.message || "").replace(/\.?$/, ".");
        store.message(`This link's scene could not be used — ${reason} Showing the default scene instead.`,
          { kind: "error", field: msg.field, sticky: true });
        store.setConfig(clone(defaults));
        return;
      }
      if (controls) controls.onError(msg);
      else store.message(msg.message, { kind: "error", field: msg.field });
    },
    onAck: (msg) => controls && controls.onAck(msg),
    config: () => (controls && store.config && !(store.drawing && !controls.drawnReady()) ? clone(store.config) : null),
  });
  ctx.session = session;
  showStatus(session.status);

  /** Take the server's normalized config (defaults filled in) without re-configuring; the user's points stay. */
  function adoptNormalized(config) {
    const c = clone(config);
    if (c.network) delete c.network.weights;
    if (store.drawing !== Boolean(c.data && Array.isArray(c.data.points))) return; // an answer to an older request
    if (store.drawing) Object.assign(c.data, { points: clone(store.drawn.points), labels: clone(store.drawn.labels) });
    c.view = { ...(c.view || {}), discretize: store.view.discretize, show_test: store.view.showTest,
      log_scale: store.view.logScale };
    if (JSON.stringify(c) === JSON.stringify(store.config)) return;
    store.setConfig(c, { reset: false, source: "server" });
  }

  // the scene in the URL (decoded before anything can overwrite the hash)
  let scene = null;
  let hashError = null;
  try {
    scene = await decodeScene(location.hash);
  } catch (err) {
    hashError = err;
  }

  // the catalog (menus) and the server's defaults
  let catalog = null;
  for (let attempt = 0; !catalog; attempt++) {
    try {
      catalog = await api.getCatalog();
    } catch (err) {
      store.message(`Could not load the menus from the server (${err.message}); retrying…`, { kind: "info" });
      await new Promise((r) => setTimeout(r, Math.min(8000, 500 * 2 ** attempt)));
    }
  }
  ctx.catalog = catalog;
  const helloMsg = await Promise.race([hello, new Promise((r) => setTimeout(() => r(null), 4000))]);
  defaults = (helloMsg && helloMsg.defaults) || catalog.defaults || (await hello).defaults;
  if (helloMsg && helloMsg.limits) {
    const l = helloMsg.limits;
    catalog.limits = { ...catalog.limits, ...(l.config && typeof l.config === "object" ? l.config : l) };
  }

  controls = new Controls({ store, session, catalog, api, plotActivation });
  ctx.controls = controls;
  initExports(ctx);

  store.on("view", (patch) => {
    const v = store.view;
    safely("plane", () => ctx.plane.setView({ discretize: v.discretize, showTest: v.showTest }));
    if ("logScale" in patch) safely("curves", () => ctx.curves.setLog(v.logScale));
    if (store.config && store.config.view) {
      Object.assign(store.config.view, { discretize: v.discretize, show_test: v.showTest, log_scale: v.logScale });
    }
  });
  store.on("config", () => {
    if (store.drawing && !controls.drawnReady()) showLocalPoints();
  });

  if (hashError) {
    store.message(`${hashError.message[0].toUpperCase()}${hashError.message.slice(1)}. Showing the default scene instead.`,
      { kind: "error", sticky: true });
    store.setConfig(clone(defaults), { source: "default" });
  } else if (scene) {
    store.loadScene(scene);
    initialId = controls.flushConfigure();
  } else {
    store.setConfig(clone(defaults), { source: "default" });
  }
  // a scene link pasted into this tab changes only the hash: load it like a fresh page would
  window.addEventListener("hashchange", async () => {
    const hash = location.hash.replace(/^#/, "");
    if (!/^[sj]=/.test(hash) || hash === store._lastHash) return;
    try {
      const next = await decodeScene(location.hash);
      if (next) {
        store.loadScene(next);
        initialId = controls.flushConfigure();
      }
    } catch (err) {
      store.message(`${err.message[0].toUpperCase()}${err.message.slice(1)}; the scene on screen stays.`, { kind: "error" });
    }
  });
  session.set({ speed: store.view.speed });
  store.emit("view", { ...store.view });

  ctx.ready = store.data || (store.drawing && !controls.drawnReady()) ? Promise.resolve()
    : new Promise((resolve) => { const off = ctx.onData(() => { off(); resolve(); }); });

  for (const [name, init] of [["lessons", initLessons], ["timeline", initTimeline], ["compare", initCompare]]) {
    safely(name, () => init(ctx));
  }
  $("#app").dataset.ready = "true";
}

main().catch((err) => {
  console.warn("nnlive: the page could not start", err);
  const banner = document.querySelector("#error");
  if (banner) {
    banner.textContent = `The page could not start: ${err.message}`;
    banner.hidden = false;
  }
});
