// A single neuron on the plane: when a network is one neuron reading exactly the plane's coordinates (x₁, x₂),
// its decision boundary is the line w₁x₁ + w₂x₂ + b = 0 and its weight vector w is normal to it. The plane draws
// that line and w; the neuron panel writes them out.

/** @typedef {import("./catalog.js").Catalog} Catalog */
/** @typedef {import("./types.js").Config} Config */
/** @typedef {import("./types.js").Weights} Weights */
/** @typedef {{w1: number, w2: number, b: number}} NeuronWeights */

export const LINE_COLOR = "#1d2630";
export const VECTOR_COLOR = "#CC79A7";

/**
 * True when the config's network is one neuron reading exactly the plane's two coordinates (no hidden layer, one
 * output unit): the only case where the decision boundary is the line w₁x₁ + w₂x₂ + b = 0.
 * @param {Catalog} catalog
 * @param {Config | null | undefined} config
 */
export function isSingleNeuron(catalog, config) {
  const features = config?.features ?? [];
  return (
    (config?.network?.hidden ?? [null]).length === 0 &&
    features.length === catalog.axes.length && catalog.axes.every((axis) => features.includes(axis)) &&
    !catalog.perClass(catalog.outputActivation(config))
  );
}

/**
 * The neuron's (w1, w2, b) from a frame's weights, in the config's feature order.
 * @param {Catalog} catalog
 * @param {Config} config
 * @param {Weights} weights
 * @returns {NeuronWeights}
 */
export function neuronWeights(catalog, config, weights) {
  const { W, b } = weights[0];
  const [i1, i2] = catalog.axes.map((axis) => config.features.indexOf(axis));
  return { w1: W[i1][0], w2: W[i2][0], b: b[0] };
}

/**
 * The part of the line w1·x + w2·y + b = 0 inside `extent`, as two points, or null if it misses it.
 * @param {NeuronWeights} weights
 * @param {number[]} extent
 */
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
 * Where to draw a neuron's line w1·x1 + w2·x2 + b = 0 (clipped to `extent`) and its weight vector w, in data
 * coordinates: the line from `from` to `to`; w as an arrow from the middle of the visible line (so it is always on
 * the plane) to `head`, along w, of a fixed length; its label at `label`. Null when w = 0 or the line misses the
 * plane.
 * @param {NeuronWeights} weights
 * @param {number[]} extent [x_min, x_max, y_min, y_max]
 * @returns {{from: number[], to: number[], foot: number[], head: number[], label: number[]} | null}
 */
export function neuronLine({ w1, w2, b }, extent) {
  const norm = Math.hypot(w1, w2);
  const segment = norm > 0 && Number.isFinite(norm) ? clipLine({ w1, w2, b }, extent) : null;
  if (!segment) return null;
  const [x0, x1, y0, y1] = extent;
  const foot = [(segment[0][0] + segment[1][0]) / 2, (segment[0][1] + segment[1][1]) / 2];
  const length = 0.14 * Math.min(x1 - x0, y1 - y0);
  const head = [foot[0] + (length * w1) / norm, foot[1] + (length * w2) / norm];
  const label = [head[0] + (0.25 * length * w1) / norm, head[1] + (0.25 * length * w2) / norm];
  return { from: segment[0], to: segment[1], foot, head, label };
}
