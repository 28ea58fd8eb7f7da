// What a lesson shows besides its scene, below its text: the loss landscape of a single neuron with this run's
// path (lesson 9, landscape.js), or the gallery of activation functions.

import { plotActivation } from "./activation_plot.js";
import { getActivation } from "./api.js";
import { el } from "./dom.js";
import { LandscapeView } from "./landscape.js";
import { t } from "./i18n.js";
import { menuLabel } from "./controls/fields.js";

/** @typedef {{store: import("./state.js").Store, catalog: import("./catalog.js").Catalog}} ExtrasDeps */

export class LessonExtras {
  /**
   * @param {ExtrasDeps} deps
   * @param {HTMLElement} box where the extras go
   */
  constructor(deps, box) {
    this.deps = deps;
    this.box = box;
    /** @type {LandscapeView | null} */
    this.landscape = null;
    this.offFrame = null;
    this.offData = null;
  }

  /** Remove what is shown (another lesson, or the same one loaded again). */
  clear() {
    if (this.offFrame) this.offFrame();
    if (this.offData) this.offData();
    this.offFrame = this.offData = null;
    if (this.landscape) this.landscape.destroy();
    this.landscape = null;
    this.box.replaceChildren();
  }

  /** The loss over (w₁, w₂) for the lesson's config, and this run's path on it as it trains. */
  showLandscape(lesson) {
    const box = el("div", { class: "lesson-landscape" });
    this.box.append(el("h4", { text: t("landscape.title") }), box);
    const view = new LandscapeView(box);
    this.landscape = view;
    view.load(lesson.config).catch((err) => {
      box.append(el("p", { class: "lesson-error", text: t("landscape.failed", { reason: err.message }) }));
    });
    const { store, catalog } = this.deps;
    if (store.lastFrame) view.push(store.lastFrame);
    this.offFrame = store.on("frame", (frame) => view.push(frame));
    this.offData = store.on("data", (msg) => {
      const net = msg.config && msg.config.network;
      const single = net && net.hidden.length === 0 && !catalog.perClass(net.output_activation);
      box.classList.toggle("landscape-stale", !single);
      box.title = single ? "" : t("landscape.single");
    });
  }

  /** Every hidden-layer activation's curve; a click uses it. */
  showGallery() {
    const { store, catalog } = this.deps;
    const grid = el("div", { class: "activation-gallery", "data-testid": "activation-gallery" });
    const label = menuLabel("activation");
    this.box.append(el("h4", { text: t("gallery.title") }), grid);
    for (const { name } of catalog.activations) {
      const plot = el("div", { class: "gallery-plot" });
      const item = el("button", { type: "button", class: "gallery-item", title: t("gallery.use", { name: label({ name }) }),
        onclick: () => store.update("network.activation", name) }, plot, el("span", { text: label({ name }) }));
      grid.append(item);
      getActivation(name, { lo: -4, hi: 4, n: 81 })
        .then((curve) => plotActivation(plot, curve))
        .catch(() => plot.append(el("span", { class: "lesson-error", text: "—" })));
    }
  }
}
