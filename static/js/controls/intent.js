// Config changes that imply other keys. The page writes down what the user chose and leaves out the keys that
// choice implies, so the server's normalisation (nncore/config.py `validate_config`) fills them as the engine
// decides: the data's kind → the output activation → the loss; a classic rule → one neuron, its own output and
// loss; an optimizer → its own hyperparameters. The `data` message brings the filled-in config back (main.js adopts
// it into the store), so the menus show what the server chose.
//
// Each function edits `config` (a copy the caller owns) and returns it.

/** @typedef {import("../catalog.js").Catalog} Catalog */
/** @typedef {import("../types.js").Config} Config */
/** @typedef {{task: string, classes: number | null}} DataKind */

/** Leave the output activation and the loss to the server (they follow the task and the number of classes). */
function releaseOutput(config) {
  if (config.network) delete config.network.output_activation;
  if (config.training) delete config.training.loss;
}

/**
 * The data changed: when its kind (task, number of classes) changed too, the output activation and the loss it
 * implied are the server's to choose again; otherwise the user's choice stays.
 * @param {Config} config
 * @param {DataKind} before
 * @param {DataKind} after
 */
export function dataChanged(config, before, after) {
  if (before.task !== after.task || before.classes !== after.classes) releaseOutput(config);
  return config;
}

/**
 * A new learning rule. A classic rule trains one neuron with its own output and loss: the hidden layers, batch
 * norm, output and loss are left to the server. Back to a gradient rule, the output and loss are the server's to
 * choose, and the hidden layers are `hidden` (the ones the user had) or the server's default.
 * @param {Config} config
 * @param {Catalog} catalog
 * @param {string} name
 * @param {number[] | null} hidden
 */
export function ruleChanged(config, catalog, name, hidden = null) {
  const wasClassic = catalog.rule(config.training.rule).online;
  config.training.rule = name;
  if (catalog.rule(name).online) {
    delete config.network.hidden;
    delete config.network.batch_norm;
    releaseOutput(config);
  } else if (wasClassic) {
    if (hidden) config.network.hidden = hidden;
    else delete config.network.hidden;
    releaseOutput(config);
  }
  return config;
}

/**
 * A new output activation: the loss it implies is the server's to choose.
 * @param {Config} config
 * @param {string} name
 */
export function outputChanged(config, name) {
  config.network.output_activation = name;
  delete config.training.loss;
  return config;
}

/**
 * A new loss; one that needs a particular output (bce: sigmoid, cross_entropy: softmax — the catalog's
 * `requires_output`) brings it along.
 * @param {Config} config
 * @param {Catalog} catalog
 * @param {string} name
 */
export function lossChanged(config, catalog, name) {
  config.training.loss = name;
  const need = catalog.loss(name)?.requires_output;
  if (need) config.network.output_activation = need;
  return config;
}

/**
 * A new optimizer starts from its own defaults: the old one's hyperparameters are left to the server.
 * @param {Config} config
 * @param {Catalog} catalog
 * @param {string} name
 */
export function optimizerChanged(config, catalog, name) {
  const old = catalog.optimizer(config.training.optimizer);
  if (old && old.name !== name) for (const p of old.hyper) delete config.training[p.name];
  config.training.optimizer = name;
  return config;
}
