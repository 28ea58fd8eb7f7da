// Side-by-side runs (docs/lessons.md): fork the current scene with one change — optimizer, learning rate,
// activation, loss, rule, layers, … (fork.js) — and watch both. Each extra run is its own WebSocket session
// (compare_run.js), drawn on a small card, with every run's loss overlaid on one plot in the curves panel.
// Lessons with `variants` (4, 5, 6, 7, 8, 10, 12) start their runs here through the `nnlive:lesson` event.
//
// Honest comparisons: while forks exist the runs train in lock-step (lock_step.js: the same epoch for all, the
// main run waiting for the others), they restart when the main run restarts and take its speed. A fork whose data
// or settings no longer match the main scene (points edited or imported, another dataset, a setting its own
// change does not cover) is marked out of date, with a one-click re-fork from the scene as it is now. A fork
// starts from the main run's own starting weights when the change keeps the network's shape (not for a new
// `network.init` or `seed`: those forks are about other starting weights).
//
// Each fork's frames and events go out as `nnlive:run` events ({label, frame} / {label, event} / {label,
// closed}) for the lesson's claim (lessons.js); a lesson's cards show the metrics its claim is about.

import { metricsIn } from "./claim_check.js";
import { PALETTE } from "./colors.js";
import { Run, emptyPoints, record } from "./compare_run.js";
import { el } from "./dom.js";
import { changedPaths, coveredPaths, forkConfig, mergeOverrides } from "./fork.js";
import { ForkForm } from "./fork_form.js";
import { CompareCurves } from "./compare_curves.js";
import { LockStep } from "./lock_step.js";
import { clone } from "./state.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./controls/commands.js").Commands} Commands */
/** @typedef {import("./socket.js").Session} Session */
/** @typedef {{history: import("./timeline.js").FrameHistory} | null} Timeline */
/** @typedef {import("./compare_run.js").Recipe} Recipe */

const MAX_RUNS = 4;
// the main run is COLOURS[0]; each fork takes the first colour no open run uses
const COLOURS = PALETTE.slice(0, 6);
const SHAPE_KEYS = new Set(["network.hidden", "features", "network.output_activation", "data"]);
// forks whose whole point is other starting weights: never given the main run's
const NEW_WEIGHT_KEYS = new Set(["network.init", "seed"]);
const DEFAULT_METRICS = ["train_loss", "test_loss"];

const under = (paths, keys) => [...paths].some((p) => [...keys].some((k) => p === k || p.startsWith(`${k}.`)));

/**
 * The side-by-side panel.
 * @param {{store: Store, catalog: Catalog, commands: Commands, session: Session, timeline: Timeline}} deps
 */
export function initCompare(deps) {
  const root = document.getElementById("compare");
  return root ? new ComparePanel(deps, root) : null;
}

class ComparePanel {
  /**
   * @param {{store: Store, catalog: Catalog, commands: Commands, session: Session, timeline: Timeline}} deps
   * @param {HTMLElement} root
   */
  constructor({ store, catalog, commands, session, timeline }, root) {
    this.store = store;
    this.catalog = catalog;
    this.commands = commands;
    this.session = session;
    this.timeline = timeline;
    this.root = root;
    /** @type {Run[]} */
    this.runs = [];
    this.main = { label: "this run", points: emptyPoints(), lastEpoch: -1, step: -1 };
    this.mainRunner = { session, now: () => store.lastFrame, target: null, trainOn: () => commands.trainOnIfEnded(true) };
    /** @type {"train" | "test"} */
    this.metric = "train";
    this.check = []; // the lesson's claim conditions: which metrics the cards show
    this.base = "";
    this.lock = new LockStep({
      runners: () => [this.mainRunner, ...this.runs],
      speed: () => store.view.speed,
      onPlaying: (playing) => store.setPlaying(playing),
    });
    this.lastConfig = clone(store.config);
    this.build();
    store.on("frame", (frame) => this.onMainFrame(frame));
    store.on("view", (patch) => {
      if ("speed" in patch) this.runs.forEach((r) => r.session.set({ speed: store.view.speed }));
    });
    store.on("config", ({ source }) => this.mainChanged(source));
    store.on("drawn", () => this.mainChanged("user"));
    store.on("playing", ({ playing }) => { if (!playing && this.lock.playing) this.lock.pause(); });
    document.addEventListener("nnlive:lesson", (/** @type {CustomEvent} */ e) => this.startLesson(e.detail));
    document.addEventListener("nnlive:lesson-mode", (/** @type {CustomEvent} */ e) => {
      if (e.detail.on) return;
      this.check = [];
      this.base = "";
      this.runs.forEach((r) => r.setMetrics(this.cardMetrics(r.label, r.config)));
    });
  }

  build() {
    this.root.classList.add("panel", "compare-panel");
    this.root.dataset.testid = "compare";
    this.root.setAttribute("aria-label", "Side-by-side runs");
    this.error = el("p", { class: "field-error compare-error", role: "alert", "data-testid": "fork-error" });
    this.forkForm = new ForkForm({ store: this.store, catalog: this.catalog, error: this.error,
      onFork: (path, value, label) => this.fork(path, value, label) });
    this.curves = el("div", { class: "compare-curves", "data-testid": "compare-curves" });
    const slot = document.getElementById("compare-curves-slot");
    if (slot) slot.append(this.curves); // the overlay sits under the main curves
    this.overlay = new CompareCurves(this.curves, COLOURS[0]);
    this.runsBox = el("div", { class: "compare-runs" });
    const { commands } = this;
    this.controls = el("div", { class: "compare-controls" },
      el("button", { type: "button", class: "btn small", "data-testid": "compare-play", text: "▶ all", onclick: () => commands.play() }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-pause", text: "❚❚ all", onclick: () => commands.pause() }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-step", text: "step all", onclick: () => commands.step() }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-reset", text: "reset all", onclick: () => this.resetAll() }),
      el("button", { type: "button", class: "btn small", "data-testid": "compare-clear", text: "close all", onclick: () => this.clear() }),
      this.metricSelect = el("select", { class: "compare-metric", "data-testid": "compare-metric", "aria-label": "Which loss to overlay",
        onchange: () => this.setMetric(this.metricSelect.value) },
      el("option", { value: "train", text: "train loss" }), el("option", { value: "test", text: "test loss" })));
    this.body = el("div", { class: "compare-body" }, this.controls, this.runsBox);
    this.form = this.forkForm.box;
    this.root.replaceChildren(el("h2", { text: "Side by side" }), this.body, this.form, this.error);
    this.update();
  }

  /** The main run's starting weights (its first recorded frame), when the timeline has them. */
  startWeights() {
    const history = this.timeline?.history;
    const first = history && history.length ? history.at(0) : null;
    return first && first.step === 0 && Array.isArray(first.weights) ? clone(first.weights) : null;
  }

  /** The form's fork (tests and the console call it too). */
  forkFromForm() {
    return this.forkForm.submit();
  }

  /** Start a run of the current scene with `path` set to `value`. */
  fork(path, value, label = `${path} = ${value}`) {
    return this.add(label, { path, value });
  }

  /**
   * The config a recipe makes of the main scene as it is now: the one change (or a lesson variant's overrides),
   * starting from the main run's own first weights when the network keeps its shape.
   * @param {Recipe} recipe
   */
  configOf(recipe) {
    const base = this.store.config;
    if (!base) return null;
    const config = "overrides" in recipe ? mergeOverrides(clone(base), recipe.overrides)
      : forkConfig(base, recipe.path, recipe.value, this.catalog);
    const keys = coveredPaths(recipe, this.catalog.classic(base));
    const weights = this.startWeights();
    if (under(keys, NEW_WEIGHT_KEYS)) {
      if (config.network) delete config.network.weights; // a scene's fixed weights would hide the new init or seed
    } else if (weights && !under(keys, SHAPE_KEYS) && !under(keys, ["training.rule"])) {
      config.network = { ...config.network, weights };
    }
    return config;
  }

  /**
   * @param {string} label
   * @param {Recipe} recipe
   * @param {import("./types.js").Config} [given] the config (a lesson variant's, as the lesson file merged it)
   */
  add(label, recipe, given = null) {
    if (this.runs.length >= MAX_RUNS) {
      this.error.textContent = `at most ${MAX_RUNS} side-by-side runs: close one first`;
      return null;
    }
    const config = given ?? this.configOf(recipe);
    if (!config) return null;
    this.body.hidden = false; // before the run's plane is drawn: Plotly measures its box
    const used = new Set(this.runs.map((r) => r.colour));
    const colour = COLOURS.slice(1).find((c) => !used.has(c)) || COLOURS[1 + (this.runs.length % (COLOURS.length - 1))];
    const run = new Run({ label, config, colour, recipe }, {
      catalog: this.catalog, box: this.runsBox, speed: this.store.view.speed, showTest: this.store.view.showTest,
      metrics: this.cardMetrics(label, config),
      onClose: (r) => this.remove(r), onLosses: () => this.scheduleCurves(),
      onFrame: (r, frame) => this.onRunFrame(r, frame),
      onEvent: (r, event) => this.emit({ label: r.label, event }),
      onRefork: (r) => this.refork(r),
    });
    const wasDriving = Boolean(this.commands.driver);
    this.runs.push(run);
    this.commands.driver = this.lock;
    if (this.store.playing && !wasDriving) { // the main run played on its own: from now on in lock-step
      this.session.pause();
      this.lock.play();
    }
    this.update();
    this.scheduleCurves();
    return run;
  }

  /** What a card shows: the metrics the lesson's claim is about for it, else its mistakes (a classic rule: its
   * loss of a sign or step output says little) or its losses. */
  cardMetrics(label, config) {
    const metrics = metricsIn(this.check, label, this.base);
    return metrics.length ? metrics : this.catalog.classic(config) ? ["mistakes"] : DEFAULT_METRICS;
  }

  remove(run) {
    run.close();
    this.runs = this.runs.filter((r) => r !== run);
    this.emit({ label: run.label, closed: true });
    this.afterRemove();
  }

  /** Close every run; `playOn`: a main run that was playing goes on by itself (not when a new scene comes). */
  clear({ playOn = true } = {}) {
    const runs = this.runs;
    runs.forEach((r) => r.close());
    this.runs = [];
    runs.forEach((r) => this.emit({ label: r.label, closed: true }));
    this.main.label = "this run";
    this.afterRemove(playOn);
  }

  /** Without forks the main run plays by itself again (the server paces it). */
  afterRemove(playOn = true) {
    if (!this.runs.length && this.commands.driver === this.lock) {
      const playing = this.lock.playing;
      this.lock.pause();
      this.commands.driver = null;
      if (playing && playOn) this.commands.play();
    } else if (this.lock.playing && !this.lock.busy()) {
      this.lock.round();
    }
    this.update();
    this.scheduleCurves();
  }

  resetAll() {
    this.commands.reset();
    this.runs.forEach((r) => r.session.reset());
  }

  /** Re-fork an out-of-date run from the main scene as it is now; in lock-step it catches up with the others. */
  refork(run) {
    const config = this.configOf(run.recipe);
    if (!config) return;
    run.reconfigure(config);
    this.emit({ label: run.label, closed: true }); // its claim numbers start again
  }

  /** The main scene changed: forks whose own change does not cover it are out of date. */
  mainChanged(source) {
    const before = this.lastConfig;
    this.lastConfig = clone(this.store.config);
    if (source === "server" || !before || !this.runs.length) return;
    const changed = changedPaths(before, this.store.config);
    if (!changed.length) return;
    for (const run of this.runs) {
      const covered = coveredPaths(run.recipe, this.catalog.classic(before));
      const outside = changed.filter((p) => !under([p], covered));
      if (outside.length) run.markStale(outside.some((p) => p.startsWith("data")) ? "the main run's data changed"
        : `the main run's ${outside[0].split(".").pop().replace(/_/g, " ")} changed`);
    }
  }

  /** Overlay the training ("train") or the test ("test") loss. */
  setMetric(metric) {
    this.metric = metric === "test" ? "test" : "train";
    if (this.metricSelect) this.metricSelect.value = this.metric;
    this.scheduleCurves();
  }

  startLesson(lesson) {
    this.clear({ playOn: false }); // a new scene starts paused
    this.error.textContent = "";
    Object.assign(this.main, { points: emptyPoints(), lastEpoch: -1, step: -1 }); // the lesson's run starts anew
    this.setMetric(lesson && lesson.display && lesson.display.compare === "test" ? "test" : "train");
    this.check = lesson?.check || [];
    this.base = lesson?.base_label || "";
    this.lastConfig = clone(this.store.config);
    if (!lesson || !lesson.variants || !lesson.variants.length) {
      this.form.open = true;
      return;
    }
    this.form.open = false; // the lesson's own runs first; forking more is one click away
    this.main.label = lesson.base_label ? `${lesson.base_label} (main)` : "this run";
    for (const variant of lesson.variants) {
      this.add(variant.label, { overrides: variant.overrides }, clone(variant.config));
    }
  }

  emit(detail) {
    document.dispatchEvent(new CustomEvent("nnlive:run", { detail }));
  }

  onRunFrame(run, frame) {
    this.emit({ label: run.label, frame });
    this.lock.arrived(run, frame);
  }

  onMainFrame(frame) {
    const main = this.main;
    if (frame.step < main.step) {
      main.points = emptyPoints();
      main.lastEpoch = -1;
      if (main.step > 0) this.runs.forEach((r) => r.session.reset()); // the main run restarted: so do the others
    }
    main.step = frame.step;
    this.lock.arrived(this.mainRunner, frame);
    if (record(main, frame) && this.runs.length) this.scheduleCurves();
  }

  update() {
    this.body.hidden = this.runs.length === 0;
    this.curves.hidden = this.runs.length === 0;
    this.root.classList.toggle("has-runs", this.runs.length > 0);
  }

  scheduleCurves() {
    this.overlay.schedule(this.main, this.runs, this.metric);
  }
}
