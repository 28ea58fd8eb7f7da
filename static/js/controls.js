// Controls: every input of the page ↔ the store, and the commands that go to the server.
//
// Changes that need a new trainer (data, features, network, rule, loss, optimizer, batch size, ...) update the
// store and send one `configure` (coalesced); live ones (learning rate, L1/L2 rate, momentum, dropout, speed)
// go out as `set` and reach the store when the server acknowledges them. Menus are built from GET /api/catalog.
// Server errors appear next to the control that caused them (matched by the error's `field`) and in
// [data-testid=error]. Keyboard: space play/pause, s step, r reset, a/m/e/b tools, 1–8 class.

import { MAX_CLASSES, PALETTE, clone, getPath, setPath } from "./state.js";
import { el, showFormula } from "./dom.js";
import { fmt, pct } from "./format.js";

const SPEEDS = [1, 2, 5, 10, 30, 100, 300, 0]; // epochs per second; 0 = as fast as possible
const CLASSIC_HIDDEN_NOTE = "classic rules train a single neuron: no hidden layers";
const LIVE_KEYS = new Set(["learning_rate", "l1", "l2", "momentum", "dropout", "epochs", "patience"]);

const $ = (sel, root = document) => root.querySelector(sel);

/** Human label for an identifier: "learning_rate" → "learning rate". */
const human = (name) => String(name).replace(/_/g, " ");

function groupOf(ds) {
  if (ds.group || ds.category) return ds.group || ds.category;
  if (ds.task === "regression") return "Regression";
  if (ds.classes === "k" || (typeof ds.classes === "number" && ds.classes > 2)) return "Multi-class";
  if (/logic gate/i.test(ds.description || "") || ["and", "or", "nand", "nor", "xor", "xnor"].includes(ds.name)) {
    return "Logic gates";
  }
  return "Playground";
}

/** "Perceptron rule (Rosenblatt 1958)" → "Perceptron rule (1958)": short enough for the menu (the full title is
 * the equation's tooltip). */
function ruleLabel(r) {
  const title = r.title || human(r.name);
  const m = /^(.*?)\s*\((.*)\)$/.exec(title);
  if (!m) return title;
  const year = /(\d{4})/.exec(m[2]);
  return year ? `${m[1]} (${year[1]})` : m[1];
}

const GROUP_ORDER = ["Logic gates", "Playground", "Multi-class", "Regression"];
const DRAW = "__draw__";
const PLANE = [-6, 6, -6, 6]; // the drawing plane of a fresh canvas (as the playground sets)

export class Controls {
  /**
   * @param {object} opts {store, session, catalog (normalized), api, plotActivation(el, curve)}
   */
  constructor({ store, session, catalog, api, plotActivation }) {
    this.api = api;
    this.plotActivation = plotActivation;
    this.store = store;
    this.session = session;
    this.catalog = catalog;
    this.limits = { hidden_layers: 8, neurons: 64, classes: MAX_CLASSES, ...(catalog.limits || {}) };
    this.playing = false;
    this.pendingLive = new Map(); // id of a `set` → [{path, value}] to store when it is acknowledged
    this.pendingConfigure = []; // ids of configure messages not yet answered, oldest first
    this.liveErrors = new Set(); // fields whose error came from a live change (`set`): kept until corrected
    this.bannerFrom = null; // "live" | "config": what put the error banner up
    this.rememberedHidden = null;
    this._configureTimer = null;
    this._activationCache = new Map();
    this.build();
    this.bind();
    store.on("config", ({ reset, source }) => {
      this.sync();
      if (reset && source !== "server") this.scheduleConfigure();
    });
    store.on("view", () => this.syncView());
    store.on("message", (m) => this.showMessage(m));
  }

  get rules() { return this.catalog.rules; }

  rule(name = getPath(this.store.config, "training.rule")) {
    return this.rules.find((r) => r.name === name) || { name, online: false };
  }

  get classic() { return Boolean(this.rule().online); }

  datasetSpec(name = getPath(this.store.config, "data.dataset")) {
    return this.catalog.datasets.find((d) => d.name === name) || null;
  }

  // --- building the menus -------------------------------------------------------------------------------------

  build() {
    const cat = this.catalog;
    // datasets, grouped
    const ds = $("#dataset");
    ds.replaceChildren(el("option", { value: DRAW }, "✎ my own points (draw)"));
    const groups = new Map();
    for (const d of cat.datasets) {
      const g = groupOf(d);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(d);
    }
    const order = [...GROUP_ORDER.filter((g) => groups.has(g)), ...[...groups.keys()].filter((g) => !GROUP_ORDER.includes(g))];
    for (const g of order) {
      ds.append(el("optgroup", { label: g }, groups.get(g).map((d) => el("option", { value: d.name, title: d.description },
        d.label || human(d.name)))));
    }
    this.fillSelect($("#activation"), cat.activations);
    this.fillSelect($("#output-activation"), cat.outputActivations);
    this.fillSelect($("#init"), cat.initializers);
    this.fillSelect($("#loss"), cat.losses);
    this.fillSelect($("#optimizer"), cat.optimizers);
    this.fillSelect($("#rule"), cat.rules, (r) => ruleLabel(r));
    // features
    $("#features").replaceChildren(...cat.features.map((f) =>
      el("button", { type: "button", class: "chip", dataset: { feature: f.name }, title: f.name, "aria-pressed": "false",
        "data-testid": `feature-${f.name}` }, f.formula || f.label || f.name)));
    // class picker
    this.buildClassPicker();
    // network extras: dropout, batch norm
    const np = $("#network-params");
    np.replaceChildren(
      this.paramField("network.dropout", this.fieldSpec("network", "dropout", { kind: "float", min: 0, max: 0.9,
        default: 0 }), { label: "dropout", live: true, liveKey: "dropout", slider: true }),
      this.paramField("network.batch_norm", { kind: "bool", default: false, doc: "normalize every hidden layer" },
        { label: "batch norm" }),
    );
    // training extras: the everyday ones in view, the rest folded
    $("#training-params").replaceChildren(
      this.paramField("training.batch_size", this.fieldSpec("training", "batch_size", { kind: "int", min: 1, max: 5000,
        default: 10 }), { label: "batch size", backpropOnly: true }),
      this.paramField("training.epochs", this.fieldSpec("training", "epochs", { kind: "int", min: 1, max: 100000,
        default: 100 }), { label: "epochs", live: true }),
      this.regularizationField(),
    );
    $("#training-more-params").replaceChildren(
      this.paramField("training.patience", this.fieldSpec("training", "patience", { kind: "int", min: 0, max: 10000,
        default: 0, doc: "early stopping: epochs without a better test loss (0 = off)" }),
        { label: "early stop patience", live: true }),
      this.paramField("seed", this.fieldSpec("", "seed", { kind: "int", min: 0, default: 0,
        doc: "seed of the weights, the shuffling and the dropout masks" }), { label: "seed" }),
      this.paramField("training.shuffle", this.fieldSpec("training", "shuffle", { kind: "bool", default: true }),
        { label: "shuffle every epoch" }),
    );
  }

  /** The catalog's description of a plain config field (GET /api/catalog → fields), or `fallback`. */
  fieldSpec(section, name, fallback) {
    const fields = this.catalog.fields || {};
    if (!section) return (this.catalog.raw.fields || {})[name] || fallback; // a top-level key (seed)
    return (fields[section] || []).find((p) => p.name === name) || fallback;
  }

  fillSelect(select, items, label = (it) => it.label || human(it.name)) {
    select.replaceChildren(...items.map((it) => el("option", { value: it.name, title: it.formula || it.doc || it.description },
      label(it))));
  }

  buildClassPicker() {
    const picker = $("#class-picker");
    const n = Math.min(this.limits.classes || MAX_CLASSES, MAX_CLASSES);
    picker.replaceChildren(...Array.from({ length: n }, (_, k) => el("button", {
      type: "button", class: "swatch", role: "radio", "aria-checked": "false", dataset: { cls: String(k) },
      "data-testid": `class-${k}`, title: `class ${k} (${PALETTE.classNames[k]}) — key ${k + 1}`,
      style: `--swatch: ${PALETTE[k]}`,
    }, String(k))));
  }

  /** A labelled input for one config path, built from a Param description {kind, default, min, max, choices, doc}. */
  paramField(path, spec, { label, live = false, liveKey = null, backpropOnly = false, slider = false } = {}) {
    const id = "f-" + path.replace(/[^a-z0-9]+/gi, "-");
    let input;
    const kind = spec.kind || "float";
    if (kind === "bool") {
      input = el("input", { type: "checkbox", id });
    } else if (kind === "choice") {
      input = el("select", { id }, (spec.choices || []).map((c) => el("option", { value: c }, human(c))));
    } else if (slider && kind === "float" && spec.min !== undefined && spec.max !== undefined) {
      input = el("input", { type: "range", id, min: spec.min, max: spec.max, step: (spec.max - spec.min) / 100 });
    } else {
      input = el("input", { type: "number", id, min: spec.min, max: spec.max, step: kind === "int" ? 1 : "any",
        inputmode: kind === "int" ? "numeric" : "decimal" });
    }
    input.dataset.path = path;
    input.dataset.kind = kind;
    if (live) input.dataset.live = liveKey || path.split(".").pop();
    const out = input.type === "range" ? el("output", { for: id }) : null;
    const field = el("div", { class: `field param${kind === "bool" ? " check" : ""}${backpropOnly ? " backprop-only" : ""}`,
      dataset: { field: path }, title: spec.doc || "" },
      kind === "bool" ? el("label", { for: id }, input, " ", label || human(path.split(".").pop()))
        : [el("label", { for: id }, label || human(path.split(".").pop()), live ? el("small", {}, " (live)") : null, " ", out), input],
      el("p", { class: "field-error", role: "alert" }));
    return field;
  }

  regularizationField() {
    const field = el("div", { class: "field param reg", dataset: { field: "training.l2" } },
      el("label", { for: "reg-kind" }, "regularization ", el("small", {}, "(live)")),
      el("div", { class: "row" },
        el("select", { id: "reg-kind", "data-testid": "regularization" },
          el("option", { value: "none" }, "none"), el("option", { value: "l1" }, "L1"), el("option", { value: "l2" }, "L2"),
          el("option", { value: "both" }, "L1 + L2")),
        el("input", { type: "text", id: "reg-rate", inputmode: "decimal", "data-testid": "regularization-rate",
          "aria-label": "regularization rate", autocomplete: "off", list: "rates", placeholder: "rate" })),
      el("p", { class: "field-error", role: "alert" }));
    return field;
  }

  datasetParams() {
    const box = $("#dataset-params");
    const spec = this.datasetSpec();
    if (!spec || this.store.drawing) {
      box.replaceChildren();
      box.dataset.dataset = "";
      return;
    }
    if (box.dataset.dataset === spec.name) return;
    box.dataset.dataset = spec.name;
    const shown = spec.params.filter((p) => p.name !== "seed");
    box.replaceChildren(...shown.map((p) => this.paramField(`data.${p.name}`, p, { label: human(p.name), slider: true })));
  }

  optimizerParams() {
    const box = $("#optimizer-params");
    const name = getPath(this.store.config, "training.optimizer");
    if (box.dataset.optimizer === name) return;
    box.dataset.optimizer = name;
    const spec = this.catalog.optimizers.find((o) => o.name === name);
    const hyper = spec ? spec.hyper : [];
    box.replaceChildren(...hyper.map((p) => this.paramField(`training.${p.name}`, p,
      { label: human(p.name), live: LIVE_KEYS.has(p.name), liveKey: p.name })));
    $("#optimizer-more").hidden = hyper.length === 0;
  }

  // --- events -------------------------------------------------------------------------------------------------

  bind() {
    $("#btn-play").addEventListener("click", () => this.play());
    $("#btn-pause").addEventListener("click", () => this.pause());
    $("#btn-step").addEventListener("click", () => this.step());
    $("#btn-reset").addEventListener("click", () => this.reset());
    const speed = $("#speed");
    speed.max = String(SPEEDS.length - 1);
    speed.addEventListener("input", () => {
      const value = SPEEDS[Number(speed.value)];
      this.store.setView({ speed: value });
      this.session.set({ speed: value });
    });

    $("#dataset").addEventListener("change", (e) => this.chooseDataset(e.target.value));
    $("#test-fraction").addEventListener("input", (e) => { $("#test-fraction-out").textContent = pct(Number(e.target.value)); });
    $("#test-fraction").addEventListener("change", (e) => this.store.update("data.test_fraction", Number(e.target.value)));
    $("#regenerate").addEventListener("click", () => this.regenerate());
    $("#clear-points").addEventListener("click", () => this.clearPoints());
    $("#class-picker").addEventListener("click", (e) => {
      const b = e.target.closest("[data-cls]");
      if (b) this.store.setView({ cls: Number(b.dataset.cls) });
    });
    $("#tools").addEventListener("click", (e) => {
      const b = e.target.closest("[data-tool]");
      if (b) this.store.setView({ tool: b.dataset.tool });
    });

    $("#features").addEventListener("click", (e) => {
      const chip = e.target.closest("[data-feature]");
      if (!chip) return;
      const order = this.catalog.features.map((f) => f.name);
      const current = new Set(this.store.config.features || []);
      if (current.has(chip.dataset.feature)) current.delete(chip.dataset.feature);
      else current.add(chip.dataset.feature);
      this.store.update("features", order.filter((f) => current.has(f)));
    });
    $("#add-layer").addEventListener("click", () => this.addLayer());
    $("#remove-layer").addEventListener("click", () => this.removeLayer());
    $("#layers").addEventListener("click", (e) => {
      const b = e.target.closest("[data-layer]");
      if (!b) return;
      const hidden = [...(this.store.config.network.hidden || [])];
      const i = Number(b.dataset.layer);
      const n = hidden[i] + Number(b.dataset.delta);
      if (n < 1 || n > this.limits.neurons) return;
      hidden[i] = n;
      this.setNetwork({ hidden });
    });
    $("#activation").addEventListener("change", (e) => this.store.update("network.activation", e.target.value));
    $("#output-activation").addEventListener("change", (e) => this.chooseOutput(e.target.value));
    $("#init").addEventListener("change", (e) => this.store.update("network.init", e.target.value));
    $("#rule").addEventListener("change", (e) => this.chooseRule(e.target.value));
    $("#loss").addEventListener("change", (e) => this.chooseLoss(e.target.value));
    $("#optimizer").addEventListener("change", (e) => this.chooseOptimizer(e.target.value));
    $("#learning-rate").addEventListener("change", (e) => this.setLive("training.learning_rate", this.readInput(e.target)));
    $("#learning-rate").addEventListener("keydown", (e) => { if (e.key === "Enter") e.target.blur(); });
    $("#reg-kind").addEventListener("change", () => this.setRegularization());
    $("#reg-rate").addEventListener("change", () => this.setRegularization());

    // generic parameter inputs (dataset, optimizer, network and training extras)
    const onParam = (e) => {
      const input = e.target.closest("[data-path]");
      if (!input || !input.dataset.kind) return;
      const value = this.readInput(input);
      if (input.dataset.live) this.setLive(input.dataset.path, value, input.dataset.live);
      else this.store.update(input.dataset.path, value);
    };
    for (const sel of ["#dataset-params", "#optimizer-params", "#network-params", "#training-params", "#training-more-params"]) {
      $(sel).addEventListener("change", onParam);
      $(sel).addEventListener("input", (e) => {
        if (e.target.type === "range") {
          const out = e.target.closest(".field").querySelector("output");
          if (out) out.textContent = fmt(Number(e.target.value), 2);
        }
      });
    }

    $("#discretize").addEventListener("change", (e) => this.store.setView({ discretize: e.target.checked }));
    $("#show-test").addEventListener("change", (e) => this.store.setView({ showTest: e.target.checked }));
    $("#log-scale").addEventListener("change", (e) => this.store.setView({ logScale: e.target.checked }));

    document.addEventListener("keydown", (e) => this.onKey(e));
    $("#error").addEventListener("click", () => this.clearBanner(true));
  }

  /** The value of an input: a boolean, a choice, or a number — text that is not a number is sent as typed, and
   * the server's error names the field and the allowed range. */
  readInput(input) {
    if (input.dataset.kind === "bool") return input.checked;
    if (input.dataset.kind === "choice") return input.value;
    const text = String(input.value).trim();
    const value = Number(text);
    return text !== "" && Number.isFinite(value) ? value : text;
  }

  onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const typing = t && (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
      (t.tagName === "INPUT" && !["checkbox", "radio", "range", "button"].includes(t.type)));
    if (typing) return;
    const key = e.key.toLowerCase();
    if (e.key === " " || key === "spacebar") {
      e.preventDefault(); // a focused button must not also be clicked
      this.togglePlay();
    } else if (key === "s") {
      this.step();
    } else if (key === "r") {
      this.reset();
    } else if ("ameb".includes(key) && key.length === 1) {
      this.store.setView({ tool: { a: "add", m: "move", e: "erase", b: "brush" }[key] });
    } else if (/^[1-8]$/.test(key) && Number(key) <= (this.limits.classes || MAX_CLASSES)) {
      this.store.setView({ cls: Number(key) - 1 });
    } else {
      return;
    }
  }

  // --- commands -----------------------------------------------------------------------------------------------

  canTrain() {
    return this.store.config && (!this.store.drawing || this.drawnReady());
  }

  drawnReady() {
    const labels = this.store.drawn.labels || [];
    return labels.length >= 2 && new Set(labels).size >= 2;
  }

  play() {
    if (!this.canTrain()) {
      this.store.message("add points of at least two classes first", { kind: "info" });
      return;
    }
    const last = this.store.lastFrame;
    const epochs = getPath(this.store.config, "training.epochs");
    if (last && last.done && !this._configureTimer && last.epoch >= epochs) {
      this.store.message(`This run trained all its ${epochs} epochs. Raise epochs (it applies live) to train on, ` +
        "or reset (r).", { kind: "info" });
      return;
    }
    if (last && last.done && this.stopped && !this._configureTimer) { // converged, diverged, stopped early, ran away
      this.store.message(`This run ended at epoch ${last.epoch} (converged, diverged or stopped early); ` +
        "reset (r) to train it again.", { kind: "info" });
      return;
    }
    if (this._configureTimer || !this.session.config) this.flushConfigure();
    this.session.play();
    this.setPlaying(true);
  }

  pause() {
    this.session.pause();
    this.setPlaying(false);
  }

  togglePlay() {
    if (this.playing) this.pause();
    else this.play();
  }

  step() {
    if (!this.canTrain()) {
      this.store.message("add points of at least two classes first", { kind: "info" });
      return;
    }
    if (this._configureTimer || !this.session.config) this.flushConfigure();
    if (this.playing) this.pause();
    this.session.step(1, this.classic ? "update" : "epoch");
  }

  reset() {
    this.setPlaying(false);
    if (this._configureTimer || !this.session.config) this.flushConfigure();
    else this.session.reset();
  }

  setPlaying(playing) {
    this.playing = playing;
    $("#btn-play").hidden = playing;
    $("#btn-pause").hidden = !playing;
    document.body.classList.toggle("playing", playing);
  }

  /** Coalesce config changes made within a few milliseconds into one `configure`. */
  scheduleConfigure() {
    clearTimeout(this._configureTimer);
    this._configureTimer = setTimeout(() => this.flushConfigure(), 60);
  }

  flushConfigure() {
    clearTimeout(this._configureTimer);
    this._configureTimer = null;
    const config = this.store.config;
    if (!config) return null;
    if (this.store.drawing && !this.drawnReady()) {
      this.session.pause();
      this.setPlaying(false);
      return null;
    }
    this.setPlaying(false);
    const id = this.session.configure(clone(config));
    this.pendingConfigure.push(id);
    return id;
  }

  /** A live change: `set` now, into the store when the server acknowledges it (an error keeps it out). */
  setLive(path, value, key = path.split(".").pop()) {
    if (!this.session.connected || this._configureTimer) { // a configure on its way carries (and checks) it
      this.store.update(path, value, { reset: false });
      return;
    }
    const id = this.session.send({ type: "set", [key]: value });
    this.pendingLive.set(id, [{ path, value }]);
    this.clearFieldError(path);
  }

  setRegularization() {
    const kind = $("#reg-kind").value;
    const text = $("#reg-rate").value.trim();
    let rate = text === "" ? 0 : Number(text);
    if (!Number.isFinite(rate)) rate = text;
    if (kind !== "none" && (rate === 0 || text === "")) {
      rate = 0.001;
      $("#reg-rate").value = "0.001";
    }
    const l1 = kind === "l1" || kind === "both" ? rate : 0;
    const l2 = kind === "l2" || kind === "both" ? rate : 0;
    if (!this.session.connected || this._configureTimer) {
      const c = clone(this.store.config);
      c.training.l1 = l1;
      c.training.l2 = l2;
      this.store.setConfig(c, { reset: false });
      return;
    }
    const id = this.session.send({ type: "set", l1, l2 });
    this.pendingLive.set(id, [{ path: "training.l1", value: l1 }, { path: "training.l2", value: l2 }]);
    this.clearFieldError("training.l2");
  }

  setNetwork(patch) {
    const c = clone(this.store.config);
    Object.assign(c.network, patch);
    if ("hidden" in patch && Array.isArray(c.network.batch_norm)) c.network.batch_norm = c.network.batch_norm.some(Boolean);
    this.store.setConfig(c);
  }

  addLayer() {
    if (this.classic) {
      this.store.message(CLASSIC_HIDDEN_NOTE + " — choose backprop to add layers", { kind: "error", field: "network.hidden" });
      return;
    }
    const hidden = [...this.store.config.network.hidden];
    if (hidden.length >= this.limits.hidden_layers) return;
    hidden.push(hidden.length ? hidden[hidden.length - 1] : 4);
    this.setNetwork({ hidden });
  }

  removeLayer() {
    const hidden = [...this.store.config.network.hidden];
    if (!hidden.length) return;
    hidden.pop();
    this.setNetwork({ hidden });
  }

  chooseDataset(name) {
    if (name === DRAW) {
      this.startDrawing({ keepPreset: false });
      return;
    }
    const spec = this.datasetSpec(name);
    const c = clone(this.store.config);
    c.data = { dataset: name }; // every preset starts from its own defaults (noise, size, test ratio, extent)
    this.harmonize(c, spec);
    this.store.setConfig(c);
  }

  /** Switch to the user's own points. Without `keepPreset`, the previously drawn points come back (or none);
   * with it, the preset's current points become editable. */
  startDrawing({ keepPreset = false } = {}) {
    const c = clone(this.store.config);
    let points = this.store.drawn.points;
    let labels = this.store.drawn.labels;
    const d = this.store.data;
    if (keepPreset && d && d.task !== "regression") {
      points = [...d.train.points, ...(d.test ? d.test.points : [])];
      labels = [...d.train.labels, ...(d.test ? d.test.labels : [])];
    }
    const extent = keepPreset && d ? d.extent : this.store.drawn.extent || PLANE;
    c.data = { points: clone(points), labels: clone(labels), test_fraction: keepPreset ? c.data.test_fraction ?? 0 : 0,
      extent };
    this.harmonize(c, null, labels);
    this.store.setConfig(c);
  }

  clearPoints() {
    const c = clone(this.store.config);
    const extent = this.store.drawing ? c.data.extent || PLANE : PLANE;
    c.data = { points: [], labels: [], test_fraction: this.store.drawing ? c.data.test_fraction ?? 0 : 0, extent };
    this.store.drawn = { points: [], labels: [], extent };
    this.store.setConfig(c);
  }

  regenerate() {
    const c = clone(this.store.config);
    c.data.seed = ((c.data.seed ?? 0) + 1) % 2147483647;
    this.store.setConfig(c);
  }

  chooseRule(name) {
    const c = clone(this.store.config);
    const before = this.rule(c.training.rule);
    const after = this.rule(name);
    c.training.rule = name;
    if (after.online) {
      if (!before.online) this.rememberedHidden = c.network.hidden;
      c.network.hidden = [];
      c.network.batch_norm = false;
      if (after.output_activation) c.network.output_activation = after.output_activation;
      c.training.loss = "mse";
    } else if (before.online) {
      c.network.hidden = this.rememberedHidden || [4];
      delete c.network.output_activation;
      delete c.training.loss;
      this.harmonize(c);
    }
    $("#btn-step").title = after.online ? "Step one sample (s)" : "Step one epoch (s)";
    this.store.setConfig(c);
  }

  chooseOutput(name) {
    const c = clone(this.store.config);
    c.network.output_activation = name;
    const need = (this.catalog.losses.find((l) => l.name === c.training.loss) || {}).requires_output;
    if (need && need !== name) {
      c.training.loss = name === "softmax" ? "cross_entropy" : name === "sigmoid" ? "bce" : "mse";
    } else if (name === "softmax" && !["cross_entropy", "mse"].includes(c.training.loss)) {
      c.training.loss = "cross_entropy";
    }
    this.store.setConfig(c);
  }

  chooseLoss(name) {
    const c = clone(this.store.config);
    c.training.loss = name;
    const need = (this.catalog.losses.find((l) => l.name === name) || {}).requires_output;
    if (need) c.network.output_activation = need;
    this.store.setConfig(c);
  }

  chooseOptimizer(name) {
    const c = clone(this.store.config);
    const old = this.catalog.optimizers.find((o) => o.name === c.training.optimizer);
    const spec = this.catalog.optimizers.find((o) => o.name === name);
    // drop the old optimizer's own hyperparameters; the new one starts from its defaults
    for (const p of old ? old.hyper : []) if (!["momentum", "nesterov"].includes(p.name)) delete c.training[p.name];
    c.training.optimizer = name;
    for (const p of spec ? spec.hyper : []) if (!(p.name in c.training)) c.training[p.name] = p.default;
    if (spec && c.training.nesterov && !spec.hyper.find((p) => p.name === "nesterov")) c.training.nesterov = false;
    this.store.setConfig(c);
  }

  /** Make output activation and loss fit the task (regression / k classes / binary) for backprop. */
  harmonize(c, spec = null, labels = null) {
    if (this.rule(c.training.rule).online) return c;
    let task = "classification";
    let classes = 2;
    if (spec) {
      task = spec.task;
      classes = spec.classes === "k" ? (c.data.k ?? spec.params.find((p) => p.name === "k")?.default ?? 3) : spec.classes;
    } else if (labels) {
      classes = Math.max(2, ...labels.map((l) => l + 1));
    }
    const out = c.network.output_activation;
    if (task === "regression") {
      if (["softmax", "step", "sign", "sigmoid"].includes(out)) c.network.output_activation = "linear";
      if (["bce", "cross_entropy", "hinge"].includes(c.training.loss)) c.training.loss = "mse";
    } else if (classes > 2) {
      c.network.output_activation = "softmax";
      if (!["cross_entropy", "mse"].includes(c.training.loss)) c.training.loss = "cross_entropy";
    } else if (out === "softmax" || out === "linear") {
      c.network.output_activation = "sigmoid";
      c.training.loss = "bce";
    } else if (c.training.loss === "cross_entropy") {
      c.training.loss = out === "sigmoid" ? "bce" : "mse";
    } else if (["mse", "mae", "huber"].includes(c.training.loss) && out === "sigmoid") {
      c.training.loss = "bce";
    }
    return c;
  }

  /** The drawn labels changed: a third class needs softmax; back to two classes, sigmoid. */
  harmonizeDrawn() {
    const c = clone(this.store.config);
    const before = JSON.stringify([c.network.output_activation, c.training.loss]);
    this.harmonize(c, null, this.store.drawn.labels);
    if (JSON.stringify([c.network.output_activation, c.training.loss]) !== before) {
      this.store.setConfig(c);
      return true;
    }
    return false;
  }

  // --- server replies -----------------------------------------------------------------------------------------

  onAck(msg) {
    const changes = this.pendingLive.get(msg.id);
    if (!changes) return;
    this.pendingLive.delete(msg.id);
    const c = clone(this.store.config);
    for (const { path, value } of changes) {
      setPath(c, path, value);
      this.clearFieldError(path);
    }
    this.store.setConfig(c, { reset: false });
    if (this.bannerFrom === "live") this.clearBanner();
  }

  /** A `data` message arrived: the configure (or points edit) it answers succeeded. Errors of live changes stay
   * until the value is corrected; the others are answered. */
  onData() {
    this.pendingConfigure.shift();
    for (const node of document.querySelectorAll(".field.has-error")) {
      if (!this.liveErrors.has(node.dataset.field)) this.clearFieldError(node.dataset.field);
    }
    if (this.bannerFrom !== "live") this.clearBanner();
  }

  onError(msg) {
    const changes = this.pendingLive.get(msg.id);
    this.pendingLive.delete(msg.id);
    this.pendingConfigure = this.pendingConfigure.filter((id) => id !== msg.id);
    let field = msg.field || null;
    if (field && !field.includes(".") && changes) field = changes[0].path;
    if (field && !field.includes(".") && LIVE_KEYS.has(field)) field = `training.${field}`;
    this.store.message(msg.message || "the server refused that", { kind: "error", field });
    this.bannerFrom = changes ? "live" : "config";
    const box = this.fieldBox(field);
    if (changes && box) this.liveErrors.add(box.dataset.field);
  }

  onEvent(msg) {
    const ev = msg.event;
    if (ev === "playing") this.setPlaying(true);
    else if (["paused", "converged", "diverged", "early_stopped", "finished", "unbounded"].includes(ev)) this.setPlaying(false);
    // the run ended by itself (not by reaching its epochs, which a larger `epochs` continues): play cannot go on
    if (["converged", "diverged", "early_stopped", "unbounded"].includes(ev)) this.stopped = true;
    else if (ev === "playing" || ev === "finished") this.stopped = false;
  }

  /** Find the field box for a dotted error field: exact, then without indices, then by prefix. */
  fieldBox(field) {
    if (!field) return null;
    const candidates = [field, field.replace(/\[\d+\]/g, "")];
    let f = field.replace(/\[\d+\]/g, "");
    while (f.includes(".")) {
      f = f.slice(0, f.lastIndexOf("."));
      candidates.push(f);
    }
    if (/^training\.(l1|l2)$/.test(field)) candidates.unshift("training.l2");
    if (/^data\.(points|labels)/.test(field)) candidates.push("data.labels");
    if (/^data\./.test(field)) candidates.push("data.dataset");
    for (const c of candidates) {
      const box = document.querySelector(`.field[data-field="${CSS.escape(c)}"]`);
      if (box) return box;
    }
    return null;
  }

  showMessage({ text, kind, field, sticky = false }) {
    if (kind === "error") {
      const banner = $("#error");
      banner.textContent = text;
      banner.hidden = false;
      banner.dataset.sticky = String(Boolean(sticky));
      banner.title = "click to dismiss";
      const box = this.fieldBox(field);
      if (box) {
        box.classList.add("has-error");
        const p = box.querySelector(".field-error");
        if (p) p.textContent = text;
      }
    } else {
      const notice = $("#notice");
      notice.textContent = text;
      notice.hidden = false;
      clearTimeout(this._noticeTimer);
      this._noticeTimer = setTimeout(() => { notice.hidden = true; }, 6000);
    }
  }

  clearFieldError(field) {
    const box = document.querySelector(`.field[data-field="${CSS.escape(field)}"]`) || this.fieldBox(field);
    if (!box) return;
    this.liveErrors.delete(box.dataset.field);
    box.classList.remove("has-error");
    const p = box.querySelector(".field-error");
    if (p) p.textContent = "";
  }

  /** Hide the error banner; a sticky one (a broken link) stays until clicked. */
  clearBanner(force = false) {
    const banner = $("#error");
    if (banner.dataset.sticky === "true" && !force) return;
    banner.dataset.sticky = "false";
    banner.hidden = true;
    banner.textContent = "";
  }

  // --- store → inputs -----------------------------------------------------------------------------------------

  sync() {
    const c = this.store.config;
    if (!c) return;
    const drawing = this.store.drawing;
    $("#dataset").value = drawing ? DRAW : c.data.dataset;
    const spec = drawing ? null : this.datasetSpec();
    $("#dataset-desc").textContent = drawing ? "your own points: click the plane to add, pick a class and a tool below"
      : spec ? spec.description || "" : "";
    this.datasetParams();
    const tf = c.data.test_fraction ?? 0;
    $("#test-fraction").value = String(tf);
    $("#test-fraction-out").textContent = pct(tf);
    $("#regenerate").disabled = drawing;

    const features = new Set(c.features || []);
    for (const chip of document.querySelectorAll("#features [data-feature]")) {
      const on = features.has(chip.dataset.feature);
      chip.classList.toggle("on", on);
      chip.setAttribute("aria-pressed", String(on));
    }
    const hidden = c.network.hidden || [];
    const classic = this.classic;
    $("#layer-count").textContent = String(hidden.length);
    $("#add-layer").disabled = classic || hidden.length >= this.limits.hidden_layers;
    $("#remove-layer").disabled = hidden.length === 0;
    $("#add-layer").title = classic ? CLASSIC_HIDDEN_NOTE : "Add a hidden layer";
    $("#layers").replaceChildren(...(hidden.length ? hidden.map((n, i) => el("div", { class: "layer" },
      el("button", { type: "button", class: "icon-btn small", dataset: { layer: String(i), delta: "-1" },
        "data-testid": `layer-${i}-minus`, title: "One neuron fewer", disabled: n <= 1 }, "−"),
      el("span", { class: "layer-size", "data-testid": `layer-${i}-size` }, `${n}`),
      el("button", { type: "button", class: "icon-btn small", dataset: { layer: String(i), delta: "1" },
        "data-testid": `layer-${i}-plus`, title: "One neuron more", disabled: n >= this.limits.neurons }, "+"),
    )) : [el("p", { class: "hint" }, classic ? CLASSIC_HIDDEN_NOTE : "no hidden layer: a single-layer network")]));

    this.setSelect($("#activation"), c.network.activation);
    this.setSelect($("#output-activation"), c.network.output_activation);
    this.setSelect($("#init"), c.network.init);
    this.setSelect($("#rule"), c.training.rule);
    this.setSelect($("#loss"), c.training.loss);
    this.setSelect($("#optimizer"), c.training.optimizer);
    $("#output-activation").disabled = classic;
    document.body.classList.toggle("classic", classic);
    const rule = this.rule();
    $("#rule-equation").textContent = rule.equation || "";
    $("#rule-equation").title = [rule.title, rule.doc].filter(Boolean).join(" — ");
    const loss = this.catalog.losses.find((l) => l.name === c.training.loss);
    showFormula($("#loss-formula"), loss ? loss.formula || "" : "");
    const opt = this.catalog.optimizers.find((o) => o.name === c.training.optimizer);
    showFormula($("#optimizer-formula"), opt ? opt.equation || opt.formula || "" : "");
    $("#optimizer-formula").title = opt ? opt.description || "" : "";
    $("#btn-step").title = classic ? "Step one sample (s)" : "Step one epoch (s)";
    this.optimizerParams();
    $("#optimizer-note").textContent = opt ? "— " + opt.hyper.filter((p) => p.kind === "float").slice(0, 3)
      .map((p) => `${human(p.name)} ${fmt(c.training[p.name] ?? p.default, 3)}`).join(" · ") : "";

    const lr = $("#learning-rate");
    const lrBox = lr.closest(".field");
    if (document.activeElement !== lr && !lrBox.classList.contains("has-error")) lr.value = String(c.training.learning_rate ?? "");
    const l1 = c.training.l1 || 0;
    const l2 = c.training.l2 || 0;
    if (document.activeElement !== $("#reg-rate") && !$("#reg-rate").closest(".has-error")) {
      $("#reg-kind").value = l1 && l2 ? "both" : l1 ? "l1" : l2 ? "l2" : "none";
      $("#reg-rate").value = l1 || l2 ? String(l1 || l2) : "";
    }
    for (const input of document.querySelectorAll(".params [data-path]")) {
      if (document.activeElement === input || input.closest(".has-error")) continue;
      const value = getPath(c, input.dataset.path);
      if (input.dataset.kind === "bool") input.checked = Array.isArray(value) ? value.some(Boolean) : Boolean(value);
      else if (value !== undefined && value !== null) input.value = String(value);
      const out = input.closest(".field").querySelector("output");
      if (out && value !== undefined && value !== null) out.textContent = fmt(Number(value), 2);
    }
    this.syncView();
    this.loadActivationPlot();
  }

  setSelect(select, value) {
    if (value === undefined || value === null) return;
    if (![...select.options].some((o) => o.value === value)) select.append(el("option", { value }, human(value)));
    select.value = value;
  }

  syncView() {
    const v = this.store.view;
    $("#discretize").checked = Boolean(v.discretize);
    $("#show-test").checked = Boolean(v.showTest);
    $("#log-scale").checked = Boolean(v.logScale);
    const idx = SPEEDS.indexOf(v.speed);
    $("#speed").value = String(idx >= 0 ? idx : 3);
    $("#speed-out").textContent = v.speed === 0 ? "max" : `${v.speed}/s`;
    for (const b of document.querySelectorAll("#class-picker [data-cls]")) {
      const on = Number(b.dataset.cls) === v.cls;
      b.classList.toggle("on", on);
      b.setAttribute("aria-checked", String(on));
    }
    for (const b of document.querySelectorAll("#tools [data-tool]")) {
      const on = b.dataset.tool === v.tool;
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", String(on));
    }
    document.body.dataset.tool = v.tool;
    const regression = this.store.data && this.store.data.task === "regression" && !this.store.drawing;
    $("#draw-hint").textContent = regression ? "drawing makes a classification set: it starts from empty"
      : { add: "click the plane to add a point of the chosen class",
        move: "drag a point to move it", erase: "click a point to remove it",
        brush: "click to scatter a handful of points" }[v.tool] || "";
  }

  /** The activation's f and f′ beside its menu (from /api/activations/{name}). */
  async loadActivationPlot() {
    const name = getPath(this.store.config, "network.activation");
    const target = $("#activation-plot");
    const spec = this.catalog.activations.find((a) => a.name === name);
    showFormula($("#activation-formula"), spec ? spec.formula || "" : "");
    if (!name || !spec || target.dataset.name === name) return; // unknown names: the server's error says so
    target.dataset.name = name;
    try {
      let curve = this._activationCache.get(name);
      if (!curve) {
        curve = await this.api.getActivation(name);
        this._activationCache.set(name, curve);
      }
      if (target.dataset.name !== name) return;
      this.plotActivation(target, curve);
    } catch (err) {
      target.dataset.name = "";
      target.textContent = `could not load the curve of ${name}: ${err.message}`;
    }
  }
}
