/**
 * A single neuron on (x₁, x₂), up close: its weights, its line w₁x₁ + w₂x₂ + b = 0, the weight vector w (normal
 * to the line, pointing to the side it calls class 1), the last classic-rule update written out with the
 * frame's numbers, and for truth-table data (the logic gates) a table whose rows light up right or wrong.
 */
import { outputActivation, outputReading } from "./plots.js";
import { num } from "./format.js";

const LINE_COLOR = "#1d2630";
const VECTOR_COLOR = "#CC79A7";
const GATES = new Set(["and", "or", "nand", "nor", "xor"]);
/** A single neuron's possible output activations, z = f(a). */
const OUTPUTS = {
  step: (a) => (a > 0 ? 1 : 0),
  sign: (a) => Math.sign(a),
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  tanh: Math.tanh,
  linear: (a) => a,
};

/**
 * True when the config's network is one neuron reading exactly the features x1 and x2 (no hidden layer, one
 * output): the only case where the decision boundary is the line w₁x₁ + w₂x₂ + b = 0 on the plane.
 */
export function isSingleNeuron(config) {
  const features = config?.features ?? [];
  return (
    (config?.network?.hidden ?? [null]).length === 0 &&
    features.length === 2 && features.includes("x1") && features.includes("x2") &&
    config?.network?.output_activation !== "softmax"
  );
}


/** A number inside an expression: negatives in parentheses. */
function term(v) {
  return v < 0 ? `(${num(v)})` : num(v);
}

function vec(values) {
  return `[${values.map(num).join(", ")}]`;
}

/** The neuron's (w1, w2, b) from a frame's weights and the config's feature order. */
function neuronWeights(config, weights) {
  const { W, b } = weights[0];
  return { w1: W[config.features.indexOf("x1")][0], w2: W[config.features.indexOf("x2")][0], b: b[0] };
}

/** The part of the line w1·x + w2·y + b = 0 inside `extent`, as two points, or null if it misses it. */
function clipLine({ w1, w2, b }, [x0, x1, y0, y1]) {
  const points = [];
  if (w2 !== 0) {
    for (const x of [x0, x1]) {
      const y = -(w1 * x + b) / w2;
      if (y >= y0 && y <= y1) points.push([x, y]);
    }
  }
  if (w1 !== 0) {
    for (const y of [y0, y1]) {
      const x = -(w2 * y + b) / w1;
      if (x > x0 && x < x1) points.push([x, y]);
    }
  }
  return points.length >= 2 ? [points[0], points[points.length - 1]] : null;
}

/**
 * Plotly `{shapes, annotations}` for a neuron's line w1·x1 + w2·x2 + b = 0 (clipped to `extent`) and its
 * weight vector w: an arrow from the middle of the visible line, along w (fixed length), labelled w.
 * Empty lists when w = 0 or the line misses the plane.
 * @param {{w1: number, w2: number, b: number}} weights
 * @param {number[]} extent [x_min, x_max, y_min, y_max]
 */
export function neuronLineShapes({ w1, w2, b }, extent) {
  const norm = Math.hypot(w1, w2);
  const segment = norm > 0 && Number.isFinite(norm) ? clipLine({ w1, w2, b }, extent) : null;
  if (!segment) return { shapes: [], annotations: [] };
  const [x0, x1, y0, y1] = extent;
  const line = { color: LINE_COLOR, width: 2 };
  const shapes = [{ type: "line", xref: "x", yref: "y", x0: segment[0][0], y0: segment[0][1], x1: segment[1][0], y1: segment[1][1], line, layer: "above" }];
  // w starts from the middle of the visible part of the line, so it is always on the plane.
  const foot = [(segment[0][0] + segment[1][0]) / 2, (segment[0][1] + segment[1][1]) / 2];
  const length = 0.14 * Math.min(x1 - x0, y1 - y0);
  const head = [foot[0] + (length * w1) / norm, foot[1] + (length * w2) / norm];
  const ref = { xref: "x", yref: "y" };
  const annotations = [
    { ...ref, x: head[0], y: head[1], ax: foot[0], ay: foot[1], axref: "x", ayref: "y", text: "", showarrow: true, arrowhead: 2, arrowsize: 1.1, arrowwidth: 2.5, arrowcolor: VECTOR_COLOR },
    { ...ref, x: head[0] + (0.25 * length * w1) / norm, y: head[1] + (0.25 * length * w2) / norm, text: "<b>w</b>", showarrow: false, font: { size: 14, color: VECTOR_COLOR } },
  ];
  return { shapes, annotations };
}

/** Each classic rule's update of w and b, written out with a record's numbers (w0, b0: before the update). */
const UPDATES = {
  perceptron: (u, w0, b0) => [
    `w ← w + η(t − z)x = ${vec(w0)} + ${num(u.learning_rate)}·(${num(u.t)} − ${term(u.z)})·${vec(u.x)}`,
    `b ← b + η(t − z) = ${num(b0)} + ${num(u.learning_rate)}·(${num(u.t)} − ${term(u.z)})`,
  ],
  delta: (u, w0, b0) => [
    `w ← w + η(t − a)x = ${vec(w0)} + ${num(u.learning_rate)}·(${num(u.t)} − ${term(u.a)})·${vec(u.x)}`,
    `b ← b + η(t − a) = ${num(b0)} + ${num(u.learning_rate)}·(${num(u.t)} − ${term(u.a)})`,
  ],
  hebb: (u, w0, b0) => [
    `w ← w + η·t·x = ${vec(w0)} + ${num(u.learning_rate)}·${term(u.t)}·${vec(u.x)}`,
    `b ← b + η·t = ${num(b0)} + ${num(u.learning_rate)}·${term(u.t)}`,
  ],
  hebb_unsupervised: (u, w0) => [`w ← w + η·y·x = ${vec(w0)} + ${num(u.learning_rate)}·${term(u.a)}·${vec(u.x)}`],
  oja: (u, w0) => [
    `w ← w + η·y·(x − y·w) = ${vec(w0)} + ${num(u.learning_rate)}·${term(u.a)}·(${vec(u.x)} − ${term(u.a)}·${vec(w0)})`,
  ],
};

const RULE_TITLES = {
  perceptron: "Perceptron rule", delta: "Delta rule (LMS)", hebb: "Hebb rule",
  hebb_unsupervised: "Unsupervised Hebb rule", oja: "Oja's rule",
};

function flat(values) {
  return (Array.isArray(values) ? values : [values]).flat();
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * The neuron panel. `render(config, frame)` redraws it from a normalized config and a decoded frame;
 * `setData(data)` gives it the server's `data` message (for the truth table).
 */
export class NeuronView {
  /** @param {HTMLElement} el the panel element (it gets the class `viz-neuron`). */
  constructor(el) {
    this.el = el;
    this.el.classList.add("viz-neuron");
    this.data = null;
  }

  /** The server's `data` message: its points and labels fill the truth table. */
  setData(data) {
    this.data = data;
    this.shown = null; // the truth table follows the data: draw it again on the next render
  }

  /** Redraw for `config` (normalized) and `frame` (decoded; may be null before the first frame). Nothing is rebuilt
   * while only the fixed note shows, or for the very same config and frame again. */
  render(config, frame) {
    if (!isSingleNeuron(config)) {
      if (this.shown === "note") return;
      this.shown = "note";
      this.el.replaceChildren(element("p", "viz-neuron-note", "A single neuron on (x₁, x₂) is shown here: set no hidden layers and the features x₁, x₂."));
      return;
    }
    if (this.shown && this.shown.config === config && this.shown.frame === frame) return;
    this.shown = { config, frame };
    this.el.replaceChildren();
    if (!frame?.weights) return;
    const w = neuronWeights(config, frame.weights);
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
      cell.append(element("span", "viz-neuron-name", name), element("span", "viz-neuron-value", num(value)));
      block.append(cell);
    }
    return block;
  }

  lineBlock({ w1, w2, b }) {
    const sign = (v) => (v < 0 ? " − " : " + ");
    const text = `${num(w1)}·x₁${sign(w2)}${num(Math.abs(w2))}·x₂${sign(b)}${num(Math.abs(b))} = 0`;
    const block = element("div", "viz-neuron-line", text);
    block.dataset.testid = "neuron-line";
    block.title = "the decision boundary: the neuron's net input a = w·x + b is 0 on this line";
    return block;
  }

  updateBlock(config, u, w) {
    const block = element("div", "viz-neuron-update");
    block.dataset.testid = "neuron-update";
    const wNew = [w.w1, w.w2];
    const order = [config.features.indexOf("x1"), config.features.indexOf("x2")];
    const dW = flat(u.dW);
    const x = flat(u.x);
    const record = { ...u, x: order.map((k) => x[k]) };
    const w0 = order.map((k, n) => wNew[n] - dW[k]);
    const b0 = w.b - (u.db ?? 0);
    const rule = u.rule ?? config.training?.rule;
    block.append(element("div", "viz-neuron-rule", `${RULE_TITLES[rule] ?? rule} · sample ${u.index ?? "?"}`));
    const output = rule === "delta" || rule === "oja" || rule === "hebb_unsupervised" ? `y = a = ${num(u.a)}` : `a = ${num(u.a)}, z = ${num(u.z)}`;
    block.append(element("div", "viz-neuron-sample", `x = ${vec(record.x)}, t = ${num(u.t)}, ${output}`));
    const lines = UPDATES[rule]?.(record, w0, b0) ?? [`w ← w + Δw = ${vec(w0)} + ${vec(order.map((k) => dW[k]))}`];
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
      block.append(element("div", `viz-neuron-verdict ${u.mistake ? "wrong" : "right"}`, u.mistake ? "✗ a mistake" : "✓ classified right"));
    }
    return block;
  }

  /**
   * For truth-table data (a logic gate, or at most 16 points on {−1, 0, 1}²): one row per corner with x₁, x₂, t,
   * a = w·x + b and whether the neuron is right; the row of the last update's sample is outlined.
   */
  truthTable(config, frame, { w1, w2, b }) {
    const source = this.data?.train ?? (config.data?.points ? { points: config.data.points, labels: config.data.labels } : null);
    if (!source?.points?.length || this.data?.task === "regression") return null;
    const gate = GATES.has(config.data?.dataset);
    const corners = source.points.length <= 16 && source.points.every((p) => p.every((v) => v === 0 || v === 1 || v === -1));
    if (!gate && !corners) return null;
    // A gate's points may be jittered and repeated: each belongs to its corner.
    const corner = ([x1, x2]) => (gate ? [x1, x2].map((v) => (config.data?.bipolar ? (v > 0 ? 1 : -1) : v > 0.5 ? 1 : 0)) : [x1, x2]);
    const rows = new Map();
    source.points.forEach((point, n) => {
      const c = corner(point);
      const key = c.join(",");
      if (!rows.has(key)) rows.set(key, { point: c, label: source.labels[n], samples: [] });
      rows.get(key).samples.push(n);
    });
    const f = OUTPUTS[outputActivation(config)] ?? OUTPUTS.linear;
    const { threshold } = outputReading(config, this.data);
    const table = element("table", "viz-truth");
    table.dataset.testid = "truth-table";
    const head = element("tr");
    for (const h of ["x₁", "x₂", "class", "a = w·x + b", ""]) head.append(element("th", "", h));
    table.append(head);
    for (const { point: [x1, x2], label, samples } of rows.values()) {
      const a = w1 * x1 + w2 * x2 + b;
      const right = f(a) > threshold === label > 0;
      const row = element("tr", right ? "right" : "wrong");
      if (samples.includes(frame.update?.index)) row.classList.add("current");
      for (const text of [num(x1), num(x2), String(label), num(a), right ? "✓" : "✗"]) row.append(element("td", "", text));
      table.append(row);
    }
    return table;
  }
}
