// Colours, one language for every view. Class k is PALETTE[k] — Okabe & Ito (2008), safe for deuteranopia,
// protanopia and tritanopia — class 0 blue and class 1 orange; signed values (and two-class outputs) run on a
// diverging blue – white – orange scale with the same ends; regression on viridis. The same values are CSS
// variables in app.css (--class-0 … --class-7, --neg, --pos).
//
// Colour tables (LUTs) are 256 r, g, b triples: a value is painted by its quantized position q ∈ 0..255 on a
// scale. The frames' grids come over the wire as uint8 too: `byteColours` maps a block's 256 byte values to
// pixels once per frame, and `paintBytes` paints the bytes with one lookup per pixel (no floats on the way).

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

/** True where a Uint32Array view of ImageData holds a pixel's r, g, b, a from its lowest byte up. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * An opaque pixel (r, g, b) as the 32-bit word a Uint32Array view of ImageData holds.
 * @returns {number}
 */
export function pixelWord(r, g, b) {
  return (LITTLE_ENDIAN ? (255 << 24) | (b << 16) | (g << 8) | r : (r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/**
 * The colours of a block's 256 bytes: byte q means v = lo + q·(hi − lo)/255 (docs/protocol.md), drawn from `lut`
 * at (v − centre) / halfWidth ∈ [−1, 1] (clamped). 256 products per frame instead of one per pixel; the pixels
 * are then one table lookup each (`paintBytes`).
 * @param {number[]} range the block's [lo, hi]
 * @param {Uint8Array} lut a 256-entry colour table (makeLUT)
 * @param {number} centre the value drawn with the table's middle colour
 * @param {number} halfWidth the distance from `centre` drawn with the table's ends
 * @param {Uint32Array} [out] a table to fill (256 words)
 * @returns {Uint32Array}
 */
export function byteColours(range, lut, centre, halfWidth, out = new Uint32Array(256)) {
  const [lo, hi] = range;
  const step = (hi - lo) / 255;
  const k = 127.5 / (halfWidth || 1);
  for (let q = 0; q < 256; q++) {
    let p = Math.round((lo + q * step - centre) * k + 127.5);
    p = (p > 255 ? 255 : p >= 0 ? p : p < 0 ? 0 : 127) * 3; // NaN → the middle colour
    out[q] = pixelWord(lut[p], lut[p + 1], lut[p + 2]);
  }
  return out;
}

/**
 * Paint a `rows` × `cols` plane of bytes (row i ↔ y_i rising) into `pixels`, a Uint32Array over ImageData of the
 * same size whose top row is the highest y, through `colours` (byteColours).
 * @param {Uint32Array} pixels
 * @param {Uint8Array} bytes
 * @param {number} offset where the plane starts in `bytes`
 * @param {number} rows
 * @param {number} cols
 * @param {Uint32Array} colours
 */
export function paintBytes(pixels, bytes, offset, rows, cols, colours) {
  for (let i = 0; i < rows; i++) {
    let src = offset + i * cols;
    let dst = (rows - 1 - i) * cols;
    const end = dst + cols;
    while (dst < end) pixels[dst++] = colours[bytes[src++]];
  }
}
