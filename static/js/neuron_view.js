// A single neuron on (x₁, x₂), up close: its weights, its line w₁x₁ + w₂x₂ + b = 0, the last classic-rule update
// written out with the frame's numbers (the rule's own equation from the catalog, its symbols replaced by the
// record's values), and for truth-table data (the logic gates) a table whose rows light up right or wrong.

import { num } from "./format.js";
import { isSingleNeuron, neuronWeights } from "./neuron_line.js";
import { t } from "./i18n.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").DataMessage} DataMessage */
/** @typedef {import("./types.js").Frame} Frame */
/** @typedef {import("./types.js").ClassicUpdate} ClassicUpdate */
/** @typedef {import("./neuron_line.js").NeuronWeights} NeuronWeights */

/** A number inside an expression: negatives in parentheses. */
function term(v) {
  return v < 0 ? `(${num(v)})` : num(v);
}

function vec(values) {
  return `[${values.map(num).join(", ")}]`;
}

function flat(values) {
  return (Array.isArray(values) ? values : [values]).flat();
}

function element(tag, className = "", text = undefined) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * The update lines of a rule's equation (`w ← …`, `b ← …`) with its symbols replaced by numbers: the rule's
 * record (x, t, a, z, η; y is the linear output a) and the weights before the update (w, b). Juxtaposed factors
 * get a "·"; a negative number inside an expression gets parentheses. Null if a symbol has no value.
 * @param {string} equation the catalog's equation, clauses separated by commas
 * @param {Object<string, number | number[]>} values symbol → number or vector
 * @returns {string[] | null}
 */
export function writeOut(equation, values) {
  const lines = [];
  for (const clause of equation.split(/,\s+/)) {
    const match = /^([wb]) ← (.*)$/.exec(clause.trim());
    if (!match) continue;
    let out = "";
    let previous = ""; // the last token: "" at the start, "(", an operator, "v" for a value, ")"
    for (const ch of match[2]) {
      if (/\s/.test(ch)) {
        out += ch;
      } else if (ch in values) {
        if (previous === "v" || previous === ")") out += "·";
        const v = values[ch];
        out += Array.isArray(v) ? vec(v) : previous === "" || previous === "(" ? num(v) : term(v);
        previous = "v";
      } else if (/[\p{L}]/u.test(ch)) {
        return null; // a symbol this record cannot fill
      } else {
        if (ch === "(" && (previous === "v" || previous === ")")) out += "·";
        out += ch;
        previous = ch === ")" ? ")" : ch === "(" ? "(" : "op";
      }
    }
    lines.push(`${match[1]} ← ${match[2]} = ${out}`);
  }
  return lines.length ? lines : null;
}

/**
 * The neuron panel. `render(config, frame)` redraws it from a normalized config and a decoded frame;
 * `setData(data)` gives it the server's `data` message (for the truth table).
 */
export class NeuronView {
  /**
   * @param {HTMLElement} el the panel element (it gets the class `viz-neuron`).
   * @param {Catalog} catalog rules, gates, the plane's axes and how a single unit is read
   */
  constructor(el, catalog) {
    this.el = el;
    this.catalog = catalog;
    this.el.classList.add("viz-neuron");
    /** @type {DataMessage | null} */
    this.data = null;
    /** @type {"note" | {config: Config, frame: Frame | null} | null} */
    this.shown = null;
    const [x1, x2] = catalog.axes.map((axis) => catalog.features.find((f) => f.name === axis)?.label ?? axis);
    /** The plane's coordinates as the page writes them (x₁, x₂). */
    this.x1 = x1;
    this.x2 = x2;
  }

  /** The server's `data` message: its points and labels fill the truth table. */
  setData(data) {
    this.data = data;
    this.shown = null; // the truth table follows the data: draw it again on the next render
  }

  /**
   * Redraw for `config` (normalized) and `frame` (decoded; may be null before the first frame). Nothing is rebuilt
   * while only the fixed note shows, or for the very same config and frame again.
   * @param {Config} config
   * @param {Frame | null} frame
   */
  render(config, frame) {
    if (!isSingleNeuron(this.catalog, config)) {
      if (this.shown === "note") return;
      this.shown = "note";
      this.el.replaceChildren(element("p", "viz-neuron-note", t("neuron.note", { x1: this.x1, x2: this.x2 })));
      return;
    }
    if (this.shown && this.shown !== "note" && this.shown.config === config && this.shown.frame === frame) return;
    this.shown = { config, frame };
    this.el.replaceChildren();
    if (!frame?.weights) return;
    const w = neuronWeights(this.catalog, config, frame.weights);
    this.el.append(this.weightsBlock(w), this.lineBlock(w));
    if (frame.update) this.el.append(this.updateBlock(config, frame.update, w));
    const table = this.truthTable(config, frame, w);
    if (table) this.el.append(table);
  }

  weightsBlock({ w1, w2, b }) {
    const block = element("div", "viz-neuron-weights");
    block.dataset.testid = "neuron-weights";
    for (const [name, value] of [["w₁", w1], ["w₂", w2], ["b", b]]) {
      const cell = element("span", "viz-neuron-number");
      cell.append(element("span", "viz-neuron-name", String(name)), element("span", "viz-neuron-value", num(Number(value))));
      block.append(cell);
    }
    return block;
  }

  lineBlock({ w1, w2, b }) {
    const sign = (v) => (v < 0 ? " − " : " + ");
    const text = `${num(w1)}·${this.x1}${sign(w2)}${num(Math.abs(w2))}·${this.x2}${sign(b)}${num(Math.abs(b))} = 0`;
    const block = element("div", "viz-neuron-line", text);
    block.dataset.testid = "neuron-line";
    block.title = t("neuron.line_title");
    return block;
  }

  /**
   * @param {Config} config
   * @param {ClassicUpdate} u
   * @param {NeuronWeights} w
   */
  updateBlock(config, u, w) {
    const block = element("div", "viz-neuron-update");
    block.dataset.testid = "neuron-update";
    const wNew = [w.w1, w.w2];
    const order = this.catalog.axes.map((axis) => config.features.indexOf(axis));
    const dW = flat(u.dW);
    const x = flat(u.x);
    const xs = order.map((k) => x[k]);
    const w0 = order.map((k, n) => wNew[n] - dW[k]);
    const b0 = w.b - (u.db ?? 0);
    const rule = this.catalog.rule(u.rule ?? config.training?.rule);
    const title = (rule.title ?? rule.name).replace(/\s*\(.*\)$/, "");
    block.append(element("div", "viz-neuron-rule", t("neuron.rule_sample", { rule: title, sample: u.index ?? "?" })));
    const output = this.catalog.identity(rule.output_activation) ? `y = a = ${num(u.a)}` : `a = ${num(u.a)}, z = ${num(u.z)}`;
    block.append(element("div", "viz-neuron-sample", `x = ${vec(xs)}, t = ${num(u.t)}, ${output}`));
    const values = { w: w0, b: b0, x: xs, t: u.t, a: u.a, z: u.z, y: u.a, η: u.learning_rate };
    const lines = writeOut(rule.equation ?? "", values) ?? [`w ← w + Δw = ${vec(w0)} + ${vec(order.map((k) => dW[k]))}`];
    const results = [` = ${vec(wNew)}`, ` = ${num(w.b)}`];
    lines.forEach((line, k) => {
      // Each "= …" step stays on one line; a narrow panel wraps between steps.
      const equation = element("div", "viz-neuron-equation");
      const [first, ...rest] = (line + results[k]).split(" = ");
      equation.append(element("span", "", first));
      for (const step of rest) equation.append(" ", element("span", "", `= ${step}`));
      block.append(equation);
    });
    if (u.mistake !== undefined) {
      block.append(element("div", `viz-neuron-verdict ${u.mistake ? "wrong" : "right"}`, t(u.mistake ? "neuron.mistake" : "neuron.right")));
    }
    return block;
  }

  /**
   * For truth-table data (a logic gate, or at most 16 points on {−1, 0, 1}²): one row per corner with x₁, x₂, t,
   * a = w·x + b and whether the neuron is right; the row of the last update's sample is outlined.
   * @param {Config} config
   * @param {Frame} frame
   * @param {NeuronWeights} w
   */
  truthTable(config, frame, { w1, w2, b }) {
    const source = this.data?.train ?? (config.data?.points ? { points: config.data.points, labels: config.data.labels } : null);
    if (!source?.points?.length || this.data?.task === "regression") return null;
    const gate = this.catalog.isGate(config.data?.dataset);
    const corners = source.points.length <= 16 && source.points.every((p) => p.every((v) => v === 0 || v === 1 || v === -1));
    if (!gate && !corners) return null;
    // A gate's points may be jittered and repeated: each belongs to its nearest corner.
    const gateCorners = this.catalog.gateCorners(Boolean(config.data?.bipolar));
    const nearest = (p) => gateCorners.reduce((best, c) => (Math.hypot(c[0] - p[0], c[1] - p[1]) < Math.hypot(best[0] - p[0], best[1] - p[1]) ? c : best));
    const rows = new Map();
    source.points.forEach((point, n) => {
      const c = gate ? nearest(point) : point;
      const key = c.join(",");
      if (!rows.has(key)) rows.set(key, { point: c, label: source.labels[n], samples: [] });
      rows.get(key).samples.push(n);
    });
    const { cut } = this.catalog.binaryReading(config); // class 1 where the net input a exceeds it
    const table = element("table", "viz-truth");
    table.dataset.testid = "truth-table";
    const head = element("tr");
    for (const h of [this.x1, this.x2, t("neuron.class"), "a = w·x + b", ""]) head.append(element("th", "", h));
    table.append(head);
    for (const { point: [x1, x2], label, samples } of rows.values()) {
      const a = w1 * x1 + w2 * x2 + b;
      const right = (cut === null || a > cut) === label > 0;
      const row = element("tr", right ? "right" : "wrong");
      if (samples.includes(frame.update?.index)) row.classList.add("current");
      for (const text of [num(x1), num(x2), String(label), num(a), right ? "✓" : "✗"]) row.append(element("td", "", text));
      table.append(row);
    }
    return table;
  }
}
