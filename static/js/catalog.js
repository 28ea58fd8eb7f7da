// The engine's facts, read from GET /api/catalog (nncore/catalog.py) — the page's only source of them: the menus,
// parameter ranges and defaults, limits (points, classes, layers), the plane's default extent and axes, the
// activations' ranges, what each rule trains towards and with which output, how a binary output is cut, the
// logic gates, which settings apply live, and what a config's data section implies (task, classes). Nothing of
// the engine is typed anywhere else in static/js (tests/static/test_engine_facts.py checks it).
//
//   const catalog = await loadCatalog();
//   catalog.outputActivation(config)   the output a config's network really uses (a classic rule fixes its own)
//   catalog.binaryReading(config)      {levels, threshold, cut} of a one-unit output

import { requestJSON } from "./api.js";

/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").DataSection} DataSection */
/** @typedef {import("./types.js").ParamSpec} ParamSpec */
/** @typedef {import("./types.js").RawCatalog} RawCatalog */
/** @typedef {import("./types.js").BinaryReading} BinaryReading */
/** @typedef {ParamSpec & {name: string}} NamedParam */
/**
 * @typedef {{name: string, title: string, equation: string, online: boolean, output_activation: string | null,
 *   supervised?: boolean, doc: string}} RuleSpec
 */

/**
 * A catalog section (name → spec) as a list of `{name, ...spec}`.
 * @template T
 * @param {{[name: string]: T}} section
 * @returns {(T & {name: string})[]}
 */
function entries(section) {
  return Object.entries(section || {}).map(([name, spec]) => ({ name, ...spec }));
}

export class Catalog {
  /** @param {RawCatalog} raw the JSON of GET /api/catalog */
  constructor(raw) {
    this.raw = raw;
    const activations = entries(raw.activations);
    /** Activations for the hidden layers (one that is `same_as` another, an alias, is not listed twice), and
     * those an output layer may use. */
    this.activations = activations.filter((a) => a.hidden && !a.same_as);
    this.outputActivations = activations.filter((a) => a.output);
    this.losses = entries(raw.losses);
    this.optimizers = entries(raw.optimizers).map((o) => ({ ...o, hyper: entries(o.hyper) }));
    this.rules = entries(raw.rules);
    this.datasets = entries(raw.datasets).map((d) => ({ ...d, params: entries(d.params) }));
    /** `{name, label}` per input feature, in the engine's order. */
    this.features = Object.entries(raw.features || {}).map(([name, label]) => ({ name, label }));
    /** Aliases (same_as) stay out of the menu; a config that names one still shows it. */
    this.initializers = entries(raw.initializers).filter((i) => !i.same_as);
    this.limits = { ...raw.limits };
    this.defaults = raw.defaults;
    this.server = raw.server || {};
    /** The extent of a plane without points, and the features that are the plane's coordinates (x₁, x₂). */
    this.planeExtent = raw.plane.extent;
    this.axes = raw.plane.axes;
    this.liveKeys = new Set(raw.live);
  }

  /** Take the limits a server announces in its `hello` (`{config, server}`), in case they differ. */
  adoptLimits(limits) {
    if (limits && typeof limits.config === "object") Object.assign(this.limits, limits.config);
  }

  // --- registries ---------------------------------------------------------------------------------------------

  activation(name) { return this.raw.activations[name] || null; }

  /** An activation's [lo, hi] when both ends are finite, else null (relu, linear, …). */
  boundedRange(name) {
    const range = this.activation(name)?.range;
    return range && range[0] !== null && range[1] !== null ? [range[0], range[1]] : null;
  }

  loss(name) { return this.losses.find((l) => l.name === name) || null; }

  optimizer(name) { return this.optimizers.find((o) => o.name === name) || null; }

  dataset(name) { return this.datasets.find((d) => d.name === name) || null; }

  /**
   * A rule's description; an unknown name reads as a gradient rule with no equation (the server's error names it).
   * @returns {RuleSpec}
   */
  rule(name) {
    return this.rules.find((r) => r.name === name)
      || { name, title: name, equation: "", online: false, output_activation: null, doc: "" };
  }

  /** The description of a plain config field: `field("training", "epochs")`, or a top-level one (`seed`). */
  field(section, name) {
    const fields = this.raw.fields || {};
    /** @type {ParamSpec | undefined} */
    const spec = section ? (fields[section] || {})[name] : fields[name];
    return spec || null;
  }

  /** `"network.dropout"` or `"training.<key>"`: where a live setting sits in the config. */
  livePath(key) {
    return this.field("network", key) ? `network.${key}` : `training.${key}`;
  }

  // --- what a config implies ----------------------------------------------------------------------------------

  /** The rule that trains any network by gradients (backprop): where hidden layers take a classic rule. */
  get gradientRule() {
    const rule = this.rule(this.defaults.training.rule);
    return rule.online ? this.rules.find((r) => !r.online).name : rule.name;
  }

  /** True when the config's rule is a classic single-neuron rule (trained one sample at a time). */
  classic(config) {
    return Boolean(this.rule(config?.training?.rule ?? this.defaults.training.rule).online);
  }

  /** The output activation a config's network really uses: a classic rule's own, else the config's. */
  outputActivation(config) {
    const rule = this.rule(config?.training?.rule ?? this.defaults.training.rule);
    return rule.output_activation ?? config?.network?.output_activation ?? this.defaults.network.output_activation;
  }

  /** True when the output has one unit per class (softmax), whose planes the frames carry as `classes`. */
  perClass(outputActivation) { return Boolean(this.raw.outputs[outputActivation]?.per_class); }

  /** True when the output is the net input itself (z = a). */
  identity(outputActivation) { return Boolean(this.raw.outputs[outputActivation]?.identity); }

  /**
   * How a one-unit output is read for this config: the targets of class 0 and 1, the threshold between them and
   * the net input above which a single neuron says class 1 (nncore's `target_levels` / a classic rule's levels).
   * @returns {BinaryReading}
   */
  binaryReading(config) {
    const rule = config?.training?.rule ?? this.defaults.training.rule;
    if (this.raw.rule_targets[rule]) return this.raw.rule_targets[rule];
    const output = this.raw.outputs[this.outputActivation(config)]?.binary;
    const loss = config?.training?.loss ?? this.defaults.training.loss;
    return (output && output[loss]) || this.raw.outputs[this.defaults.network.output_activation].binary[loss];
  }

  /** True for the logic-gate datasets (truth tables on a square's corners). */
  isGate(dataset) { return this.raw.gates.datasets.includes(dataset); }

  /**
   * The gate (of the catalog's truth tables) whose table is `classes`, one class per corner in the corners'
   * order, or null when no gate's is.
   * @param {number[]} classes
   */
  gateOf(classes) {
    const truth = this.raw.gates.truth || {};
    return Object.keys(truth).find((name) => truth[name].every((c, k) => c === classes[k])) ?? null;
  }

  /** The corners a gate's points sit on (with jitter): the unit square's, or ±1 with `bipolar`. */
  gateCorners(bipolar) { return bipolar ? this.raw.gates.bipolar_corners : this.raw.gates.corners; }

  /**
   * What a data section is: `{task, classes}` (classes null for regression). A preset's from its catalog entry
   * (a `classes` that names a parameter, as "k", reads that parameter); user points from their labels (classes
   * 0..k−1, at least two).
   * @param {DataSection} data
   * @returns {{task: string, classes: number | null}}
   */
  dataKind(data) {
    if (data && Array.isArray(data.labels)) {
      const task = data.task ?? "classification"; // drawn points are classes; an import says what it is
      const top = data.labels.length ? Math.max(...data.labels) + 1 : 0;
      return { task, classes: task === "regression" ? null : Math.max(2, top) };
    }
    const spec = this.dataset(data?.dataset ?? this.defaults.data.dataset);
    if (!spec) return { task: "classification", classes: null };
    let classes = spec.classes;
    if (typeof classes === "string") classes = data?.[classes] ?? spec.params.find((p) => p.name === classes)?.default;
    return { task: spec.task, classes: spec.task === "regression" ? null : Number(classes) };
  }
}

/** GET /api/catalog as a Catalog. */
export async function loadCatalog() {
  return new Catalog(await requestJSON("/api/catalog"));
}
