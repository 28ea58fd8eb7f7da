// Forking a scene for a side-by-side run: what a fork can change, reading the value typed for it, and the forked
// config — the one change, with what it implies left to the server (controls/intent.js).

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
