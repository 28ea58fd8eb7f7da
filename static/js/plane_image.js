// The plane's heatmap as pixels: a frame's uint8 output block (or one neuron's plane of a layer block) painted
// straight into a canvas's ImageData through a 256-entry colour table (colors.js `byteColours`; no floats, no
// image URLs). The canvas holds one pixel per grid sample; the page scales it up with smoothing (plane_view.js).

import { PALETTE, WHITE, byteColours, hexToRGB, mix, paintBytes, pixelWord } from "./colors.js";

/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./scales.js").Scale} Scale */

/** A discrete scale is squeezed to a hair's width: each side of its centre gets its full tint. */
const HAIR = 1e-9;

export class PlaneImage {
  constructor() {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "viz-plane-heatmap";
    this.canvas.width = this.canvas.height = 1;
    this.ctx = this.canvas.getContext("2d");
    /** @type {ImageData | null} */
    this.image = null;
    /** @type {Uint32Array | null} the image's pixels, one word each */
    this.pixels = null;
    this.colours = new Uint32Array(256);
    /** @type {Uint32Array | null} per-class colours, 256 per class */
    this.classColours = null;
    this.classKey = "";
  }

  /** The side of the painted grid (the canvas's size in pixels). */
  get size() {
    return this.canvas.width;
  }

  /** Make the canvas n × n (a new ImageData only when n changes). */
  fit(n) {
    if (this.image && this.image.width === n) return;
    this.canvas.width = this.canvas.height = n;
    this.image = this.ctx.createImageData(n, n);
    this.pixels = new Uint32Array(this.image.data.buffer);
  }

  /**
   * Paint plane `index` of `block` (shape [n, n] or [planes, n, n]) with `scale`; a per-class scale reads all the
   * block's planes at once (the likeliest class per pixel).
   * @param {Block} block
   * @param {number} index
   * @param {Scale} scale
   */
  paint(block, index, scale) {
    const n = block.shape[block.shape.length - 1];
    this.fit(n);
    if (scale.kind === "classes") {
      this.paintClasses(block, scale.classes, Boolean(scale.discrete));
    } else {
      byteColours(block.range, scale.lut, scale.centre, scale.discrete ? HAIR : scale.halfWidth, this.colours);
      paintBytes(this.pixels, block.bytes, index * n * n, n, n, this.colours);
    }
    this.ctx.putImageData(this.image, 0, 0);
  }

  /**
   * Per class: each pixel takes the colour of its most probable class, lighter as the confidence falls to 1/k.
   * The planes share one range, so the largest byte is the largest probability.
   * @param {Block} block shape [k, n, n]
   * @param {number} k
   * @param {boolean} discrete every pixel in its class's full tint
   */
  paintClasses(block, k, discrete) {
    const [planes, , n] = block.shape;
    const colours = this.classTable(block.range, Math.max(k, planes), discrete);
    const { bytes } = block;
    const pixels = this.pixels;
    const area = n * n;
    for (let i = 0; i < n; i++) {
      let dst = (n - 1 - i) * n;
      for (let src = i * n, end = src + n; src < end; src++, dst++) {
        let best = 0;
        let p = bytes[src];
        for (let c = 1, at = src + area; c < planes; c++, at += area) {
          if (bytes[at] > p) {
            best = c;
            p = bytes[at];
          }
        }
        pixels[dst] = colours[(best << 8) | p];
      }
    }
  }

  /** The colour of class c at probability byte q, at index c·256 + q (built when the range, k or discrete change). */
  classTable(range, k, discrete) {
    const key = `${range[0]},${range[1]},${k},${discrete}`;
    if (this.classKey === key) return this.classColours;
    const [lo, hi] = range;
    const floor = 1 / k;
    const table = new Uint32Array(k * 256);
    for (let c = 0; c < k; c++) {
      const colour = hexToRGB(PALETTE[c % PALETTE.length]);
      for (let q = 0; q < 256; q++) {
        const p = lo + (q * (hi - lo)) / 255;
        const confidence = discrete ? 1 : Math.max(0, Math.min(1, (p - floor) / (1 - floor)));
        const [r, g, b] = mix(WHITE, colour, 0.1 + 0.5 * confidence); // at most the binary plane's strength
        table[(c << 8) | q] = pixelWord(r, g, b);
      }
    }
    this.classColours = table;
    this.classKey = key;
    return table;
  }
}
