// Colours, one language for every view. Class k is PALETTE[k] — Okabe & Ito (2008), safe for deuteranopia,
// protanopia and tritanopia — class 0 blue and class 1 orange; signed values (and two-class outputs) run on a
// diverging blue – white – orange scale with the same ends; regression on viridis. The same values are CSS
// variables in app.css (--class-0 … --class-7, --neg, --pos).
//
// Colour tables (LUTs) are 256 r, g, b triples: a value is painted by its quantized position q ∈ 0..255 on a
// scale, which is also how the frames' uint8 grids come over the wire.

export const PALETTE = Object.freeze(["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
  "#000000"]);
/** The palette's colours by name, for tooltips ("class 2 (green)"). */
export const COLOUR_NAMES = Object.freeze(["blue", "orange", "green", "pink", "sky", "vermillion", "yellow", "black"]);

export const WHITE = [247, 247, 247];
export const AXIS_COLOR = "#8a94a0";

/**
 * "#rrggbb" → [r, g, b].
 * @param {string} hex
 * @returns {number[]}
 */
export function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The colour `t` of the way from `a` to `b` (both [r, g, b]). */
export function mix(a, b, t) {
  return a.map((v, k) => Math.round(v + (b[k] - v) * t));
}

/**
 * A 256-entry colour lookup table (r, g, b triples) interpolating `stops` ([[r, g, b], ...], evenly spaced).
 * @param {number[][]} stops
 * @returns {Uint8Array}
 */
export function makeLUT(stops) {
  const lut = new Uint8Array(256 * 3);
  for (let q = 0; q < 256; q++) {
    const s = (q / 255) * (stops.length - 1);
    const k = Math.min(stops.length - 2, Math.floor(s));
    lut.set(mix(stops[k], stops[k + 1], s - k), q * 3);
  }
  return lut;
}

const BLUE = hexToRGB(PALETTE[0]);
const ORANGE = hexToRGB(PALETTE[1]);
/** Diverging blue – white – orange, index 0 ↔ −1, 255 ↔ +1 (strong ends: links and neuron tiles). */
export const DIVERGING_LUT = makeLUT([BLUE, WHITE, ORANGE]);
/** The same scale, softened, for the big output heatmap under the points. */
export const PLANE_LUT = makeLUT([mix(WHITE, BLUE, 0.6), WHITE, mix(WHITE, ORANGE, 0.6)]);
/** Viridis (colour-blind-safe, perceptually uniform) for regression outputs and targets. */
const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b",
  "#fde725"];
/** Viridis softened towards white under the points, which keep the full colours. */
export const VIRIDIS_LUT = makeLUT(VIRIDIS.map((c) => mix(hexToRGB(c), WHITE, 0.4)));
/** Viridis as a Plotly colorscale (the points of a regression). */
export const VIRIDIS_SCALE = VIRIDIS.map((c, k) => [k / (VIRIDIS.length - 1), c]);
/** White → class k's colour, for a per-class output's tiles. */
export const CLASS_LUTS = PALETTE.map((c) => makeLUT([WHITE, hexToRGB(c)]));

/** CSS colour of a signed value v ∈ [−1, 1] on the diverging scale. */
export function divergingCSS(v) {
  const q = Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5) * 3;
  return `rgb(${DIVERGING_LUT[q]},${DIVERGING_LUT[q + 1]},${DIVERGING_LUT[q + 2]})`;
}

/**
 * Paint `rows` (Float32Array rows, row i ↔ y_i rising) into `image` (ImageData of the same size, top row = highest
 * y) through `lut`, mapping value v to (v − centre) / halfWidth ∈ [−1, 1].
 * @param {ImageData} image
 * @param {ArrayLike<number>[]} rows
 * @param {Uint8Array} lut
 * @param {number} centre
 * @param {number} halfWidth
 */
export function paintRows(image, rows, lut, centre, halfWidth) {
  const h = rows.length;
  const w = h ? rows[0].length : 0;
  const px = image.data;
  const k = 127.5 / (halfWidth || 1);
  for (let i = 0; i < h; i++) {
    const row = rows[i];
    let o = (h - 1 - i) * w * 4;
    for (let j = 0; j < w; j++, o += 4) {
      let q = Math.round((row[j] - centre) * k + 127.5);
      q = (q > 255 ? 255 : q >= 0 ? q : q < 0 ? 0 : 127) * 3; // NaN → the middle colour
      px[o] = lut[q];
      px[o + 1] = lut[q + 1];
      px[o + 2] = lut[q + 2];
      px[o + 3] = 255;
    }
  }
}
