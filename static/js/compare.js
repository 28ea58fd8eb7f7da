// Side-by-side runs (docs/lessons.md): fork the current scene with one change — optimizer, learning rate,
// activation, loss, rule, layers, … — and watch both. Each extra run is its own WebSocket session (socket.js
// `Session`), drawn on a small plane, with every run's training loss overlaid on one plot (log scale).
// Lessons with `variants` (5, 6, 7, 8, 10, 12, …) start their runs here through the `nnlive:lesson` event.
//
// The runs follow the page: they play and pause with the main run (its `playing`/`paused` events), restart when
// it restarts, and take its speed. A fork starts from the main run's own starting weights when the change keeps
// the network's shape, so both runs really begin at the same point (not for a new `network.init` or `seed`: those
// forks are about other starting weights).

import { el } from "./dom.js";
import { PALETTE, clone, getPath, setPath } from "./state.js";
import { fmt } from "./format.js";

const MAX_RUNS = 4;
// the main run is COLOURS[0]; each fork takes the first colour no open run uses
const COLOURS = PALETTE.slice(0, 6);
const SMALL_FRAME = { grid: 40, neuron_grid: 8, neurons: false };
const SHAPE_KEYS = new Set(["network.hidden", "features", "network.output_activation", "data"]);
// forks whose whole point is other starting weights: never given the main run's
const NEW_WEIGHT_KEYS = new Set(["network.init", "seed"]);


const emptyPoints = () => ({ x: [], train: [], test: [] });

/** Append a frame's epoch and losses to `points` (once per epoch); true when something was added. */
function record(run, frame) {
  const m = frame.metrics || {};
  if (frame.epoch === run.lastEpoch || m.train_loss === null || m.train_loss === undefined) return false;
  run.lastEpoch = frame.epoch;
  run.points.x.push(frame.epoch);
  run.points.train.push(m.train_loss);
  run.points.test.push(m.test_loss ?? null);
  return true;
}

const names = (section) => (section || []).map((x) => (typeof x === "string" ? x : x.name));

/** What a fork can change: dotted path, label, and how to read the value. */
function parameters(catalog) {
  const c = catalog || {};
  return [
    { path: "training.optimizer", label: "optimizer", choices: names(c.optimizers) },
    { path: "training.learning_rate", label: "learning rate", kind: "number" },
    { path: "network.activation", label: "activation", choices: names(c.activations) },
    { path: "training.loss", label: "loss", choices: names(c.losses) },
    { path: "training.rule", label: "learning rule", choices: names(c.rules) },
    { path: "network.hidden", label: "hidden layers", kind: "layers" },
    { path: "training.momentum", label: "momentum", kind: "number" },
    { path: "training.batch_size", label: "batch size", kind: "number" },
    { path: "training.l2", label: "L2", kind: "number" },
    { path: "network.dropout", label: "dropout", kind: "number" },
    { path: "network.init", label: "initializer", choices: names(c.initializers) },
    { path: "network.output_activation", label: "output activation", choices: names(c.outputActivations) },
    { path: "seed", label: "seed", kind: "number" },
  ];
}

/** Parse the text of a fork's value; throws a readable Error. */
export function parseValue(param, text) {
  const t = String(text).trim();
  if (param.kind === "number") {
    const v = Number(t);
    if (t === "" || !Number.isFinite(v)) throw new Error(`${param.label} needs a number`);
    return v;
  }
  if (param.kind === "layers") {
    if (t === "" || t === "-" || t === "none") return [];
    const sizes = t.split(/[\s,×x]+/).filter(Boolean).map(Number);
    if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error("hidden layers: sizes like 8, 8 (or none)");
    return sizes;
  }
  return t;
}

/**
 * A config with `path` set to `value`; the classic rules need a single neuron and their own output. A new optimizer
 * or rule starts from its own defaults: the hyperparameters named by the catalog's optimizers are dropped.
 */
export function forkConfig(base, path, value, optimizers = []) {
  const config = clone(base);
  setPath(config, path, value);
  const classic = (rule) => rule && rule !== "backprop";
  if (path === "training.rule" && classic(value)) {
    config.network = { ...config.network, hidden: [] };
    delete config.network.output_activation;
    delete config.training.loss;
  }
  const toBackprop = (path === "training.rule" && !classic(value))
    || (path === "network.hidden" && value.length > 0); // hidden layers are trained by backprop only
  if (toBackprop && classic(getPath(base, "training.rule"))) {
    config.training.rule = "backprop";
    config.network = { ...config.network, output_activation: "sigmoid" }; // the classic rules' own outputs
    config.training.loss = "bce"; // (step, sign, linear) are theirs, not backprop's
  }
  if (path === "training.optimizer" || path === "training.rule") {
    const keys = new Set(optimizers.flatMap((o) => o.hyper.map((p) => p.name)));
    for (const key of keys) {
      if (config.training && key in config.training && !(key === "momentum" && value === "sgd")) delete config.training[key];
    }
  }
  return config;
}

export function initCompare(ctx) {
  const root = document.getElementById("compare");
  if (!root) return null;
  const panel = new ComparePanel(ctx, root);
  ctx.compare = panel;
  return panel;
}

class Run {
  constructor(panel, { label, config, colour }) {
    this.panel = panel;
    this.label = label;
    this.config = config;
    this.colour = colour;
    this.points = emptyPoints();
    this.lastEpoch = -1;
    this.frame = null;
    this.build();
    const { ctx } = panel;
    this.session = new ctx.Session(null, {
      onData: (msg) => this.onData(msg),
      onFrame: (frame) => this.onFrame(frame),
      onEvent: (msg) => this.onEvent(msg),
      onError: (msg) => this.showError(msg.message),
      onStatus: (status) => { this.card.dataset.status = status; },
    });
    this.session.set({ speed: panel.speed(), frame: SMALL_FRAME });
    this.session.configure(config);
  }

  build() {
    const { ctx } = this.panel;
    this.epoch = el("span", { class: "run-epoch", "data-testid": "run-epoch", text: "epoch 0" });
    this.loss = el("span", { class: "run-loss", text: "" });
    this.event = el("p", { class: "run-event", "data-testid": "run-event" });
    this.planeBox = el("div", { class: "run-plane", "data-testid": "run-plane" });
    const remove = el("button", { type: "button", class: "icon-btn small", title: "Close this run",
      "aria-label": `Close the run ${this.label}`, text: "×", onclick: () => this.panel.remove(this) });
    this.card = el("div", { class: "compare-run", "data-testid": "compare-run" },
      el("header", {}, el("span", { class: "run-swatch", style: `background:${this.colour}` }),
        el("strong", { class: "run-label", text: this.label, title: this.label }), remove),
      el("div", { class: "run-readout" }, this.epoch, this.loss),
      this.planeBox, this.event);
    this.panel.runsBox.append(this.card);
    this.plane = null;
    this.data = null;
    this.panel.planeModule.then((PlaneView) => {
      if (!PlaneView || this.closed) return;
      const noop = () => {};
      try {
        this.plane = new PlaneView(this.planeBox, {
          onAdd: noop, onMove: noop, onRemove: noop, onBrush: noop, getTool: () => ({ tool: "none", cls: 0 }),
        });
        if (ctx.store && ctx.store.view) this.plane.setView({ showTest: ctx.store.view.showTest });
        if (this.data) this.plane.setData(this.data);
        if (this.frame) this.plane.setFrame(this.frame);
      } catch (err) {
        console.warn("nnlive: a side-by-side plane could not be drawn", err);
        this.plane = null;
      }
    });
  }

  onData(msg) {
    this.data = msg;
    this.failed = false;
    if (this.plane) this.plane.setData(msg);
  }

  onFrame(frame) {
    if (this.frame && frame.step < this.frame.step) {
      this.points = emptyPoints();
      this.lastEpoch = -1;
      this.event.textContent = "";
    }
    this.frame = frame;
    if (this.plane) this.plane.setFrame(frame);
    this.epoch.textContent = `epoch ${frame.epoch}`;
    this.epoch.dataset.epoch = String(frame.epoch);
    const m = frame.metrics || {};
    const test = m.test_loss === null || m.test_loss === undefined ? "" : ` · test ${fmt(m.test_loss)}`;
    this.loss.textContent = `loss ${fmt(m.train_loss)}${test}`;
    if (record(this, frame)) this.panel.scheduleCurves();
  }

  onEvent(msg) {
    if (msg.event === "playing" || msg.event === "paused") return;
    this.event.textContent = msg.message || `${msg.event} at epoch ${msg.epoch}`;
    this.event.dataset.kind = msg.event;
  }

  showError(text) {
    if (this.failed) return; // keep the first error: why the run could not start
    this.failed = !this.data;
    this.event.textContent = text;
    this.event.dataset.kind = "error";
  }

  close() {
    this.closed = true;
    this.session.close();
    if (this.plane && window.Plotly) window.Plotly.purge(this.planeBox);
    this.card.remove();
  }
}

class ComparePanel {
  constructor(ctx, root) {
    this.ctx = ctx;
    this.root = root;
    this.runs = [];
    this.main = { label: "this run", points: emptyPoints(), lastEpoch: -1, step: -1 };
    this.metric = "train";
    this.pending = false;
    this.params = parameters(ctx.catalog);
    this.build();
    // plots.js is the visualization work's module: the runs still train and report without it
    this.planeModule = import("./plots.js").then((m) => m.PlaneView || null).catch(() => null);
    ctx.onFrame((frame) => this.onMainFrame(frame));
    ctx.onEvent((msg) => {
      if (msg.event === "playing") this.runs.forEach((r) => r.session.play());
      if (msg.event === "paused") this.runs.forEach((r) => r.session.pause());
    });
    if (ctx.store) {
      ctx.store.on("view", (patch) => {
        if ("speed" in patch) this.runs.forEach((r) => r.session.set({ speed: this.speed() }));
      });
    }
    document.addEventListener("nnlive:lesson", (e) => this.startLesson(e.detail));
  }

  speed() {
    const v = this.ctx.store && this.ctx.store.view ? this.ctx.store.view.speed : 10;
    return typeof v === "number" ? v : 10;
  }

  build() {
    this.root.classList.add("panel", "compare-panel");
    this.root.dataset.testid = "compare";
    this.param = el("select", { "data-testid": "fork-param", "aria-label": "What to change",
      onchange: () => this.valueEditor() });
    this.param.append(...this.params.map((p) => el("option", { value: p.path, text: p.label })));
    this.valueBox = el("span", { class: "fork-value" });
    this.forkButton = el("button", { type: "button", class: "btn", "data-testid": "fork", text: "Fork",
      title: "Start a second run of this scene with the one change", onclick: () => this.forkFromForm() });
    this.error = el("p", { class: "field-error compare-error", role: "alert", "data-testid": "fork-error" });
    this.curves = el("div", { class: "compare-curves", "data-testid": "compare-curves" });
    this.runsBox = el("div", { class: "compare-runs" });
    const all = (what) => () => {
      if (what === "play") this.ctx.play();
      if (what === "pause") this.ctx.pause();
      if (what === "step") { // as the main run steps: one sample for a classic rule, else one epoch
        const rule = getPath(this.ctx.store && this.ctx.store.config, "training.rule");
        const unit = rule && rule !== "backprop" ? "update" : "epoch";
        this.ctx.step();
        this.runs.forEach((r) => r.session.step(1, unit));
      }
      if (what === "reset") { this.ctx.reset(); this.runs.forEach((r) => r.session.reset()); }
    };
    this.controls = el("div", { class: "compare-controls" },
      el("button", { type: "button", class: "btn small", "data-testid": "compare-play", text: "▶ all", onclick: all("play") }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-pause", text: "❚❚ all", onclick: all("pause") }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-step", text: "step all", onclick: all("step") }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-reset", text: "reset all", onclick: all("reset") }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-clear", text: "close all", onclick: () => this.clear() }),
      this.metricSelect = el("select", { class: "compare-metric", "data-testid": "compare-metric", "aria-label": "Which loss to overlay",
        onchange: () => this.setMetric(this.metricSelect.value) },
      el("option", { value: "train", text: "train loss" }), el("option", { value: "test", text: "test loss" })));
    this.body = el("div", { class: "compare-body" }, this.controls, this.curves, this.runsBox);
    this.root.replaceChildren(
      el("h2", { text: "Side by side" }),
      el("div", { class: "fork-form" }, el("span", { class: "label", text: "Fork this scene with one change, and watch both runs:" }), this.param, this.valueBox,
        this.forkButton),
      this.error, this.body);
    this.valueEditor();
    this.update();
  }

  currentParam() {
    return this.params.find((p) => p.path === this.param.value) || this.params[0];
  }

  /** The value input for the chosen parameter: a menu of its choices, or a text box prefilled with a change. */
  valueEditor() {
    const p = this.currentParam();
    const now = getPath(this.ctx.store && this.ctx.store.config, p.path);
    let input;
    if (p.choices && p.choices.length) {
      input = el("select", { "data-testid": "fork-value", "aria-label": `New ${p.label}` });
      input.append(...p.choices.map((c) => el("option", { value: c, text: c })));
      const other = p.choices.find((c) => c !== now);
      if (other) input.value = other;
    } else {
      input = el("input", { type: "text", inputmode: "decimal", "data-testid": "fork-value", "aria-label": `New ${p.label}`,
        autocomplete: "off", spellcheck: "false" });
      if (p.kind === "layers") input.value = Array.isArray(now) ? [...now, now.length ? now[now.length - 1] : 8].join(", ") : "8";
      else if (p.path === "training.learning_rate" && typeof now === "number") input.value = String(now * 10);
      else if (p.path === "seed") input.value = String((now || 0) + 1);
      else if (p.path === "training.momentum") input.value = "0.9";
      else if (typeof now === "number") input.value = String(now);
    }
    this.valueBox.replaceChildren(input);
    this.valueInput = input;
  }

  /** The main run's starting weights (its first recorded frame), when the timeline has them. */
  startWeights() {
    const history = this.ctx.timeline && this.ctx.timeline.history;
    const first = history && history.length ? history.at(0) : null;
    return first && first.step === 0 && Array.isArray(first.weights) ? clone(first.weights) : null;
  }

  forkFromForm() {
    this.error.textContent = "";
    const p = this.currentParam();
    let value;
    try {
      value = parseValue(p, this.valueInput.value);
    } catch (err) {
      this.error.textContent = err.message;
      return null;
    }
    const base = this.ctx.store && this.ctx.store.config;
    const classicBase = base && getPath(base, "training.rule") && getPath(base, "training.rule") !== "backprop";
    const note = p.path === "network.hidden" && value.length && classicBase ? " (backprop)" : "";
    const label = `${p.label} = ${Array.isArray(value) ? value.join("-") || "none" : value}${note}`;
    return this.fork(p.path, value, label);
  }

  /** Start a run of the current scene with `path` set to `value`. */
  fork(path, value, label = `${path} = ${value}`) {
    const base = this.ctx.store && this.ctx.store.config;
    if (!base) return null;
    const config = forkConfig(base, path, value, (this.ctx.catalog && this.ctx.catalog.optimizers) || []);
    const weights = this.startWeights();
    const under = (keys) => [...keys].some((k) => path === k || path.startsWith(`${k}.`));
    const sameShape = !under(SHAPE_KEYS) && path !== "training.rule";
    if (under(NEW_WEIGHT_KEYS)) {
      if (config.network) delete config.network.weights; // a scene's fixed weights would hide the new init or seed
    } else if (weights && sameShape) config.network = { ...config.network, weights };
    return this.add(label, config);
  }

  add(label, config) {
    if (this.runs.length >= MAX_RUNS) {
      this.error.textContent = `at most ${MAX_RUNS} side-by-side runs: close one first`;
      return null;
    }
    this.body.hidden = false; // before the run's plane is drawn: Plotly measures its box
    const used = new Set(this.runs.map((r) => r.colour));
    const colour = COLOURS.slice(1).find((c) => !used.has(c)) || COLOURS[1 + (this.runs.length % (COLOURS.length - 1))];
    const run = new Run(this, { label, config, colour });
    this.runs.push(run);
    if (this.ctx.controls && this.ctx.controls.playing) run.session.play();
    this.update();
    this.scheduleCurves();
    return run;
  }

  remove(run) {
    run.close();
    this.runs = this.runs.filter((r) => r !== run);
    this.update();
    this.scheduleCurves();
  }

  clear() {
    this.runs.forEach((r) => r.close());
    this.runs = [];
    this.main.label = "this run";
    this.update();
    this.scheduleCurves();
  }

  /** Overlay the training ("train") or the test ("test") loss. */
  setMetric(metric) {
    this.metric = metric === "test" ? "test" : "train";
    if (this.metricSelect) this.metricSelect.value = this.metric;
    this.scheduleCurves();
  }

  startLesson(lesson) {
    this.clear();
    this.error.textContent = "";
    Object.assign(this.main, { points: emptyPoints(), lastEpoch: -1, step: -1 }); // the lesson's run starts anew
    this.setMetric(lesson && lesson.display && lesson.display.compare === "test" ? "test" : "train");
    if (!lesson || !lesson.variants || !lesson.variants.length) return;
    this.main.label = lesson.base_label ? `${lesson.base_label} (main)` : "this run";
    for (const variant of lesson.variants) this.add(variant.label, clone(variant.config));
  }

  onMainFrame(frame) {
    const main = this.main;
    if (frame.step < main.step) {
      main.points = emptyPoints();
      main.lastEpoch = -1;
      if (main.step > 0) this.runs.forEach((r) => r.session.reset()); // the main run restarted: so do the others
    }
    main.step = frame.step;
    if (record(main, frame) && this.runs.length) this.scheduleCurves();
  }

  update() {
    this.body.hidden = this.runs.length === 0;
    this.root.classList.toggle("has-runs", this.runs.length > 0);
  }

  scheduleCurves() {
    if (this.pending) return;
    this.pending = true;
    setTimeout(() => {
      this.pending = false;
      this.drawCurves();
    }, 200);
  }

  drawCurves() {
    if (!window.Plotly) return;
    if (!this.runs.length) {
      if (this.curves.data) window.Plotly.purge(this.curves);
      return;
    }
    const metric = this.metric;
    const line = (name, colour, points, dash) => ({
      type: "scatter", mode: "lines", name, x: [...points.x], y: [...points[metric]], line: { color: colour, width: 2, dash },
      hovertemplate: `${name}: %{y:.4g}<extra>epoch %{x}</extra>`,
    });
    const traces = [line(this.main.label, COLOURS[0], this.main.points, "solid"),
      ...this.runs.map((r) => line(r.label, r.colour, r.points, "solid"))];
    // a diverging run would squash every other curve flat: the axis stops at 100× the largest starting loss
    const all = [this.main, ...this.runs].map((r) => r.points[metric].filter((v) => v !== null));
    const starts = all.map((ys) => ys.find((v) => v > 0 && Number.isFinite(v))).filter((v) => v !== undefined);
    const positives = all.flat().filter((v) => v > 0 && Number.isFinite(v));
    const range = starts.length && positives.length
      ? [Math.log10(Math.min(...positives)) - 0.1, Math.log10(100 * Math.max(...starts))] : undefined;
    const font = { size: 10, color: "#57606a" };
    const layout = {
      margin: { l: 44, r: 8, t: 6, b: 28 }, height: 190, showlegend: true,
      legend: { orientation: "h", y: 1.02, yanchor: "bottom", x: 0, font },
      xaxis: { title: { text: "epoch", font }, tickfont: font, zeroline: false },
      yaxis: { title: { text: `${metric} loss`, font }, tickfont: font, type: "log", zeroline: false,
        range, autorange: range ? false : true },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", uirevision: "compare",
    };
    window.Plotly.react(this.curves, traces, layout, { displayModeBar: false, responsive: true });
  }
}
