// Under the neuron panel's truth table, for a single neuron on a logic gate's corners: which gate the neuron
// computes right now, read from its weights (the catalog's truth tables), and whether that is the data's gate.
// Lesson 1 asks the learner to set b = −0.5 on the AND data: the table's rows are still checked against AND's
// targets, and this line says why — the neuron computes OR, the data is AND, and the rows marked ✗ are where the
// two differ.

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Frame} Frame */

const upper = (name) => name.toUpperCase();

/**
 * The gate the single neuron of `frame` computes on `config`'s gate corners, and the data's gate; null when the
 * scene is not a single neuron on a logic gate's corners.
 * @param {Catalog} catalog
 * @param {Config} config the normalized config
 * @param {Frame} frame
 * @returns {{computes: string | null, classes: number[], data: string} | null}
 */
export function gateReading(catalog, config, frame) {
  const data = config?.data?.dataset;
  const weights = frame?.weights;
  if (!data || !catalog.isGate(data) || !weights || weights.length !== 1) return null;
  const axes = catalog.axes;
  if (config.features.length !== axes.length || !axes.every((a) => config.features.includes(a))) return null;
  const { W, b } = weights[0];
  if (W[0].length !== 1) return null;
  const w = axes.map((axis) => W[config.features.indexOf(axis)][0]);
  const { cut } = catalog.binaryReading(config);
  const classes = catalog.gateCorners(Boolean(config.data.bipolar)).map(([x1, x2]) => {
    const a = w[0] * x1 + w[1] * x2 + b[0];
    return cut === null || a > cut ? 1 : 0;
  });
  return { computes: catalog.gateOf(classes), classes, data };
}

/** What the note says about a reading. */
export function gateText({ computes, data }) {
  if (computes === data) return `The neuron computes ${upper(data)}: the gate of the data.`;
  const which = computes ? `The neuron computes ${upper(computes)}` : "The neuron computes none of the gates";
  return `${which}; the data is ${upper(data)}, so the rows marked ✗ are where the two differ. ` +
    `Choose the dataset ${computes ? upper(computes) : "of a gate"} to train on it.`;
}

/**
 * Keep the note (`#gate-note`) under the truth table in step with the frame on screen.
 * @param {{store: Store, catalog: Catalog}} deps
 */
export function initGateNote({ store, catalog }) {
  const node = document.getElementById("gate-note");
  if (!node) return;
  const show = (frame) => {
    const reading = gateReading(catalog, store.applied, frame);
    node.hidden = !reading;
    node.dataset.computes = reading?.computes ?? "";
    if (reading) node.textContent = gateText(reading);
  };
  store.on("frame", (frame) => show(frame));
  document.addEventListener("nnlive:replay", (/** @type {CustomEvent} */ e) => show(e.detail?.frame || store.lastFrame));
}
