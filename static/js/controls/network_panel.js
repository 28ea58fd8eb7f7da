// The Network panel: input features, hidden layers and their sizes, the hidden activation (its formula and its
// curve), the output activation, the initializer, dropout and batch norm.

import { $, el, selectAt, showFormula, targetOf } from "../dom.js";
import { plotActivation } from "../activation_plot.js";
import { getActivation } from "../api.js";
import { clone, getPath } from "../state.js";
import { checkInput, describeInput, fillSelect, onParams, paramField, readInput, setSelect, syncParams } from "./fields.js";
import { outputChanged } from "./intent.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../catalog.js").Catalog} Catalog */
/** @typedef {import("./commands.js").Commands} Commands */

const CLASSIC_HIDDEN_NOTE = "classic rules train a single neuron: no hidden layers";
/** The size of a first new hidden layer (later ones copy the last). */
const NEW_LAYER = 4;

export class NetworkPanel {
  /** @param {{store: Store, catalog: Catalog, commands: Commands}} deps */
  constructor({ store, catalog, commands }) {
    this.store = store;
    this.catalog = catalog;
    this.commands = commands;
    this.curves = new Map(); // activation name → its curve (from /api/activations/{name})
    this.build();
    $("#features").addEventListener("click", (e) => {
      const chip = targetOf(e).closest("[data-feature]");
      if (!(chip instanceof HTMLElement)) return;
      const current = new Set(store.config.features || []);
      if (current.has(chip.dataset.feature)) current.delete(chip.dataset.feature);
      else current.add(chip.dataset.feature);
      store.update("features", catalog.features.map((f) => f.name).filter((f) => current.has(f)));
    });
    $("#add-layer").addEventListener("click", () => this.addLayer());
    $("#remove-layer").addEventListener("click", () => this.removeLayer());
    $("#layers").addEventListener("change", (e) => this.typeSize(/** @type {HTMLInputElement} */ (e.target)));
    $("#layers").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target instanceof HTMLInputElement) e.target.blur();
    });
    $("#layers").addEventListener("click", (e) => {
      const b = targetOf(e).closest("button[data-layer]");
      if (!(b instanceof HTMLElement)) return;
      const hidden = [...(store.config.network.hidden || [])];
      const i = Number(b.dataset.layer);
      const n = hidden[i] + Number(b.dataset.delta);
      if (n < 1 || n > catalog.limits.neurons) return;
      hidden[i] = n;
      this.setNetwork({ hidden });
    });
    selectAt("#activation").addEventListener("change", () => store.update("network.activation", selectAt("#activation").value));
    selectAt("#output-activation").addEventListener("change", () => {
      store.setConfig(outputChanged(clone(store.config), selectAt("#output-activation").value));
    });
    selectAt("#init").addEventListener("change", () => store.update("network.init", selectAt("#init").value));
    onParams($("#network-params"), {
      onChange: (path, value) => store.update(path, value),
      onLive: (path, value) => commands.setLive([{ path, value }]),
      onInvalid: (problem) => commands.invalid(problem),
    });
    store.on("config", () => this.sync());
  }

  build() {
    const { catalog } = this;
    fillSelect(selectAt("#activation"), catalog.activations);
    fillSelect(selectAt("#output-activation"), catalog.outputActivations);
    fillSelect(selectAt("#init"), catalog.initializers);
    $("#features").replaceChildren(...catalog.features.map((f) =>
      el("button", { type: "button", class: "chip", dataset: { feature: f.name }, title: f.name, "aria-pressed": "false",
        "data-testid": `feature-${f.name}` }, f.label || f.name)));
    const live = (key) => (catalog.liveKeys.has(key) ? key : null);
    $("#network-params").replaceChildren(
      paramField("network.dropout", catalog.field("network", "dropout"), { label: "dropout", live: live("dropout"), slider: true }),
      paramField("network.batch_norm", { kind: "bool", default: catalog.defaults.network.batch_norm,
        doc: "normalize every hidden layer" }, { label: "batch norm" }),
    );
  }

  setNetwork(patch) {
    const c = clone(this.store.config);
    Object.assign(c.network, patch);
    if ("hidden" in patch && Array.isArray(c.network.batch_norm)) c.network.batch_norm = c.network.batch_norm.some(Boolean);
    this.store.setConfig(c);
  }

  addLayer() {
    if (this.catalog.classic(this.store.config)) {
      this.store.message(CLASSIC_HIDDEN_NOTE + " — choose backprop to add layers", { kind: "error", field: "network.hidden" });
      return;
    }
    const hidden = [...(this.store.config.network.hidden || [])];
    if (hidden.length >= this.catalog.limits.hidden_layers) return;
    hidden.push(hidden.length ? hidden[hidden.length - 1] : NEW_LAYER);
    this.setNetwork({ hidden });
  }

  /** A width typed into a layer's box (checked against the engine's limit first). */
  typeSize(input) {
    if (!input.matches?.(".layer-size")) return;
    const problem = checkInput(input);
    if (problem) {
      this.commands.invalid(problem);
      return;
    }
    const hidden = [...(this.store.config.network.hidden || [])];
    hidden[Number(input.dataset.layer)] = readInput(input);
    this.setNetwork({ hidden });
  }

  removeLayer() {
    const hidden = [...(this.store.config.network.hidden || [])];
    if (!hidden.length) return;
    hidden.pop();
    this.setNetwork({ hidden });
  }

  sync() {
    const c = this.store.config;
    if (!c) return;
    const { limits } = this.catalog;
    const features = new Set(c.features || []);
    for (const chip of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#features [data-feature]"))) {
      const on = features.has(chip.dataset.feature);
      chip.classList.toggle("on", on);
      chip.setAttribute("aria-pressed", String(on));
    }
    const hidden = c.network.hidden || [];
    const classic = this.catalog.classic(c);
    $("#layer-count").textContent = String(hidden.length);
    // a layer of many neurons gets rows of its own and the diagram scrolls (app.css .network)
    const rows = Math.max(c.features.length, ...hidden, this.store.data?.classes || 1);
    const wrap = $("#network-wrap");
    wrap.style.setProperty("--network-rows", String(rows));
    wrap.dataset.rows = rows <= 2 ? "few" : rows <= 4 ? "some" : "many"; // a small network takes less height
    const add = /** @type {HTMLButtonElement} */ ($("#add-layer"));
    add.disabled = classic || hidden.length >= limits.hidden_layers;
    add.title = classic ? CLASSIC_HIDDEN_NOTE : "Add a hidden layer";
    /** @type {HTMLButtonElement} */ ($("#remove-layer")).disabled = hidden.length === 0;
    $("#layers").replaceChildren(...(hidden.length ? hidden.map((n, i) => el("div", { class: "layer" },
      el("button", { type: "button", class: "icon-btn small", dataset: { layer: String(i), delta: "-1" },
        "data-testid": `layer-${i}-minus`, title: "One neuron fewer", disabled: n <= 1 }, "−"),
      this.sizeInput(i, n),
      el("button", { type: "button", class: "icon-btn small", dataset: { layer: String(i), delta: "1" },
        "data-testid": `layer-${i}-plus`, title: "One neuron more", disabled: n >= limits.neurons }, "+"),
    )) : [el("p", { class: "hint" }, classic ? CLASSIC_HIDDEN_NOTE : "no hidden layer: a single-layer network")]));
    setSelect(selectAt("#activation"), c.network.activation);
    setSelect(selectAt("#output-activation"), c.network.output_activation);
    setSelect(selectAt("#init"), c.network.init);
    selectAt("#output-activation").disabled = classic;
    document.body.classList.toggle("classic", classic);
    syncParams($("#panel-network"), c);
    this.loadActivationPlot();
  }

  /** The box of layer i's width: type a size (1 … the engine's limit) or use − / +. */
  sizeInput(i, n) {
    const input = /** @type {HTMLInputElement} */ (el("input", { type: "text", class: "layer-size", inputmode: "numeric",
      autocomplete: "off", "data-testid": `layer-${i}-size`, "aria-label": `neurons in hidden layer ${i + 1}`,
      value: String(n), dataset: { layer: String(i) } }));
    describeInput(input, `network.hidden[${i}]`, this.catalog.field("network", "hidden"));
    return input;
  }

  /** The activation's formula, and its f and f′ beside the menu (from /api/activations/{name}). */
  async loadActivationPlot() {
    const name = getPath(this.store.config, "network.activation");
    const target = $("#activation-plot");
    const spec = this.catalog.activations.find((a) => a.name === name);
    showFormula($("#activation-formula"), spec ? spec.formula || "" : "");
    if (!name || !spec || target.dataset.name === name) return; // unknown names: the server's error says so
    target.dataset.name = name;
    try {
      let curve = this.curves.get(name);
      if (!curve) {
        curve = await getActivation(name);
        this.curves.set(name, curve);
      }
      if (target.dataset.name !== name) return;
      plotActivation(target, curve);
    } catch (err) {
      target.dataset.name = "";
      target.textContent = `could not load the curve of ${name}: ${err.message}`;
    }
  }
}
