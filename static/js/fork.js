// Forking a scene for a side-by-side run: what a fork can change, reading the value typed for it, the forked
// config — the one change, with what it implies left to the server (controls/intent.js) — and which changes of
// the main scene a fork's own change covers (a fork is out of date when the main scene changes anything else).

import { clone, getPath, setPath } from "./state.js";
import { optimizerChanged, ruleChanged } from "./controls/intent.js";

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {{path: string, label: string, kind?: "number" | "layers", choices?: string[]}} ForkParam */

const names = (section) => (section || []).map((x) => x.name);

/**
 * What a fork can change: dotted path, label, and how to read the value.
 * @param {Catalog} catalog
 * @returns {ForkParam[]}
 */
export function forkParameters(catalog) {
  return [
    { path: "training.optimizer", label: "optimizer", choices: names(catalog.optimizers) },
    { path: "training.learning_rate", label: "learning rate", kind: "number" },
    { path: "network.activation", label: "activation", choices: names(catalog.activations) },
    { path: "training.loss", label: "loss", choices: names(catalog.losses) },
    { path: "training.rule", label: "learning rule", choices: names(catalog.rules) },
    { path: "network.hidden", label: "hidden layers", kind: "layers" },
    { path: "training.momentum", label: "momentum", kind: "number" },
    { path: "training.batch_size", label: "batch size", kind: "number" },
    { path: "training.l2", label: "L2", kind: "number" },
    { path: "network.dropout", label: "dropout", kind: "number" },
    { path: "network.init", label: "initializer", choices: names(catalog.initializers) },
    { path: "network.output_activation", label: "output activation", choices: names(catalog.outputActivations) },
    { path: "seed", label: "seed", kind: "number" },
  ];
}

/**
 * Parse the text of a fork's value; throws a readable Error.
 * @param {ForkParam} param
 * @param {string} text
 */
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
 * A config with `path` set to `value`. A new rule takes its own output and loss (a classic one: one neuron), and
 * hidden layers under a classic rule bring the gradient rule; a new optimizer or rule starts from its own
 * hyperparameters — the server fills what is left out.
 * @param {Config} base
 * @param {string} path
 * @param {any} value
 * @param {Catalog} catalog
 */
export function forkConfig(base, path, value, catalog) {
  const config = clone(base);
  if (path === "training.rule") {
    for (const p of catalog.optimizer(config.training.optimizer)?.hyper ?? []) delete config.training[p.name];
    return ruleChanged(config, catalog, value, getPath(base, "network.hidden") ?? null);
  }
  if (path === "training.optimizer") return optimizerChanged(config, catalog, value);
  setPath(config, path, value);
  if (path === "network.hidden" && value.length > 0 && catalog.classic(base)) {
    ruleChanged(config, catalog, catalog.gradientRule, value); // hidden layers are trained by gradients only
  }
  return config;
}

/**
 * A lesson variant's overrides merged into `config` (a copy the caller owns) key by key: objects merge,
 * everything else replaces (as app/lessons_catalog.py `merge` makes the lesson's own variant configs).
 * @param {any} config
 * @param {any} overrides
 */
export function mergeOverrides(config, overrides) {
  for (const [key, value] of Object.entries(overrides)) {
    const both = value && typeof value === "object" && !Array.isArray(value)
      && config[key] && typeof config[key] === "object" && !Array.isArray(config[key]);
    config[key] = both ? mergeOverrides(config[key], value) : JSON.parse(JSON.stringify(value));
  }
  return config;
}

/**
 * The dotted paths where two configs differ (view settings and weights aside); arrays compare whole.
 * @param {any} a
 * @param {any} b
 * @returns {string[]}
 */
export function changedPaths(a, b, prefix = "") {
  const skip = new Set(["view", "network.weights"]);
  const object = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!object(a) || !object(b)) return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix.slice(0, -1)];
  const out = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (skip.has(prefix + key)) continue;
    out.push(...changedPaths(a[key], b[key], `${prefix}${key}.`));
  }
  return out;
}

/** The dotted paths of an object's leaves (arrays are leaves). */
function leafPaths(value, prefix = "") {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix.slice(0, -1)];
  return Object.entries(value).flatMap(([key, v]) => leafPaths(v, `${prefix}${key}.`));
}

/**
 * What a fork's own change decides, so that the main scene changing it leaves the fork up to date: the forked
 * path and the keys it implies (a rule: the training, the layers and the output; an optimizer: its settings; an
 * output or a loss: each other), or a lesson variant's overridden keys.
 * @param {{path?: string, overrides?: any}} recipe
 * @param {boolean} classicBase whether the main scene uses a classic rule (hidden layers there bring backprop)
 * @returns {string[]}
 */
export function coveredPaths(recipe, classicBase) {
  if ("overrides" in recipe) return leafPaths(recipe.overrides);
  const path = recipe.path;
  const implied = {
    "training.rule": ["training", "network.hidden", "network.output_activation", "network.batch_norm"],
    "training.optimizer": ["training"],
    "network.output_activation": ["training.loss"],
    "training.loss": ["network.output_activation"],
    "network.hidden": classicBase ? ["training", "network.output_activation"] : [],
  };
  return [path, ...(implied[path] || [])];
}
