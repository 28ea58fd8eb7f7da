// Reading a network's output over the plane: which kind of output it is and where its classes are cut, from the
// normalized config, the `data` message and the catalog's facts (nncore's `target_levels`, the rules' levels).
//
//   {kind: "binary", threshold, halfWidth}   one unit: class 1 above `threshold`; colours span ±halfWidth
//   {kind: "classes", classes}               one probability plane per class (softmax)
//   {kind: "regression", lo, hi}             the targets' range

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").DataMessage} DataMessage */
/** @typedef {import("./types.js").Grid} Grid */
/**
 * @typedef {{kind: "binary", threshold: number, halfWidth: number} | {kind: "classes", classes: number}
 *   | {kind: "regression", lo: number, hi: number}} Reading
 */

/**
 * How to read a network's output over the plane. A binary output is cut where nncore cuts it: at the midpoint of
 * its target levels (0 for ±1 targets, 0.5 for 0/1 ones); its colours span its activation's range (or, for an
 * unbounded one, its target levels).
 * @param {Catalog} catalog
 * @param {Config | null | undefined} config the normalized config
 * @param {DataMessage | null | undefined} data the server's `data` message
 * @returns {Reading}
 */
export function outputReading(catalog, config, data) {
  if (data?.task === "regression") {
    const labels = [...(data.train?.labels ?? []), ...(data.test?.labels ?? [])];
    let lo = Math.min(...labels);
    let hi = Math.max(...labels);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) hi = lo = 0;
    return { kind: "regression", lo, hi: hi > lo ? hi : lo + 1 };
  }
  const activation = catalog.outputActivation(config);
  const classes = data?.classes ?? 2;
  if (catalog.perClass(activation) || classes > 2) return { kind: "classes", classes: Math.max(2, classes) };
  const { threshold, levels } = catalog.binaryReading(config);
  const [lo, hi] = catalog.boundedRange(activation) ?? levels; // an unbounded output: colours span its targets
  return { kind: "binary", threshold, halfWidth: (hi - lo) / 2 };
}

/**
 * `reading` made to fit the grid in hand (a frame of the previous run can arrive after a new `data` message):
 * class planes are read per class, a single plane as a binary output around the middle of its own range.
 * @param {Grid | null | undefined} grid
 * @param {Reading} reading
 * @returns {Reading}
 */
export function readingFor(grid, reading) {
  const block = grid?.output;
  if (!block) return reading;
  if (grid.classes && reading.kind !== "classes") return { kind: "classes", classes: grid.classes };
  if (!grid.classes && reading.kind === "classes") {
    const [lo, hi] = block.range;
    return { kind: "binary", threshold: (lo + hi) / 2, halfWidth: (hi - lo) / 2 || 1 };
  }
  return reading;
}
