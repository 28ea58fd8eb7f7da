// How each heatmap turns values into colours — the output plane, a hidden layer's tiles, an output unit's tile,
// an input feature's tile — as one scale object. The painters (plane_image.js, network_layout.js) paint with it and
// the legends (legend.js) draw it, so a legend always says what the pixels mean.
//
//   {kind: "continuous", lut, centre, halfWidth, discrete}   value v is drawn from `lut` at (v − centre)/halfWidth
//       ∈ [−1, 1]; `discrete`: only the side of `centre` counts (each side its full tint)
//   {kind: "classes", classes: k, discrete}   each pixel takes its likeliest class's colour, paler as its probability
//       falls to 1/k (`discrete`: always the full tint)
//
// Every number comes from the catalog (an activation's range, where a binary output is cut) or the frame (a
// block's range): nothing of the engine is typed here.

import { CLASS_LUTS, DIVERGING_LUT, PALETTE, PLANE_LUT, VIRIDIS_LUT } from "./colors.js";

/** @typedef {import("./outputs.js").Reading} Reading */
/** @typedef {import("./types.js").Block} Block */
/**
 * @typedef {{kind: "continuous", lut: Uint8Array, centre: number, halfWidth: number, discrete?: boolean}
 *   | {kind: "classes", classes: number, discrete?: boolean}} Scale
 */

/**
 * @param {Uint8Array} lut
 * @param {number} centre
 * @param {number} halfWidth
 * @returns {Scale}
 */
function continuous(lut, centre, halfWidth) {
  return { kind: "continuous", lut, centre, halfWidth: halfWidth > 0 ? halfWidth : 1 };
}

/**
 * The output plane's scale: a binary output around its threshold (white there, blue below, orange above), per-class
 * planes by their likeliest class, a regression output on viridis over the targets' range.
 * @param {Reading} reading
 * @param {boolean} discretize the predicted class only (a binary output's two sides, each in its full tint)
 * @returns {Scale}
 */
export function outputScale(reading, discretize) {
  if (reading.kind === "classes") return { kind: "classes", classes: reading.classes, discrete: Boolean(discretize) };
  if (reading.kind === "regression") return continuous(VIRIDIS_LUT, (reading.lo + reading.hi) / 2, (reading.hi - reading.lo) / 2);
  return { ...continuous(PLANE_LUT, reading.threshold, reading.halfWidth), discrete: Boolean(discretize) };
}

/**
 * A hidden layer's tiles (and one of them shown large on the plane): a bounded activation over its whole range,
 * an unbounded one symmetric around 0 out to the layer's largest |value| in this frame.
 * @param {number[] | null} bounded the activation's [lo, hi] when bounded (catalog.boundedRange)
 * @param {Block} block the layer's block
 * @returns {Scale}
 */
export function layerScale(bounded, block) {
  if (bounded) return continuous(DIVERGING_LUT, (bounded[0] + bounded[1]) / 2, (bounded[1] - bounded[0]) / 2);
  return continuous(DIVERGING_LUT, 0, Math.max(Math.abs(block.range[0]), Math.abs(block.range[1])));
}

/**
 * An output unit's tile: a binary output as the plane shows it (strong colours), a per-class unit from white to its
 * class's colour over the output's range, any other single output symmetric around 0.
 * @param {Reading} reading
 * @param {number[] | null} bounded the output activation's [lo, hi] when bounded
 * @param {Block} block the output block
 * @param {number} unit
 * @returns {Scale}
 */
export function outputTileScale(reading, bounded, block, unit) {
  if (block.shape.length === 3) {
    const [lo, hi] = bounded ?? block.range;
    return continuous(CLASS_LUTS[unit % PALETTE.length], (lo + hi) / 2, (hi - lo) / 2);
  }
  if (reading.kind === "binary") return continuous(DIVERGING_LUT, reading.threshold, reading.halfWidth);
  return layerScale(null, block);
}

/**
 * An input feature's tile: symmetric around 0 out to its largest |value| over the plane.
 * @param {number} top
 * @returns {Scale}
 */
export function featureScale(top) {
  return continuous(DIVERGING_LUT, 0, top);
}
