// The Data panel: the dataset menu (grouped; "my own points" switches to drawing), the dataset's parameters, the
// test ratio, regenerate, clear, and the drawing tools with the class of new points.

import { $, el, inputAt, selectAt, targetOf } from "../dom.js";
import { COLOUR_NAMES, PALETTE } from "../colors.js";
import { pct } from "../format.js";
import { clone } from "../state.js";
import { human, onParams, paramField, syncParams } from "./fields.js";
import { dataChanged } from "./intent.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../catalog.js").Catalog} Catalog */
/** @typedef {import("./commands.js").Commands} Commands */

/** The menu entry of the user's own points. */
export const DRAW = "__draw__";
const GROUP_ORDER = ["Logic gates", "Playground", "Multi-class", "Regression"];
const TOOL_HINTS = {
  add: "click the plane to add a point of the chosen class", move: "drag a point to move it",
  erase: "click a point to remove it", brush: "click to scatter a handful of points",
};

export class DataPanel {
  /** @param {{store: Store, catalog: Catalog, commands: Commands}} deps */
  constructor({ store, catalog, commands }) {
    this.store = store;
    this.catalog = catalog;
    /** How many classes the picker offers (the engine's limit, as far as the palette has colours). */
    this.classes = Math.min(catalog.limits.classes, PALETTE.length);
    this.buildDatasets();
    this.buildClassPicker();
    selectAt("#dataset").addEventListener("change", () => this.chooseDataset(selectAt("#dataset").value));
    const tf = inputAt("#test-fraction");
    tf.addEventListener("input", () => { $("#test-fraction-out").textContent = pct(Number(tf.value)); });
    tf.addEventListener("change", () => store.update("data.test_fraction", Number(tf.value)));
    $("#regenerate").addEventListener("click", () => this.regenerate());
    $("#clear-points").addEventListener("click", () => this.clearPoints());
    $("#class-picker").addEventListener("click", (e) => {
      const b = targetOf(e).closest("[data-cls]");
      if (b instanceof HTMLElement) store.setView({ cls: Number(b.dataset.cls) });
    });
    $("#tools").addEventListener("click", (e) => {
      const b = targetOf(e).closest("[data-tool]");
      if (b instanceof HTMLElement) store.setView({ tool: b.dataset.tool });
    });
    onParams($("#dataset-params"), {
      onChange: (path, value) => store.update(path, value),
      onLive: (path, value) => commands.setLive([{ path, value }]),
      onInvalid: (problem) => commands.invalid(problem),
    });
    store.on("config", () => this.sync());
    store.on("view", () => this.syncView());
  }

  /** The dataset menu, in groups: logic gates, the playground's sets, multi-class, regression. */
  buildDatasets() {
    const group = (d) => d.task === "regression" ? "Regression"
      : typeof d.classes === "string" || d.classes > 2 ? "Multi-class"
        : this.catalog.isGate(d.name) ? "Logic gates" : "Playground";
    const groups = new Map();
    for (const d of this.catalog.datasets) {
      const g = group(d);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(d);
    }
    const order = [...GROUP_ORDER.filter((g) => groups.has(g)), ...[...groups.keys()].filter((g) => !GROUP_ORDER.includes(g))];
    selectAt("#dataset").replaceChildren(el("option", { value: DRAW }, "✎ my own points (draw)"),
      ...order.map((g) => el("optgroup", { label: g }, groups.get(g).map((d) => el("option",
        { value: d.name, title: d.description }, human(d.name))))));
  }

  buildClassPicker() {
    $("#class-picker").replaceChildren(...Array.from({ length: this.classes }, (_, k) => {
      const swatch = el("button", {
        type: "button", class: "swatch", role: "radio", "aria-checked": "false", dataset: { cls: String(k) },
        "data-testid": `class-${k}`, title: `class ${k} (${COLOUR_NAMES[k]}) — key ${k + 1}`,
        "aria-label": `class ${k} (${COLOUR_NAMES[k]})`,
      }, String(k));
      swatch.style.setProperty("--swatch", PALETTE[k]); // through the CSSOM: no inline style attribute
      return swatch;
    }));
  }

  chooseDataset(name) {
    if (name === DRAW) {
      this.startDrawing();
      return;
    }
    const c = clone(this.store.config);
    const before = this.catalog.dataKind(c.data);
    c.data = { dataset: name }; // every preset starts from its own defaults (noise, size, test ratio, extent)
    this.store.setConfig(dataChanged(c, before, this.catalog.dataKind(c.data)));
  }

  /** Switch to the user's own points: the points drawn before come back (or none). */
  startDrawing() {
    const c = clone(this.store.config);
    const before = this.catalog.dataKind(c.data);
    const { points, labels } = this.store.drawn;
    c.data = { points: clone(points), labels: clone(labels), test_fraction: 0,
      extent: this.store.drawn.extent || this.catalog.planeExtent };
    this.store.setConfig(dataChanged(c, before, this.catalog.dataKind(c.data)));
  }

  clearPoints() {
    const { store } = this;
    const c = clone(store.config);
    const extent = store.drawing ? c.data.extent || this.catalog.planeExtent : this.catalog.planeExtent;
    c.data = { points: [], labels: [], test_fraction: store.drawing ? c.data.test_fraction ?? 0 : 0, extent };
    store.drawn = { points: [], labels: [], extent };
    store.setConfig(c);
  }

  /** New random points: the dataset's next seed. */
  regenerate() {
    const c = clone(this.store.config);
    const seed = this.catalog.dataset(c.data.dataset)?.params.find((p) => p.name === "seed");
    const next = (c.data.seed ?? seed?.default ?? 0) + 1;
    c.data.seed = seed?.max !== undefined && next > seed.max ? seed.min ?? 0 : next;
    this.store.setConfig(c);
  }

  /** The dataset's parameters (its seed aside: regenerate steps it), rebuilt when the dataset changes. */
  datasetParams() {
    const box = $("#dataset-params");
    const spec = this.store.drawing ? null : this.catalog.dataset(this.store.config.data.dataset);
    if (!spec) {
      box.replaceChildren();
      box.dataset.dataset = "";
      return;
    }
    if (box.dataset.dataset === spec.name) return;
    box.dataset.dataset = spec.name;
    box.replaceChildren(...spec.params.filter((p) => p.name !== "seed")
      .map((p) => paramField(`data.${p.name}`, p, { label: human(p.name), slider: true })));
  }

  sync() {
    const c = this.store.config;
    if (!c) return;
    const drawing = this.store.drawing;
    const spec = drawing ? null : this.catalog.dataset(c.data.dataset);
    selectAt("#dataset").value = drawing ? DRAW : c.data.dataset;
    $("#dataset-desc").textContent = drawing ? "your own points: click the plane to add, pick a class and a tool below"
      : spec ? spec.description || "" : "";
    this.datasetParams();
    syncParams($("#panel-data"), c);
    const tf = c.data.test_fraction ?? 0;
    inputAt("#test-fraction").value = String(tf);
    $("#test-fraction-out").textContent = pct(tf);
    /** @type {HTMLButtonElement} */ ($("#regenerate")).disabled = drawing;
    this.syncView();
  }

  /** The class picker, the tools and the hint below them. */
  syncView() {
    const v = this.store.view;
    for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#class-picker [data-cls]"))) {
      const on = Number(b.dataset.cls) === v.cls;
      b.classList.toggle("on", on);
      b.setAttribute("aria-checked", String(on));
    }
    for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#tools [data-tool]"))) {
      const on = b.dataset.tool === v.tool;
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", String(on));
    }
    document.body.dataset.tool = v.tool;
    const regression = this.store.data && this.store.data.task === "regression" && !this.store.drawing;
    $("#draw-hint").textContent = regression ? "drawing makes a classification set: it starts from empty"
      : TOOL_HINTS[v.tool] || "";
  }
}
