// The output grid as pixels: a frame's output painted into a canvas through a colour table, handed to the plane's
// Plotly figure as a layout image. The one place where the plane turns numbers into colours (colors.js).

import { PALETTE, PLANE_LUT, VIRIDIS_LUT, WHITE, hexToRGB, paintRows } from "./colors.js";

/** @typedef {import("./types.js").Grid} Grid */
/** @typedef {import("./types.js").Rows} Rows */
/** @typedef {import("./outputs.js").Reading} Reading */

export class PlaneImage {
  constructor() {
    this.canvas = document.createElement("canvas");
    this.ctx = this.canvas.getContext("2d");
    /** @type {ImageData | null} */
    this.image = null;
  }

  /**
   * The grid coloured per `reading` ({discretize} snaps each pixel to its class's full tint).
   * @param {Grid} grid
   * @param {Reading} reading
   * @param {{discretize?: boolean}} view
   * @returns {string} a PNG data URL
   */
  paint(grid, reading, { discretize }) {
    const g = grid.size;
    if (!this.image || this.image.width !== g) {
      this.canvas.width = this.canvas.height = g;
      this.image = this.ctx.createImageData(g, g);
    }
    if (reading.kind === "classes") this.paintClasses(grid.classes, reading.classes, discretize);
    else if (reading.kind === "regression") {
      paintRows(this.image, grid.output, VIRIDIS_LUT, (reading.lo + reading.hi) / 2, (reading.hi - reading.lo) / 2);
    } else {
      // Discretizing squeezes the scale to a hair's width: each side gets its full class tint.
      const halfWidth = discretize ? 1e-9 : reading.halfWidth;
      paintRows(this.image, grid.output, PLANE_LUT, reading.threshold, halfWidth);
    }
    this.ctx.putImageData(this.image, 0, 0);
    return this.canvas.toDataURL();
  }

  /**
   * Per class: each pixel takes the colour of its most probable class, lighter as the confidence falls.
   * @param {Rows[]} planes
   * @param {number} k
   * @param {boolean} discretize
   */
  paintClasses(planes, k, discretize) {
    const g = planes[0].length;
    const px = this.image.data;
    const colours = PALETTE.slice(0, k).map(hexToRGB);
    const floor = 1 / k;
    for (let i = 0; i < g; i++) {
      let o = (g - 1 - i) * g * 4;
      for (let j = 0; j < g; j++, o += 4) {
        let best = 0;
        let p = planes[0][i][j];
        for (let c = 1; c < k; c++) {
          const pc = planes[c][i][j];
          if (pc > p) [best, p] = [c, pc];
        }
        const confidence = discretize ? 1 : Math.max(0, (p - floor) / (1 - floor));
        const t = 0.1 + 0.5 * confidence; // at most the binary plane's strength
        const c = colours[best];
        px[o] = WHITE[0] + (c[0] - WHITE[0]) * t;
        px[o + 1] = WHITE[1] + (c[1] - WHITE[1]) * t;
        px[o + 2] = WHITE[2] + (c[2] - WHITE[2]) * t;
        px[o + 3] = 255;
      }
    }
  }
}

/**
 * A Plotly layout image covering the grid's cells: samples sit at cell centres, so it reaches half a cell out.
 * @param {Grid} grid
 * @param {string} source
 */
export function planeImage(grid, source) {
  const [x0, x1, y0, y1] = grid.extent;
  const dx = (x1 - x0) / (grid.size - 1) / 2;
  const dy = (y1 - y0) / (grid.size - 1) / 2;
  return {
    source, xref: "x", yref: "y", x: x0 - dx, y: y1 + dy, sizex: x1 - x0 + 2 * dx, sizey: y1 - y0 + 2 * dy,
    sizing: "stretch", xanchor: "left", yanchor: "top", layer: "below",
  };
}
