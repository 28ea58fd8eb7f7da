// Side-by-side runs (docs/lessons.md): fork the current scene with one change — optimizer, learning rate,
// activation, loss, rule, layers, … (fork.js) — and watch both. Each extra run is its own WebSocket session
// (compare_run.js), drawn on a small plane, with every run's training loss overlaid on one plot (log scale).
// Lessons with `variants` (5, 6, 7, 8, 10, 12, …) start their runs here through the `nnlive:lesson` event.
//
// The runs follow the page: they play and pause with the main run (its `playing`/`paused` events), restart when
// it restarts, and take its speed. A fork starts from the main run's own starting weights when the change keeps
// the network's shape, so both runs really begin at the same point (not for a new `network.init` or `seed`: those
// forks are about other starting weights).

import { PALETTE } from "./colors.js";
import { Run, emptyPoints, record } from "./compare_run.js";
import { el } from "./dom.js";
import { forkConfig, forkParameters, parseValue } from "./fork.js";
import { clone, getPath } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./controls/commands.js").Commands} Commands */
/** @typedef {{history: import("./timeline.js").FrameHistory} | null} Timeline */

const MAX_RUNS = 4;
// the main run is COLOURS[0]; each fork takes the first colour no open run uses
const COLOURS = PALETTE.slice(0, 6);
const SHAPE_KEYS = new Set(["network.hidden", "features", "network.output_activation", "data"]);
// forks whose whole point is other starting weights: never given the main run's
const NEW_WEIGHT_KEYS = new Set(["network.init", "seed"]);

/**
 * The side-by-side panel.
 * @param {{store: Store, catalog: Catalog, commands: Commands, timeline: Timeline}} deps
 */
export function initCompare(deps) {
  const root = document.getElementById("compare");
  return root ? new ComparePanel(deps, root) : null;
}

class ComparePanel {
  /**
   * @param {{store: Store, catalog: Catalog, commands: Commands, timeline: Timeline}} deps
   * @param {HTMLElement} root
   */
  constructor({ store, catalog, commands, timeline }, root) {
    this.store = store;
    this.catalog = catalog;
    this.commands = commands;
    this.timeline = timeline;
    this.root = root;
    /** @type {Run[]} */
    this.runs = [];
    this.main = { label: "this run", points: emptyPoints(), lastEpoch: -1, step: -1 };
    this.metric = "train";
    this.pending = false;
    this.params = forkParameters(catalog);
    this.build();
    store.on("frame", (frame) => this.onMainFrame(frame));
    store.on("event", (msg) => {
      if (msg.event === "playing") this.runs.forEach((r) => r.session.play());
      if (msg.event === "paused") this.runs.forEach((r) => r.session.pause());
    });
    store.on("view", (patch) => {
      if ("speed" in patch) this.runs.forEach((r) => r.session.set({ speed: store.view.speed }));
    });
    document.addEventListener("nnlive:lesson", (/** @type {CustomEvent} */ e) => this.startLesson(e.detail));
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
    const { commands } = this;
    const stepAll = () => { // as the main run steps: one sample for a classic rule, else one epoch
      const unit = this.catalog.classic(this.store.config) ? "update" : "epoch";
      commands.step();
      this.runs.forEach((r) => r.session.step(1, unit));
    };
    const resetAll = () => {
      commands.reset();
      this.runs.forEach((r) => r.session.reset());
    };
    this.controls = el("div", { class: "compare-controls" },
      el("button", { type: "button", class: "btn small", "data-testid": "compare-play", text: "▶ all", onclick: () => commands.play() }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-pause", text: "❚❚ all", onclick: () => commands.pause() }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-step", text: "step all", onclick: stepAll }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-reset", text: "reset all", onclick: resetAll }),
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
    const now = getPath(this.store.config, p.path);
    let input;
    if (p.choices && p.choices.length) {
      input = el("select", { "data-testid": "fork-value", "aria-label": `New ${p.label}` });
      const select = /** @type {HTMLSelectElement} */ (input);
      input.append(...p.choices.map((c) => el("option", { value: c, text: c })));
      const other = p.choices.find((c) => c !== now);
      if (other) select.value = other;
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
    const history = this.timeline?.history;
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
    const base = this.store.config;
    const classicBase = base && this.catalog.classic(base);
    const note = p.path === "network.hidden" && Array.isArray(value) && value.length && classicBase ? " (backprop)" : "";
    const label = `${p.label} = ${Array.isArray(value) ? value.join("-") || "none" : value}${note}`;
    return this.fork(p.path, value, label);
  }

  /** Start a run of the current scene with `path` set to `value`. */
  fork(path, value, label = `${path} = ${value}`) {
    const base = this.store.config;
    if (!base) return null;
    const config = forkConfig(base, path, value, this.catalog);
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
    const run = new Run({ label, config, colour }, {
      catalog: this.catalog, box: this.runsBox, speed: this.store.view.speed, showTest: this.store.view.showTest,
      onClose: (r) => this.remove(r), onLosses: () => this.scheduleCurves(),
    });
    this.runs.push(run);
    if (this.store.playing) run.session.play();
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
