// The page's composition root: it builds the store, the live session, the catalog, the controls and the views,
// and hands each module what it needs. `window.nnlive` is a handle for the console and the browser tests (the
// store, the session, the catalog, the views and panels); no module reads it.

import { Connection } from "./connection.js";
import { initControls } from "./controls/index.js";
import { CurvesView } from "./curves_view.js";
import { classLink } from "./classroom/link.js";
import { LearnerClass } from "./classroom/learner.js";
import { $ } from "./dom.js";
import { initExports } from "./exports.js";
import { initCompare } from "./compare.js";
import { loadCatalog } from "./catalog.js";
import { initGateNote } from "./gate_note.js";
import { initLessons } from "./lessons.js";
import { LiveView, safely } from "./live_view.js";
import { NetworkView } from "./network_view.js";
import { NeuronView } from "./neuron_view.js";
import { PlaneView } from "./plane_view.js";
import { PointEditing } from "./point_editing.js";
import { PointKeys } from "./point_keys.js";
import { Projector } from "./projector.js";
import { SaveControl } from "./save_control.js";
import { Scenes, sceneFromURL } from "./scenes.js";
import { followSession, openSession } from "./session_link.js";
import { Store } from "./state.js";
import { initTimeline } from "./timeline.js";
import { WeightKeys } from "./weight_keys.js";
import { initLanguagePick, t } from "./i18n.js";

const HELLO_WAIT_MS = 4000;

/** The catalog, retried with backoff while the server cannot answer (the page says so). */
async function catalogOrRetry(store) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await loadCatalog();
    } catch (err) {
      store.message(t("page.menus_failed", { reason: err.message }), { kind: "info" });
      await new Promise((r) => setTimeout(r, Math.min(8000, 500 * 2 ** attempt)));
    }
  }
}

async function main() {
  initLanguagePick();
  const projector = new Projector(); // first: the page is laid out for the projector from the start
  const store = new Store();
  const link = await sceneFromURL();
  const classroom = await classLink().catch((err) => { store.message(err.message, { kind: "error" }); return null; });
  const { session, hello } = openSession(store, classroom?.trainUrl);
  const catalog = await catalogOrRetry(store);
  const helloMsg = await Promise.race([hello, new Promise((r) => setTimeout(() => r(null), HELLO_WAIT_MS))]);
  catalog.adoptLimits(helloMsg?.limits);
  const defaults = helloMsg?.defaults || catalog.defaults;

  const { commands, messages } = initControls({ store, session, catalog });
  const editing = new PointEditing({ store, session, catalog, commands, showLocal: () => liveView.showLocal() });
  const planeCallbacks = editing.planeCallbacks();
  const plane = new PlaneView($("#plane"), catalog, planeCallbacks, { legend: $("#legend") });
  const curves = new CurvesView($("#curves"));
  const network = new NetworkView($("#network"), catalog, {
    onEditWeight: (layer, kind, i, j, value) => { if (session.connected) session.weights(layer, kind, i, j, value); },
  });
  const canEdit = () => session.connected;
  new PointKeys({ plane, callbacks: planeCallbacks, canEdit });
  new WeightKeys({ network, canEdit });
  const neuron = new NeuronView($("#neuron"), catalog);
  const liveView = new LiveView({ store, catalog, plane, network, neuron, curves });
  const scenes = new Scenes({ store, commands, defaults });
  followSession(session, { store, commands, liveView, onError: (msg) => scenes.onError(msg) });
  const connection = new Connection({ store, session, commands });
  initGateNote({ store, catalog });

  scenes.start(link);
  new SaveControl($("#save-slot"), { store, curves, opened: link.saved });
  if (classroom) new LearnerClass(classroom, { store, session, commands, scenes });
  session.set({ speed: store.view.speed });
  store.emit("view", { ...store.view });
  const exports = initExports({ store, catalog, views: [plane, curves] });
  const ready = store.data || !store.trainable ? Promise.resolve()
    : new Promise((resolve) => { const off = store.on("data", () => { off(); resolve(); }); });

  const nnlive = { store, session, catalog, plane, curves, network, neuron, exports, liveView, connection, projector,
    commands, get replaying() { return liveView.replaying; }, get stats() { return liveView.stats; } };
  window.nnlive = nnlive;
  const timeline = safely("timeline", () => initTimeline({ store, liveView, curves }));
  const compare = safely("compare", () => initCompare({ store, catalog, commands, session, timeline }));
  const lessons = safely("lessons", () => initLessons({ store, session, catalog, liveView, messages, ready }));
  Object.assign(nnlive, { timeline, compare, lessons });
  $("#app").dataset.ready = "true";
}

main().catch((err) => {
  console.warn("nnlive: the page could not start", err);
  const banner = document.querySelector("#error");
  if (banner instanceof HTMLElement) {
    banner.textContent = t("page.failed", { reason: err.message });
    banner.hidden = false;
  }
});
