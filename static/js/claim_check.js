// A lesson's claim, ticked live (docs/lessons.md, "A lesson file"): the lesson file's `check` lists conditions
// over the numbers on screen — a run's metric (its last, first, lowest or highest value over the epochs shown)
// against a number or against another run's, or an event a run reported — and the claim ticks when all of them
// hold. The main run is "" (or the lesson's base_label); the side-by-side runs go by their labels. The same
// reading of a condition is in tests/lessons/test_checks.py, which checks that each scene ends with its claim
// ticked.

import { el } from "./dom.js";

/** @typedef {import("./types.js").Frame} Frame */
/**
 * @typedef {{run?: string, metric: string, stat?: "last" | "first" | "min" | "max"}} Measure
 * @typedef {Measure & {label: string, event?: string | null, op?: string, value?: number | null,
 *   than?: Measure | null, times?: number, plus?: number}} Condition
 * @typedef {{rows: Object<string, number | null>[], events: Set<string>, step: number}} Record
 */

const OPS = {
  ">=": (a, b) => a >= b, ">": (a, b) => a > b, "<=": (a, b) => a <= b, "<": (a, b) => a < b, "==": (a, b) => a === b,
};
const METRICS = ["train_loss", "test_loss", "train_accuracy", "test_accuracy", "mistakes"];

/** ‖every weight and bias‖ of a frame. */
export function weightNorm(frame) {
  let sum = 0;
  for (const { W, b } of frame.weights || []) {
    for (const row of W) for (const w of row) sum += w * w;
    for (const v of b) sum += v * v;
  }
  return Math.sqrt(sum);
}

/** @returns {Record} */
const emptyRecord = () => ({ rows: [], events: new Set(), step: -1 });

/**
 * The metrics a card of run `label` should show: those the conditions are about for it (as the measured run or
 * as the one compared with); `main` is the lesson's base label.
 * @param {Condition[]} conditions
 * @param {string} label
 * @param {string} main
 */
export function metricsIn(conditions, label, main) {
  const runOf = (l) => (!l || l === main ? "" : l);
  const run = runOf(label);
  const out = new Set();
  for (const c of conditions) {
    if (c.metric && runOf(c.run) === run) out.add(c.metric);
    if (c.than && runOf(c.than.run) === run) out.add(c.than.metric);
  }
  for (const drop of ["epoch", "landscape_cells"]) out.delete(drop);
  return [...out];
}

export class ClaimCheck {
  /**
   * @param {HTMLElement} box where the conditions are listed
   * @param {{landscapeCells?: () => number | null}} sources numbers that are not a run's frames (lesson 9)
   */
  constructor(box, sources = {}) {
    this.box = box;
    this.sources = sources;
    /** @type {Condition[]} */
    this.conditions = [];
    /** @type {Map<string, Record>} */
    this.records = new Map();
    this.main = "";
    this.holds = false;
    this.pending = false;
  }

  /** A lesson's conditions; every record starts empty. */
  start(lesson) {
    this.conditions = lesson.check || [];
    this.main = lesson.base_label || "";
    this.records.clear();
    this.render();
  }

  /** Which run a condition means: "" and the base label are the main run. */
  runOf(label) {
    return !label || label === this.main ? "" : label;
  }

  record(label) {
    const run = this.runOf(label);
    if (!this.records.has(run)) this.records.set(run, emptyRecord());
    return this.records.get(run);
  }

  /** A frame of run `label` ("" for the main run): one row per epoch (its newest frame); a restart clears it. */
  frame(label, frame) {
    const record = this.record(label);
    if (frame.step < record.step) Object.assign(record, emptyRecord());
    record.step = frame.step;
    const row = { epoch: frame.epoch, weight_norm: weightNorm(frame) };
    for (const key of METRICS) row[key] = frame.metrics?.[key] ?? null;
    const last = record.rows[record.rows.length - 1];
    if (last && last.epoch === frame.epoch) record.rows[record.rows.length - 1] = row;
    else record.rows.push(row);
    this.schedule();
  }

  /** A trainer event of run `label`. */
  event(label, type) {
    this.record(label).events.add(type);
    this.schedule();
  }

  /** A run was closed or restarted from scratch by the page. */
  forget(label) {
    this.records.delete(this.runOf(label));
    this.schedule();
  }

  /** A measure's value over the epochs shown, or null when there is none yet. */
  value({ run = "", metric, stat = "last" }) {
    if (metric === "landscape_cells") return this.runOf(run) === "" ? this.sources.landscapeCells?.() ?? null : null;
    const rows = this.records.get(this.runOf(run))?.rows || [];
    const values = rows.map((r) => r[metric]).filter((v) => v !== null && v !== undefined && Number.isFinite(v));
    if (!values.length) return null;
    if (stat === "first") return values[0];
    if (stat === "min") return Math.min(...values);
    if (stat === "max") return Math.max(...values);
    return values[values.length - 1];
  }

  /** @param {Condition} c */
  met(c) {
    if (c.event) return Boolean(this.records.get(this.runOf(c.run))?.events.has(c.event));
    const left = this.value(c);
    const other = c.than ? this.value(c.than) : null;
    const right = c.than ? (other === null ? null : other * (c.times ?? 1) + (c.plus ?? 0)) : c.value;
    return left !== null && right !== null && right !== undefined && OPS[c.op || ">="](left, right);
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    const items = this.conditions.map((c) => {
      const ok = this.met(c);
      return el("li", { class: ok ? "met" : "", dataset: { met: String(ok) } }, el("span", { class: "tick", "aria-hidden": "true",
        text: ok ? "✓" : "○" }), ` ${c.label}`);
    });
    this.holds = this.conditions.length > 0 && items.every((li) => li.dataset.met === "true");
    const status = !this.conditions.length ? ""
      : this.holds ? "✓ On screen now" : "On screen: not yet";
    this.box.replaceChildren(
      ...(status ? [el("p", { class: "claim-status", "data-testid": "claim-status", text: status })] : []),
      ...(items.length ? [el("ul", { class: "claim-list" }, items)] : []));
    this.box.dataset.holds = String(this.holds);
  }
}
